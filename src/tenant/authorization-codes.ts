/**
 * Authorization codes in the store: issued after a login, redeemed once by the client
 * they were issued to, for the same `redirect_uri`, with the PKCE verifier of their
 * challenge.
 *
 * - A code presented by another client is refused and stays valid for its owner (a wrong
 *   client cannot burn someone else's code).
 * - Its own client gets one attempt: a wrong `redirect_uri` or verifier burns the code.
 * - A second exchange revokes the authorization the first one created, and with it every
 *   token issued from the code (RFC 6749 §4.1.2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, InvalidArgumentError, InvalidGrantError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { isPlausibleOpaqueToken, newOpaqueToken, opaqueTokenId } from '../tokens/opaque-token.js';
import { verifiesS256 } from '../tokens/pkce.js';
import {
  AUTHORIZATION_CODES,
  AUTHORIZATIONS,
  revokeAuthorization,
  type AuthorizationRecord,
  type CodeRecord,
} from './authorization-records.js';

/** RFC 6749 §4.1.2: a maximum lifetime of 10 minutes is recommended. */
export const MAX_CODE_LIFETIME = 600;
/** Default code lifetime: a minute is plenty for a browser redirect and one POST. */
export const DEFAULT_CODE_LIFETIME = 60;
const MAX_RACE_RETRIES = 5;

/** What a successful redemption yields. */
export interface RedeemedCode {
  readonly code: CodeRecord;
  readonly authorizationId: string;
  readonly authorization: AuthorizationRecord;
}

/** The token request's proof of the code. */
export interface CodeExchange {
  readonly code: string;
  readonly redirectUri: string | undefined;
  readonly codeVerifier: string | undefined;
  /** The key of the DPoP proof sent with the exchange, when one was. */
  readonly dpopJkt?: string | undefined;
}

/** Issues and redeems codes. @internal */
export class AuthorizationCodes {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Stores `record` under a new code's hash and returns the code. */
  async issue(record: Omit<CodeRecord, 'used_at' | 'authorization_id'>) {
    const code = newOpaqueToken();
    await this.#store.insert<CodeRecord>(AUTHORIZATION_CODES, opaqueTokenId(code), {
      ...record,
      used_at: null,
      authorization_id: null,
    });
    return code;
  }

  /**
   * Redeems a code for `clientId`; on success the code is marked used and the
   * authorization `authorize(code)` describes is created, in one atomic commit.
   *
   * @throws {@link InvalidGrantError} naming the reason (never the code).
   */
  async redeem(
    clientId: string,
    exchange: CodeExchange,
    now: number,
    authorize: (code: CodeRecord) => AuthorizationRecord | Promise<AuthorizationRecord>,
  ): Promise<RedeemedCode> {
    if (!isPlausibleOpaqueToken(exchange.code)) {
      throw new InvalidGrantError('the authorization code is invalid or expired');
    }
    const id = opaqueTokenId(exchange.code);
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
      const stored = await this.#store.get<CodeRecord>(AUTHORIZATION_CODES, id);
      const code = stored?.value;
      if (!stored || !code || code.expires_at <= now) {
        throw new InvalidGrantError('the authorization code is invalid or expired');
      }
      if (code.client_id !== clientId) {
        throw new InvalidGrantError('the authorization code was issued to another client');
      }
      if (code.used_at !== null) {
        if (code.authorization_id !== null) {
          await revokeAuthorization(this.#store, code.authorization_id, 'code_reuse', now);
        }
        throw new InvalidGrantError(
          'the authorization code was already used; the tokens issued for it are revoked',
        );
      }
      const problem = mismatch(code, exchange);
      try {
        if (problem !== undefined) {
          await this.#store.replace<CodeRecord>(
            AUTHORIZATION_CODES,
            id,
            { ...code, used_at: now },
            stored.version,
          );
          throw new InvalidGrantError(problem);
        }
        const authorizationId = `authz_${randomBytes(16).toString('base64url')}`;
        const authorization = await authorize(code);
        await this.#store.commit([
          {
            op: 'replace',
            collection: AUTHORIZATION_CODES,
            id,
            value: { ...code, used_at: now, authorization_id: authorizationId },
            expectedVersion: stored.version,
          },
          { op: 'insert', collection: AUTHORIZATIONS, id: authorizationId, value: authorization },
        ]);
        return { code, authorizationId, authorization };
      } catch (error) {
        // Another exchange of the same code got there first: look again (it is a reuse now).
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new InvalidGrantError('the authorization code is being exchanged concurrently');
  }
}

/** What the token request gets wrong about the code, or undefined. */
function mismatch(code: CodeRecord, exchange: CodeExchange): string | undefined {
  if (exchange.redirectUri !== code.redirect_uri) {
    return exchange.redirectUri === undefined
      ? 'redirect_uri is missing: repeat the one of the authorization request'
      : 'redirect_uri differs from the one of the authorization request';
  }
  if (
    typeof code.dpop_jkt === 'string' &&
    (exchange.dpopJkt === undefined || exchange.dpopJkt !== code.dpop_jkt)
  ) {
    return exchange.dpopJkt === undefined
      ? 'the code is bound to a DPoP key (dpop_jkt): send a DPoP proof of that key'
      : 'the DPoP proof is not of the key the code is bound to (dpop_jkt)';
  }
  if (code.code_challenge === null) {
    return exchange.codeVerifier === undefined
      ? undefined
      : 'code_verifier was sent but the authorization request had no code_challenge';
  }
  if (exchange.codeVerifier === undefined) return 'code_verifier is missing';
  return verifiesS256(code.code_challenge, exchange.codeVerifier)
    ? undefined
    : 'code_verifier does not match the code_challenge of the authorization request';
}

/** Checks a requested code lifetime (seconds). @internal */
export function checkCodeLifetime(value: unknown, pointer: string): number {
  if (value === undefined) return DEFAULT_CODE_LIFETIME;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_CODE_LIFETIME
  ) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} must be a whole number of seconds from 1 to ${MAX_CODE_LIFETIME} (RFC 6749 §4.1.2)`,
    );
  }
  return value;
}
