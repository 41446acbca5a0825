/**
 * The session cookie's attributes per issuer scheme, the Cookie header reader, and the
 * cookie value's parser: strict, never throwing, and the secret check in constant time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  readSessionCookie,
  sessionCookie,
} from '../../src/sessions/cookie.js';
import {
  newSessionToken,
  parseSessionToken,
  secretHash,
  secretMatches,
  sessionTokenValue,
} from '../../src/sessions/session-token.js';

const HTTPS = 'https://id.example.com/';
const HTTP = 'http://127.0.0.1:3000/';

describe('the session cookie', () => {
  it('is __Host- prefixed, Secure, HttpOnly and SameSite=None on HTTPS', () => {
    expect(sessionCookie(HTTPS, 'v', 604_800)).toBe(
      '__Host-clientele_session=v; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=604800',
    );
    expect(clearedSessionCookie(HTTPS)).toBe(
      '__Host-clientele_session=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0',
    );
  });

  it('is HttpOnly and SameSite=Lax without Secure on plain-HTTP loopback', () => {
    expect(sessionCookie(HTTP, 'v', 60)).toBe(
      'clientele_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    );
  });

  it('is read from a Cookie header by its exact name, once', () => {
    expect(readSessionCookie(HTTPS, 'a=1; __Host-clientele_session=abc; b=2')).toBe('abc');
    expect(readSessionCookie(HTTPS, 'clientele_session=abc')).toBeUndefined();
    expect(readSessionCookie(HTTP, 'xclientele_session=abc')).toBeUndefined();
    expect(readSessionCookie(HTTP, 'clientele_session=a; clientele_session=b')).toBeUndefined();
    expect(readSessionCookie(HTTP, null)).toBeUndefined();
  });
});

describe('the cookie value', () => {
  it('round-trips and checks the secret against the issuer-bound hash', () => {
    const token = newSessionToken();
    const parsed = parseSessionToken(sessionTokenValue(token));
    expect(parsed).toEqual(token);
    const stored = secretHash(HTTPS, token.secret);
    expect(stored).not.toContain(token.secret);
    expect(secretMatches(HTTPS, token.secret, stored)).toBe(true);
    expect(secretMatches(HTTP, token.secret, stored)).toBe(false);
    expect(secretMatches(HTTPS, newSessionToken().secret, stored)).toBe(false);
    expect(secretMatches(HTTPS, token.secret, '')).toBe(false);
  });

  it('never throws, and accepts only <22 base64url>.<43 base64url>', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (value) => {
        const parsed = parseSessionToken(value);
        if (parsed) expect(`${parsed.id}.${parsed.secret}`).toBe(value);
        expect(parsed === undefined).toBe(!/^[\w-]{22}\.[\w-]{43}$/.test(value));
      }),
    );
  });
});
