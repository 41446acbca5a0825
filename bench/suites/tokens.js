// @ts-check
/**
 * Tokens: ID-token issuance (HS256, RS256, ES256) with 64 tokens in flight against jose
 * `SignJWT` at the same concurrency and against the raw-HMAC floor, and token-endpoint
 * client authentication against one `createHmac` + `timingSafeEqual`.
 *
 * "64 in flight": each iteration starts 64 operations and awaits them all, so ops = 64
 * per iteration. Asymmetric signatures run on the libuv threadpool (`crypto.sign` with a
 * callback, and WebCrypto for jose), so both sides may use every core.
 */
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { KeyRing, generateSigningKey } from '../../dist/index.js';
import { authenticateClientRequest } from '../../dist/tokens/client-auth.js';
import { IdTokenSigner } from '../../dist/tokens/id-token-signer.js';
import { atLeast, measure } from '../harness.js';

const IN_FLIGHT = 64;
const ISSUER = 'https://tenant.example.com/';
const CLIENT_ID = 'Zx1Yw2Xv3Wu4Vt5Us6Tr7Sq8Rp9Qo0Pn';
const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';
const CLAIMS = {
  sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
  nonce: 'n-0S6_WzA2Mj',
  email: 'jane.doe@example.com',
  email_verified: true,
  name: 'Jane Doe',
};

/** @param {() => Promise<unknown>} one */
const inFlight = (one) => () => Promise.all(Array.from({ length: IN_FLIGHT }, one));

/** The payload jose and the floor sign: the same claims issueIdToken produces. */
function payload() {
  const iat = Math.floor(Date.now() / 1000);
  const { sub, ...rest } = CLAIMS;
  return { iss: ISSUER, sub, aud: CLIENT_ID, iat, exp: iat + 36000, ...rest };
}

async function issuance() {
  const signer = new IdTokenSigner({ issuer: ISSUER });
  const ring = new KeyRing([await generateSigningKey('RS256'), await generateSigningKey('ES256')]);
  const hsClient = {
    client_id: CLIENT_ID,
    client_secret: SECRET,
    jwt_configuration: { alg: 'HS256', lifetime_in_seconds: 36000 },
  };
  /** @param {'RS256' | 'ES256'} alg */
  const client = (alg) => ({ client_id: CLIENT_ID, jwt_configuration: { alg } });
  const secretBytes = new Uint8Array(Buffer.from(SECRET));
  /** @param {'RS256' | 'ES256'} alg */
  const joseKey = async (alg) => {
    const key = ring.activeFor(alg);
    if (!key) throw new Error(`no ${alg} key`);
    const record = ring.records.find((r) => r.kid === key.kid);
    if (!record) throw new Error('no record');
    return { kid: key.kid, key: await importJWK({ ...record.privateJwk }, alg) };
  };
  const rs = await joseKey('RS256');
  const es = await joseKey('ES256');
  const hsHeader = { alg: 'HS256', typ: 'JWT' };
  const secretKey = Buffer.from(SECRET);

  const hs = await measure(
    {
      ours: inFlight(() => signer.issue(hsClient, CLAIMS, undefined)),
      // Naive: a Uint8Array secret makes jose import a WebCrypto key on every call.
      jose: inFlight(() => new SignJWT(payload()).setProtectedHeader(hsHeader).sign(secretBytes)),
      floor: () => {
        for (let i = 0; i < IN_FLIGHT; i++) {
          const input = `${Buffer.from(JSON.stringify(hsHeader)).toString('base64url')}.${Buffer.from(JSON.stringify(payload())).toString('base64url')}`;
          createHmac('sha256', secretKey).update(input).digest('base64url');
        }
      },
    },
    { batch: IN_FLIGHT },
  );
  /** @param {'RS256' | 'ES256'} alg @param {{ kid: string, key: import('jose').CryptoKey | Uint8Array }} jose */
  const asymmetric = (alg, jose) =>
    measure(
      {
        ours: inFlight(() => signer.issue(client(alg), CLAIMS, ring)),
        jose: inFlight(() =>
          new SignJWT(payload())
            .setProtectedHeader({ alg, typ: 'JWT', kid: jose.kid })
            .sign(jose.key),
        ),
      },
      { batch: IN_FLIGHT, time: 1500, warmupTime: 300 },
    );
  const rsr = await asymmetric('RS256', rs);
  const esr = await asymmetric('ES256', es);
  return [
    atLeast({
      line: `issueIdToken HS256, ${IN_FLIGHT} in flight`,
      ops: hs.ours ?? NaN,
      baseline: 'jose SignJWT, key imported per call',
      baselineOps: hs.jose ?? NaN,
      atLeast: 2,
    }),
    atLeast({
      line: `issueIdToken HS256, ${IN_FLIGHT} in flight`,
      ops: hs.ours ?? NaN,
      baseline: 'raw createHmac floor (JSON + base64url)',
      baselineOps: hs.floor ?? NaN,
      atLeast: 0.3,
    }),
    atLeast({
      line: `issueIdToken RS256, ${IN_FLIGHT} in flight`,
      ops: rsr.ours ?? NaN,
      baseline: 'jose SignJWT, pre-imported key',
      baselineOps: rsr.jose ?? NaN,
      atLeast: 0.8,
    }),
    atLeast({
      line: `issueIdToken ES256, ${IN_FLIGHT} in flight`,
      ops: esr.ours ?? NaN,
      baseline: 'jose SignJWT, pre-imported key',
      baselineOps: esr.jose ?? NaN,
      atLeast: 0.8,
    }),
  ];
}

async function authentication() {
  const clients = new Map(
    [
      {
        client_id: 'post-client',
        token_endpoint_auth_method: 'client_secret_post',
        client_secret: SECRET,
      },
      {
        client_id: 'basic-client',
        token_endpoint_auth_method: 'client_secret_basic',
        client_secret: SECRET,
      },
    ].map((c) => [c.client_id, c]),
  );
  /** @param {string} id */
  const lookup = async (id) => clients.get(id);
  const post = {
    body: { grant_type: 'client_credentials', client_id: 'post-client', client_secret: SECRET },
  };
  const basic = {
    authorization: `Basic ${Buffer.from(`basic-client:${SECRET}`).toString('base64')}`,
    body: { grant_type: 'client_credentials' },
  };
  const stored = createHmac('sha256', 'k').update(SECRET).digest();
  const r = await measure(
    {
      post: inFlight(() => authenticateClientRequest(post, lookup)),
      basic: inFlight(() => authenticateClientRequest(basic, lookup)),
      hmac: () => {
        for (let i = 0; i < IN_FLIGHT; i++) {
          timingSafeEqual(createHmac('sha256', 'k').update(SECRET).digest(), stored);
        }
      },
    },
    { batch: IN_FLIGHT },
  );
  return ['post', 'basic'].map((name) =>
    atLeast({
      line: `authenticateClient client_secret_${name}, valid`,
      ops: r[name] ?? NaN,
      baseline: 'one createHmac + timingSafeEqual',
      baselineOps: r.hmac ?? NaN,
      atLeast: 0.3,
    }),
  );
}

export default async function tokens() {
  return [...(await issuance()), ...(await authentication())];
}
