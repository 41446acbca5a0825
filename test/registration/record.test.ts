import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateRegistrationAccessToken,
  hashRegistrationAccessToken,
  registrationTokenMatches,
} from '../../src/registration/record.js';

describe('registration access tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateRegistrationAccessToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as their SHA-256 in hex, never as themselves', () => {
    const token = generateRegistrationAccessToken();
    const hash = hashRegistrationAccessToken(token);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).not.toContain(token);
  });

  it('match only the token they were made from', () => {
    const token = generateRegistrationAccessToken();
    const hash = hashRegistrationAccessToken(token);
    expect(registrationTokenMatches(token, hash)).toBe(true);
    expect(registrationTokenMatches(`${token}x`, hash)).toBe(false);
    expect(registrationTokenMatches(token.slice(1), hash)).toBe(false);
    expect(registrationTokenMatches(generateRegistrationAccessToken(), hash)).toBe(false);
  });

  it('never match without a stored hash, with a malformed one, or for a non-string token', () => {
    const token = generateRegistrationAccessToken();
    const hash = hashRegistrationAccessToken(token);
    expect(registrationTokenMatches(token, undefined)).toBe(false);
    expect(registrationTokenMatches(token, hash.toUpperCase())).toBe(false);
    expect(registrationTokenMatches(token, hash.slice(2))).toBe(false);
    expect(registrationTokenMatches(token, 42)).toBe(false);
    expect(registrationTokenMatches(undefined, hash)).toBe(false);
    expect(registrationTokenMatches(['x'], hash)).toBe(false);
    expect(registrationTokenMatches('', hashRegistrationAccessToken(''))).toBe(false);
  });
});
