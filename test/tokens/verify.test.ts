import { constants, createHmac, sign } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidTokenError } from '../../src/errors.js';
import { createHmacSigner, signJwt } from '../../src/tokens/jwt.js';
import { KeyRing } from '../../src/tokens/key-ring.js';
import { retireSigningKey, rotateSigningKeys } from '../../src/tokens/signing-keys.js';
import { MAX_TOKEN_LENGTH, verifyJwt } from '../../src/tokens/verify.js';
import { ISSUER, NOW, recordFor, ringWith } from './fixtures.js';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef-hmac');
const CLAIMS = { iss: ISSUER, aud: 'client', sub: 'user', iat: NOW, exp: NOW + 60 };
const OPTIONS = { issuer: ISSUER, audience: 'client', now: NOW };

const b64u = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS with any header, signed by `signature(signingInput)`. */
function craft(header: object, payload: object, signature: (input: Buffer) => Buffer): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${signature(Buffer.from(input)).toString('base64url')}`;
}

/** The InvalidTokenError message a verification rejects with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as Error).cause).toBeUndefined();
    return (error as Error).message;
  }
  throw new Error('expected verification to fail');
}

describe('verifyJwt with a key ring', () => {
  it('returns the payload of a valid token', async () => {
    const ring = await ringWith('RS256');
    const token = await signJwt({ typ: 'JWT' }, CLAIMS, ring.active);
    expect(await verifyJwt(token, { ...OPTIONS, keyRing: ring })).toEqual(CLAIMS);
  });

  it('accepts an aud array that contains the audience', async () => {
    const ring = await ringWith('ES256');
    const token = await signJwt({}, { ...CLAIMS, aud: ['x', 'client'] }, ring.active);
    expect((await verifyJwt(token, { ...OPTIONS, keyRing: ring })).aud).toEqual(['x', 'client']);
  });

  it.each([
    ['expired', { exp: NOW }, 'token has expired'],
    ['for another audience', { aud: 'other' }, 'token audience does not match'],
    [
      'from another issuer',
      { iss: 'https://evil.example.com/' },
      'token issuer is not this tenant',
    ],
    ['not valid yet', { nbf: NOW + 30 }, 'token is not valid yet (nbf)'],
    ['without exp', { exp: undefined }, 'token has no "exp" claim'],
    ['without sub', { sub: undefined }, 'token has no "sub" claim'],
    ['without iat', { iat: undefined }, 'token has no "iat" claim'],
    ['with a string exp', { exp: String(NOW + 60) }, 'token exp is not a valid time'],
  ])('refuses a token %s', async (_name, change, message) => {
    const ring = await ringWith('RS256');
    const token = await signJwt({ typ: 'JWT' }, { ...CLAIMS, ...change }, ring.active);
    expect(await failure(verifyJwt(token, { ...OPTIONS, keyRing: ring }))).toBe(message);
  });

  it('accepts an expired token within the clock tolerance', async () => {
    const ring = await ringWith('RS256');
    const token = await signJwt({}, CLAIMS, ring.active);
    const late = { ...OPTIONS, now: NOW + 65, keyRing: ring };
    expect(await failure(verifyJwt(token, late))).toBe('token has expired');
    await expect(verifyJwt(token, { ...late, clockToleranceSeconds: 10 })).resolves.toEqual(CLAIMS);
  });

  it('refuses a tampered payload and a tampered signature', async () => {
    const ring = await ringWith('ES256');
    const [h, , s] = (await signJwt({}, CLAIMS, ring.active)).split('.');
    const forged = `${h}.${b64u({ ...CLAIMS, sub: 'admin' })}.${s}`;
    expect(await failure(verifyJwt(forged, { ...OPTIONS, keyRing: ring }))).toBe(
      'token signature is invalid',
    );
    const flipped = `${h}.${b64u(CLAIMS)}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
    expect(await failure(verifyJwt(flipped, { ...OPTIONS, keyRing: ring }))).toBe(
      'token signature is invalid',
    );
  });

  it('refuses unknown and missing kids', async () => {
    const ring = await ringWith('RS256');
    const other = new KeyRing([await rotateSigningKeys([], 'RS256').then((r) => r[0]!)]);
    const token = await signJwt({}, CLAIMS, other.active);
    expect(await failure(verifyJwt(token, { ...OPTIONS, keyRing: ring }))).toBe(
      'token kid names no tenant signing key',
    );
    const noKid = craft({ alg: 'RS256' }, CLAIMS, (input) =>
      sign('sha256', input, ring.active.privateKey),
    );
    expect(await failure(verifyJwt(noKid, { ...OPTIONS, keyRing: ring }))).toBe(
      'token header has no kid',
    );
  });

  it('refuses alg none', async () => {
    const ring = await ringWith('RS256');
    const token = `${b64u({ alg: 'none', kid: ring.active.kid })}.${b64u(CLAIMS)}.`;
    expect(await failure(verifyJwt(token, { ...OPTIONS, keyRing: ring }))).toBe(
      'token alg is not accepted for this key',
    );
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const ring = await ringWith('RS256');
    const pem = ring.active.publicKey.export({ type: 'spki', format: 'pem' });
    const token = craft({ alg: 'HS256', kid: ring.active.kid }, CLAIMS, (input) =>
      createHmac('sha256', pem).update(input).digest(),
    );
    expect(await failure(verifyJwt(token, { ...OPTIONS, keyRing: ring }))).toBe(
      'token alg is not accepted for this key',
    );
  });

  it("refuses a valid signature under an algorithm other than the key's (PS256 with an RS256 key)", async () => {
    const ring = await ringWith('RS256');
    const token = craft({ alg: 'PS256', kid: ring.active.kid }, CLAIMS, (input) =>
      sign('sha256', input, {
        key: ring.active.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }),
    );
    expect(await failure(verifyJwt(token, { ...OPTIONS, keyRing: ring }))).toBe(
      'token alg is not the alg of its key',
    );
  });

  it('honours a narrower algorithm list', async () => {
    const ring = await ringWith('RS256');
    const token = await signJwt({}, CLAIMS, ring.active);
    expect(
      await failure(verifyJwt(token, { ...OPTIONS, keyRing: ring, algorithms: ['ES256'] })),
    ).toBe('token alg is not accepted for this key');
  });

  it('keeps verifying a rotated-out key until it is retired', async () => {
    const old = await recordFor('RS256');
    const token = await signJwt({}, CLAIMS, new KeyRing([old]).active);
    const rotated = await rotateSigningKeys([old], 'RS256');
    await expect(verifyJwt(token, { ...OPTIONS, keyRing: new KeyRing(rotated) })).resolves.toEqual(
      CLAIMS,
    );
    const retired = new KeyRing(retireSigningKey(rotated, old.kid));
    expect(await failure(verifyJwt(token, { ...OPTIONS, keyRing: retired }))).toBe(
      'token kid names no tenant signing key',
    );
  });

  it.each([
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['an empty string', ''],
    ['a non-JSON header', `${Buffer.from('nope').toString('base64url')}.e30.`],
    ['a JSON array payload', `${b64u({ alg: 'RS256', kid: 'x' })}.${b64u([1])}.AAAA`],
  ])('refuses %s as InvalidTokenError', async (_name, token) => {
    const ring = await ringWith('RS256');
    await failure(verifyJwt(token, { ...OPTIONS, keyRing: ring }));
  });

  it('refuses non-strings and overlong tokens before parsing', async () => {
    const ring = await ringWith('RS256');
    expect(await failure(verifyJwt(42 as never, { ...OPTIONS, keyRing: ring }))).toBe(
      'token must be a string',
    );
    expect(
      await failure(verifyJwt('a'.repeat(MAX_TOKEN_LENGTH + 1), { ...OPTIONS, keyRing: ring })),
    ).toMatch(/longer than/);
  });
});

describe('verifyJwt with an HMAC key', () => {
  it('verifies HS256 with bytes or the signer KeyObject, and nothing else', async () => {
    const signer = createHmacSigner(SECRET);
    const token = await signJwt({}, CLAIMS, signer);
    await expect(verifyJwt(token, { ...OPTIONS, hmacKey: SECRET })).resolves.toEqual(CLAIMS);
    await expect(verifyJwt(token, { ...OPTIONS, hmacKey: signer.key })).resolves.toEqual(CLAIMS);
    const other = Buffer.from(`${SECRET.toString()}x`);
    expect(await failure(verifyJwt(token, { ...OPTIONS, hmacKey: other }))).toBe(
      'token signature is invalid',
    );
    const ring = await ringWith('RS256');
    const rs = await signJwt({}, CLAIMS, ring.active);
    expect(await failure(verifyJwt(rs, { ...OPTIONS, hmacKey: SECRET }))).toBe(
      'token alg is not accepted for this key',
    );
  });

  it('never puts the secret, the token or its claims in the error', async () => {
    const token = await signJwt(
      {},
      { ...CLAIMS, email: 'jane@example.com' },
      createHmacSigner(SECRET),
    );
    try {
      await verifyJwt(token, { ...OPTIONS, audience: 'other', hmacKey: SECRET });
      throw new Error('expected a failure');
    } catch (error) {
      const shown = `${inspect(error, { depth: 5, showHidden: true })} ${JSON.stringify(error)}`;
      for (const secret of [SECRET.toString(), token, 'jane@example.com'])
        expect(shown).not.toContain(secret);
    }
  });
});

describe('verifyJwt options', () => {
  it('needs exactly one key source, an issuer and an audience', async () => {
    const ring = await ringWith('RS256');
    await expect(verifyJwt('x', OPTIONS)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      verifyJwt('x', { ...OPTIONS, keyRing: ring, hmacKey: SECRET }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(verifyJwt('x', { ...OPTIONS, issuer: '', keyRing: ring })).rejects.toMatchObject({
      path: '/issuer',
    });
    await expect(
      verifyJwt('x', { ...OPTIONS, audience: undefined as never, keyRing: ring }),
    ).rejects.toMatchObject({
      path: '/audience',
    });
    await expect(
      verifyJwt('x', { ...OPTIONS, keyRing: ring, now: Number.NaN }),
    ).rejects.toMatchObject({
      path: '/now',
    });
    await expect(
      verifyJwt('x', { ...OPTIONS, keyRing: ring, clockToleranceSeconds: -1 }),
    ).rejects.toMatchObject({ path: '/clockToleranceSeconds' });
    await expect(
      verifyJwt('x', { ...OPTIONS, keyRing: ring, algorithms: ['HS256' as never] }),
    ).rejects.toMatchObject({
      path: '/algorithms',
    });
  });
});
