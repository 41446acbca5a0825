/**
 * OpenID Connect scopes and the standard claims each one releases (OIDC Core §5.4), used
 * for `/userinfo` and the ID token of the authorization-code flow.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
 * @module
 */

/** Standard scopes and the claims they release. */
export const OIDC_SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  openid: ['sub'],
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
});

/** Scopes that concern the user and the grant rather than an API. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set([
  ...Object.keys(OIDC_SCOPE_CLAIMS),
  'offline_access',
]);

const STANDARD_CLAIMS = new Set(Object.values(OIDC_SCOPE_CLAIMS).flat());

/**
 * The user's claims that `scopes` release: standard claims only for their scope, `sub`
 * always, and claims outside the standard set (an app's own, such as Auth0's namespaced
 * `https://example.com/roles`) as the app gave them.
 *
 * @internal
 */
export function releasedClaims(
  sub: string,
  claims: Readonly<Record<string, unknown>>,
  scopes: readonly string[],
): Record<string, unknown> {
  const allowed = new Set(scopes.flatMap((scope) => OIDC_SCOPE_CLAIMS[scope] ?? []));
  const released: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (!STANDARD_CLAIMS.has(name) || allowed.has(name)) released[name] = value;
  }
  released['sub'] = sub;
  return released;
}
