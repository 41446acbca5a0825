import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isS256Challenge, verifiesS256 } from '../../src/tokens/pkce.js';
import {
  DEFAULT_REFRESH_IDLE_LIFETIME,
  DEFAULT_REFRESH_TOKEN_LIFETIME,
  refreshPolicyOf,
} from '../../src/tokens/refresh-policy.js';

const VERIFIER_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split(
  '',
);
const verifier = fc
  .array(fc.constantFrom(...VERIFIER_CHARS), { minLength: 43, maxLength: 128 })
  .map((chars) => chars.join(''));
const s256 = (value: string) => createHash('sha256').update(value).digest('base64url');

describe('PKCE S256', () => {
  it('accepts every well-formed verifier against its own challenge', () => {
    fc.assert(fc.property(verifier, (v) => isS256Challenge(s256(v)) && verifiesS256(s256(v), v)));
  });

  it('refuses any other verifier, and anything that is not a verifier', () => {
    fc.assert(
      fc.property(verifier, fc.string({ maxLength: 200 }), (v, other) => {
        fc.pre(other !== v);
        return !verifiesS256(s256(v), other);
      }),
    );
    const challenge = s256('a'.repeat(43));
    expect(verifiesS256(challenge, 'a'.repeat(42))).toBe(false); // too short
    expect(verifiesS256(challenge, undefined)).toBe(false);
    expect(verifiesS256(challenge, 'a'.repeat(43))).toBe(true);
  });

  it('recognises only 43 base64url characters as an S256 challenge', () => {
    expect(isS256Challenge('plain')).toBe(false);
    expect(isS256Challenge('a'.repeat(44))).toBe(false);
    expect(isS256Challenge(`${'a'.repeat(42)}=`)).toBe(false);
  });
});

describe('refreshPolicyOf', () => {
  it("applies Auth0's defaults: non-rotating and non-expiring", () => {
    expect(refreshPolicyOf(undefined)).toEqual({
      rotating: false,
      leewaySeconds: 0,
      absoluteSeconds: undefined,
      idleSeconds: undefined,
    });
  });

  it('expiring tokens get the configured or default lifetimes, unless infinite', () => {
    expect(refreshPolicyOf({ expiration_type: 'expiring' })).toMatchObject({
      absoluteSeconds: DEFAULT_REFRESH_TOKEN_LIFETIME,
      idleSeconds: DEFAULT_REFRESH_IDLE_LIFETIME,
    });
    expect(
      refreshPolicyOf({
        rotation_type: 'rotating',
        expiration_type: 'expiring',
        leeway: 3,
        token_lifetime: 100,
        infinite_idle_token_lifetime: true,
      }),
    ).toEqual({ rotating: true, leewaySeconds: 3, absoluteSeconds: 100, idleSeconds: undefined });
  });

  it('ignores leeway on non-rotating tokens and never yields negative or fractional values', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (leeway, life, idle) => {
        const policy = refreshPolicyOf({
          rotation_type: 'rotating',
          expiration_type: 'expiring',
          leeway,
          token_lifetime: life,
          idle_token_lifetime: idle,
        } as never);
        return [policy.leewaySeconds, policy.absoluteSeconds, policy.idleSeconds].every(
          (n) => n === undefined || (Number.isInteger(n) && n >= 0),
        );
      }),
    );
    expect(refreshPolicyOf({ rotation_type: 'non-rotating', leeway: 30 }).leewaySeconds).toBe(0);
  });
});
