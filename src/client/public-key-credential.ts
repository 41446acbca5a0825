/**
 * Client credentials of type `public_key` (Auth0's Management API
 * `/clients/{id}/credentials`): a client's public key that it proves with a signed JWT at
 * the token endpoint (`private_key_jwt`). This file turns untrusted input into a stored
 * credential and a stored credential into the Management API's response shape; it is pure
 * and synchronous. Private key material is refused and never echoed.
 *
 * @see https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ValidationError, type Issue } from '../errors.js';
import { privateJwkMember } from '../lib/jwk-private-members.js';
import { jwkThumbprint } from '../tokens/jwk.js';

/** Algorithms a `public_key` credential may sign with (Auth0's three, plus ES256). */
export type CredentialAlgorithm = 'RS256' | 'RS384' | 'PS256' | 'ES256';

/** The key an algorithm needs. */
export interface CredentialKeySpec {
  /** node:crypto's `asymmetricKeyType` of the key. */
  readonly keyType: 'rsa' | 'ec';
  /** node:crypto's `namedCurve` of an EC key. */
  readonly curve?: string;
}

/** Which key each algorithm needs, in one table. */
export const CREDENTIAL_ALGORITHMS: Readonly<Record<CredentialAlgorithm, CredentialKeySpec>> = {
  RS256: { keyType: 'rsa' },
  RS384: { keyType: 'rsa' },
  PS256: { keyType: 'rsa' },
  ES256: { keyType: 'ec', curve: 'prime256v1' },
};

/** A public JSON Web Key as a credential input or as stored (RFC 7517). */
export interface CredentialJwk {
  /** Key type: `RSA` or `EC`. */
  kty: string;
  /** Other members (`n`, `e`, `crv`, `x`, `y`, `kid`, `use`, `alg`, ...). */
  [member: string]: unknown;
}

/** Input of `tenant.clients.addCredential` (Auth0's `PostClientCredentialRequestContent`). */
export interface ClientCredentialInput {
  /** Only `public_key` is supported (mTLS credential types are not). */
  credential_type: 'public_key';
  /** PEM public key (SPKI or PKCS#1) or X.509 certificate. Exactly one of `pem` and `jwk`. */
  pem?: string;
  /** Public JWK. Exactly one of `pem` and `jwk`. */
  jwk?: CredentialJwk;
  /** RS256 (default, as in Auth0), RS384, PS256 or ES256; must suit the key. */
  alg?: string;
  /** Friendly name, 1 to 128 characters. */
  name?: string;
  /** ISO 8601 date after which the credential authenticates nothing; in the future. */
  expires_at?: string;
  /** With a certificate `pem`: take `expires_at` from its validity end. */
  parse_expiry_from_cert?: boolean;
  /** Key id the client puts in its JWT header (`[0-9a-zA-Z-_]{10,64}`); default the RFC 7638 thumbprint. */
  kid?: string;
}

/** Patch of `tenant.clients.updateCredential`: a new name, or a new or no expiry. */
export interface ClientCredentialPatch {
  /** Friendly name, 1 to 128 characters. */
  name?: string;
  /** ISO 8601 date, or `null` to remove the expiry. */
  expires_at?: string | null;
}

/**
 * A credential as the Management API returns it (Auth0's `ClientCredential`). Holds no key
 * material.
 */
export interface ClientCredential {
  /** Generated on creation: `cred_` and 24 letters and digits. */
  id: string;
  /** Always `public_key`. */
  credential_type: 'public_key';
  /** The key id JWTs signed with this credential carry. */
  kid: string;
  /** The algorithm the credential signs with. */
  alg: CredentialAlgorithm;
  /** Friendly name, when one was given. */
  name?: string;
  /** ISO 8601 creation date. */
  created_at: string;
  /** ISO 8601 date of the last change. */
  updated_at: string;
  /** ISO 8601 expiry, when there is one. */
  expires_at?: string;
}

/** What the store keeps for a credential: the response shape plus the public JWK. @internal */
export interface StoredCredential extends ClientCredential {
  /** The public key (key parameters only, as node:crypto exports them). */
  jwk: CredentialJwk;
}

/** Most characters of a PEM input; a 4096-bit certificate chain fits easily. */
const MAX_PEM_LENGTH = 16_384;
const MAX_NAME_LENGTH = 128;
const KID = /^[0-9A-Za-z_-]{10,64}$/;
/** Keys registered by DCR keep the kid their client signs with, whatever it is. */
const ANY_KID = /^[\x20-\x7e]{1,256}$/;
const INPUT_FIELDS = new Set([
  'credential_type',
  'pem',
  'jwk',
  'alg',
  'name',
  'expires_at',
  'parse_expiry_from_cert',
  'kid',
]);
const PATCH_FIELDS = new Set(['name', 'expires_at']);
const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const KIND = 'credential';
const PRIVATE_MESSAGE =
  'holds private key material, which is never accepted: send the public key only (the value is not shown)';

/** The checked parts of an input, before an id and dates are assigned. */
export interface CheckedCredential {
  /** The algorithm. */
  readonly alg: CredentialAlgorithm;
  /** The key id. */
  readonly kid: string;
  /** The public key. */
  readonly jwk: CredentialJwk;
  /** The name, when given. */
  readonly name?: string;
  /** The expiry, when given or parsed from the certificate (ISO 8601). */
  readonly expires_at?: string;
}

/**
 * Checks an `addCredential` input: known fields only, `credential_type` `public_key`,
 * exactly one of a public PEM (SPKI, PKCS#1 or X.509 certificate) or a public JWK, an
 * algorithm its key suits (RSA of at least 2048 bits for RS256/RS384/PS256, P-256 for
 * ES256), a well-formed `kid`, `name` and future `expires_at`.
 *
 * @param input - untrusted
 * @param nowMs - the current time, for `expires_at`
 * @throws {@link ValidationError} (kind `credential`) listing every problem at
 *   its JSON pointer; the key itself is never part of a message.
 * @internal
 */
export function checkCredentialInput(
  input: unknown,
  nowMs: number,
  options: { anyKid?: boolean } = {},
): CheckedCredential {
  const issues: Issue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(
      [{ path: '', code: 'invalid_type', message: 'credential must be an object' }],
      KIND,
    );
  }
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!INPUT_FIELDS.has(key))
      add(`/${escape(key)}`, 'unknown_property', `${key.slice(0, 64)} is not a credential field`);
  }
  if (given.credential_type !== 'public_key') {
    add(
      '/credential_type',
      'unsupported',
      'credential_type must be "public_key" (mTLS credential types are not supported)',
    );
  }
  const alg = given.alg ?? 'RS256';
  if (typeof alg !== 'string' || !Object.hasOwn(CREDENTIAL_ALGORITHMS, alg)) {
    add('/alg', 'unsupported', 'alg must be RS256, RS384, PS256 or ES256');
  }
  const name = optionalName(given.name, '/name', add);
  let expiresAt = optionalDate(given.expires_at, '/expires_at', add);
  if (expiresAt !== undefined && Date.parse(expiresAt) <= nowMs) {
    add('/expires_at', 'in_the_past', 'expires_at must be in the future');
  }
  const kidPattern = options.anyKid === true ? ANY_KID : KID;
  if (given.kid !== undefined && (typeof given.kid !== 'string' || !kidPattern.test(given.kid))) {
    add(
      '/kid',
      'invalid_format',
      options.anyKid === true
        ? 'kid must be 1 to 256 printable ASCII characters'
        : 'kid must be 10 to 64 characters of [0-9a-zA-Z-_]',
    );
  }
  if (
    given.parse_expiry_from_cert !== undefined &&
    typeof given.parse_expiry_from_cert !== 'boolean'
  ) {
    add('/parse_expiry_from_cert', 'invalid_type', 'parse_expiry_from_cert must be a boolean');
  }
  const key = readKey(given, add);
  if (key && given.parse_expiry_from_cert === true) {
    if (key.validTo === undefined) {
      add(
        '/parse_expiry_from_cert',
        'not_a_certificate',
        'parse_expiry_from_cert needs an X.509 certificate in pem',
      );
    } else if (expiresAt !== undefined) {
      add('/expires_at', 'conflict', 'expires_at must not be given with parse_expiry_from_cert');
    } else {
      expiresAt = key.validTo;
    }
  }
  if (key && typeof alg === 'string' && Object.hasOwn(CREDENTIAL_ALGORITHMS, alg)) {
    const problem = keyProblem(key.key, alg as CredentialAlgorithm);
    if (problem) add(key.pointer, 'key_mismatch', `${key.pointer.slice(1)} ${problem}`);
  }
  if (issues.length > 0 || !key) throw new ValidationError(issues, KIND);
  const jwk = key.key.export({ format: 'jwk' }) as CredentialJwk;
  return {
    alg: alg as CredentialAlgorithm,
    kid: (given.kid as string | undefined) ?? jwkThumbprint(jwk as never),
    jwk,
    ...(name === undefined ? {} : { name }),
    ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
  };
}

/**
 * Checks an `updateCredential` patch: `name` and `expires_at` (an ISO date or `null`).
 *
 * @throws {@link ValidationError} (kind `credential`).
 * @internal
 */
export function checkCredentialPatch(patch: unknown): ClientCredentialPatch {
  const issues: Issue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new ValidationError(
      [{ path: '', code: 'invalid_type', message: 'patch must be an object' }],
      KIND,
    );
  }
  const given = patch as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!PATCH_FIELDS.has(key)) {
      add(
        `/${escape(key)}`,
        'read_only',
        `${key.slice(0, 64)} cannot be changed: only name and expires_at can`,
      );
    }
  }
  const name = optionalName(given.name, '/name', add);
  const expiresAt =
    given.expires_at === null ? null : optionalDate(given.expires_at, '/expires_at', add);
  if (issues.length > 0) throw new ValidationError(issues, KIND);
  return {
    ...(name === undefined ? {} : { name }),
    ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
  };
}

/** The Management API shape of a stored credential (no key material). @internal */
export function credentialView(stored: StoredCredential): ClientCredential {
  const { jwk: _key, ...view } = stored;
  return { ...view };
}

/** True when the credential has an expiry at or before `nowMs`. @internal */
export function credentialExpired(
  credential: Pick<ClientCredential, 'expires_at'>,
  nowMs: number,
): boolean {
  return credential.expires_at !== undefined && !(Date.parse(credential.expires_at) > nowMs);
}

/**
 * Why `key` cannot sign with `alg`, or `undefined` when it can.
 *
 * @internal
 */
export function keyProblem(key: KeyObject, alg: CredentialAlgorithm): string | undefined {
  const spec = CREDENTIAL_ALGORITHMS[alg];
  if (key.asymmetricKeyType !== spec.keyType) {
    return `is a ${key.asymmetricKeyType ?? 'unknown'} key, but ${alg} needs ${spec.keyType === 'rsa' ? 'an RSA' : 'an EC P-256'} key`;
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (spec.keyType === 'rsa' && (details.modulusLength ?? 0) < 2048) {
    return `is an RSA key of ${details.modulusLength ?? 0} bits; at least 2048 are required`;
  }
  if (spec.curve !== undefined && details.namedCurve !== spec.curve) {
    return `is an EC key on ${details.namedCurve ?? 'an unknown curve'}; ${alg} needs P-256`;
  }
  return undefined;
}

interface ReadKey {
  readonly key: KeyObject;
  readonly pointer: '/pem' | '/jwk';
  readonly validTo?: string;
}

/** The public key of `pem` or `jwk`, or `undefined` after recording why not. */
function readKey(
  given: Record<string, unknown>,
  add: (path: string, code: string, message: string) => void,
): ReadKey | undefined {
  const { pem, jwk } = given;
  if ((pem === undefined) === (jwk === undefined)) {
    add('', 'key_required', 'credential needs exactly one of pem and jwk');
    return undefined;
  }
  if (pem !== undefined) {
    if (typeof pem !== 'string' || pem.length === 0 || pem.length > MAX_PEM_LENGTH) {
      add(
        '/pem',
        'invalid_type',
        `pem must be a PEM string of at most ${MAX_PEM_LENGTH} characters`,
      );
      return undefined;
    }
    if (PRIVATE_PEM.test(pem)) {
      add('/pem', 'private_key', `pem ${PRIVATE_MESSAGE}`);
      return undefined;
    }
    return pem.includes('-----BEGIN CERTIFICATE-----')
      ? readCertificate(pem, add)
      : readPem(pem, add);
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    add('/jwk', 'invalid_type', 'jwk must be a JSON Web Key object');
    return undefined;
  }
  if (privateJwkMember(jwk) !== undefined) {
    add('/jwk', 'private_key', `jwk ${PRIVATE_MESSAGE}`);
    return undefined;
  }
  const { kty, n, e, crv, x, y } = jwk as Record<string, unknown>;
  const parameters = kty === 'RSA' ? { kty, n, e } : kty === 'EC' ? { kty, crv, x, y } : undefined;
  if (!parameters || Object.values(parameters).some((value) => typeof value !== 'string')) {
    add('/jwk', 'invalid_key', 'jwk must be an RSA (n, e) or EC (crv, x, y) public key');
    return undefined;
  }
  try {
    return { key: createPublicKey({ key: parameters as never, format: 'jwk' }), pointer: '/jwk' };
  } catch {
    add('/jwk', 'invalid_key', 'jwk is not a valid public key');
    return undefined;
  }
}

function readPem(
  pem: string,
  add: (path: string, code: string, message: string) => void,
): ReadKey | undefined {
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    return { key, pointer: '/pem' };
  } catch {
    add(
      '/pem',
      'invalid_key',
      'pem must be a PEM public key (SPKI or PKCS#1) or an X.509 certificate',
    );
    return undefined;
  }
}

function readCertificate(
  pem: string,
  add: (path: string, code: string, message: string) => void,
): ReadKey | undefined {
  try {
    const certificate = new X509Certificate(pem);
    return {
      key: certificate.publicKey,
      pointer: '/pem',
      validTo: new Date(certificate.validTo).toISOString(),
    };
  } catch {
    add('/pem', 'invalid_key', 'pem is not a valid X.509 certificate');
    return undefined;
  }
}

function optionalName(
  value: unknown,
  path: string,
  add: (path: string, code: string, message: string) => void,
): string | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'string' ||
    value.trim().length === 0 ||
    value.length > MAX_NAME_LENGTH ||
    /[\u0000-\u001f<>]/.test(value)
  ) {
    add(
      path,
      'invalid_name',
      `name must be 1 to ${MAX_NAME_LENGTH} characters without control characters, < or >`,
    );
    return undefined;
  }
  return value;
}

function optionalDate(
  value: unknown,
  path: string,
  add: (path: string, code: string, message: string) => void,
): string | undefined {
  if (value === undefined) return undefined;
  const time =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(time)) {
    add(
      path,
      'invalid_date',
      `${path.slice(1)} must be an ISO 8601 date and time (2030-01-31T00:00:00.000Z)`,
    );
    return undefined;
  }
  return new Date(time).toISOString();
}

function escape(key: string): string {
  return key.slice(0, 64).replaceAll('~', '~0').replaceAll('/', '~1');
}
