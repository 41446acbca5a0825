/**
 * Refresh tokens in the store, following the client's Auth0 `refresh_token` settings
 * (see `tokens/refresh-policy.ts`):
 *
 * - Each token belongs to an authorization (its family). Revoking the authorization, or
 *   its absolute expiry, ends every token of the family.
 * - Rotating: every use issues a successor; the used token keeps working for `leeway`
 *   seconds (a retry after a lost response), and a use after that is reuse: the whole
 *   family is revoked (Auth0's reuse detection). The rotation time is kept in
 *   milliseconds, so with `leeway: 0` a replay in the same second as the rotation is
 *   reuse too (whole seconds let a replay within ~1 s through).
 * - Non-rotating: the same token is used until it expires or is revoked.
 * - Idle lifetime: a token unused for `idle_token_lifetime` seconds stops working; each
 *   use (or successor) starts a new idle period.
 * - A token presented by another client is refused without any effect on it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
import { ConflictError, InvalidGrantError } from '../errors.js';
import type { Store, StoredRecord } from '../storage/store.js';
import { isPlausibleOpaqueToken, newOpaqueToken, opaqueTokenId } from '../tokens/opaque-token.js';
import type { RefreshPolicy } from '../tokens/refresh-policy.js';
import {
  AUTHORIZATIONS,
  isLive,
  REFRESH_TOKENS,
  revokeAuthorization,
  type AuthorizationRecord,
  type RefreshTokenRecord,
} from './authorization-records.js';

const MAX_RACE_RETRIES = 5;
const INVALID = 'the refresh token is invalid, expired or revoked';

/** The outcome of using a refresh token. */
export type RefreshUse =
  | {
      readonly kind: 'ok';
      readonly authorizationId: string;
      readonly authorization: AuthorizationRecord;
      /** The successor (rotating tokens), to return to the client instead of the used one. */
      readonly next: string | undefined;
    }
  | { readonly kind: 'reuse'; readonly authorizationId: string };

/** A refresh token found by value, for introspection and revocation. */
export interface FoundRefreshToken {
  readonly record: RefreshTokenRecord;
  readonly authorization: AuthorizationRecord | undefined;
}

/** Issues, uses and finds refresh tokens. @internal */
export class RefreshTokens {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** A new token of the family `authorizationId`. */
  async issue(
    authorizationId: string,
    clientId: string,
    policy: RefreshPolicy,
    now: number,
  ): Promise<string> {
    const token = newOpaqueToken();
    await this.#store.insert<RefreshTokenRecord>(
      REFRESH_TOKENS,
      opaqueTokenId(token),
      fresh(authorizationId, clientId, policy, now),
    );
    return token;
  }

  /** The token's record and its authorization, whoever it belongs to. */
  async find(token: unknown): Promise<FoundRefreshToken | undefined> {
    if (!isPlausibleOpaqueToken(token)) return undefined;
    const stored = await this.#store.get<RefreshTokenRecord>(REFRESH_TOKENS, opaqueTokenId(token));
    if (!stored) return undefined;
    const authorization = await this.#store.get<AuthorizationRecord>(
      AUTHORIZATIONS,
      stored.value.authorization_id,
    );
    return { record: stored.value, authorization: authorization?.value };
  }

  /** True when the token is usable at `nowMs` (milliseconds; for introspection). */
  static isActive(found: FoundRefreshToken, policy: RefreshPolicy, nowMs: number): boolean {
    const { record, authorization } = found;
    const now = seconds(nowMs);
    if (!isLive(authorization, now)) return false;
    if (record.idle_expires_at !== null && record.idle_expires_at <= now) return false;
    return !reused(record, policy, nowMs);
  }

  /**
   * Uses a token for `clientId` under `policy` at `nowMs` (milliseconds). `approve` sees the
   * live authorization first and may refuse by throwing, which changes nothing.
   *
   * @throws {@link InvalidGrantError} when it is unknown, of another client, expired or revoked.
   */
  async use(
    clientId: string,
    token: unknown,
    policy: RefreshPolicy,
    nowMs: number,
    approve: (authorization: AuthorizationRecord) => Promise<void> | void = () => undefined,
  ): Promise<RefreshUse> {
    if (!isPlausibleOpaqueToken(token)) throw new InvalidGrantError(INVALID);
    const now = seconds(nowMs);
    const id = opaqueTokenId(token);
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
      const stored = await this.#store.get<RefreshTokenRecord>(REFRESH_TOKENS, id);
      if (!stored) throw new InvalidGrantError(INVALID);
      const record = stored.value;
      if (record.client_id !== clientId) {
        throw new InvalidGrantError('the refresh token was issued to another client');
      }
      const authorization = (
        await this.#store.get<AuthorizationRecord>(AUTHORIZATIONS, record.authorization_id)
      )?.value;
      if (!authorization || !isLive(authorization, now)) throw new InvalidGrantError(INVALID);
      if (record.idle_expires_at !== null && record.idle_expires_at <= now) {
        throw new InvalidGrantError('the refresh token expired: it was not used for too long');
      }
      // The caller's own checks (a DPoP binding), before reuse detection or rotation.
      await approve(authorization);
      if (reused(record, policy, nowMs)) {
        await revokeAuthorization(this.#store, record.authorization_id, 'refresh_token_reuse', now);
        return { kind: 'reuse', authorizationId: record.authorization_id };
      }
      try {
        const next = await this.#advance(id, stored, policy, nowMs);
        return { kind: 'ok', authorizationId: record.authorization_id, authorization, next };
      } catch (error) {
        // Two uses of the same token at once: look again, the other one has rotated it.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new InvalidGrantError('the refresh token is being used concurrently');
  }

  /** Writes what a use changes: a successor, or a new idle period; returns the successor. */
  async #advance(
    id: string,
    stored: StoredRecord<RefreshTokenRecord>,
    policy: RefreshPolicy,
    nowMs: number,
  ): Promise<string | undefined> {
    const record = stored.value;
    const now = seconds(nowMs);
    if (policy.rotating) {
      const next = newOpaqueToken();
      const successor = {
        op: 'insert',
        collection: REFRESH_TOKENS,
        id: opaqueTokenId(next),
        value: fresh(record.authorization_id, record.client_id, policy, now),
      } as const;
      // Within the leeway a rotated token may be used again; it keeps its first rotation time.
      await this.#store.commit(
        record.rotated_at !== null
          ? [successor]
          : [
              {
                op: 'replace',
                collection: REFRESH_TOKENS,
                id,
                value: { ...record, rotated_at: now, rotated_at_ms: nowMs },
                expectedVersion: stored.version,
              },
              successor,
            ],
      );
      return next;
    }
    if (policy.idleSeconds !== undefined) {
      await this.#store.replace<RefreshTokenRecord>(
        REFRESH_TOKENS,
        id,
        { ...record, idle_expires_at: now + policy.idleSeconds },
        stored.version,
      );
    }
    return undefined;
  }
}

/**
 * True when a rotated token is used at `nowMs` or later than its leeway allows: from the
 * rotation's millisecond plus `leeway` seconds on (at once with `leeway: 0`). A record
 * written before rotation times had milliseconds counts from the start of its second,
 * which can only detect a reuse sooner.
 */
function reused(record: RefreshTokenRecord, policy: RefreshPolicy, nowMs: number): boolean {
  const rotatedMs =
    record.rotated_at_ms ?? (record.rotated_at === null ? null : record.rotated_at * 1000);
  return rotatedMs !== null && nowMs >= rotatedMs + policy.leewaySeconds * 1000;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function fresh(
  authorizationId: string,
  clientId: string,
  policy: RefreshPolicy,
  now: number,
): RefreshTokenRecord {
  return {
    authorization_id: authorizationId,
    client_id: clientId,
    issued_at: now,
    idle_expires_at: policy.idleSeconds === undefined ? null : now + policy.idleSeconds,
    rotated_at: null,
  };
}
