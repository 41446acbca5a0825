// @ts-check
/* global URLSearchParams, Request */
/**
 * Provider: `POST /oauth/token` with the refresh_token grant through `createProvider` on
 * a MemoryStore (form parsing, client authentication, the refresh-token lookup in the
 * store, one RS256 access token, the JSON response), 64 requests in flight, against
 * `tenant.issueIdToken` RS256 at the same concurrency. The grant is for an API without
 * `openid`, so each refresh signs one token, as an API client's refresh does.
 */
import { createHash } from 'node:crypto';
import { MemoryStore, Tenant, generateSigningKey } from '../../dist/index.js';
import { createProvider } from '../../dist/http/index.js';
import { atLeast, measure } from '../harness.js';

const IN_FLIGHT = 64;
const API = 'https://api.example.test/';
const CALLBACK = 'https://app.example.com/callback';
const VERIFIER = 'bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';

/** @param {() => Promise<unknown>} one */
const inFlight = (one) => () => Promise.all(Array.from({ length: IN_FLIGHT }, one));

export default async function provider() {
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store: new MemoryStore(),
    signingKeys: [await generateSigningKey('RS256')],
  });
  await tenant.apis.create({ identifier: API, name: 'API', scopes: [{ value: 'read:reports' }] });
  const client = await tenant.clients.create({
    name: 'Bench SPA',
    app_type: 'spa',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring' },
  });
  const handler = createProvider(tenant);
  const code = await tenant.authorization.issueCode({
    clientId: client.client_id,
    redirectUri: CALLBACK,
    codeChallenge: createHash('sha256').update(VERIFIER).digest('base64url'),
    scope: ['offline_access', 'read:reports'],
    audience: API,
    sub: 'auth0|bench',
  });
  const { refresh_token } = await tenant.authorization.exchangeCode(client, {
    code,
    redirectUri: CALLBACK,
    codeVerifier: VERIFIER,
  });
  if (refresh_token === undefined) throw new Error('no refresh token issued');
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: client.client_id,
    refresh_token,
  }).toString();
  const refresh = async () => {
    const response = await handler(
      new Request('https://id.example.com/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    if (response.status !== 200) throw new Error(`refresh failed: ${await response.text()}`);
    await response.arrayBuffer();
  };
  const idToken = () => tenant.issueIdToken(client.client_id, { sub: 'auth0|bench' });
  const result = await measure(
    { refresh: inFlight(refresh), idToken: inFlight(idToken) },
    { batch: IN_FLIGHT, time: 1500, warmupTime: 300 },
  );
  await tenant.close();
  return [
    atLeast({
      line: `/oauth/token refresh_token grant (createProvider, MemoryStore), ${IN_FLIGHT} in flight`,
      ops: result.refresh ?? NaN,
      baseline: 'tenant.issueIdToken RS256, same concurrency',
      baselineOps: result.idToken ?? NaN,
      atLeast: 0.3,
    }),
  ];
}
