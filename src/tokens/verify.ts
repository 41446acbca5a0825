/**
 * JWT verification for tokens the tenant issued, on jose's `jwtVerify` with the accepted
 * algorithms pinned per key. Every failure becomes an `InvalidTokenError` whose message
 * says which check failed, and never contains the token, its claims or a key.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { InvalidArgumentError, InvalidTokenError } from '../errors.js';
import { isSigningAlgorithm, type SigningAlgorithm } from './algorithms.js';
import { numericDate } from './arguments.js';
import type { KeyRing } from './key-ring.js';
import { verificationKey } from './verification-key.js';

/** Options of {@link verifyJwt}: exactly one of `keyRing` and `hmacKey`. */
export interface VerifyJwtOptions {
  /** Tenant keys: the header `kid` picks the key, and only that key's `alg` is accepted. */
  readonly keyRing?: KeyRing | undefined;
  /** An HS256 key (bytes or a secret `KeyObject`): only `HS256` is accepted. */
  readonly hmacKey?: KeyObject | Uint8Array | undefined;
  /** With `keyRing`: narrows the accepted algorithms further (for example a client's one). */
  readonly algorithms?: readonly SigningAlgorithm[] | undefined;
  /** Required `iss`. */
  readonly issuer: string;
  /** Required `aud` (the token's `aud` must be or contain it). */
  readonly audience: string;
  /** Current time, NumericDate; default now. */
  readonly now?: number | undefined;
  /** Seconds of clock skew accepted on `exp`, `nbf` and `iat`; default 0. */
  readonly clockToleranceSeconds?: number | undefined;
  /** Claims that must be present; default `exp`, `iat`, `sub` (plus `iss` and `aud`). */
  readonly requiredClaims?: readonly string[] | undefined;
}

/** Longer strings are refused before any parsing: no token of ours comes near it. */
export const MAX_TOKEN_LENGTH = 16_384;

const DEFAULT_REQUIRED = ['exp', 'iat', 'sub'] as const;

/** jose error codes and the outward message of each. */
const MESSAGES: Readonly<Record<string, string>> = {
  ERR_JWT_EXPIRED: 'token has expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'token signature is invalid',
  ERR_JOSE_ALG_NOT_ALLOWED: 'token alg is not accepted for this key',
  ERR_JOSE_NOT_SUPPORTED: 'token uses an unsupported JOSE feature',
  ERR_JWS_INVALID: 'token is not a well-formed compact JWS',
  ERR_JWT_INVALID: 'token payload is not a valid JWT claims set',
};

/** Messages for `JWTClaimValidationFailed`, by claim. */
const CLAIM_MESSAGES: Readonly<Record<string, string>> = {
  iss: 'token issuer is not this tenant',
  aud: 'token audience does not match',
  nbf: 'token is not valid yet (nbf)',
  iat: 'token iat is not a valid time',
  exp: 'token exp is not a valid time',
};

/**
 * Verifies a compact JWS JWT: signature (algorithm pinned per key), `iss`, `aud`, `exp`,
 * `nbf`, the required claims. Returns the payload.
 *
 * @throws {@link InvalidTokenError} with a message naming the failed check: expired,
 *   audience, issuer, signature, unknown kid, algorithm, malformed.
 * @throws {@link InvalidArgumentError} when the options are unusable (not exactly one key
 *   source, bad issuer or audience).
 * @example
 * ```ts
 * const claims = await verifyJwt(token, {
 *   keyRing: ring,
 *   issuer: 'https://example.auth0.com/',
 *   audience: clientId,
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 * @see https://www.rfc-editor.org/rfc/rfc8725#section-3.1 (pin algorithms)
 * @internal
 */
export async function verifyJwt(token: string, options: VerifyJwtOptions): Promise<JWTPayload> {
  const { key, algorithms } = keyAndAlgorithms(options);
  for (const name of ['issuer', 'audience'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '') {
      throw new InvalidArgumentError(`/${name}`, `/${name} must be a non-empty string`);
    }
  }
  const now = options.now === undefined ? undefined : numericDate(options.now, '/now');
  const tolerance = options.clockToleranceSeconds ?? 0;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new InvalidArgumentError(
      '/clockToleranceSeconds',
      '/clockToleranceSeconds must be a non-negative number of seconds',
    );
  }
  if (typeof token !== 'string') throw new InvalidTokenError('token must be a string');
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidTokenError(`token is longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: [...(options.requiredClaims ?? DEFAULT_REQUIRED)],
      clockTolerance: tolerance,
      ...(now === undefined ? {} : { currentDate: new Date(now * 1000) }),
    });
    return payload;
  } catch (error) {
    throw toInvalidToken(error);
  }
}

/** The jose key argument and accepted algorithms for the options' key source. */
function keyAndAlgorithms(options: VerifyJwtOptions): {
  key: JWTVerifyGetKey;
  algorithms: string[];
} {
  const { keyRing, hmacKey } = options;
  if (hmacKey !== undefined && keyRing === undefined) {
    return { key: () => verificationKey(hmacKey, 'HS256'), algorithms: ['HS256'] };
  }
  if (keyRing === undefined || hmacKey !== undefined) {
    throw new InvalidArgumentError('/keyRing', 'pass exactly one of /keyRing and /hmacKey');
  }
  const pinned = options.algorithms;
  if (pinned !== undefined && (!Array.isArray(pinned) || !pinned.every(isSigningAlgorithm))) {
    throw new InvalidArgumentError('/algorithms', '/algorithms must list signing algorithms');
  }
  const algorithms = [...new Set(keyRing.keys.map((k) => k.alg))].filter(
    (alg) => pinned === undefined || pinned.includes(alg),
  );
  const key: JWTVerifyGetKey = (header) => {
    if (typeof header.kid !== 'string') throw new InvalidTokenError('token header has no kid');
    const found = keyRing.find(header.kid);
    if (found === undefined) throw new InvalidTokenError('token kid names no tenant signing key');
    if (header.alg !== found.alg)
      throw new InvalidTokenError('token alg is not the alg of its key');
    return verificationKey(found.publicKey, found.alg);
  };
  return { key, algorithms };
}

function toInvalidToken(error: unknown): unknown {
  if (error instanceof InvalidTokenError) return error;
  const { code, claim, reason } = (error ?? {}) as {
    code?: unknown;
    claim?: unknown;
    reason?: unknown;
  };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const name = typeof claim === 'string' ? claim : '';
    if (reason === 'missing')
      return new InvalidTokenError(`token has no ${JSON.stringify(name)} claim`);
    return new InvalidTokenError(own(CLAIM_MESSAGES, name) ?? `token ${name} claim check failed`);
  }
  const message = typeof code === 'string' ? own(MESSAGES, code) : undefined;
  // Anything else is not a jose verdict about the token but a programming error: surface it.
  return message === undefined ? error : new InvalidTokenError(message);
}

/** `table[key]` for own members only (`constructor` is not a message). */
function own(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
