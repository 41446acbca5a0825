// @ts-check
/**
 * Access tokens of the authorization-code flow, for the userinfo endpoint: opaque random
 * strings held in this process's memory.
 *
 * Why not JWTs: the library's `tenant.issueAccessToken` is the client-credentials grant
 * (subject `{client_id}@clients`, only for confidential clients with a client grant), and
 * it offers no way to sign a token for a user with the tenant key. Opaque tokens are what
 * RFC 6749 §1.4 describes and what userinfo needs; client-credentials tokens stay JWTs.
 */
import { randomBytes } from 'node:crypto';

/** Lifetime of a userinfo access token, in seconds. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/** Above this many live tokens, expired ones are swept before a new one is added. */
const SWEEP_ABOVE = 1_000;

/**
 * What a userinfo access token stands for.
 *
 * @typedef {object} AccessTokenGrant
 * @property {string} sub - the user
 * @property {string} clientId - the client it was issued to
 * @property {string[]} scopes - the scopes granted
 * @property {string} code - the authorization code it was issued for (revoked on a replay)
 */

/** The access tokens this server issued for users. */
export class AccessTokens {
  /** @type {Map<string, { grant: AccessTokenGrant, expiresAt: number }>} */
  #live = new Map();
  /**
   * Token by the code it was issued for.
   *
   * @type {Map<string, string>}
   */
  #byCode = new Map();
  /** @type {() => number} */
  #now;

  /** @param {() => number} [now] - clock in milliseconds */
  constructor(now = Date.now) {
    this.#now = now;
  }

  /**
   * Issues a token for `grant`.
   *
   * @param {AccessTokenGrant} grant
   * @returns {{ token: string, expiresIn: number }}
   */
  issue(grant) {
    if (this.#live.size > SWEEP_ABOVE) this.#sweep();
    const token = randomBytes(32).toString('base64url');
    this.#live.set(token, { grant, expiresAt: this.#now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000 });
    this.#byCode.set(grant.code, token);
    return { token, expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS };
  }

  /**
   * What a live token stands for; undefined when it is unknown, expired or revoked.
   *
   * @param {string} token
   * @returns {AccessTokenGrant | undefined}
   */
  find(token) {
    const entry = this.#live.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt > this.#now()) return entry.grant;
    this.#revoke(token);
    return undefined;
  }

  /**
   * Revokes the token issued for an authorization code (its code was replayed).
   *
   * @param {string} code
   */
  revokeIssuedFor(code) {
    const token = this.#byCode.get(code);
    if (token !== undefined) this.#revoke(token);
  }

  /** @param {string} token */
  #revoke(token) {
    const entry = this.#live.get(token);
    this.#live.delete(token);
    if (entry) this.#byCode.delete(entry.grant.code);
  }

  #sweep() {
    const now = this.#now();
    for (const [token, entry] of this.#live) if (entry.expiresAt <= now) this.#revoke(token);
  }
}
