/**
 * DPoP (RFC 9449) through createProvider over real HTTP, with proofs made by jose: bound
 * client-credentials tokens by Auth0's table (the API's proof_of_possession, the client's
 * require_proof_of_possession), codes bound by dpop_jkt, public clients' refresh tokens
 * bound to their key, /userinfo with the DPoP scheme and both challenges, introspection,
 * discovery, and each refusal of a proof in its own test, audited with its reason and
 * never with the proof.
 */
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientInput } from '../../src/index.js';
import { makeProof, proofKey, unsigned, type ProofKey } from '../dpop/helpers.js';
import { followToCallback, startTestServer, type TestServer } from './provider-helpers.js';

const CALLBACK = 'http://127.0.0.1:8080/callback';
const VERIFIER = 'dpop-tests-verifier-0123456789-abcdefghijklmnopqrs';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const DPOP_API = 'https://dpop.example.test/';
const REQUIRED_API = 'https://required.example.test/';
const PLAIN_API = 'https://plain.example.test/';

let server: TestServer;
let machine: Client;
let strict: Client;
let spa: Client;
let key: ProofKey;
let jkt: string;

beforeAll(async () => {
  server = await startTestServer();
  const { tenant } = server;
  await tenant.apis.create({
    identifier: DPOP_API,
    name: 'DPoP allowed',
    scopes: [{ value: 'read' }],
    proof_of_possession: { mechanism: 'dpop', required: false },
  });
  await tenant.apis.create({
    identifier: REQUIRED_API,
    name: 'DPoP required',
    scopes: [{ value: 'read' }],
    proof_of_possession: { mechanism: 'dpop', required: true },
  });
  await tenant.apis.create({ identifier: PLAIN_API, name: 'Plain', scopes: [{ value: 'read' }] });
  const m2m: Omit<ClientInput, 'name'> = {
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
  };
  machine = await tenant.clients.create({ name: 'M2M', ...m2m });
  strict = await tenant.clients.create({
    name: 'PoP M2M',
    ...m2m,
    require_proof_of_possession: true,
  });
  for (const client of [machine, strict]) {
    for (const audience of [DPOP_API, REQUIRED_API, PLAIN_API]) {
      await tenant.apis.grant({ client_id: client.client_id, audience, scope: ['read'] });
    }
  }
  spa = await tenant.clients.create({
    name: 'SPA',
    app_type: 'spa',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring' },
  });
  key = await proofKey('ES256');
  jkt = await calculateJwkThumbprint(key.jwk);
});
afterAll(() => server.close());

const tokenUrl = () => `${server.url}/oauth/token`;
const userinfoUrl = () => `${server.url}/userinfo`;

async function post(body: Record<string, string>, proof?: string) {
  const response = await fetch(tokenUrl(), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(proof === undefined ? {} : { dpop: proof }),
    },
    body: new URLSearchParams(body),
  });
  return { response, json: (await response.json()) as Record<string, string> };
}

const credentials = (client: Client, audience: string) => ({
  grant_type: 'client_credentials',
  client_id: client.client_id,
  client_secret: client.client_secret ?? '',
  audience,
});

const tokenProof = (options: Parameters<typeof makeProof>[2] = {}, with_ = key) =>
  makeProof(with_, { htm: 'POST', htu: tokenUrl() }, options);

/** The audit events about DPoP proofs recorded so far. */
async function proofEvents() {
  await server.tenant.audit.flush();
  return server.sink.events.filter((event) => event.description === 'DPoP proof refused');
}

describe('client credentials with DPoP', () => {
  it('binds the token to the proof key for an API whose mechanism is dpop', async () => {
    const { response, json } = await post(credentials(machine, DPOP_API), await tokenProof());
    expect(response.status).toBe(200);
    expect(json['token_type']).toBe('DPoP');
    expect(decodeJwt(json['access_token']!)).toMatchObject({ cnf: { jkt }, aud: DPOP_API });
    expect(response.headers.get('dpop-nonce')).toBeNull();
  });

  it('issues a bearer token for an API without a sender-constraining method, as Auth0 does', async () => {
    const { json } = await post(credentials(machine, PLAIN_API), await tokenProof());
    expect(json['token_type']).toBe('Bearer');
    expect(decodeJwt(json['access_token']!)['cnf']).toBeUndefined();
  });

  it('refuses an unbound token for an API whose proof_of_possession is required', async () => {
    const { response, json } = await post(credentials(machine, REQUIRED_API));
    expect(response.status).toBe(400);
    expect(json).toMatchObject({ error: 'invalid_request' });
    expect(json['error_description']).toMatch(/proof_of_possession\.required/);
    await server.tenant.audit.flush();
    expect(server.sink.events.at(-1)).toMatchObject({
      type: 'feccft',
      details: { reason: 'proof_required_by_api' },
    });
    const bound = await post(credentials(machine, REQUIRED_API), await tokenProof());
    expect(bound.json['token_type']).toBe('DPoP');
  });

  it('refuses an unbound token to a client with require_proof_of_possession', async () => {
    expect((await post(credentials(strict, DPOP_API))).json).toMatchObject({
      error: 'invalid_request',
    });
    expect((await post(credentials(strict, PLAIN_API), await tokenProof())).json).toMatchObject({
      error: 'invalid_request',
    });
    const bound = await post(credentials(strict, DPOP_API), await tokenProof());
    expect(bound.json['token_type']).toBe('DPoP');
  });

  it('costs nothing without a DPoP header: a plain bearer token, no nonce, no proof checked', async () => {
    const { response, json } = await post(credentials(machine, DPOP_API));
    expect(json['token_type']).toBe('Bearer');
    expect(response.headers.get('dpop-nonce')).toBeNull();
  });
});

describe('DPoP proof refusals at the token endpoint', () => {
  async function refused(proof: string, reason: string) {
    const before = (await proofEvents()).length;
    const { response, json } = await post(credentials(machine, DPOP_API), proof);
    expect(response.status).toBe(400);
    expect(json['error']).toBe('invalid_dpop_proof');
    const events = await proofEvents();
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({
      type: 'feccft',
      client_id: machine.client_id,
      details: { error: 'invalid_dpop_proof', reason },
    });
    expect(JSON.stringify(server.sink.events)).not.toContain(proof.split('.')[2]);
  }

  it('a replayed jti', async () => {
    const proof = await tokenProof();
    expect((await post(credentials(machine, DPOP_API), proof)).response.status).toBe(200);
    await refused(proof, 'replayed');
  });

  it('a wrong htu', async () => {
    await refused(await tokenProof({ claims: { htu: `${server.url}/userinfo` } }), 'htu');
  });

  it('a wrong htm', async () => {
    await refused(await tokenProof({ claims: { htm: 'GET' } }), 'htm');
  });

  it('a stale iat', async () => {
    await refused(await tokenProof({ iat: Math.floor(Date.now() / 1000) - 600 }), 'iat_stale');
  });

  it('a private key in jwk', async () => {
    await refused(await tokenProof({ header: { jwk: key.privateJwk } }), 'jwk_private');
  });

  it('alg none', async () => {
    const proof = unsigned(
      { typ: 'dpop+jwt', alg: 'none', jwk: key.jwk },
      { jti: 'none-1', htm: 'POST', htu: tokenUrl(), iat: Math.floor(Date.now() / 1000) },
    );
    await refused(proof, 'alg');
  });

  it('alg HS256', async () => {
    const proof = unsigned(
      { typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: 'c2VjcmV0' } },
      { jti: 'hs-1', htm: 'POST', htu: tokenUrl(), iat: Math.floor(Date.now() / 1000) },
      32,
    );
    await refused(proof, 'alg');
  });

  it('two DPoP headers', async () => {
    const response = await fetch(tokenUrl(), {
      method: 'POST',
      headers: [
        ['content-type', 'application/x-www-form-urlencoded'],
        ['dpop', await tokenProof()],
        ['dpop', await tokenProof()],
      ],
      body: new URLSearchParams(credentials(machine, DPOP_API)),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });
});

/** A code for the SPA, bound to `dpopJkt` when given. */
async function code(dpopJkt?: string): Promise<string> {
  const url = new URL('/authorize', server.url);
  const params = {
    client_id: spa.client_id,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid offline_access',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...(dpopJkt === undefined ? {} : { dpop_jkt: dpopJkt }),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const callback = await followToCallback(url);
  return callback.searchParams.get('code') as string;
}

const exchange = (value: string, proof?: string) =>
  post(
    {
      grant_type: 'authorization_code',
      client_id: spa.client_id,
      code: value,
      redirect_uri: CALLBACK,
      code_verifier: VERIFIER,
    },
    proof,
  );

describe('the code flow with DPoP', () => {
  it('binds the code to dpop_jkt: another key, or none, burns it', async () => {
    const other = await proofKey('ES256');
    const wrong = await exchange(await code(jkt), await tokenProof({}, other));
    expect(wrong.json).toMatchObject({ error: 'invalid_grant' });
    expect(wrong.json['error_description']).toMatch(/dpop_jkt/);
    expect((await exchange(await code(jkt))).json).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a dpop_jkt that is not a thumbprint, on the redirect', async () => {
    const url = new URL('/authorize', server.url);
    for (const [name, value] of Object.entries({
      client_id: spa.client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      dpop_jkt: 'not-a-thumbprint',
    })) {
      url.searchParams.set(name, value);
    }
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('issues bound tokens and a refresh token bound to the public client key', async () => {
    const { json } = await exchange(await code(jkt), await tokenProof());
    expect(json['token_type']).toBe('DPoP');
    expect(decodeJwt(json['access_token']!)).toMatchObject({ cnf: { jkt } });
    const refreshToken = json['refresh_token']!;
    const refresh = (proof?: string) =>
      post(
        { grant_type: 'refresh_token', client_id: spa.client_id, refresh_token: refreshToken },
        proof,
      );
    expect((await refresh()).json).toMatchObject({ error: 'invalid_grant' });
    const other = await proofKey('ES256');
    expect((await refresh(await tokenProof({}, other))).json).toMatchObject({
      error: 'invalid_grant',
    });
    // Neither attempt used the token: the key holder refreshes as before.
    const renewed = await refresh(await tokenProof());
    expect(renewed.json['token_type']).toBe('DPoP');
    expect(decodeJwt(renewed.json['access_token']!)).toMatchObject({ cnf: { jkt } });
  });

  it('introspects a bound access token and refresh token with cnf and token_type DPoP', async () => {
    const { json } = await exchange(await code(), await tokenProof());
    const introspect = async (token: string) =>
      (await (
        await fetch(`${server.url}/oauth/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, client_id: spa.client_id }),
        })
      ).json()) as Record<string, unknown>;
    expect(await introspect(json['access_token']!)).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf: { jkt },
    });
    expect(await introspect(json['refresh_token']!)).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      cnf: { jkt },
    });
  });
});

describe('/userinfo with DPoP', () => {
  let accessToken: string;
  beforeAll(async () => {
    accessToken = (await exchange(await code(), await tokenProof())).json['access_token']!;
  });

  const ath = (token: string) => createHash('sha256').update(token).digest('base64url');
  const userinfoProof = (token: string, extra: Parameters<typeof makeProof>[2] = {}, with_ = key) =>
    makeProof(
      with_,
      { htm: 'GET', htu: userinfoUrl() },
      {
        ...extra,
        claims: { ath: ath(token), ...extra.claims },
      },
    );
  const call = (authorization: string, proof?: string) =>
    fetch(userinfoUrl(), {
      headers: { authorization, ...(proof === undefined ? {} : { dpop: proof }) },
    });

  it('answers the claims for the DPoP scheme and a proof of the token key', async () => {
    const response = await call(`DPoP ${accessToken}`, await userinfoProof(accessToken));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'auth0|alice' });
  });

  it('refuses the bound token as a Bearer token, with both challenges', async () => {
    const response = await call(`Bearer ${accessToken}`);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
    expect(challenge).toMatch(/, DPoP algs="ES256 [^"]*"$/);
  });

  it('refuses the DPoP scheme without a proof: invalid_dpop_proof in the DPoP challenge', async () => {
    const response = await call(`DPoP ${accessToken}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_dpop_proof' });
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="[^"]+", DPoP algs="[^"]+", error="invalid_dpop_proof"/,
    );
  });

  it('refuses a proof made by another key than the token cnf', async () => {
    const other = await proofKey('ES256');
    const response = await call(`DPoP ${accessToken}`, await userinfoProof(accessToken, {}, other));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    expect(response.headers.get('www-authenticate')).toMatch(
      /DPoP algs="[^"]+", error="invalid_token"/,
    );
  });

  it('refuses a proof for another access token (ath)', async () => {
    const response = await call(`DPoP ${accessToken}`, await userinfoProof(`${accessToken}x`));
    expect(await response.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses an unbound token sent with the DPoP scheme', async () => {
    const bearer = (await exchange(await code())).json['access_token']!;
    const response = await call(`DPoP ${bearer}`, await userinfoProof(bearer));
    expect(await response.json()).toMatchObject({ error: 'invalid_token' });
  });
});

describe('tenant.verifyAccessToken with DPoP', () => {
  it('verifies a bound token with its proof only', async () => {
    const { json } = await post(credentials(machine, DPOP_API), await tokenProof());
    const token = json['access_token']!;
    const api = 'https://api.example.test/orders';
    const proof = (with_ = key, ath = createHash('sha256').update(token).digest('base64url')) =>
      makeProof(with_, { htm: 'GET', htu: api }, { claims: { ath } });
    const dpop = async (value: string) => ({ proof: value, method: 'GET', url: api });
    await expect(
      server.tenant.verifyAccessToken(token, {
        audience: DPOP_API,
        dpop: await dpop(await proof()),
      }),
    ).resolves.toMatchObject({ cnf: { jkt } });
    await expect(
      server.tenant.verifyAccessToken(token, { audience: DPOP_API }),
    ).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(
      server.tenant.verifyAccessToken(token, {
        audience: DPOP_API,
        dpop: await dpop(await proof(await proofKey('ES256'))),
      }),
    ).rejects.toMatchObject({ code: 'invalid_token' });
    const unbound = (await post(credentials(machine, DPOP_API))).json['access_token']!;
    await expect(
      server.tenant.verifyAccessToken(unbound, {
        audience: DPOP_API,
        dpop: await dpop(await proof()),
      }),
    ).rejects.toMatchObject({ code: 'invalid_token' });
  });
});

describe('discovery and CORS', () => {
  it('advertises dpop_signing_alg_values_supported', async () => {
    const metadata = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata['dpop_signing_alg_values_supported']).toEqual(server.tenant.dpop.algorithms);
    expect(metadata['dpop_signing_alg_values_supported']).not.toContain('HS256');
  });
});
