/**
 * createResourceServer with DPoP-bound tokens (RFC 9449 §7): the `DPoP` scheme with a
 * proof of the token's key, both challenges on a refusal with the error in the scheme
 * used, and the server nonce when the tenant asks for one.
 */
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceServer } from '../../src/http/index.js';
import { generateSigningKey, Tenant } from '../../src/index.js';
import { makeProof, proofKey, type ProofKey } from '../dpop/helpers.js';

const RESOURCE = 'https://mcp.example.com/mcp';
let tenant: Tenant;
let key: ProofKey;
let bound: string;
let bearer: string;

beforeAll(async () => {
  tenant = await Tenant.create({
    domain: 'id.example.com',
    signingKeys: [await generateSigningKey('RS256')],
    dpop: { nonce: true },
  });
  await tenant.apis.create({
    identifier: RESOURCE,
    name: 'Notes MCP',
    scopes: [{ value: 'notes:read' }],
    proof_of_possession: { mechanism: 'dpop', required: false },
  });
  const client = await tenant.clients.create({
    name: 'Robot',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  await tenant.apis.grant({
    client_id: client.client_id,
    audience: RESOURCE,
    scope: ['notes:read'],
  });
  key = await proofKey();
  bound = (
    await tenant.issueAccessToken(client.client_id, {
      audience: RESOURCE,
      dpop: { jkt: await calculateJwkThumbprint(key.jwk) },
    })
  ).access_token;
  bearer = (await tenant.issueAccessToken(client.client_id, { audience: RESOURCE })).access_token;
});
afterAll(() => tenant.close());

const guard = () => createResourceServer(tenant, { resource: RESOURCE, scopes: ['notes:read'] });
const ath = (token: string) => createHash('sha256').update(token).digest('base64url');
const call = (authorization: string, proof?: string) =>
  new Request(RESOURCE, {
    method: 'POST',
    headers: { authorization, ...(proof === undefined ? {} : { dpop: proof }) },
  });
const proof = (token: string, nonce?: string, with_ = key) =>
  makeProof(
    with_,
    { htm: 'POST', htu: RESOURCE },
    {
      claims: { ath: ath(token), ...(nonce === undefined ? {} : { nonce }) },
    },
  );

describe('createResourceServer: DPoP', () => {
  it('asks for the nonce, then accepts a proof of the token key carrying it', async () => {
    const first = (await guard().authenticate(
      call(`DPoP ${bound}`, await proof(bound)),
    )) as Response;
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toMatch(
      /DPoP algs="[^"]+", error="use_dpop_nonce"/,
    );
    const nonce = first.headers.get('dpop-nonce') ?? '';
    expect(nonce).not.toBe('');
    const claims = await guard().authenticate(call(`DPoP ${bound}`, await proof(bound, nonce)));
    expect(claims).toMatchObject({
      aud: RESOURCE,
      cnf: { jkt: await calculateJwkThumbprint(key.jwk) },
    });
  });

  it('refuses the bound token as a Bearer token, the error in the Bearer challenge', async () => {
    const response = (await guard().authenticate(call(`Bearer ${bound}`))) as Response;
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer resource_metadata="[^"]+", error="invalid_token", [^]*, DPoP algs="[^"]+"$/,
    );
  });

  it('refuses a proof of another key, and an unbound token sent as DPoP', async () => {
    const nonce = (await tenant.dpop.nonce()) ?? '';
    const other = await proofKey();
    const wrongKey = (await guard().authenticate(
      call(`DPoP ${bound}`, await proof(bound, nonce, other)),
    )) as Response;
    expect(await wrongKey.json()).toMatchObject({ error: 'invalid_token' });
    const unbound = (await guard().authenticate(
      call(`DPoP ${bearer}`, await proof(bearer, nonce)),
    )) as Response;
    expect(await unbound.json()).toMatchObject({ error: 'invalid_token' });
    expect(unbound.headers.get('www-authenticate')).toMatch(
      /DPoP algs="[^"]+", error="invalid_token"/,
    );
  });

  it('accepts a bearer token as before', async () => {
    expect(await guard().authenticate(call(`Bearer ${bearer}`))).toMatchObject({ aud: RESOURCE });
  });

  it('advertises the proof algorithms in its metadata', async () => {
    const response = await guard().metadata(new Request(guard().metadataUrl));
    expect(await response.json()).toMatchObject({
      dpop_signing_alg_values_supported: tenant.dpop.algorithms,
    });
  });
});
