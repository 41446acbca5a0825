// @ts-check
/**
 * Authorization codes: random, single-use, short-lived, and bound to everything the
 * token request must repeat or prove (client, redirect_uri, PKCE challenge) plus what
 * the ID token must carry (user, nonce, scopes). Held in this process's memory: a code
 * lives for a minute, so a restart only costs a sign-in in flight.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
import { randomBytes } from 'node:crypto';

/** How long a code may wait for its exchange (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_LIFETIME_SECONDS = 60;

/** Above this many outstanding codes, expired ones are swept before a new one is added. */
const SWEEP_ABOVE = 1_000;

/**
 * What an authorization code stands for.
 *
 * @typedef {object} CodeGrant
 * @property {string} clientId - the client it was issued to
 * @property {string} redirectUri - the redirect_uri of the authorization request, verbatim
 * @property {string | undefined} codeChallenge - the S256 PKCE challenge, when one was sent
 * @property {string | undefined} nonce - echoed in the ID token
 * @property {string[]} scopes - the scopes granted
 * @property {string} sub - the signed-in user
 * @property {number} authTime - when the user signed in, in seconds since the epoch
 */

/**
 * The outcome of {@link AuthorizationCodes.take}.
 *
 * @typedef {{ status: 'valid', grant: CodeGrant }
 *   | { status: 'replayed' }
 *   | { status: 'invalid' }} CodeLookup
 */

/** The codes this server issued and has not seen exchanged or expire. */
export class AuthorizationCodes {
  /** @type {Map<string, { grant: CodeGrant, expiresAt: number }>} */
  #pending = new Map();
  /**
   * Codes already exchanged, kept until they would have expired, to recognise a replay.
   *
   * @type {Map<string, number>}
   */
  #redeemed = new Map();
  /** @type {() => number} */
  #now;

  /** @param {() => number} [now] - clock in milliseconds */
  constructor(now = Date.now) {
    this.#now = now;
  }

  /**
   * Issues a code for `grant`.
   *
   * @param {CodeGrant} grant
   * @returns {string} 43 characters of base64url (256 random bits)
   */
  issue(grant) {
    if (this.#pending.size + this.#redeemed.size > SWEEP_ABOVE) this.#sweep();
    const code = randomBytes(32).toString('base64url');
    this.#pending.set(code, { grant, expiresAt: this.#now() + CODE_LIFETIME_SECONDS * 1000 });
    return code;
  }

  /**
   * Takes a code for its one exchange: the first call returns what it stands for and
   * every later call reports a replay (RFC 6749 §4.1.2: the server should then revoke the
   * tokens issued for it).
   *
   * @param {string} code
   * @returns {CodeLookup}
   */
  take(code) {
    const now = this.#now();
    const entry = this.#pending.get(code);
    if (entry) {
      this.#pending.delete(code);
      if (entry.expiresAt <= now) return { status: 'invalid' };
      this.#redeemed.set(code, entry.expiresAt);
      return { status: 'valid', grant: entry.grant };
    }
    const redeemedUntil = this.#redeemed.get(code);
    if (redeemedUntil !== undefined && redeemedUntil > now) return { status: 'replayed' };
    return { status: 'invalid' };
  }

  #sweep() {
    const now = this.#now();
    for (const [code, entry] of this.#pending)
      if (entry.expiresAt <= now) this.#pending.delete(code);
    for (const [code, until] of this.#redeemed) if (until <= now) this.#redeemed.delete(code);
  }
}
