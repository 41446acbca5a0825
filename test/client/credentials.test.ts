import { describe, expect, it } from 'vitest';
import { generateClientId, generateClientSecret, secretsEqual } from '../../src/index.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

describe('generateClientId', () => {
  it('is 32 characters of [A-Za-z0-9]', () => {
    for (let i = 0; i < 200; i++) expect(generateClientId()).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('is different every time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateClientId()));
    expect(ids.size).toBe(1000);
  });

  it('uses every character about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const samples = 4000;
    for (let i = 0; i < samples; i++) {
      for (const character of generateClientId())
        counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (samples * 32) / 62;
    // Chi-square with 61 degrees of freedom: p < 1e-6 above ~125. A `% 62` over raw bytes
    // over-represents the first 8 characters by 25% and scores in the thousands.
    let chiSquare = 0;
    for (const character of ALPHABET)
      chiSquare += ((counts.get(character) ?? 0) - expected) ** 2 / expected;
    expect(chiSquare).toBeLessThan(125);
  });

  it('takes an optional prefix', () => {
    expect(generateClientId({ prefix: 'tpc_' })).toMatch(/^tpc_[A-Za-z0-9]{32}$/);
    expect(() => generateClientId({ prefix: 'bad prefix' })).toThrow(TypeError);
    expect(() => generateClientId({ prefix: 'x'.repeat(33) })).toThrow(TypeError);
  });
});

describe('generateClientSecret', () => {
  it('is 64 base64url characters (48 random bytes)', () => {
    for (let i = 0; i < 100; i++) {
      const secret = generateClientSecret();
      expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(48);
    }
    expect(generateClientSecret()).not.toBe(generateClientSecret());
  });
});

describe('secretsEqual', () => {
  it('is true only for equal strings', () => {
    const secret = generateClientSecret();
    expect(secretsEqual(secret, `${secret}`)).toBe(true);
    expect(secretsEqual(secret, `${secret}x`)).toBe(false);
    expect(secretsEqual(secret.slice(1), secret)).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
    expect(secretsEqual('é', 'e\u0301')).toBe(false);
  });

  it('is false for anything that is not a string, even when both are missing', () => {
    expect(secretsEqual(undefined, undefined)).toBe(false);
    expect(secretsEqual(undefined, '')).toBe(false);
    expect(secretsEqual('', null)).toBe(false);
    expect(secretsEqual(['a'], 'a')).toBe(false);
    expect(secretsEqual({ toString: () => 'a' }, 'a')).toBe(false);
  });
});
