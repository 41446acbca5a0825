/**
 * Access tokens issued to a client on behalf of a user (authorization code and refresh
 * token grants), shaped like Auth0's: a JWT for the requested API, with `aud` also naming
 * the tenant's `/userinfo` when `openid` was granted.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';

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
}

/** The claims of a user access token. */
export interface UserAccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | string[];
  readonly iat: number;
  readonly exp: number;
  readonly scope?: string;
  readonly azp: string;
  readonly client_id: string;
  /** Unique id (RFC 7519 §4.1.7): what `/oauth/revoke` records for one access token. */
  readonly jti: string;
  /** The authorization (login grant) the token was issued under. */
  readonly sid: string;
}

/**
 * The payload of a user access token. `aud` is a string when it names one audience, as
 * Auth0 writes it.
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
  const tail = {
    azp: input.clientId,
    client_id: input.clientId,
    jti: randomBytes(16).toString('base64url'),
    sid: input.authorizationId,
  };
  return input.scopes.length === 0
    ? { ...base, ...tail }
    : { ...base, scope: input.scopes.join(' '), ...tail };
}
