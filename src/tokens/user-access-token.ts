/**
 * Access tokens issued to a client on behalf of a user (authorization code and refresh
 * token grants), shaped like Auth0's: a JWT for the requested API, with `aud` also naming
 * the tenant's `/userinfo` when `openid` was granted.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { AccessTokenProfile } from './access-token-profile.js';

/** Input of {@link buildUserAccessTokenClaims}. */
export interface UserAccessTokenInput {
  /** The tenant issuer, `iss`. */
  readonly issuer: string;
  /** The user, `sub`. */
  readonly sub: string;
  /** The client the token is issued to: `azp` and `client_id`. */
  readonly clientId: string;
  /** `aud`: the API identifier and/or the userinfo URL. */
  readonly audience: readonly string[];
  /** Granted scopes; `scope` is omitted when empty. */
  readonly scopes: readonly string[];
  /** Lifetime in seconds. */
  readonly lifetimeSeconds: number;
  /** Issue time, NumericDate. */
  readonly now: number;
  /** The authorization (grant) the token belongs to: revoking it revokes the token. */
  readonly authorizationId: string;
  /** The API's access token profile; default Auth0's. */
  readonly profile?: AccessTokenProfile | undefined;
  /** When the user authenticated (NumericDate), written by the RFC 9068 profile. */
  readonly authTime?: number | undefined;
  /** The DPoP key the token is bound to (RFC 9449 §6.1): written as `cnf.jkt`. */
  readonly jkt?: string | undefined;
}

/** The claims of a user access token. */
export interface UserAccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | string[];
  readonly iat: number;
  readonly exp: number;
  readonly scope?: string;
  /** Authorized party (Auth0's profile; the RFC 9068 profile has `client_id` only). */
  readonly azp?: string;
  readonly client_id: string;
  /** When the user authenticated (RFC 9068 §2.2.1), in the RFC 9068 profile. */
  readonly auth_time?: number;
  /** Unique id (RFC 7519 §4.1.7): what `/oauth/revoke` records for one access token. */
  readonly jti: string;
  /** The authorization (login grant) the token was issued under. */
  readonly sid: string;
  /** The DPoP key the token is bound to. */
  readonly cnf?: { readonly jkt: string };
}

/**
 * The payload of a user access token. `aud` is a string when it names one audience, as
 * Auth0 writes it. The RFC 9068 profile leaves out `azp` and adds `auth_time`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 * @internal
 */
export function buildUserAccessTokenClaims(input: UserAccessTokenInput): UserAccessTokenClaims {
  const aud = input.audience.length === 1 ? (input.audience[0] as string) : [...input.audience];
  const base = {
    iss: input.issuer,
    sub: input.sub,
    aud,
    iat: input.now,
    exp: input.now + input.lifetimeSeconds,
  };
  const jti = randomBytes(16).toString('base64url');
  const tail =
    input.profile === 'rfc9068'
      ? {
          client_id: input.clientId,
          jti,
          sid: input.authorizationId,
          ...(input.authTime === undefined ? {} : { auth_time: input.authTime }),
        }
      : { azp: input.clientId, client_id: input.clientId, jti, sid: input.authorizationId };
  const bound = input.jkt === undefined ? tail : { ...tail, cnf: { jkt: input.jkt } };
  return input.scopes.length === 0
    ? { ...base, ...bound }
    : { ...base, scope: input.scopes.join(' '), ...bound };
}
