// @ts-check
/**
 * The one built-in user. The example has no user database and no login form: every
 * authorization request signs this user in, so the flows can be run from a browser or a
 * test without typing anything. A real server would authenticate here instead.
 */

/** The demo user's profile, as OIDC standard claims. */
export const DEMO_USER = Object.freeze({
  sub: 'demo|alice',
  name: 'Alice Example',
  given_name: 'Alice',
  family_name: 'Example',
  nickname: 'alice',
  email: 'alice@example.com',
  email_verified: true,
  updated_at: 1_700_000_000,
});

/** The scopes this server knows, and the claims each one releases (OIDC Core §5.4). */
export const SCOPE_CLAIMS = Object.freeze({
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'nickname', 'updated_at'],
  email: ['email', 'email_verified'],
});

/** @typedef {keyof typeof SCOPE_CLAIMS} SupportedScope */

/**
 * The requested scopes this server supports, in a stable order; unknown scopes are left
 * out (RFC 6749 §3.3 lets the server grant less than was asked, and say so).
 *
 * @param {string | undefined} requested - space-separated
 * @returns {SupportedScope[]}
 */
export function supportedScopes(requested) {
  const asked = new Set((requested ?? '').split(' '));
  return /** @type {SupportedScope[]} */ (Object.keys(SCOPE_CLAIMS)).filter((scope) =>
    asked.has(scope),
  );
}

/**
 * The demo user's claims that `scopes` release, `sub` always included.
 *
 * @param {readonly string[]} scopes
 * @returns {Record<string, unknown>}
 */
export function claimsFor(scopes) {
  /** @type {Record<string, unknown>} */
  const claims = { sub: DEMO_USER.sub };
  for (const scope of scopes) {
    if (!Object.hasOwn(SCOPE_CLAIMS, scope)) continue;
    for (const claim of SCOPE_CLAIMS[/** @type {SupportedScope} */ (scope)]) {
      claims[claim] = DEMO_USER[/** @type {keyof typeof DEMO_USER} */ (claim)];
    }
  }
  return claims;
}
