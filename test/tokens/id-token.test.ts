import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidTokenError } from '../../src/errors.js';
import {
  RESERVED_ID_TOKEN_CLAIMS,
  buildIdTokenClaims,
  deriveHs256Key,
} from '../../src/tokens/id-token.js';
import { IdTokenSigner, type IdTokenClient } from '../../src/tokens/id-token-signer.js';
import { KeyRing } from '../../src/tokens/key-ring.js';
import { ALGS, CLIENT_ID, CLIENT_SECRET, ISSUER, NOW, recordFor, ringWith } from './fixtures.js';
import { rfcVerify } from './rfc-verifier.js';

const BASE = { issuer: ISSUER, clientId: CLIENT_ID, lifetimeSeconds: 3600, now: NOW };
const AT = new Date(NOW * 1000);

/** The InvalidArgumentError `fn` throws; fails the test when it throws nothing. */
function argumentError(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('buildIdTokenClaims', () => {
  it('sets iss, sub, aud, iat, exp, nonce, then the extra claims', () => {
    const claims = buildIdTokenClaims({
      ...BASE,
      claims: { sub: 'auth0|42', nonce: 'n-0S6', email: 'jane@example.com', amr: ['pwd'] },
    });
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'auth0|42',
      aud: CLIENT_ID,
      iat: NOW,
      exp: NOW + 3600,
      nonce: 'n-0S6',
      email: 'jane@example.com',
      amr: ['pwd'],
    });
    expect(Object.keys(claims).slice(0, 6)).toEqual(['iss', 'sub', 'aud', 'iat', 'exp', 'nonce']);
  });

  it('omits nonce when not given, and defaults the lifetime to 36000 s and now to the clock', () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = buildIdTokenClaims({
      issuer: ISSUER,
      clientId: CLIENT_ID,
      claims: { sub: 'u' },
    });
    expect(claims).not.toHaveProperty('nonce');
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp - claims.iat).toBe(36_000);
  });

  it.each(Object.keys(RESERVED_ID_TOKEN_CLAIMS))(
    'refuses the reserved claim %s at its pointer',
    (claim) => {
      const error = argumentError(() =>
        buildIdTokenClaims({ ...BASE, claims: { sub: 'u', [claim]: 'x' } }),
      );
      expect(error.path).toBe(`/claims/${claim}`);
      expect(error.message).toMatch(new RegExp(`^/claims/${claim} is reserved`));
    },
  );

  it('reserves exactly iss, aud, azp, iat, exp and nbf', () => {
    expect(Object.keys(RESERVED_ID_TOKEN_CLAIMS).sort()).toEqual(
      ['aud', 'azp', 'exp', 'iat', 'iss', 'nbf'].sort(),
    );
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a number', 42],
    ['256 characters', 'x'.repeat(256)],
  ])('refuses a sub that is %s', (_name, sub) => {
    expect(
      argumentError(() => buildIdTokenClaims({ ...BASE, claims: { sub } as never })).path,
    ).toBe('/claims/sub');
  });

  it('accepts a sub of 255 characters', () => {
    expect(buildIdTokenClaims({ ...BASE, claims: { sub: 'x'.repeat(255) } }).sub).toHaveLength(255);
  });

  it.each([
    ['nonce', 7],
    ['nonce', ''],
    ['auth_time', '1700000000'],
    ['auth_time', 1.5],
    ['auth_time', -1],
    ['acr', 1],
    ['amr', 'pwd'],
    ['amr', ['pwd', 1]],
    ['at_hash', {}],
    ['c_hash', 1],
    ['sid', null],
    ['jti', ''],
  ])('refuses %s = %j (OIDC claim types)', (claim, value) => {
    expect(
      argumentError(() => buildIdTokenClaims({ ...BASE, claims: { sub: 'u', [claim]: value } }))
        .path,
    ).toBe(`/claims/${claim}`);
  });

  it('keeps a __proto__ claim as an ordinary claim without touching the prototype', () => {
    const claims = buildIdTokenClaims({
      ...BASE,
      claims: JSON.parse('{"sub":"u","__proto__":{"iss":"evil"}}') as { sub: string },
    });
    expect(claims.iss).toBe(ISSUER);
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(claims)).__proto__).toEqual({ iss: 'evil' });
  });

  it.each([
    ['/issuer', { issuer: '' }],
    ['/clientId', { clientId: undefined }],
    ['/lifetimeSeconds', { lifetimeSeconds: 0 }],
    ['/lifetimeSeconds', { lifetimeSeconds: 2_592_001 }],
    ['/lifetimeSeconds', { lifetimeSeconds: 1.5 }],
    ['/now', { now: -1 }],
    ['/now', { now: 1.5 }],
    ['/claims', { claims: null }],
    ['/claims', { claims: [] }],
  ])('refuses a bad argument at %s', (path, change) => {
    const input = { ...BASE, claims: { sub: 'u' }, ...change };
    expect(argumentError(() => buildIdTokenClaims(input as never)).path).toBe(path);
  });

  it('never lets a caller override a reserved claim (property)', () => {
    const reserved = fc.constantFrom(...Object.keys(RESERVED_ID_TOKEN_CLAIMS));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
        reserved,
        fc.jsonValue({ maxDepth: 1 }),
        (extra, claim, value) => {
          const claims = { ...extra, sub: 'u', [claim]: value };
          expect(() => buildIdTokenClaims({ ...BASE, claims })).toThrow(InvalidArgumentError);
          // Without the reserved claims, whatever else is passed, the tenant's values stand.
          const clean = Object.fromEntries(
            Object.entries(claims).filter(([k]) => !(k in RESERVED_ID_TOKEN_CLAIMS) || k === 'sub'),
          );
          let built;
          try {
            built = buildIdTokenClaims({ ...BASE, claims: clean as { sub: string } });
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError); // an ill-typed OIDC claim
            return;
          }
          expect(built).toMatchObject({ iss: ISSUER, aud: CLIENT_ID, iat: NOW, exp: NOW + 3600 });
          expect(built).not.toHaveProperty('nbf');
          expect(built).not.toHaveProperty('azp');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('deriveHs256Key', () => {
  it('uses the UTF-8 bytes of the secret by default', () => {
    expect(deriveHs256Key(CLIENT_SECRET, false)).toEqual(Buffer.from(CLIENT_SECRET, 'utf8'));
    const unicode = 'ü'.repeat(16);
    expect(deriveHs256Key(unicode, false)).toHaveLength(32);
  });

  it('uses the decoded bytes when secret_encoded is true', () => {
    expect(deriveHs256Key(CLIENT_SECRET, true)).toEqual(Buffer.from(CLIENT_SECRET, 'base64url'));
  });

  it.each([
    ['padding', `${CLIENT_SECRET}==`],
    ['standard-alphabet characters', `${CLIENT_SECRET.slice(0, 60)}ab+/`],
    ['whitespace', ` ${CLIENT_SECRET.slice(1)}`],
    ['non-zero trailing bits', `${CLIENT_SECRET.slice(0, 62)}B`],
  ])('refuses an encoded secret with %s, without echoing it', (_name, secret) => {
    const error = argumentError(() => deriveHs256Key(secret, true));
    expect(error.path).toBe('/client_secret');
    expect(error.message).not.toContain(secret);
  });

  it('refuses a missing secret and keys shorter than 32 bytes', () => {
    expect(argumentError(() => deriveHs256Key(undefined, false)).message).toMatch(/public client/);
    expect(argumentError(() => deriveHs256Key('x'.repeat(31), false)).message).not.toContain('xxx');
    // 42 base64url characters encode 31 bytes.
    expect(argumentError(() => deriveHs256Key('A'.repeat(42), true)).path).toBe('/client_secret');
  });
});

describe('IdTokenSigner', () => {
  const signer = new IdTokenSigner({ issuer: ISSUER });
  const hsClient = (secret = CLIENT_SECRET, encoded = false): IdTokenClient => ({
    client_id: CLIENT_ID,
    client_secret: secret,
    jwt_configuration: { alg: 'HS256', lifetime_in_seconds: 600, secret_encoded: encoded },
  });

  it.each(ALGS)(
    'issues %s ID tokens with the ring key that jose, the RFC verifier and verify() accept',
    async (alg) => {
      const ring = await ringWith('RS256');
      const client: IdTokenClient = { client_id: CLIENT_ID, jwt_configuration: { alg } };
      const token = await signer.issue(client, { sub: 'auth0|1', nonce: 'n' }, ring, NOW);
      const header = decodeProtectedHeader(token);
      expect(header).toEqual({ alg, typ: 'JWT', kid: ring.activeFor(alg)!.kid });
      const { payload } = await jwtVerify(token, createLocalJWKSet(ring.jwks()), {
        issuer: ISSUER,
        audience: CLIENT_ID,
        currentDate: AT,
      });
      expect(payload).toMatchObject({ sub: 'auth0|1', nonce: 'n', exp: NOW + 36_000 });
      rfcVerify(token, { alg, key: ring.jwks(), issuer: ISSUER, audience: CLIENT_ID, now: NOW });
      expect(await signer.verify(token, client, ring, { now: NOW })).toEqual(payload);
    },
  );

  it('defaults to RS256', async () => {
    const ring = await ringWith('ES256');
    const token = await signer.issue({ client_id: CLIENT_ID }, { sub: 'u' }, ring, NOW);
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
  });

  it.each([false, true])(
    'issues HS256 tokens with the client secret (secret_encoded %s)',
    async (encoded) => {
      const client = hsClient(CLIENT_SECRET, encoded);
      const token = await signer.issue(client, { sub: 'u' }, undefined, NOW);
      const key = encoded ? Buffer.from(CLIENT_SECRET, 'base64url') : Buffer.from(CLIENT_SECRET);
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        audience: CLIENT_ID,
        currentDate: AT,
      });
      expect(payload.exp).toBe(NOW + 600);
      rfcVerify(token, { alg: 'HS256', key, issuer: ISSUER, audience: CLIENT_ID, now: NOW });
      expect((await signer.verify(token, client, undefined, { now: NOW })).sub).toBe('u');
    },
  );

  it('stops using a rotated secret at once', async () => {
    const own = new IdTokenSigner({ issuer: ISSUER });
    const before = await own.issue(hsClient(), { sub: 'u' }, undefined, NOW);
    const rotated = hsClient(`${CLIENT_SECRET.slice(0, 63)}Z`);
    const after = await own.issue(rotated, { sub: 'u' }, undefined, NOW);
    expect(after.split('.')[2]).not.toBe(before.split('.')[2]);
    await jwtVerify(after, Buffer.from(rotated.client_secret!), { currentDate: AT });
    await expect(own.verify(before, rotated, undefined, { now: NOW })).rejects.toThrow(
      'token signature is invalid',
    );
    // Encoding the same secret differently is a different key too.
    const encoded = await own.issue(hsClient(CLIENT_SECRET, true), { sub: 'u' }, undefined, NOW);
    await jwtVerify(encoded, Buffer.from(CLIENT_SECRET, 'base64url'), { currentDate: AT });
  });

  it('keeps at most maxCachedSecrets keys, and forgets a client on request', async () => {
    const small = new IdTokenSigner({ issuer: ISSUER, maxCachedSecrets: 2 });
    for (let i = 0; i < 5; i++) {
      const client = { ...hsClient(), client_id: `client-${i}` };
      const token = await small.issue(client, { sub: 'u' }, undefined, NOW);
      await jwtVerify(token, Buffer.from(CLIENT_SECRET), {
        audience: `client-${i}`,
        currentDate: AT,
      });
    }
    small.forget('client-4');
    expect(
      await small.issue({ ...hsClient(), client_id: 'client-4' }, { sub: 'u' }, undefined, NOW),
    ).toBeTypeOf('string');
  });

  it('refuses HS256 for a client without a secret, and algorithms it cannot sign', async () => {
    await expect(
      signer.issue(
        { client_id: CLIENT_ID, jwt_configuration: { alg: 'HS256' } },
        { sub: 'u' },
        undefined,
      ),
    ).rejects.toMatchObject({ path: '/client_secret' });
    await expect(
      signer.issue(
        { client_id: CLIENT_ID, jwt_configuration: { alg: 'none' } },
        { sub: 'u' },
        undefined,
      ),
    ).rejects.toMatchObject({ path: '/jwt_configuration/alg' });
    const rsaOnly = new KeyRing([await recordFor('RS256')]);
    await expect(
      signer.issue(
        { client_id: CLIENT_ID, jwt_configuration: { alg: 'ES256' } },
        { sub: 'u' },
        rsaOnly,
      ),
    ).rejects.toMatchObject({ path: '/keyRing' });
    await expect(
      signer.issue({ client_id: CLIENT_ID }, { sub: 'u' }, undefined),
    ).rejects.toMatchObject({
      path: '/keyRing',
    });
  });

  it('rejects reserved claims as a rejected promise, not a synchronous throw', async () => {
    const ring = await ringWith('RS256');
    const pending = signer.issue({ client_id: CLIENT_ID }, { sub: 'u', iss: 'x' }, ring);
    await expect(pending).rejects.toMatchObject({ path: '/claims/iss' });
  });

  it('verifies with the configured algorithm only', async () => {
    const ring = await ringWith('RS256');
    const token = await signer.issue(
      { client_id: CLIENT_ID, jwt_configuration: { alg: 'PS256' } },
      { sub: 'u' },
      ring,
      NOW,
    );
    await expect(
      signer.verify(token, { client_id: CLIENT_ID, jwt_configuration: { alg: 'RS256' } }, ring, {
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(signer.verify(token, hsClient(), ring, { now: NOW })).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('checks audience, issuer and expiry on verify', async () => {
    const ring = await ringWith('RS256');
    const token = await signer.issue({ client_id: CLIENT_ID }, { sub: 'u' }, ring, NOW);
    await expect(signer.verify(token, { client_id: 'other' }, ring, { now: NOW })).rejects.toThrow(
      'token audience does not match',
    );
    await expect(
      new IdTokenSigner({ issuer: 'https://other/' }).verify(
        token,
        { client_id: CLIENT_ID },
        ring,
        { now: NOW },
      ),
    ).rejects.toThrow('token issuer is not this tenant');
    await expect(
      signer.verify(token, { client_id: CLIENT_ID }, ring, { now: NOW + 36_000 }),
    ).rejects.toThrow('token has expired');
    await expect(
      signer.verify(token, { client_id: CLIENT_ID }, ring, {
        now: NOW + 36_005,
        clockToleranceSeconds: 10,
      }),
    ).resolves.toMatchObject({ sub: 'u' });
  });

  it('refuses bad constructor options', () => {
    expect(() => new IdTokenSigner({ issuer: '' })).toThrow(InvalidArgumentError);
    expect(() => new IdTokenSigner({ issuer: ISSUER, maxCachedSecrets: 0 })).toThrow(
      InvalidArgumentError,
    );
  });
});
