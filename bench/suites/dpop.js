// @ts-check
/* global URLSearchParams, Request, Buffer */
/**
 * DPoP (RFC 9449): `POST /oauth/token` with client_credentials through `createProvider` on
 * a MemoryStore, for an API whose `proof_of_possession.mechanism` is `dpop`: with a fresh
 * ES256 proof per request (the token is bound, `token_type: DPoP`), against the same
 * request without a proof (a Bearer token), 64 requests in flight, measured in the same
 * run. The DPoP line includes making the proof (one ES256 signature with node:crypto) and
 * everything the server adds: parsing and verifying the proof, the jti kept once in
 * the store, the thumbprint in `cnf.jkt`. Issue #30's goal: at least 0.5x.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { MemoryStore, Tenant, generateSigningKey } from '../../dist/index.js';
import { createProvider } from '../../dist/http/index.js';
import { atLeast, measure } from '../harness.js';

const IN_FLIGHT = 64;
const API = 'https://dpop.example.test/';
const TOKEN_URL = 'https://id.example.com/oauth/token';

/** @param {unknown} value */
const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** @param {() => Promise<unknown>} one */
const inFlight = (one) => () => Promise.all(Array.from({ length: IN_FLIGHT }, one));

export default async function dpop() {
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store: new MemoryStore(),
    signingKeys: [await generateSigningKey('RS256')],
  });
  await tenant.apis.create({
    identifier: API,
    name: 'DPoP API',
    scopes: [{ value: 'read' }],
    proof_of_possession: { mechanism: 'dpop', required: false },
  });
  const client = await tenant.clients.create({
    name: 'Bench M2M',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
  });
  await tenant.apis.grant({ client_id: client.client_id, audience: API, scope: ['read'] });
  const handler = createProvider(tenant);
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.client_id,
    client_secret: client.client_secret ?? '',
    audience: API,
  }).toString();
  // The client signs with node:crypto (a fast client): the line measures what DPoP costs
  // the server, not a client library's WebCrypto round trips.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const header = encode({ typ: 'dpop+jwt', alg: 'ES256', jwk });
  const proof = () => {
    const claims = {
      jti: randomUUID(),
      htm: 'POST',
      htu: TOKEN_URL,
      iat: Math.floor(Date.now() / 1000),
    };
    const input = `${header}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${input}.${signature.toString('base64url')}`;
  };

  /** @param {string} expectedType @param {string | undefined} dpopProof */
  const token = async (expectedType, dpopProof) => {
    /** @type {Record<string, string>} */
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    if (dpopProof !== undefined) headers['dpop'] = dpopProof;
    const response = await handler(new Request(TOKEN_URL, { method: 'POST', headers, body }));
    const json = /** @type {{ token_type?: string }} */ (await response.json());
    if (response.status !== 200 || json.token_type !== expectedType) {
      throw new Error(`token request failed: ${response.status} ${JSON.stringify(json)}`);
    }
  };
  const result = await measure(
    {
      bound: inFlight(() => token('DPoP', proof())),
      bearer: inFlight(() => token('Bearer', undefined)),
    },
    { batch: IN_FLIGHT, time: 1500, warmupTime: 300 },
  );
  await tenant.close();
  return [
    atLeast({
      line: `/oauth/token client_credentials with a DPoP proof (bound token, proof made per request), ${IN_FLIGHT} in flight`,
      ops: result.bound ?? NaN,
      baseline: 'the same request without DPoP (Bearer), same run',
      baselineOps: result.bearer ?? NaN,
      atLeast: 0.5,
    }),
  ];
}
