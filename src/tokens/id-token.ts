/**
 * ID token claims (OpenID Connect Core §2) and the HS256 key of a client.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { checkLifetime, checkString, numericDate } from './arguments.js';
import { decodeBase64UrlStrict } from './base64.js';
import { HS256_MIN_KEY_BYTES } from './jwt.js';
import { escapePointer } from './pointer.js';

/**
 * Claims only the tenant sets, with who sets them. A caller that passes one of these gets
 * an `InvalidArgumentError` at `/claims/<name>` rather than a silently dropped claim, so
 * the mistake is visible. `iss`, `aud`, `exp`, `iat` come from OIDC Core §2; `azp` too
 * (with `aud` the client id it could only repeat it, and anything else would make the
 * token meant for another party); `nbf` is RFC 7519's, and a caller value would make the
 * token unusable or its validity window not the configured one.
 *
 * `sub`, `nonce`, `auth_time`, `acr`, `amr`, `at_hash`, `c_hash`, `sid` and `jti` are the
 * caller's: they describe the authentication only the identity server saw.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 * @internal
 */
export const RESERVED_ID_TOKEN_CLAIMS: Readonly<Record<string, string>> = {
  iss: 'the tenant issuer',
  aud: 'the client id',
  azp: 'the tenant (aud is the client id)',
  iat: 'the issue time',
  exp: 'iat + jwt_configuration.lifetime_in_seconds',
  nbf: 'nobody: ID tokens are valid from iat',
};

/** `sub` is at most 255 ASCII characters (OIDC Core §2). */
export const MAX_SUBJECT_LENGTH = 255;

/**
 * Types of the OIDC and JWT claims a caller may set, checked so a token never carries,
 * say, a numeric `nonce` or a string `auth_time`.
 */
const CLAIM_CHECKS: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  nonce: (value) => (typeof value === 'string' && value !== '' ? undefined : 'a non-empty string'),
  auth_time: (value) =>
    Number.isSafeInteger(value) && (value as number) >= 0
      ? undefined
      : 'a NumericDate (whole seconds since the epoch)',
  acr: (value) => (typeof value === 'string' ? undefined : 'a string'),
  amr: (value) =>
    Array.isArray(value) && value.every((entry) => typeof entry === 'string')
      ? undefined
      : 'an array of strings',
  at_hash: (value) => (typeof value === 'string' ? undefined : 'a string'),
  c_hash: (value) => (typeof value === 'string' ? undefined : 'a string'),
  sid: (value) => (typeof value === 'string' ? undefined : 'a string'),
  jti: (value) => (typeof value === 'string' && value !== '' ? undefined : 'a non-empty string'),
};

/** Default `jwt_configuration.lifetime_in_seconds` (Auth0's). */
export const DEFAULT_ID_TOKEN_LIFETIME = 36_000;

/** Claims the caller supplies: `sub`, optionally `nonce`, and any non-reserved claim. */
export interface IdTokenInputClaims {
  /** Subject: the end user's id at the tenant; 1–255 characters. */
  readonly sub: string;
  /** Value from the authentication request, echoed for replay protection. */
  readonly nonce?: string;
  /** Any other claim (`auth_time`, `amr`, `email`, ...), except the reserved ones. */
  readonly [claim: string]: unknown;
}

/** The claims of an issued ID token. */
export interface IdTokenClaims {
  /** Issuer: the tenant. */
  readonly iss: string;
  /** Subject. */
  readonly sub: string;
  /** Audience: the client id. */
  readonly aud: string;
  /** Issued at, NumericDate. */
  readonly iat: number;
  /** Expiry, NumericDate. */
  readonly exp: number;
  /** Echoed nonce, when given. */
  readonly nonce?: string;
  /** The caller's other claims. */
  readonly [claim: string]: unknown;
}

/** Input of {@link buildIdTokenClaims}. */
export interface IdTokenClaimsInput {
  /** The tenant issuer, `iss`. */
  readonly issuer: string;
  /** The client the token is for, `aud`. */
  readonly clientId: string;
  /** `jwt_configuration.lifetime_in_seconds`: 1..2592000; default 36000. */
  readonly lifetimeSeconds?: number | undefined;
  /** Issue time, NumericDate; default now. */
  readonly now?: number | undefined;
  /** The caller's claims. */
  readonly claims: IdTokenInputClaims;
}

/**
 * Builds the payload of an ID token: `iss`, `sub`, `aud` = client id, `iat`,
 * `exp` = `iat` + lifetime, `nonce` when given, then the caller's other claims.
 *
 * @throws {@link InvalidArgumentError} at `/claims/<name>` for a reserved claim
 *   ({@link RESERVED_ID_TOKEN_CLAIMS}), a missing or over-long `sub`, or an OIDC claim of
 *   the wrong type; at `/issuer`, `/clientId`, `/lifetimeSeconds`, `/now` for bad arguments.
 * @example
 * ```ts
 * buildIdTokenClaims({
 *   issuer: 'https://example.auth0.com/',
 *   clientId: 'abc',
 *   lifetimeSeconds: 3600,
 *   now: 1700000000,
 *   claims: { sub: 'auth0|42', nonce: 'n-0S6', email: 'jane@example.com' },
 * });
 * // { iss, sub: 'auth0|42', aud: 'abc', iat: 1700000000, exp: 1700003600, nonce: 'n-0S6', email }
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @internal
 */
export function buildIdTokenClaims(input: IdTokenClaimsInput): IdTokenClaims {
  const iss = checkString(input.issuer, '/issuer');
  const aud = checkString(input.clientId, '/clientId');
  const lifetime = checkLifetime(
    input.lifetimeSeconds ?? DEFAULT_ID_TOKEN_LIFETIME,
    '/lifetimeSeconds',
  );
  const iat = numericDate(input.now, '/now');
  const claims = input.claims;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new InvalidArgumentError('/claims', '/claims must be an object with at least sub');
  }
  const sub = checkString(claims.sub, '/claims/sub', MAX_SUBJECT_LENGTH);
  for (const claim of Object.keys(claims)) {
    if (Object.hasOwn(RESERVED_ID_TOKEN_CLAIMS, claim)) {
      const pointer = `/claims/${claim}`;
      throw new InvalidArgumentError(
        pointer,
        `${pointer} is reserved: it is set by ${RESERVED_ID_TOKEN_CLAIMS[claim]} (OIDC Core §2)`,
      );
    }
    const check = Object.hasOwn(CLAIM_CHECKS, claim) ? CLAIM_CHECKS[claim] : undefined;
    const expected = check?.(claims[claim]);
    if (expected !== undefined) {
      const pointer = `/claims/${escapePointer(claim)}`;
      throw new InvalidArgumentError(pointer, `${pointer} must be ${expected}`);
    }
  }
  // Spread, not assignment: a `__proto__` claim stays an own property instead of
  // replacing the prototype; reserved names were refused above, so nothing is overridden.
  const { sub: _sub, nonce, ...rest } = claims;
  return nonce === undefined
    ? { iss, sub, aud, iat, exp: iat + lifetime, ...rest }
    : { iss, sub, aud, iat, exp: iat + lifetime, nonce, ...rest };
}

/**
 * The HS256 key of a client: its secret's UTF-8 bytes, or the bytes it encodes when
 * `jwt_configuration.secret_encoded` is true (Auth0 semantics; strict base64url).
 *
 * @throws {@link InvalidArgumentError} at `/client_secret` when there is no secret, it is
 *   not canonical base64url although `secret_encoded` is set, or the key is shorter than
 *   32 bytes (RFC 7518 §3.2). The message never contains the secret.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.2
 * @internal
 */
export function deriveHs256Key(secret: string | undefined, secretEncoded: boolean): Buffer {
  if (typeof secret !== 'string' || secret === '') {
    throw new InvalidArgumentError(
      '/client_secret',
      '/client_secret is required for HS256: a public client cannot use HS256',
    );
  }
  const key = secretEncoded ? decodeBase64UrlStrict(secret) : Buffer.from(secret, 'utf8');
  if (key === undefined) {
    throw new InvalidArgumentError(
      '/client_secret',
      '/client_secret is not canonical base64url, but jwt_configuration.secret_encoded is true',
    );
  }
  if (key.length < HS256_MIN_KEY_BYTES) {
    throw new InvalidArgumentError(
      '/client_secret',
      `/client_secret is too short for HS256: the key must be at least ${HS256_MIN_KEY_BYTES} bytes (RFC 7518 §3.2)`,
    );
  }
  return key;
}
