/**
 * PKCE (RFC 7636) with the S256 method only: `plain` would put the verifier itself in the
 * browser's history, so it is refused everywhere.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** An S256 code challenge: base64url of a SHA-256 digest, without padding (43 characters). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A code verifier: 43 to 128 characters of `[A-Za-z0-9-._~]` (RFC 7636 §4.1). */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * True when `challenge` has the shape of an S256 code challenge.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 * @internal
 */
export function isS256Challenge(challenge: unknown): challenge is string {
  return typeof challenge === 'string' && S256_CHALLENGE.test(challenge);
}

/**
 * True when `verifier` is a well-formed code verifier whose SHA-256 is `challenge`
 * (compared in constant time).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 * @internal
 */
export function verifiesS256(challenge: string, verifier: unknown): boolean {
  if (typeof verifier !== 'string' || !CODE_VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
