import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { createHmacSigner, signJwt } from '../../src/tokens/jwt.js';
import { ALGS, ISSUER, NOW, ringWith } from './fixtures.js';
import { rfcVerify } from './rfc-verifier.js';

const SECRET = Buffer.from('a-very-long-hmac-secret-of-at-least-32-bytes');
const CLAIMS = { iss: ISSUER, aud: 'client', sub: 'user', iat: NOW, exp: NOW + 3600 };
const AT = new Date(NOW * 1000);

describe('signJwt with HS256', () => {
  it('makes a compact JWS that jose and the RFC verifier accept', async () => {
    const token = await signJwt({ typ: 'JWT' }, CLAIMS, createHmacSigner(SECRET));
    expect(token.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, SECRET, {
      issuer: ISSUER,
      audience: 'client',
      currentDate: AT,
    });
    expect(payload).toEqual(CLAIMS);
    expect(
      rfcVerify(token, { alg: 'HS256', key: SECRET, issuer: ISSUER, audience: 'client', now: NOW }),
    ).toEqual(CLAIMS);
  });

  it('is deterministic, and a different secret gives a different signature', async () => {
    const a = await signJwt({ typ: 'JWT' }, CLAIMS, createHmacSigner(SECRET));
    const b = await signJwt({ typ: 'JWT' }, CLAIMS, createHmacSigner(SECRET));
    const c = await signJwt(
      { typ: 'JWT' },
      CLAIMS,
      createHmacSigner(Buffer.from(`${SECRET.toString()}!`)),
    );
    expect(a).toBe(b);
    expect(c.split('.')[2]).not.toBe(a.split('.')[2]);
  });

  it('refuses secrets shorter than 32 bytes (RFC 7518 §3.2) and non-bytes', () => {
    expect(() => createHmacSigner(Buffer.alloc(31))).toThrow(InvalidArgumentError);
    expect(() => createHmacSigner('secret' as never)).toThrow(InvalidArgumentError);
    expect(() => createHmacSigner(Buffer.alloc(32))).not.toThrow();
  });
});

describe('signJwt with tenant keys', () => {
  it.each(ALGS)(
    'signs %s tokens that jose (createLocalJWKSet) and the RFC verifier accept',
    async (alg) => {
      const ring = await ringWith(alg);
      const token = await signJwt({ typ: 'JWT' }, CLAIMS, ring.active);
      expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'JWT', kid: ring.active.kid });
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(ring.jwks()), {
        issuer: ISSUER,
        audience: 'client',
        currentDate: AT,
        algorithms: [alg],
      });
      expect(payload).toEqual(CLAIMS);
      expect(protectedHeader.alg).toBe(alg);
      expect(
        rfcVerify(token, { alg, key: ring.jwks(), issuer: ISSUER, audience: 'client', now: NOW }),
      ).toEqual(CLAIMS);
    },
  );

  it('produces raw r||s ES256 signatures of 64 bytes', async () => {
    const ring = await ringWith('ES256');
    const token = await signJwt({}, CLAIMS, ring.active);
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64);
  });

  it('signs many tokens concurrently, each verifiable', async () => {
    const ring = await ringWith('PS256');
    const tokens = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        signJwt({ typ: 'JWT' }, { ...CLAIMS, n: i }, ring.active),
      ),
    );
    const jwks = createLocalJWKSet(ring.jwks());
    for (const [i, token] of tokens.entries()) {
      const { payload } = await jwtVerify(token, jwks, { currentDate: AT });
      expect(payload.n).toBe(i);
    }
  });
});

describe('signJwt input checks', () => {
  const signer = createHmacSigner(SECRET);

  it('takes alg and kid only from the signer', async () => {
    await expect(signJwt({ alg: 'none' } as never, CLAIMS, signer)).rejects.toMatchObject({
      path: '/header/alg',
    });
    await expect(signJwt({ kid: 'x' } as never, CLAIMS, signer)).rejects.toMatchObject({
      path: '/header/kid',
    });
  });

  it('caches headers per typ without mixing up the empty header and an empty typ', async () => {
    const empty = await signJwt({}, CLAIMS, signer);
    const emptyTyp = await signJwt({ typ: '' }, CLAIMS, signer);
    expect(decodeProtectedHeader(empty)).toEqual({ alg: 'HS256' });
    expect(decodeProtectedHeader(emptyTyp)).toEqual({ alg: 'HS256', typ: '' });
    expect(decodeProtectedHeader(await signJwt({}, CLAIMS, signer))).toEqual({ alg: 'HS256' });
  });

  it('keeps extra header members, encoding them each time', async () => {
    const token = await signJwt({ typ: 'logout+jwt', cty: 'x' }, CLAIMS, signer);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'logout+jwt', cty: 'x' });
    const again = await signJwt({ typ: 'JWT' }, CLAIMS, signer);
    expect(decodeProtectedHeader(again)).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it.each([
    ['a BigInt', { n: 1n }],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
    ['an array', [1, 2]],
    ['null', null],
    ['a toJSON that is not an object', { toJSON: () => 'text' }],
  ])('rejects a payload with %s as InvalidArgumentError', async (_name, payload) => {
    await expect(signJwt({}, payload as object, signer)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('rejects a header that is not an object', async () => {
    await expect(signJwt(null as never, CLAIMS, signer)).rejects.toMatchObject({ path: '/header' });
  });
});

describe('signJwt properties', () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const payloads = fc
    .dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 8 })
    .map((extra) => ({
      ...extra,
      ...CLAIMS,
    }));

  it('HS256 output always verifies with jose and the RFC verifier, payload unchanged', async () => {
    const signer = createHmacSigner(SECRET);
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const token = await signJwt({ typ: 'JWT' }, payload, signer);
        const { payload: verified } = await jwtVerify(token, SECRET, { currentDate: AT });
        expect(verified).toEqual(JSON.parse(JSON.stringify(payload)));
        rfcVerify(token, {
          alg: 'HS256',
          key: SECRET,
          issuer: ISSUER,
          audience: 'client',
          now: NOW,
        });
      }),
      { numRuns: 300 },
    );
  });

  it.each(ALGS)('%s output always verifies with jose for random payloads', async (alg) => {
    const ring = await ringWith(alg);
    const jwks = createLocalJWKSet(ring.jwks());
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const token = await signJwt({ typ: 'JWT' }, payload, ring.active);
        const { payload: verified } = await jwtVerify(token, jwks, {
          currentDate: AT,
          algorithms: [alg],
        });
        expect(verified).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
      { numRuns: alg === 'ES256' ? 100 : 30 },
    );
  });
});
