/**
 * The registration record (store collection `registrations`, id = `client_id`) and its
 * registration access token: 32 random bytes, base64url, handed out once and stored only
 * as its SHA-256 digest, compared in constant time.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3 (registration access token)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3 (token theft: store hashes)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RegistrationMetadata } from './metadata.js';

/** The store collection of registration records. */
export const REGISTRATION_COLLECTION = 'registrations';

/**
 * The store collection that finds a registration access token's client: id = the token's
 * hash, value {@link RegistrationTokenIndex}. It lets a token presented for another
 * client id be revoked (RFC 7592 §2.1) without a scan.
 */
export const REGISTRATION_TOKEN_COLLECTION = 'registration_tokens';

/** What {@link REGISTRATION_TOKEN_COLLECTION} holds for one token hash. */
export interface RegistrationTokenIndex {
  /** The client the token was issued for. */
  client_id: string;
}

/** Random bytes in a registration access token (43 base64url characters). */
export const REGISTRATION_TOKEN_BYTES = 32;

/** What the store keeps for a dynamically registered client. Never a secret. */
export interface RegistrationRecord {
  /** The client's id (also the record id). */
  client_id: string;
  /**
   * Lower-case hex SHA-256 of the registration access token; `''` once the token was
   * revoked (RFC 7592 §2.1: presented for another client), after which no token manages
   * the registration.
   */
  token_hash: string;
  /** When the token was revoked, in seconds since the epoch; absent while it is valid. */
  token_revoked_at?: number;
  /** The registered metadata (RFC 7591 §2), normalised; holds no secret. */
  metadata: RegistrationMetadata;
  /** When the client id was issued, in seconds since the epoch. */
  client_id_issued_at: number;
}

/**
 * A new registration access token: 32 bytes from `crypto.randomBytes`, base64url.
 *
 * @example
 * ```ts
 * generateRegistrationAccessToken().length; // 43
 * ```
 */
export function generateRegistrationAccessToken(): string {
  return randomBytes(REGISTRATION_TOKEN_BYTES).toString('base64url');
}

/**
 * The digest stored for a token: SHA-256, lower-case hex.
 *
 * @param token - the registration access token
 */
export function hashRegistrationAccessToken(token: string): string {
  return digest(token).toString('hex');
}

/** Compared against when there is no record, so a miss costs what a mismatch costs. */
const NO_RECORD = digest('clientele: no registration record');

/**
 * True when `presented` is the token whose digest is `storedHash`. Always hashes the
 * presented value and runs one `timingSafeEqual` over two 32-byte digests, also when
 * there is no stored hash or it is malformed, so the time taken says nothing about
 * whether the client or its registration exists.
 *
 * @param presented - what the caller sent; anything
 * @param storedHash - `token_hash` of the registration record, or `undefined` when none
 * @example
 * ```ts
 * registrationTokenMatches(token, record?.value.token_hash); // false when either is wrong
 * ```
 */
export function registrationTokenMatches(presented: unknown, storedHash: unknown): boolean {
  const given = digest(typeof presented === 'string' ? presented : '');
  const stored =
    typeof storedHash === 'string' && /^[0-9a-f]{64}$/.test(storedHash)
      ? Buffer.from(storedHash, 'hex')
      : undefined;
  const same = timingSafeEqual(given, stored ?? NO_RECORD);
  return same && stored !== undefined && typeof presented === 'string' && presented !== '';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
