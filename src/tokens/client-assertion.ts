/**
 * JWT client assertions at the token endpoint (RFC 7523 §2.2 and §3, OIDC Core §9):
 * `private_key_jwt` (signed with a key of one of the client's credentials) and
 * `client_secret_jwt` (HS256 keyed with the client secret). Parsing is strict and every
 * failure is one `invalid_client`, with the reason kept for the audit trail. Which of the
 * two an assertion may be is decided by the client's configuration, never by the token's
 * header alone, so no public key ever becomes an HMAC key (algorithm confusion).
 *
 * @module
 */
import { createHmac, timingSafeEqual, webcrypto, type KeyObject } from 'node:crypto';
import { decodeBase64UrlStrict } from './base64.js';
import { jsonObject } from './compact-jws.js';
import { clientAuthError, type ClientAuthFailureReason } from './client-auth-failure.js';
import { CREDENTIAL_ALGORITHMS, signatureVerifies } from './signature.js';

/** The only `client_assertion_type` (RFC 7523 §2.2). */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The token-endpoint authentication methods `authenticateClient` implements, for a
 * discovery document's `token_endpoint_auth_methods_supported`.
 */
export const TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED: readonly string[] = Object.freeze([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
]);

/**
 * The client assertion algorithms accepted (`private_key_jwt`: RS256, RS384, PS256, ES256;
 * `client_secret_jwt`: HS256), for `token_endpoint_auth_signing_alg_values_supported`.
 */
export const TOKEN_ENDPOINT_AUTH_SIGNING_ALGS_SUPPORTED: readonly string[] = Object.freeze([
  'RS256',
  'RS384',
  'PS256',
  'ES256',
  'HS256',
]);

/** Assertions longer than this are refused before decoding. */
export const MAX_ASSERTION_LENGTH = 8192;

/** Longest accepted lifetime of an assertion: `exp` at most this many seconds ahead. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** Clock skew allowed for `exp` in the past and `iat`/`nbf` in the future, in seconds. */
export const ASSERTION_CLOCK_TOLERANCE_SECONDS = 30;

/** Longest `jti` kept in the replay cache. */
export const MAX_JTI_LENGTH = 256;

/** A public key a client may prove, with the one algorithm it accepts. */
export interface AssertionKey {
  /** Credential id, reported on success. */
  readonly id: string;
  /** Key id the JWT header may name. */
  readonly kid: string;
  /** The algorithm the credential signs with. */
  readonly alg: string;
  /** The public key. */
  readonly key: KeyObject;
}

/** What an assertion is checked against; the tenant supplies it. */
export interface AssertionContext {
  /** Accepted `aud` values: the issuer and the token endpoint URL. */
  readonly audiences: readonly string[];
  /** The current time in seconds since the epoch. */
  readonly now: number;
  /** Credentials the client may use now (enabled, existing, unexpired). */
  publicKeys(): Promise<readonly AssertionKey[]>;
  /** The previous secret while its rotation overlap lasts. */
  previousSecret(): Promise<string | undefined>;
  /** Records `jti` as used until `until` (seconds); false when it was already used (a replay). */
  consumeJti(jti: string, until: number): Promise<boolean>;
}

/** A decoded, not yet verified, assertion. */
export interface DecodedAssertion {
  /** The header `alg`. */
  readonly alg: string;
  /** The header `kid`, when present. */
  readonly kid: string | undefined;
  /** The claims. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** `iss` (= `sub`): the client id. */
  readonly clientId: string;
  /** `header.payload`, the signed bytes. */
  readonly signingInput: Buffer;
  /** The signature bytes. */
  readonly signature: Buffer;
}

/** Which client method an assertion used. */
export type AssertionMethod = 'private_key_jwt' | 'client_secret_jwt';

/** A verified assertion. */
export interface VerifiedAssertion {
  /** The method. */
  readonly method: AssertionMethod;
  /** The credential that verified it (`private_key_jwt`). */
  readonly credentialId?: string;
}

/**
 * Decodes a client assertion without trusting it: the type must be the JWT bearer URN,
 * the assertion a compact JWS (three canonical base64url parts, JSON object header and
 * claims, no `crit`), `iss` and `sub` the same non-empty string, and a body `client_id`,
 * when present, equal to it.
 *
 * @throws {@link InvalidClientError} for anything else; never any other error.
 * @internal
 */
export function decodeClientAssertion(
  type: string | undefined,
  assertion: string | undefined,
  bodyClientId: string | undefined,
): DecodedAssertion {
  const fail = (reason: ClientAuthFailureReason) =>
    clientAuthError(reason, { mechanism: 'client_assertion' });
  if (type !== JWT_BEARER_ASSERTION_TYPE) throw fail('assertion_type');
  if (typeof assertion !== 'string' || assertion.length > MAX_ASSERTION_LENGTH) {
    throw fail('malformed_assertion');
  }
  const parts = assertion.split('.');
  if (parts.length !== 3) throw fail('malformed_assertion');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = jsonObject(headerPart);
  const claims = jsonObject(payloadPart);
  const signature = decodeBase64UrlStrict(signaturePart);
  if (!header || !claims || !signature || signature.length === 0) {
    throw fail('malformed_assertion');
  }
  const { alg, kid } = header;
  if (typeof alg !== 'string' || (kid !== undefined && typeof kid !== 'string')) {
    throw fail('malformed_assertion');
  }
  if (header.crit !== undefined) throw fail('malformed_assertion');
  const { iss, sub } = claims;
  if (typeof iss !== 'string' || iss === '' || iss !== sub) throw fail('assertion_iss_sub');
  if (bodyClientId !== undefined && bodyClientId !== iss) throw fail('client_id_mismatch');
  return {
    alg,
    kid,
    claims,
    clientId: iss,
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'),
    signature,
  };
}

/**
 * Verifies a decoded assertion for a client that may use `methods`: the claims (`aud`,
 * `exp`, `nbf`, `iat`, `jti`), then the signature (`client_secret_jwt`: HS256 with the
 * current secret, then the previous one; `private_key_jwt`: the credential named by
 * `kid`, or each usable credential of the header's algorithm), and last the single use of
 * `jti`, so only a verified assertion ever enters the replay cache.
 *
 * @throws {@link InvalidClientError} with the precise reason recorded beside it.
 * @internal
 */
export async function verifyClientAssertion(
  decoded: DecodedAssertion,
  methods: { readonly secret: string | undefined; readonly privateKeyJwt: boolean },
  context: AssertionContext,
): Promise<VerifiedAssertion> {
  const fail = (reason: ClientAuthFailureReason, method?: AssertionMethod) =>
    clientAuthError(reason, {
      mechanism: method ?? 'client_assertion',
      clientId: decoded.clientId,
    });
  const method: AssertionMethod | undefined =
    decoded.alg === 'HS256'
      ? 'client_secret_jwt'
      : Object.hasOwn(CREDENTIAL_ALGORITHMS, decoded.alg)
        ? 'private_key_jwt'
        : undefined;
  if (method === undefined) throw fail('assertion_alg');
  if (method === 'client_secret_jwt' ? methods.secret === undefined : !methods.privateKeyJwt) {
    throw fail('method_mismatch', method);
  }
  const exp = checkClaims(decoded.claims, context, (reason) => fail(reason, method));
  const jti = decoded.claims.jti;

  let credentialId: string | undefined;
  if (method === 'client_secret_jwt') {
    const secret = methods.secret as string;
    if (!hmacMatches(decoded, secret)) {
      const previous = await context.previousSecret();
      if (previous === undefined || !hmacMatches(decoded, previous)) {
        throw fail('wrong_signature', method);
      }
    }
  } else {
    const keys = (await context.publicKeys()).filter(
      (key) => key.alg === decoded.alg && (decoded.kid === undefined || key.kid === decoded.kid),
    );
    if (keys.length === 0) {
      throw fail(decoded.kid === undefined ? 'no_usable_credential' : 'unknown_kid', method);
    }
    for (const key of keys) {
      if (await signatureMatches(decoded, key)) {
        credentialId = key.id;
        break;
      }
    }
    if (credentialId === undefined) throw fail('wrong_signature', method);
  }
  if (!(await context.consumeJti(jti as string, exp))) throw fail('assertion_replayed', method);
  return credentialId === undefined ? { method } : { method, credentialId };
}

/** Checks `aud`, `exp`, `nbf`, `iat` and `jti`; returns `exp`. */
function checkClaims(
  claims: Readonly<Record<string, unknown>>,
  context: AssertionContext,
  fail: (reason: ClientAuthFailureReason) => Error,
): number {
  const { aud, exp, nbf, iat, jti } = claims;
  // Returns when the jti may be forgotten.
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (
    audiences.length === 0 ||
    !audiences.some((value) => typeof value === 'string' && context.audiences.includes(value))
  ) {
    throw fail('assertion_audience');
  }
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw fail('assertion_exp_missing');
  const { now } = context;
  if (exp <= now - ASSERTION_CLOCK_TOLERANCE_SECONDS) throw fail('assertion_expired');
  if (exp > now + MAX_ASSERTION_LIFETIME_SECONDS) throw fail('assertion_exp_too_far');
  for (const time of [nbf, iat]) {
    if (time === undefined) continue;
    if (typeof time !== 'number' || !Number.isFinite(time)) throw fail('malformed_assertion');
    if (time > now + ASSERTION_CLOCK_TOLERANCE_SECONDS) throw fail('assertion_not_yet_valid');
  }
  if (typeof iat === 'number' && exp - iat > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw fail('assertion_exp_too_far');
  }
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw fail('assertion_jti_missing');
  }
  // Kept until the assertion can no longer pass the exp check, tolerance included.
  return Math.ceil(exp) + ASSERTION_CLOCK_TOLERANCE_SECONDS;
}

function hmacMatches(decoded: DecodedAssertion, secret: string): boolean {
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(decoded.signingInput)
    .digest();
  return (
    decoded.signature.length === expected.length && timingSafeEqual(decoded.signature, expected)
  );
}

/** WebCrypto keys of EC credentials, imported once per KeyObject. */
const ecKeys = new WeakMap<KeyObject, Promise<webcrypto.CryptoKey>>();

/** ECDSA P-256 through WebCrypto, which verifies faster than `crypto.verify` (see docs). */
async function ecdsaMatches(decoded: DecodedAssertion, key: KeyObject): Promise<boolean> {
  if (decoded.signature.length !== 64) return false;
  let imported = ecKeys.get(key);
  if (!imported) {
    imported = webcrypto.subtle.importKey(
      'spki',
      key.export({ type: 'spki', format: 'der' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    ecKeys.set(key, imported);
  }
  try {
    return await webcrypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      await imported,
      decoded.signature,
      decoded.signingInput,
    );
  } catch {
    return false;
  }
}

/** Verifies on the libuv threadpool (like signing), so the event loop stays free. */
function signatureMatches(decoded: DecodedAssertion, key: AssertionKey): Promise<boolean> {
  const spec = CREDENTIAL_ALGORITHMS[key.alg];
  if (!spec) return Promise.resolve(false);
  if (key.alg === 'ES256') return ecdsaMatches(decoded, key.key);
  return signatureVerifies(spec, key.key, decoded.signingInput, decoded.signature);
}
