/**
 * Request objects (RFC 9101) as Auth0 accepts them, and a FAPI 1.0 compliance level's
 * narrower rules (PS256, nbf and exp within 60 minutes).
 */
import { createPublicKey } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  verifyRequestObject,
  type RequestObjectExpectations,
  type RequestObjectKey,
} from '../../src/jar/request-object.js';

const ISSUER = 'https://tenant.example.com/';
const CLIENT = 'client-1';
const now = Math.floor(Date.now() / 1000);

let rs256: { private: CryptoKey; key: RequestObjectKey };
let ps256: { private: CryptoKey; key: RequestObjectKey };

async function credential(alg: string, id: string) {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  return {
    private: pair.privateKey,
    key: { id, kid: id, alg, key: createPublicKey({ key: jwk as never, format: 'jwk' }) },
  };
}

beforeAll(async () => {
  rs256 = await credential('RS256', 'cred_rs');
  ps256 = await credential('PS256', 'cred_ps');
});

const expected = (extra: Partial<RequestObjectExpectations> = {}): RequestObjectExpectations => ({
  clientId: CLIENT,
  issuer: ISSUER,
  keys: [rs256.key, ps256.key],
  now,
  ...extra,
});

function sign(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  signer = rs256,
) {
  return new SignJWT({
    iss: CLIENT,
    aud: ISSUER,
    client_id: CLIENT,
    response_type: 'code',
    scope: 'openid',
    ...claims,
  })
    .setProtectedHeader({ alg: signer.key.alg, typ: 'oauth-authz-req+jwt', ...header })
    .sign(signer.private);
}

async function reason(jwt: string, extra: Partial<RequestObjectExpectations> = {}) {
  try {
    await verifyRequestObject(jwt, expected(extra));
  } catch (error) {
    return (error as { code: string; reason: string }).reason;
  }
  return 'accepted';
}

describe('verifyRequestObject', () => {
  it('answers the parameters as strings, without the JWT claims', async () => {
    const verified = await verifyRequestObject(
      await sign({ max_age: 60, jti: 'j1', nbf: now, exp: now + 60, extra: { a: 1 } }),
      expected(),
    );
    expect(verified).toMatchObject({ jti: 'j1', exp: now + 60, credentialId: 'cred_rs' });
    expect(verified.params).toEqual({
      client_id: CLIENT,
      response_type: 'code',
      scope: 'openid',
      max_age: '60',
      extra: '{"a":1}',
    });
  });

  it('accepts typ jwt in any case, and refuses another or none', async () => {
    expect(await reason(await sign({}, { typ: 'JWT' }))).toBe('accepted');
    expect(await reason(await sign({}, { typ: 'at+jwt' }))).toBe('typ');
    expect(await reason(await sign({}, { typ: undefined }))).toBe('typ');
  });

  it('refuses algorithms Auth0 does not accept, and a key of another algorithm', async () => {
    const es = await credential('ES256', 'cred_es');
    expect(await reason(await sign({}, {}, es), { keys: [es.key] })).toBe('alg');
    expect(await reason(await sign(), { keys: [ps256.key] })).toBe('unknown_key');
  });

  it('uses the credential kid names, and only that one', async () => {
    expect(await reason(await sign({}, { kid: 'cred_rs' }))).toBe('accepted');
    expect(await reason(await sign({}, { kid: 'cred_ps' }))).toBe('unknown_key');
    expect(await reason(await sign({}, { kid: 'nope' }))).toBe('unknown_key');
  });

  it('checks iss, aud (string or array) and client_id', async () => {
    expect(await reason(await sign({ aud: [ISSUER, 'x'] }))).toBe('accepted');
    expect(await reason(await sign({ aud: 'https://tenant.example.com' }))).toBe('aud');
    expect(await reason(await sign({ iss: 'other' }))).toBe('iss');
    expect(await reason(await sign({ client_id: undefined }))).toBe('client_id');
  });

  it('checks exp, nbf and iat when present, with 30 s of tolerance', async () => {
    expect(await reason(await sign({ exp: now - 31 }))).toBe('exp');
    expect(await reason(await sign({ exp: now - 29 }))).toBe('accepted');
    expect(await reason(await sign({ nbf: now + 31 }))).toBe('nbf');
    expect(await reason(await sign({ iat: now + 31 }))).toBe('iat');
    expect(await reason(await sign({ exp: '1' }))).toBe('exp');
  });

  it('limits jti to 64 bytes', async () => {
    expect(await reason(await sign({ jti: 'é'.repeat(32) }))).toBe('accepted');
    expect(await reason(await sign({ jti: 'é'.repeat(33) }))).toBe('jti');
    expect(await reason(await sign({ jti: '' }))).toBe('jti');
  });

  it('refuses a nested request or request_uri, crit, and what is not a JWS', async () => {
    expect(await reason(await sign({ request: 'x' }))).toBe('nested');
    expect(await reason(await sign({ request_uri: 'urn:x' }))).toBe('nested');
    expect(await reason('a.b.c.d.e')).toBe('malformed');
    expect(await reason('x'.repeat(40_000))).toBe('malformed');
  });

  it('applies a FAPI 1.0 level: PS256 only, nbf and exp required within 60 minutes', async () => {
    const strict = { strict: { algorithms: ['PS256'], maxAgeSeconds: 3600 } };
    const good = { nbf: now - 10, exp: now + 300 };
    expect(await reason(await sign(good, {}, ps256), strict)).toBe('accepted');
    expect(await reason(await sign(good), strict)).toBe('alg');
    expect(await reason(await sign({ exp: now + 300 }, {}, ps256), strict)).toBe('lifetime');
    expect(await reason(await sign({ nbf: now - 3601, exp: now + 10 }, {}, ps256), strict)).toBe(
      'lifetime',
    );
    expect(await reason(await sign({ nbf: now, exp: now + 3601 }, {}, ps256), strict)).toBe(
      'lifetime',
    );
  });
});
