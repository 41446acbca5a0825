import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidScopeError } from '../../src/errors.js';
import { buildAccessTokenClaims, issueAccessTokenResponse } from '../../src/tokens/access-token.js';
import { KeyRing } from '../../src/tokens/key-ring.js';
import { parseScope, resolveScopes } from '../../src/tokens/scope.js';
import { CLIENT_ID, ISSUER, NOW, recordFor, ringWith } from './fixtures.js';
import { rfcVerify } from './rfc-verifier.js';

const API = 'https://api.example.com/';
const INPUT = {
  issuer: ISSUER,
  clientId: CLIENT_ID,
  audience: API,
  scopes: ['read:users', 'write:users'],
  lifetimeSeconds: 7200,
  now: NOW,
};

describe('buildAccessTokenClaims', () => {
  it("has Auth0's client-credentials claims, in Auth0's order", () => {
    const claims = buildAccessTokenClaims(INPUT);
    expect(claims).toEqual({
      iss: ISSUER,
      sub: `${CLIENT_ID}@clients`,
      aud: API,
      iat: NOW,
      exp: NOW + 7200,
      scope: 'read:users write:users',
      gty: 'client-credentials',
      azp: CLIENT_ID,
    });
    expect(Object.keys(claims)).toEqual(['iss', 'sub', 'aud', 'iat', 'exp', 'scope', 'gty', 'azp']);
  });

  it('omits scope when none is granted, and defaults the lifetime to 86400 s', () => {
    const claims = buildAccessTokenClaims({ ...INPUT, scopes: [], lifetimeSeconds: undefined });
    expect(claims).not.toHaveProperty('scope');
    expect(claims.exp - claims.iat).toBe(86_400);
  });

  it.each([
    ['/issuer', { issuer: 1 }],
    ['/clientId', { clientId: '' }],
    ['/audience', { audience: undefined }],
    ['/scopes', { scopes: 'read' }],
    ['/scopes', { scopes: [''] }],
    ['/lifetimeSeconds', { lifetimeSeconds: -5 }],
    ['/now', { now: Number.NaN }],
  ])('refuses a bad argument at %s', (path, change) => {
    expect(() => buildAccessTokenClaims({ ...INPUT, ...change } as never)).toThrow(
      expect.objectContaining({ path }),
    );
  });
});

describe('issueAccessTokenResponse', () => {
  it.each(['RS256', 'PS256', 'ES256'] as const)(
    'signs with the ring key for %s; jose and the RFC verifier accept it',
    async (alg) => {
      const ring = await ringWith('RS256');
      const response = await issueAccessTokenResponse(INPUT, ring, alg);
      expect(response).toMatchObject({
        token_type: 'Bearer',
        expires_in: 7200,
        scope: 'read:users write:users',
      });
      expect(decodeProtectedHeader(response.access_token)).toEqual({
        alg,
        typ: 'JWT',
        kid: ring.activeFor(alg)!.kid,
      });
      const { payload } = await jwtVerify(response.access_token, createLocalJWKSet(ring.jwks()), {
        issuer: ISSUER,
        audience: API,
        currentDate: new Date(NOW * 1000),
      });
      expect(payload.gty).toBe('client-credentials');
      rfcVerify(response.access_token, {
        alg,
        key: ring.jwks(),
        issuer: ISSUER,
        audience: API,
        now: NOW,
      });
    },
  );

  it('defaults to RS256 and leaves scope out of the response when none is granted', async () => {
    const ring = await ringWith('ES256');
    const response = await issueAccessTokenResponse({ ...INPUT, scopes: [] }, ring);
    expect(decodeProtectedHeader(response.access_token).alg).toBe('RS256');
    expect(response).not.toHaveProperty('scope');
  });

  it('refuses an algorithm the ring has no key for', async () => {
    const ring = new KeyRing([await recordFor('RS256')]);
    await expect(issueAccessTokenResponse(INPUT, ring, 'ES256')).rejects.toMatchObject({
      path: '/keyRing',
    });
  });
});

describe('parseScope (RFC 6749 §3.3)', () => {
  it('splits on single spaces and drops duplicates, keeping the first order', () => {
    expect(parseScope('openid profile')).toEqual(['openid', 'profile']);
    expect(parseScope('b a b')).toEqual(['b', 'a']);
    expect(parseScope('read:users https://api/x!#$%&()*+,-./;<=>?@[]^_`{|}~')).toHaveLength(2);
  });

  it.each([
    ['empty', ''],
    ['a leading space', ' read'],
    ['a trailing space', 'read '],
    ['two spaces', 'read  write'],
    ['a tab', 'read\twrite'],
    ['a newline', 'read\nwrite'],
    ['a double quote', 'say"hi'],
    ['a backslash', 'a\\b'],
    ['a non-ASCII character', 'lire:é'],
    ['a control character', 'read\u0000'],
    ['a non-breaking space', 'read\u00a0write'],
  ])('refuses %s', (_name, scope) => {
    expect(() => parseScope(scope)).toThrow(InvalidScopeError);
  });

  it('refuses a non-string', () => {
    expect(() => parseScope(['read'] as never)).toThrow(InvalidScopeError);
  });

  it('throws only InvalidScopeError, and what it accepts joins back to the input when unique (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (text) => {
        let tokens: string[];
        try {
          tokens = parseScope(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidScopeError);
          return;
        }
        for (const token of tokens) expect(token).toMatch(/^[\x21\x23-\x5b\x5d-\x7e]+$/);
        if (new Set(text.split(' ')).size === text.split(' ').length)
          expect(tokens.join(' ')).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('resolveScopes', () => {
  const granted = ['read:users', 'write:users', 'delete:users'];

  it('gives every granted scope when none is requested', () => {
    expect(resolveScopes(undefined, granted)).toEqual(granted);
    expect(resolveScopes(undefined, [])).toEqual([]);
    expect(resolveScopes(undefined, ['a', 'a'])).toEqual(['a']);
  });

  it('gives the requested subset', () => {
    expect(resolveScopes('write:users read:users', granted)).toEqual(['write:users', 'read:users']);
  });

  it('refuses scopes that are not granted, naming them', () => {
    expect(() => resolveScopes('read:users admin', granted)).toThrow(
      new InvalidScopeError('scope "admin" is not granted to this client for this audience'),
    );
    expect(() => resolveScopes('read', [])).toThrow(InvalidScopeError);
  });

  it('names at most five refused scopes', () => {
    const error = (() => {
      try {
        resolveScopes('a b c d e f g', []);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a throw');
    })();
    expect(error.message).toBe(
      'scope "a", "b", "c", "d", "e" and 2 more are not granted to this client for this audience',
    );
  });

  it('refuses a malformed request even when every token is granted', () => {
    expect(() => resolveScopes('read:users  write:users', granted)).toThrow(InvalidScopeError);
    expect(() => resolveScopes('', granted)).toThrow(/omit it/);
  });

  it('refuses granted lists that are not scope tokens', () => {
    expect(() => resolveScopes(undefined, ['ok', 'not ok'])).toThrow(
      expect.objectContaining({ path: '/granted/1' }),
    );
    expect(() => resolveScopes(undefined, 'read' as never)).toThrow(InvalidArgumentError);
  });

  it('never returns a scope outside the grant (property)', () => {
    const token = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(fc.uniqueArray(token), fc.array(token, { minLength: 1 }), (grant, wanted) => {
        try {
          const result = resolveScopes(wanted.join(' '), grant);
          for (const scope of result) expect(grant).toContain(scope);
          expect(new Set(result)).toEqual(new Set(wanted));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidScopeError);
          expect(wanted.some((scope) => !grant.includes(scope))).toBe(true);
        }
      }),
    );
  });
});
