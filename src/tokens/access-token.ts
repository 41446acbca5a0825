/**
 * Access tokens of the client-credentials grant, shaped like Auth0's: claims and the
 * token response.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { checkLifetime, checkString, numericDate } from './arguments.js';
import { InvalidArgumentError } from '../errors.js';
import { accessTokenHeader, type AccessTokenProfile } from './access-token-profile.js';
import { signJwt, type JwtSigner } from './jwt.js';
import { signingKeyFor, type KeyRing } from './key-ring.js';
import type { SigningAlgorithm } from './algorithms.js';

/** An API's default `token_lifetime` (Auth0's): 24 hours. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME = 86_400;

/** Auth0's grant type marker for client-credentials tokens. */
export const CLIENT_CREDENTIALS_GTY = 'client-credentials';

/** Input of {@link buildAccessTokenClaims}. */
export interface AccessTokenClaimsInput {
  /** The tenant issuer, `iss`. */
  readonly issuer: string;
  /** The authenticated client: `sub` is `{clientId}@clients`, `azp` is the id. */
  readonly clientId: string;
  /** The API identifier, `aud`. */
  readonly audience: string;
  /** Scopes to grant, from `resolveScopes`; `scope` is omitted when empty. */
  readonly scopes: readonly string[];
  /** The API's `token_lifetime`: 1..2592000; default 86400. */
  readonly lifetimeSeconds?: number | undefined;
  /** Issue time, NumericDate; default now. */
  readonly now?: number | undefined;
  /** The API's access token profile (its `token_dialect`); default Auth0's. */
  readonly profile?: AccessTokenProfile | undefined;
  /**
   * The thumbprint of the DPoP key the token is bound to (RFC 9449 §6): written as
   * `cnf.jkt`, and the response's `token_type` is then `DPoP`.
   */
  readonly jkt?: string | undefined;
}

/** The claims of a client-credentials access token. */
export interface AccessTokenClaims {
  /** Issuer: the tenant. */
  readonly iss: string;
  /** `{client_id}@clients` (Auth0's subject for machine-to-machine tokens). */
  readonly sub: string;
  /** The API identifier. */
  readonly aud: string;
  /** Issued at, NumericDate. */
  readonly iat: number;
  /** Expiry, NumericDate. */
  readonly exp: number;
  /** Granted scopes, space-separated; absent when none. */
  readonly scope?: string;
  /** Grant type: `client-credentials`. */
  readonly gty: typeof CLIENT_CREDENTIALS_GTY;
  /** Authorized party: the client id (Auth0's profile). */
  readonly azp?: string;
  /** The client id (RFC 9068 profile, §2.2). */
  readonly client_id?: string;
  /** Unique token id (RFC 9068 profile, §2.2). */
  readonly jti?: string;
  /** The DPoP key the token is bound to (RFC 9449 §6.1). */
  readonly cnf?: { readonly jkt: string };
}

/**
 * Builds the payload of a client-credentials access token: `iss`, `sub` =
 * `{client_id}@clients`, `aud`, `iat`, `exp`, `scope` (space-separated), `gty`, and `azp`
 * (Auth0's profile) or `client_id` and `jti` (the RFC 9068 profile).
 *
 * @throws {@link InvalidArgumentError} at the pointer of a bad argument.
 * @example
 * ```ts
 * buildAccessTokenClaims({
 *   issuer: 'https://example.auth0.com/', clientId: 'abc', audience: 'https://api.example.com',
 *   scopes: ['read:users'], lifetimeSeconds: 86400, now: 1700000000,
 * });
 * // { iss, sub: 'abc@clients', aud: 'https://api.example.com', iat: 1700000000,
 * //   exp: 1700086400, scope: 'read:users', gty: 'client-credentials', azp: 'abc' }
 * ```
 * @see https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow
 * @internal
 */
export function buildAccessTokenClaims(input: AccessTokenClaimsInput): AccessTokenClaims {
  const iss = checkString(input.issuer, '/issuer');
  const clientId = checkString(input.clientId, '/clientId');
  const aud = checkString(input.audience, '/audience');
  const lifetime = checkLifetime(
    input.lifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME,
    '/lifetimeSeconds',
  );
  const iat = numericDate(input.now, '/now');
  if (
    !Array.isArray(input.scopes) ||
    !input.scopes.every((s) => typeof s === 'string' && s !== '')
  ) {
    throw new InvalidArgumentError('/scopes', '/scopes must be an array of scope tokens');
  }
  const base = { iss, sub: `${clientId}@clients`, aud, iat, exp: iat + lifetime };
  const tail: Pick<AccessTokenClaims, 'gty' | 'azp' | 'client_id' | 'jti'> =
    input.profile === 'rfc9068'
      ? {
          gty: CLIENT_CREDENTIALS_GTY,
          client_id: clientId,
          jti: randomBytes(16).toString('base64url'),
        }
      : { gty: CLIENT_CREDENTIALS_GTY, azp: clientId };
  const bound = input.jkt === undefined ? tail : { ...tail, cnf: { jkt: input.jkt } };
  return input.scopes.length === 0
    ? { ...base, ...bound }
    : { ...base, scope: input.scopes.join(' '), ...bound };
}

/** The token endpoint's successful response for the client-credentials grant. */
export interface AccessTokenResponse {
  /** The signed JWT. */
  readonly access_token: string;
  /** Always `Bearer`. */
  readonly token_type: 'Bearer';
  /** Seconds until `exp`. */
  readonly expires_in: number;
  /** Granted scopes, space-separated; absent when none. */
  readonly scope?: string;
}

/**
 * The response for a token bound to a DPoP key (RFC 9449 §5): as
 * {@link AccessTokenResponse}, with `token_type: 'DPoP'`.
 */
export interface DpopAccessTokenResponse extends Omit<AccessTokenResponse, 'token_type'> {
  /** Always `DPoP`: the token is used with `Authorization: DPoP` and a proof. */
  readonly token_type: 'DPoP';
}

/**
 * Builds, signs (with the ring's first key of `alg`) and packages a client-credentials
 * access token.
 *
 * @param input - as for {@link buildAccessTokenClaims}
 * @param keyRing - the tenant keys
 * @param alg - the API's `signing_alg`; default RS256
 * @throws {@link InvalidArgumentError} for bad arguments or when the ring has no `alg` key.
 * @example
 * ```ts
 * const scopes = resolveScopes(body.scope, grant.scope);
 * const response = await issueAccessTokenResponse(
 *   { issuer, clientId, audience: api.identifier, scopes, lifetimeSeconds: api.token_lifetime },
 *   ring,
 *   api.signing_alg,
 * );
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3
 * @internal
 */
export async function issueAccessTokenResponse(
  input: AccessTokenClaimsInput,
  keyRing: KeyRing,
  alg: SigningAlgorithm = 'RS256',
): Promise<AccessTokenResponse | DpopAccessTokenResponse> {
  return issueAccessTokenResponseWith(
    input,
    signingKeyFor(keyRing, alg, 'access tokens for this API'),
  );
}

/**
 * As {@link issueAccessTokenResponse}, signed with a given signer: a tenant key, or the
 * HMAC signer of an API that signs `HS256` with its own secret.
 *
 * @internal
 */
export async function issueAccessTokenResponseWith(
  input: AccessTokenClaimsInput,
  signer: JwtSigner,
): Promise<AccessTokenResponse | DpopAccessTokenResponse> {
  const claims = buildAccessTokenClaims(input);
  const access_token = await signJwt(accessTokenHeader(input.profile ?? 'auth0'), claims, signer);
  const expires_in = claims.exp - claims.iat;
  const token_type = input.jkt === undefined ? 'Bearer' : 'DPoP';
  return claims.scope === undefined
    ? { access_token, token_type, expires_in }
    : { access_token, token_type, expires_in, scope: claims.scope };
}
