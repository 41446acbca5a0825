/**
 * Opaque one-time values (authorization codes, refresh tokens): 256 random bits, stored
 * only as their SHA-256 so a copy of the store holds nothing that can be redeemed.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';

/** Longest opaque value looked up at all; ours are 43 characters. */
export const MAX_OPAQUE_LENGTH = 512;

/**
 * A new opaque value: 32 random bytes, base64url (43 characters).
 *
 * @internal
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The store id of an opaque value: its SHA-256, base64url. The value itself is never
 * stored; a 256-bit random input needs no salt or slow hash.
 *
 * @internal
 */
export function opaqueTokenId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/**
 * True when `value` could be one of our opaque values (a non-empty string of sane
 * length); anything else is simply not found.
 *
 * @internal
 */
export function isPlausibleOpaqueToken(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_OPAQUE_LENGTH;
}
