/**
 * The checks of one DPoP proof (RFC 9449 §4.3), each refusal with its reason, against
 * proofs made by jose as a client library makes them.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROOF_ALGORITHM_NAMES } from '../../src/dpop/algorithms.js';
import { accessTokenThumbprint, verifyDpopProof } from '../../src/dpop/proof.js';
import { jwkThumbprint, checkPublicJwk } from '../../src/dpop/public-jwk.js';
import { PROOF_ALGORITHMS } from '../../src/dpop/algorithms.js';
import { calculateJwkThumbprint } from 'jose';
import { makeProof, proofKey, unsigned, type ProofKey } from './helpers.js';

const HTU = 'https://tenant.example.com/oauth/token';
const REQUEST = { htm: 'POST', htu: HTU };
const now = () => Math.floor(Date.now() / 1000);
const expected = (extra: Partial<Parameters<typeof verifyDpopProof>[1]> = {}) => ({
  method: 'POST',
  uris: [HTU],
  now: now(),
  maxAgeSeconds: 300,
  algorithms: PROOF_ALGORITHM_NAMES,
  ...extra,
});

let es256: ProofKey;
beforeAll(async () => {
  es256 = await proofKey('ES256');
});

async function refusal(proof: string, extra: Partial<Parameters<typeof verifyDpopProof>[1]> = {}) {
  try {
    await verifyDpopProof(proof, expected(extra));
  } catch (error) {
    return error as { code: string; reason: string; message: string };
  }
  throw new Error('the proof was accepted');
}

describe('verifyDpopProof: accepted proofs', () => {
  it.each([
    'ES256',
    'ES384',
    'ES512',
    'PS256',
    'PS384',
    'PS512',
    'RS256',
    'RS384',
    'RS512',
    'EdDSA',
  ])('accepts %s and answers the key thumbprint jose computes', async (alg) => {
    const key = await proofKey(alg);
    const verified = await verifyDpopProof(await makeProof(key, REQUEST), expected());
    expect(verified.jkt).toBe(await calculateJwkThumbprint(key.jwk, 'sha256'));
    expect(verified.alg).toBe(alg);
  });

  it('checks ath against the access token presented with the proof', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln';
    const ath = createHash('sha256').update(token).digest('base64url');
    expect(accessTokenThumbprint(token)).toBe(ath);
    const proof = await makeProof(es256, REQUEST, { claims: { ath } });
    await expect(verifyDpopProof(proof, expected({ accessToken: token }))).resolves.toMatchObject({
      jkt: await calculateJwkThumbprint(es256.jwk),
    });
    expect(await refusal(proof, { accessToken: `${token}x` })).toMatchObject({
      reason: 'ath_mismatch',
    });
    const without = await makeProof(es256, REQUEST);
    expect(await refusal(without, { accessToken: token })).toMatchObject({ reason: 'ath_missing' });
  });

  it('accepts an htu that differs only by normalisation, and ignores its query and fragment', async () => {
    for (const htu of [
      'HTTPS://Tenant.Example.COM:443/oauth/token',
      'https://tenant.example.com/oauth/%74oken',
      'https://tenant.example.com/oauth/./token?x=1#f',
    ]) {
      const proof = await makeProof(es256, { htm: 'POST', htu });
      await expect(verifyDpopProof(proof, expected())).resolves.toBeDefined();
    }
  });
});

describe('verifyDpopProof: refusals', () => {
  it('refuses a wrong typ', async () => {
    const proof = await makeProof(es256, REQUEST, { header: { typ: 'JWT' } });
    expect(await refusal(proof)).toMatchObject({ code: 'invalid_dpop_proof', reason: 'typ' });
  });

  it('refuses alg none, HS256 and algorithms outside the list', async () => {
    const none = unsigned(
      { typ: 'dpop+jwt', alg: 'none', jwk: es256.jwk },
      {
        jti: 'a',
        htm: 'POST',
        htu: HTU,
        iat: now(),
      },
    );
    expect(await refusal(none)).toMatchObject({ reason: 'alg' });
    const hs256 = await new SignJWT({ jti: 'b', htm: 'POST', htu: HTU, iat: now() })
      .setProtectedHeader({
        typ: 'dpop+jwt',
        alg: 'HS256',
        jwk: { kty: 'oct', k: 'c2VjcmV0' } as never,
      })
      .sign(new TextEncoder().encode('a secret of thirty-two bytes!!!!'));
    expect(await refusal(hs256)).toMatchObject({ reason: 'alg' });
    const proof = await makeProof(es256, REQUEST);
    expect(await refusal(proof, { algorithms: ['PS256'] })).toMatchObject({ reason: 'alg' });
  });

  it('refuses a jwk with private key material, whatever the kind of key', async () => {
    for (const alg of ['ES256', 'RS256', 'EdDSA']) {
      const key = await proofKey(alg);
      const proof = await makeProof(key, REQUEST, { header: { jwk: key.privateJwk } });
      const error = await refusal(proof);
      expect(error).toMatchObject({ reason: 'jwk_private' });
      expect(error.message).not.toContain(String(key.privateJwk.d));
    }
    const proof = await makeProof(es256, REQUEST, { header: { jwk: { ...es256.jwk, d: '' } } });
    expect(await refusal(proof)).toMatchObject({ reason: 'jwk_private' });
  });

  it('refuses a jwk of another kind than alg, a missing member, or a key that is not one', async () => {
    const rsa = await proofKey('RS256');
    expect(
      await refusal(await makeProof(es256, REQUEST, { header: { jwk: rsa.jwk } })),
    ).toMatchObject({ reason: 'jwk_kty' });
    expect(
      await refusal(
        await makeProof(es256, REQUEST, { header: { jwk: { ...es256.jwk, crv: 'P-384' } } }),
      ),
    ).toMatchObject({ reason: 'jwk_kty' });
    const { y: _y, ...noY } = es256.jwk;
    expect(await refusal(await makeProof(es256, REQUEST, { header: { jwk: noY } }))).toMatchObject({
      reason: 'jwk_members',
    });
    expect(
      await refusal(await makeProof(es256, REQUEST, { header: { jwk: undefined } })),
    ).toMatchObject({
      reason: 'jwk_missing',
    });
    const offCurve = { ...es256.jwk, x: Buffer.alloc(32, 7).toString('base64url') };
    expect(
      await refusal(await makeProof(es256, REQUEST, { header: { jwk: offCurve } })),
    ).toMatchObject({
      reason: 'jwk_invalid',
    });
  });

  it('refuses a signature by another key than the jwk', async () => {
    const other = await proofKey('ES256');
    const proof = await makeProof(other, REQUEST, { header: { jwk: es256.jwk } });
    expect(await refusal(proof)).toMatchObject({ reason: 'signature' });
  });

  it('refuses a wrong htm, compared exactly', async () => {
    for (const htm of ['GET', 'post', undefined]) {
      const proof = await makeProof(es256, REQUEST, { claims: { htm } });
      expect(await refusal(proof)).toMatchObject({ reason: 'htm' });
    }
  });

  it('refuses an htu of another endpoint, host, scheme or port, or with userinfo', async () => {
    for (const htu of [
      'https://tenant.example.com/userinfo',
      'https://attacker.example.com/oauth/token',
      'http://tenant.example.com/oauth/token',
      'https://tenant.example.com:8443/oauth/token',
      'https://user@tenant.example.com/oauth/token',
      'https://tenant.example.com/oauth/token/',
      'https://tenant.example.com/oauth%2Ftoken',
      '/oauth/token',
      42,
    ]) {
      const proof = await makeProof(es256, REQUEST, { claims: { htu } });
      expect(await refusal(proof), String(htu)).toMatchObject({ reason: 'htu' });
    }
  });

  it('refuses an iat older than the window or ahead of the clock, and a missing one', async () => {
    expect(await refusal(await makeProof(es256, REQUEST, { iat: now() - 301 }))).toMatchObject({
      reason: 'iat_stale',
    });
    expect(await refusal(await makeProof(es256, REQUEST, { iat: now() + 120 }))).toMatchObject({
      reason: 'iat_future',
    });
    expect(
      await refusal(await makeProof(es256, REQUEST, { claims: { iat: '1700000000' } })),
    ).toMatchObject({ reason: 'iat_missing' });
  });

  it('refuses a missing or overlong jti', async () => {
    for (const jti of [undefined, '', 'x'.repeat(257), 7]) {
      expect(await refusal(await makeProof(es256, REQUEST, { claims: { jti } }))).toMatchObject({
        reason: 'jti',
      });
    }
  });

  it('refuses what is not a compact JWS of JSON objects', async () => {
    const good = await makeProof(es256, REQUEST);
    const [h, p, s] = good.split('.');
    for (const bad of [
      'x',
      `${h}.${p}`,
      `${h}.${p}.${s}.x`,
      `${h}.${p}.${s}=`,
      `${h}.${Buffer.from('[1]').toString('base64url')}.${s}`,
      `${h}.${p}.`,
      'a'.repeat(9000),
    ]) {
      expect(await refusal(bad)).toMatchObject({ reason: 'proof_malformed' });
    }
    const crit = unsigned(
      { typ: 'dpop+jwt', alg: 'ES256', jwk: es256.jwk, crit: ['exp'], exp: 1 },
      { jti: 'c', htm: 'POST', htu: HTU, iat: now() },
    );
    expect(await refusal(crit)).toMatchObject({ reason: 'proof_malformed' });
  });
});

describe('public JWKs', () => {
  it('thumbprints EC, RSA and OKP keys as jose does, ignoring kid, use and alg', async () => {
    for (const alg of ['ES256', 'ES384', 'RS256', 'EdDSA']) {
      const key = await proofKey(alg);
      const checked = checkPublicJwk(
        { ...key.jwk, kid: 'k', use: 'sig', alg },
        PROOF_ALGORITHMS[alg]!,
      );
      expect(checked.ok).toBe(true);
      if (!checked.ok) continue;
      expect(jwkThumbprint(checked.jwk)).toBe(await calculateJwkThumbprint(key.jwk, 'sha256'));
    }
  });
});
