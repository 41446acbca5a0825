/**
 * Request objects (JAR, RFC 9101) as Auth0 accepts them: a compact JWS with `typ` `jwt` or
 * `oauth-authz-req+jwt`, signed RS256, RS384 or PS256 with one of the client's credentials
 * listed in `signed_request_object.credentials` (the one its `kid` names, when it names
 * one), `iss` and `client_id` the client, `aud` the issuer, and when present `exp` in the
 * future, `nbf` in the past, `iat` a NumericDate and `jti` at most 64 bytes. A FAPI 1.0
 * compliance level narrows it: PS256 only, `nbf` and `exp` required, `nbf` at most 60
 * minutes old and `exp` at most 60 minutes after it.
 *
 * The parameters are the request object's claims alone (RFC 9101 §5: nothing from outside
 * it is used), so a parameter added to the URL by someone else changes nothing.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9101#section-6.3
 * @see https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow/authorization-code-flow-with-jar
 */
import type { KeyObject } from 'node:crypto';
import { InvalidRequestObjectError, type RequestObjectFailureReason } from '../errors.js';
import { decodeCompactJws, type CompactJws } from '../tokens/compact-jws.js';
import { CREDENTIAL_ALGORITHMS, signatureVerifies } from '../tokens/signature.js';

/** The request object algorithms Auth0 accepts (`request_object_signing_alg_values_supported`). */
export const REQUEST_OBJECT_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256',
  'RS384',
  'PS256',
]);

/** Longest request object read. */
export const MAX_REQUEST_OBJECT_LENGTH = 32_768;
/** Longest `jti` (Auth0: 64 bytes). */
export const MAX_REQUEST_OBJECT_JTI_BYTES = 64;
/** Clock skew allowed for `exp`, `nbf` and `iat`, in seconds. */
export const REQUEST_OBJECT_CLOCK_TOLERANCE = 30;

/** The JWT claims that are not authorization request parameters. */
const JWT_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sub']);

/** A key a request object may be signed with: one of the client's credentials. */
export interface RequestObjectKey {
  readonly id: string;
  readonly kid: string;
  readonly alg: string;
  readonly key: KeyObject;
}

/** What a request object is checked against. */
export interface RequestObjectExpectations {
  /** The client it must come from (`iss`, `client_id`). */
  readonly clientId: string;
  /** The tenant issuer (`aud`). */
  readonly issuer: string;
  /** The client's credentials for signed requests. */
  readonly keys: readonly RequestObjectKey[];
  /** Server time, seconds since the epoch. */
  readonly now: number;
  /** A compliance level's narrower rules. */
  readonly strict?:
    { readonly algorithms: readonly string[]; readonly maxAgeSeconds: number } | undefined;
}

/** A verified request object. */
export interface VerifiedRequestObject {
  /** The authorization request parameters it carries, as strings. */
  readonly params: Readonly<Record<string, string>>;
  /** Its `jti`, to be used once. */
  readonly jti: string | undefined;
  /** Its `exp`, when it has one. */
  readonly exp: number | undefined;
  /** The credential that verified it. */
  readonly credentialId: string;
}

function fail(reason: RequestObjectFailureReason, message: string): never {
  throw new InvalidRequestObjectError(reason, `request object: ${message}`);
}

/**
 * Verifies a request object for a client.
 *
 * @throws {@link InvalidRequestObjectError} naming the first check that failed.
 */
export async function verifyRequestObject(
  jwt: string,
  expected: RequestObjectExpectations,
): Promise<VerifiedRequestObject> {
  const { header, claims, signingInput, signature } = decode(jwt);
  const typ = header['typ'];
  if (typeof typ !== 'string' || !['jwt', 'oauth-authz-req+jwt'].includes(typ.toLowerCase())) {
    fail('typ', 'typ must be jwt or oauth-authz-req+jwt');
  }
  const alg = header['alg'];
  const allowed = expected.strict?.algorithms ?? REQUEST_OBJECT_ALGORITHMS;
  if (
    typeof alg !== 'string' ||
    !allowed.includes(alg) ||
    !Object.hasOwn(CREDENTIAL_ALGORITHMS, alg)
  ) {
    fail('alg', `alg must be one of ${allowed.join(', ')}`);
  }
  if (header['crit'] !== undefined) fail('malformed', 'crit is not supported');
  const kid = header['kid'];
  if (kid !== undefined && typeof kid !== 'string') fail('malformed', 'kid must be a string');
  const candidates = expected.keys.filter(
    (key) => key.alg === alg && (kid === undefined || key.kid === kid),
  );
  if (candidates.length === 0) {
    fail(
      'unknown_key',
      kid === undefined
        ? `the client has no ${alg} credential for signed requests (signed_request_object.credentials)`
        : 'kid names no credential of the client for signed requests (signed_request_object.credentials)',
    );
  }
  let credentialId: string | undefined;
  for (const candidate of candidates) {
    if (await signatureMatches(alg, candidate.key, signingInput, signature)) {
      credentialId = candidate.id;
      break;
    }
  }
  if (credentialId === undefined) fail('signature', 'the signature does not verify');
  return { ...checkClaims(claims, expected), credentialId };
}

function checkClaims(
  claims: Readonly<Record<string, unknown>>,
  expected: RequestObjectExpectations,
): Omit<VerifiedRequestObject, 'credentialId'> {
  const { iss, aud, exp, nbf, iat, jti } = claims;
  if (iss !== expected.clientId) fail('iss', 'iss must be the client_id');
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.issuer))
    fail('aud', `aud must be the issuer, ${expected.issuer}`);
  if (claims['client_id'] !== expected.clientId) fail('client_id', 'client_id must be the client');
  const { now } = expected;
  const tolerance = REQUEST_OBJECT_CLOCK_TOLERANCE;
  for (const [name, value] of [
    ['exp', exp],
    ['nbf', nbf],
    ['iat', iat],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(name, `${name} must be a NumericDate`);
    }
  }
  if (typeof exp === 'number' && exp <= now - tolerance) fail('exp', 'it has expired (exp)');
  if (typeof nbf === 'number' && nbf > now + tolerance) fail('nbf', 'it is not valid yet (nbf)');
  if (typeof iat === 'number' && iat > now + tolerance) fail('iat', 'iat is in the future');
  const strict = expected.strict;
  if (strict) {
    if (typeof nbf !== 'number' || typeof exp !== 'number') {
      fail('lifetime', 'nbf and exp are required by the client compliance level');
    }
    if (nbf < now - strict.maxAgeSeconds) {
      fail('lifetime', `nbf is more than ${strict.maxAgeSeconds / 60} minutes old`);
    }
    if (exp - nbf > strict.maxAgeSeconds) {
      fail('lifetime', `exp is more than ${strict.maxAgeSeconds / 60} minutes after nbf`);
    }
  }
  if (
    jti !== undefined &&
    (typeof jti !== 'string' ||
      jti === '' ||
      Buffer.byteLength(jti, 'utf8') > MAX_REQUEST_OBJECT_JTI_BYTES)
  ) {
    fail('jti', `jti must be a string of at most ${MAX_REQUEST_OBJECT_JTI_BYTES} bytes`);
  }
  if (claims['request'] !== undefined || claims['request_uri'] !== undefined) {
    fail('nested', 'it cannot carry request or request_uri');
  }
  return {
    params: parametersOf(claims),
    jti: typeof jti === 'string' ? jti : undefined,
    exp: typeof exp === 'number' ? exp : undefined,
  };
}

/** The authorization request parameters of the claims, as the strings a query would carry. */
function parametersOf(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const params = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(claims)) {
    if (JWT_CLAIMS.has(name) || value === null || value === undefined) continue;
    if (typeof value === 'string') {
      if (value !== '') params[name] = value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      params[name] = String(value);
    } else {
      // OIDC Core §6.1: a JSON-valued parameter (claims, authorization_details) as JSON.
      params[name] = JSON.stringify(value);
    }
  }
  return params;
}

function decode(jwt: string): CompactJws {
  if (typeof jwt !== 'string' || jwt.length > MAX_REQUEST_OBJECT_LENGTH) {
    fail('malformed', 'it is missing or too long');
  }
  // Five parts would be an encrypted request object (JWE), which is not served.
  const parts = decodeCompactJws(jwt, MAX_REQUEST_OBJECT_LENGTH);
  if (!parts) fail('malformed', 'it must be a signed JWT (compact JWS) of JSON objects');
  return parts;
}

function signatureMatches(
  alg: string,
  key: KeyObject,
  signingInput: Buffer,
  signature: Buffer,
): Promise<boolean> {
  const check = CREDENTIAL_ALGORITHMS[alg];
  if (!check || key.asymmetricKeyType !== 'rsa') return Promise.resolve(false);
  return signatureVerifies(check, key, signingInput, signature);
}
