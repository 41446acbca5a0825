/**
 * What the authorization-code and refresh-token grants keep in the store, and the few
 * reads and writes on it. Codes and refresh tokens are stored under the SHA-256 of their
 * value (never the value), so every instance sharing the store honours them and a copy
 * of the store redeems nothing.
 *
 * Collections:
 * - `authorizations`: one record per completed code exchange, the "family" every refresh
 *   token and user access token of that login belongs to; revoking it revokes them all.
 * - `authorization_codes`: pending and redeemed codes, by hash.
 * - `refresh_tokens`: refresh tokens, by hash, pointing at their authorization.
 * - `revoked_access_tokens`: the `jti` of access tokens revoked one by one, until `exp`.
 *
 * Times are NumericDates (seconds), except `rotated_at_ms`.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { Store } from '../storage/store.js';

/** Collection names. */
export const AUTHORIZATIONS = 'authorizations';
export const AUTHORIZATION_CODES = 'authorization_codes';
export const REFRESH_TOKENS = 'refresh_tokens';
export const REVOKED_ACCESS_TOKENS = 'revoked_access_tokens';

/** A login's grant to a client: what refresh tokens and access tokens stand for. */
export interface AuthorizationRecord {
  readonly client_id: string;
  readonly sub: string;
  /** The user's claims as the login gave them (released per scope). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Everything granted; a refresh may ask for less, never more. */
  readonly scope: readonly string[];
  /** The API the access tokens are for, or null for userinfo only. */
  readonly audience: string | null;
  readonly auth_time: number;
  /** The login session it was granted in (the ID token's `sid`); absent on older records. */
  readonly session_id?: string | null;
  readonly created_at: number;
  /** When refresh tokens of this family stop working regardless of use (absolute lifetime). */
  readonly expires_at: number | null;
  readonly revoked_at: number | null;
  /** Why it was revoked: `code_reuse`, `refresh_token_reuse`, `revocation`. */
  readonly revoked_reason: string | null;
  /**
   * The DPoP key the refresh tokens of a public client are bound to (RFC 9449 §5): a
   * refresh needs a proof of this key. Absent for confidential clients and unbound grants.
   */
  readonly dpop_jkt?: string | null;
}

/** A code, until it expires: pending, redeemed (with what it issued) or burnt. */
export interface CodeRecord {
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly code_challenge: string | null;
  readonly nonce: string | null;
  readonly scope: readonly string[];
  readonly audience: string | null;
  readonly sub: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly auth_time: number;
  /** The login session the code was issued in; absent on older records. */
  readonly sid?: string | null;
  /** The DPoP key the code is bound to (`dpop_jkt`, RFC 9449 §10); absent when unbound. */
  readonly dpop_jkt?: string | null;
  readonly expires_at: number;
  /** Set on the first exchange attempt by its client, successful or not. */
  readonly used_at: number | null;
  /** The authorization the successful exchange created: revoked if the code comes back. */
  readonly authorization_id: string | null;
}

/** A refresh token, by hash. */
export interface RefreshTokenRecord {
  readonly authorization_id: string;
  readonly client_id: string;
  readonly issued_at: number;
  /** Expires when not used before this (idle lifetime), or null. */
  readonly idle_expires_at: number | null;
  /** When a successor was issued (rotating tokens); it works `leeway` seconds more. */
  readonly rotated_at: number | null;
  /**
   * The same instant in milliseconds, which reuse detection compares (a replay within the
   * rotation's second must not pass for a use within the leeway). Absent on records
   * written before it existed.
   */
  readonly rotated_at_ms?: number | null;
}

/** A revoked access token, until it would have expired anyway. */
export interface RevokedAccessToken {
  readonly exp: number;
}

/**
 * Marks an authorization revoked (idempotent; retried on a race with another writer).
 * Returns false when there is no such authorization.
 */
export async function revokeAuthorization(
  store: Store,
  id: string,
  reason: string,
  now: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = await store.get<AuthorizationRecord>(AUTHORIZATIONS, id);
    if (!record) return false;
    if (record.value.revoked_at !== null) return true;
    try {
      await store.replace<AuthorizationRecord>(
        AUTHORIZATIONS,
        id,
        { ...record.value, revoked_at: now, revoked_reason: reason },
        record.version,
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    }
  }
  throw new ConflictError(`authorization ${id} kept changing while being revoked`);
}

/** True when the authorization is live: present, not revoked, not past its absolute expiry. */
export function isLive(record: AuthorizationRecord | undefined, now: number): boolean {
  return (
    record !== undefined &&
    record.revoked_at === null &&
    (record.expires_at === null || record.expires_at > now)
  );
}

/** Records one revoked access token until its `exp`. Idempotent. */
export async function revokeAccessToken(store: Store, jti: string, exp: number): Promise<void> {
  try {
    await store.insert<RevokedAccessToken>(REVOKED_ACCESS_TOKENS, jti, { exp });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

/**
 * Deletes records of `collection` whose `expiry(value)` is past: bounded housekeeping,
 * called now and then by writers so expired codes and revocations do not pile up.
 */
export async function sweepExpired<T>(
  store: Store,
  collection: string,
  expiry: (value: T) => number | null,
  now: number,
  limit = 1_000,
): Promise<void> {
  const records = await store.list<T>(collection);
  let deleted = 0;
  for (const record of records) {
    if (deleted >= limit) return;
    const at = expiry(record.value);
    if (at === null || at > now) continue;
    try {
      await store.delete(collection, record.id, record.version);
      deleted += 1;
    } catch (error) {
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    }
  }
}
