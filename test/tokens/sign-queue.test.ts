import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signJwt } from '../../src/tokens/jwt.js';
import type { SigningKey } from '../../src/tokens/signing-keys.js';
import { ISSUER, NOW, ringWith } from './fixtures.js';

const claims = (i: number) => ({
  iss: ISSUER,
  aud: 'api',
  sub: `user-${i}`,
  iat: NOW,
  exp: NOW + 60,
});

describe('signatures handed to the threadpool in batches', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs many at once, each token with its own claims, all verifiable', async () => {
    const ring = await ringWith('RS256');
    const tokens = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signJwt({ typ: 'JWT' }, claims(i), ring.active)),
    );
    const keys = createLocalJWKSet(ring.jwks());
    for (const [i, token] of tokens.entries()) {
      const { payload } = await jwtVerify(token, keys, { currentDate: new Date(NOW * 1000) });
      expect(payload.sub).toBe(`user-${i}`);
    }
  });

  it('never waits on a faked timer: one at a time, or several released by completions', async () => {
    const ring = await ringWith('ES256');
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'Date'] });
    await expect(signJwt({}, claims(0), ring.active)).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const several = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signJwt({}, claims(i), ring.active)),
    );
    expect(new Set(several).size).toBe(8);
  });

  it('goes on after a signature that fails', async () => {
    const ring = await ringWith('RS256');
    // A public key cannot sign: crypto.sign refuses it.
    const broken = { ...ring.active, privateKey: ring.active.publicKey } as unknown as SigningKey;
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'Date'] });
    const outcomes = await Promise.allSettled([
      signJwt({}, claims(1), ring.active),
      signJwt({}, claims(2), broken),
      signJwt({}, claims(3), ring.active),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    await expect(signJwt({}, claims(4), ring.active)).resolves.toBeTypeOf('string');
  });
});
