/**
 * Client credentials: identifiers, secrets and their comparison.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 (client password)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.10 (credentials guessing)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Characters of a generated client id (without prefix). */
export const CLIENT_ID_LENGTH = 32;
/** Random bytes behind a client secret (64 base64url characters). */
export const CLIENT_SECRET_BYTES = 48;
/**
 * Bytes at or above this value are discarded: 248 = 4 × 62 is the largest multiple of the
 * alphabet size that fits in a byte, so `byte % 62` is uniform on the rest (rejection
 * sampling; a plain `% 62` would favour the first 8 characters).
 */
const ACCEPT_BELOW = 256 - (256 % ID_ALPHABET.length);
const PREFIX = /^[A-Za-z0-9_-]{0,32}$/;

/** Options of {@link generateClientId}. */
export interface ClientIdOptions {
  /**
   * Prepended as given (letters, digits, `_`, `-`; at most 32), for example `tpc_` for
   * dynamically registered clients.
   */
  prefix?: string;
}

/**
 * A new client id: 32 characters of `[A-Za-z0-9]` from `crypto.randomBytes`, each
 * character uniform (about 190 bits), after an optional prefix.
 *
 * @throws TypeError when the prefix is not letters, digits, `_` or `-` (at most 32)
 * @example
 * ```ts
 * generateClientId(); // 'q3Jx0vR8cW1mZ2...' (32 characters)
 * generateClientId({ prefix: 'tpc_' }); // 'tpc_' + 32 characters
 * ```
 */
export function generateClientId(options: ClientIdOptions = {}): string {
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new TypeError('prefix must be at most 32 letters, digits, "_" or "-"');
  }
  let id = prefix;
  let remaining = CLIENT_ID_LENGTH;
  while (remaining > 0) {
    // 3/32 of the bytes are rejected on average; ask for a little more than needed.
    for (const byte of randomBytes(remaining + 8)) {
      if (byte >= ACCEPT_BELOW) continue;
      id += ID_ALPHABET[byte % ID_ALPHABET.length];
      if (--remaining === 0) break;
    }
  }
  return id;
}

/**
 * A new client secret: 48 random bytes from `crypto.randomBytes`, base64url-encoded
 * (64 characters, 384 bits).
 *
 * @example
 * ```ts
 * generateClientSecret().length; // 64
 * ```
 */
export function generateClientSecret(): string {
  return randomBytes(CLIENT_SECRET_BYTES).toString('base64url');
}

/**
 * True when both arguments are strings with the same content. Runs in constant time with
 * respect to the contents: both are hashed with SHA-256 and the fixed-length digests are
 * compared with `crypto.timingSafeEqual`, so neither the position of the first difference
 * nor the length of the stored secret leaks. Anything that is not a string is never equal.
 *
 * @param presented - the secret the caller sent
 * @param stored - the client's secret
 * @example
 * ```ts
 * if (!secretsEqual(body.client_secret, client.client_secret)) throw new InvalidClientError();
 * ```
 */
export function secretsEqual(presented: unknown, stored: unknown): boolean {
  // Hash both even when one is not a string, so the cost does not depend on the input.
  const a = digest(typeof presented === 'string' ? presented : '');
  const b = digest(typeof stored === 'string' ? stored : '');
  const same = timingSafeEqual(a, b);
  return same && typeof presented === 'string' && typeof stored === 'string';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
