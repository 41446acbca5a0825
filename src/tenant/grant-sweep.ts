/**
 * Housekeeping for the user grants in the store, so nothing is kept forever: expired
 * codes (used or not), revocations of access tokens past their `exp`, refresh tokens that
 * can no longer be used or detect anything, and authorizations no token needs any more.
 *
 * What may go, and when (times on the tenant clock):
 * - A code, once expired: after that it redeems nothing, and a reuse can no longer come.
 * - A refresh token of a revoked family, at once (it is refused either way). Of a family
 *   past its absolute expiry, an idle-expired one, or a rotated one: once every access
 *   token it may have led to has expired ({@link ACCESS_TOKEN_HORIZON}). A rotated token is
 *   kept that long for reuse detection; a reuse after that is refused as unknown.
 * - An authorization (the family): once revoked (a missing one counts as revoked for
 *   every token that names it), or when no refresh token refers to it and its last access
 *   token has expired.
 *
 * Sweeps run at most once per {@link SWEEP_INTERVAL_SECONDS} of tenant time, from the
 * writes that add records; a failed sweep is retried next time.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { API_LIMITS } from '../apis/api.js';
import {
  AUTHORIZATION_CODES,
  AUTHORIZATIONS,
  REFRESH_TOKENS,
  REVOKED_ACCESS_TOKENS,
  sweepExpired,
  type AuthorizationRecord,
  type CodeRecord,
  type RefreshTokenRecord,
  type RevokedAccessToken,
} from './authorization-records.js';

/** Seconds between two sweeps of one tenant instance. */
export const SWEEP_INTERVAL_SECONDS = 60;
/** The longest an access token lives (an API's `token_lifetime` is at most 30 days). */
export const ACCESS_TOKEN_HORIZON = API_LIMITS.maxTokenLifetime;
/** Records deleted per collection and sweep, so one sweep stays short. */
const LIMIT = 1_000;

/** Runs {@link sweepGrants} now and then. @internal */
export class GrantSweeper {
  readonly #store: Store;
  #last = Number.NEGATIVE_INFINITY;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Sweeps when the last sweep is older than the interval. Never throws. */
  async maybeSweep(now: number): Promise<void> {
    if (now - this.#last < SWEEP_INTERVAL_SECONDS) return;
    this.#last = now;
    try {
      await sweepGrants(this.#store, now);
    } catch {
      this.#last = Number.NEGATIVE_INFINITY; // retried on the next write
    }
  }
}

/** One sweep of codes, revocations, refresh tokens and authorizations. @internal */
export async function sweepGrants(store: Store, now: number): Promise<void> {
  await sweepExpired<CodeRecord>(store, AUTHORIZATION_CODES, (v) => v.expires_at, now, LIMIT);
  await sweepExpired<RevokedAccessToken>(store, REVOKED_ACCESS_TOKENS, (v) => v.exp, now, LIMIT);
  const authorizations = new Map(
    (await store.list<AuthorizationRecord>(AUTHORIZATIONS)).map((r) => [r.id, r] as const),
  );
  const referenced = new Set<string>();
  const doomed: { collection: string; id: string; version: number }[] = [];
  for (const record of await store.list<RefreshTokenRecord>(REFRESH_TOKENS)) {
    const family = authorizations.get(record.value.authorization_id)?.value;
    if (refreshTokenDone(record.value, family, now)) {
      doomed.push({ collection: REFRESH_TOKENS, id: record.id, version: record.version });
    } else {
      referenced.add(record.value.authorization_id);
    }
  }
  for (const [id, record] of authorizations) {
    if (!referenced.has(id) && authorizationDone(record.value, now)) {
      doomed.push({ collection: AUTHORIZATIONS, id, version: record.version });
    }
  }
  for (const { collection, id, version } of doomed.slice(0, 2 * LIMIT)) {
    try {
      await store.delete(collection, id, version);
    } catch (error) {
      // Changed or deleted meanwhile by another writer: the next sweep looks again.
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    }
  }
}

/** True when a refresh token can neither be used nor detect a reuse any more. */
function refreshTokenDone(
  token: RefreshTokenRecord,
  family: AuthorizationRecord | undefined,
  now: number,
): boolean {
  if (!family || family.revoked_at !== null) return true;
  const past = (at: number | null) => at !== null && at + ACCESS_TOKEN_HORIZON <= now;
  return past(family.expires_at) || past(token.idle_expires_at) || past(token.rotated_at);
}

/** True when an authorization no refresh token refers to can go. */
function authorizationDone(family: AuthorizationRecord, now: number): boolean {
  if (family.revoked_at !== null) return true;
  const lastUse = family.expires_at ?? family.created_at;
  return lastUse + ACCESS_TOKEN_HORIZON <= now;
}
