/**
 * Access token profiles (Auth0's "token dialects" of an API): the default Auth0 profile
 * (`access_token`, `access_token_authz`), a JWT with `typ: JWT` and `azp`; and the RFC 9068
 * profile (`rfc9068_profile`, `rfc9068_profile_authz`), a JWT with `typ: at+jwt`,
 * `client_id` and `jti` instead of `azp`, which resource servers such as oauth4webapi's
 * `validateJwtAccessToken` require.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2
 * @see https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles
 * @module
 */
import type { JwtHeader } from './jwt.js';

/** The two shapes an access token can take. */
export type AccessTokenProfile = 'auth0' | 'rfc9068';

/** Auth0's token dialects, by the profile they belong to. */
const PROFILE_OF_DIALECT: Readonly<Record<string, AccessTokenProfile>> = {
  access_token: 'auth0',
  access_token_authz: 'auth0',
  rfc9068_profile: 'rfc9068',
  rfc9068_profile_authz: 'rfc9068',
};

/**
 * The profile of an API's `token_dialect`: RFC 9068 for `rfc9068_profile(_authz)`, Auth0's
 * otherwise (absent, or a dialect this library does not know, keeps the default).
 *
 * @internal
 */
export function accessTokenProfileOf(dialect: unknown): AccessTokenProfile {
  return typeof dialect === 'string' && Object.hasOwn(PROFILE_OF_DIALECT, dialect)
    ? (PROFILE_OF_DIALECT[dialect] as AccessTokenProfile)
    : 'auth0';
}

/**
 * The JOSE header of an access token of `profile`: RFC 9068 §2.1 requires
 * `typ: at+jwt` (so the token cannot be confused with an ID token); Auth0's profile writes
 * `typ: JWT`.
 *
 * @internal
 */
export function accessTokenHeader(profile: AccessTokenProfile): JwtHeader {
  return profile === 'rfc9068' ? AT_JWT_TYP : AUTH0_TYP;
}

const AT_JWT_TYP: JwtHeader = Object.freeze({ typ: 'at+jwt' });
const AUTH0_TYP: JwtHeader = Object.freeze({ typ: 'JWT' });
