/**
 * The JSON Web Keys of tenant signing keys: their exact shapes, strict validation of
 * stored ones, and the RFC 7638 thumbprint that names them. Validation reports the member
 * at fault by JSON pointer and never repeats a value, so private key material cannot end
 * up in an error message or a log.
 *
 * @module
 */
import { hash } from 'node:crypto';
import { ALGORITHMS, EC_CURVE, RSA_MODULUS_BITS, type SigningAlgorithm } from './algorithms.js';
import { decodeBase64UrlStrict } from './base64.js';
import { escapePointer, invalidAt } from './pointer.js';

/**
 * A published RSA verification key (RFC 7517 §4, RFC 7518 §6.3.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-6.3.1
 */
export interface RsaPublicJwk {
  /** Key type. */
  readonly kty: 'RSA';
  /** Modulus, base64url, at least 2048 bits. */
  readonly n: string;
  /** Public exponent, base64url. */
  readonly e: string;
  /** Key id: the key's RFC 7638 thumbprint. */
  readonly kid: string;
  /** The one algorithm this key is used with. */
  readonly alg: SigningAlgorithm;
  /** Always `sig`: tenant keys only sign. */
  readonly use: 'sig';
}

/**
 * A published P-256 verification key (RFC 7517 §4, RFC 7518 §6.2.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-6.2.1
 */
export interface EcPublicJwk {
  /** Key type. */
  readonly kty: 'EC';
  /** Curve: always `P-256` (ES256). */
  readonly crv: 'P-256';
  /** X coordinate, base64url of exactly 32 bytes. */
  readonly x: string;
  /** Y coordinate, base64url of exactly 32 bytes. */
  readonly y: string;
  /** Key id: the key's RFC 7638 thumbprint. */
  readonly kid: string;
  /** The one algorithm this key is used with. */
  readonly alg: SigningAlgorithm;
  /** Always `sig`: tenant keys only sign. */
  readonly use: 'sig';
}

/** A public key as `jwks()` publishes it: key parameters plus `kid`, `alg` and `use`. */
export type PublicJwk = RsaPublicJwk | EcPublicJwk;

/**
 * An RSA private key with its CRT parameters (RFC 7518 §6.3.2). Key material only: no
 * `kid`, `alg` or `use`, which live on the record.
 */
export interface RsaPrivateJwk {
  /** Key type. */
  readonly kty: 'RSA';
  /** Modulus. */
  readonly n: string;
  /** Public exponent. */
  readonly e: string;
  /** Private exponent. */
  readonly d: string;
  /** First prime factor. */
  readonly p: string;
  /** Second prime factor. */
  readonly q: string;
  /** First factor CRT exponent. */
  readonly dp: string;
  /** Second factor CRT exponent. */
  readonly dq: string;
  /** First CRT coefficient. */
  readonly qi: string;
}

/** A P-256 private key (RFC 7518 §6.2.2). Key material only. */
export interface EcPrivateJwk {
  /** Key type. */
  readonly kty: 'EC';
  /** Curve: always `P-256`. */
  readonly crv: 'P-256';
  /** X coordinate. */
  readonly x: string;
  /** Y coordinate. */
  readonly y: string;
  /** Private scalar. */
  readonly d: string;
}

/** A private key as stored in a signing-key record. Never published. */
export type PrivateJwk = RsaPrivateJwk | EcPrivateJwk;

/**
 * Key parameters of each key type, public and private, in the order they are written.
 *
 * @internal
 */
export const JWK_MEMBERS = {
  RSA: { public: ['n', 'e'], private: ['d', 'p', 'q', 'dp', 'dq', 'qi'] },
  EC: { public: ['crv', 'x', 'y'], private: ['d'] },
} as const;

/** Members a published JWK carries besides the key parameters. */
const PUBLISHED = ['kid', 'alg', 'use'] as const;

/** Coordinates and the private scalar of a P-256 key are exactly 32 bytes (RFC 7518 §6.2.1.2). */
const P256_BYTES = 32;

/**
 * The RFC 7638 thumbprint (SHA-256, base64url) of a public key: the hash of its required
 * members in lexicographic order, without whitespace. Used as `kid`, so the id follows
 * from the key and a record whose id and key disagree is detectable.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7638#section-3
 * @internal
 */
export function jwkThumbprint(
  jwk: Pick<RsaPublicJwk, 'kty' | 'n' | 'e'> | EcKeyParameters,
): string {
  // JSON.stringify keeps this insertion order; base64url values need no escaping.
  const required =
    jwk.kty === 'RSA'
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return hash('sha256', JSON.stringify(required), 'base64url');
}

/** The public parameters of a P-256 key. */
type EcKeyParameters = Pick<EcPublicJwk, 'kty' | 'crv' | 'x' | 'y'>;

/**
 * Checks that `value` is a published JWK for `alg` with exactly the expected members.
 * `kid` and `alg` must equal the record's.
 *
 * @throws `InvalidArgumentError` at the pointer of the first bad member.
 * @internal
 */
export function checkPublicJwk(
  value: unknown,
  alg: SigningAlgorithm,
  kid: string,
  pointer: string,
): PublicJwk {
  const jwk = checkKeyParameters(value, alg, 'public', pointer);
  if (jwk.kid !== kid) throw invalidAt(`${pointer}/kid`, 'must equal the record kid');
  if (jwk.alg !== alg) throw invalidAt(`${pointer}/alg`, 'must equal the record alg');
  if (jwk.use !== 'sig') throw invalidAt(`${pointer}/use`, 'must be "sig"');
  return value as PublicJwk;
}

/**
 * Checks that `value` is a private JWK for `alg` with exactly the expected members, and
 * that its public parameters equal `publicJwk`'s.
 *
 * @throws `InvalidArgumentError` at the pointer of the first bad member.
 * @internal
 */
export function checkPrivateJwk(
  value: unknown,
  alg: SigningAlgorithm,
  publicJwk: PublicJwk,
  pointer: string,
): PrivateJwk {
  const jwk = checkKeyParameters(value, alg, 'private', pointer);
  for (const member of JWK_MEMBERS[publicJwk.kty].public) {
    if (jwk[member] !== (publicJwk as unknown as Record<string, unknown>)[member]) {
      throw invalidAt(`${pointer}/${member}`, `must equal publicJwk/${member}`);
    }
  }
  return value as PrivateJwk;
}

/**
 * Whether the parameters of an RSA private JWK belong together (RFC 8017 §3.2): n = p·q,
 * d·e ≡ 1 modulo p−1 and q−1, dp and dq are d reduced modulo p−1 and q−1, qi·q ≡ 1 mod p.
 * A signature test alone misses a wrong `d` (OpenSSL signs with the CRT values) or a wrong
 * CRT value (OpenSSL falls back to `d`), so the arithmetic is checked directly.
 *
 * @internal
 */
export function rsaParametersConsistent(jwk: RsaPrivateJwk): boolean {
  const [n, e, d, p, q, dp, dq, qi] = [
    jwk.n,
    jwk.e,
    jwk.d,
    jwk.p,
    jwk.q,
    jwk.dp,
    jwk.dq,
    jwk.qi,
  ].map((value) => BigInt(`0x${Buffer.from(value, 'base64url').toString('hex') || '0'}`)) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const p1 = p - 1n;
  const q1 = q - 1n;
  return (
    p > 1n &&
    q > 1n &&
    n === p * q &&
    dp === d % p1 &&
    dq === d % q1 &&
    (e * dp) % p1 === 1n &&
    (e * dq) % q1 === 1n &&
    (qi * q) % p === 1n
  );
}

/** Shared member checks of public and private JWKs; returns the object for further checks. */
function checkKeyParameters(
  value: unknown,
  alg: SigningAlgorithm,
  kind: 'public' | 'private',
  pointer: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidAt(pointer, 'must be a JSON Web Key object');
  }
  const jwk = value as Record<string, unknown>;
  const kty = ALGORITHMS[alg].kty;
  if (jwk.kty !== kty) throw invalidAt(`${pointer}/kty`, `must be "${kty}" for ${alg}`);
  const members = JWK_MEMBERS[kty];
  const allowed: readonly string[] =
    kind === 'public'
      ? ['kty', ...members.public, ...PUBLISHED]
      : ['kty', ...members.public, ...members.private];
  for (const member of Object.keys(jwk)) {
    if (!allowed.includes(member)) {
      throw invalidAt(`${pointer}/${escapePointer(member)}`, 'is not an expected member');
    }
  }
  for (const member of allowed) {
    if (jwk[member] === undefined) throw invalidAt(`${pointer}/${member}`, 'is required');
  }
  if (kty === 'EC') {
    if (jwk.crv !== EC_CURVE) throw invalidAt(`${pointer}/crv`, `must be "${EC_CURVE}"`);
    const fixed = kind === 'public' ? ['x', 'y'] : ['x', 'y', 'd'];
    for (const member of fixed) checkOctets(jwk, member, pointer, P256_BYTES);
    return jwk;
  }
  checkModulus(jwk, pointer);
  checkOctets(jwk, 'e', pointer);
  if (kind === 'private') for (const member of members.private) checkOctets(jwk, member, pointer);
  return jwk;
}

/** An RSA modulus: minimal big-endian unsigned integer of at least 2048 bits. */
function checkModulus(jwk: Record<string, unknown>, pointer: string): void {
  const bytes = checkOctets(jwk, 'n', pointer);
  const bits = (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0] ?? 0));
  if (bits < RSA_MODULUS_BITS) {
    throw invalidAt(`${pointer}/n`, `must be at least ${RSA_MODULUS_BITS} bits (RFC 7518 §3.3)`);
  }
}

/**
 * A member holding canonical base64url: exactly `length` bytes when given, otherwise a
 * minimal unsigned integer (no leading zero byte, RFC 7518 §6.3.1.1).
 */
function checkOctets(
  jwk: Record<string, unknown>,
  member: string,
  pointer: string,
  length?: number,
): Buffer {
  const text = jwk[member];
  const bytes = typeof text === 'string' && text !== '' ? decodeBase64UrlStrict(text) : undefined;
  if (bytes === undefined) {
    throw invalidAt(`${pointer}/${member}`, 'must be a non-empty, canonical base64url string');
  }
  if (length !== undefined ? bytes.length !== length : bytes[0] === 0) {
    throw invalidAt(
      `${pointer}/${member}`,
      length !== undefined
        ? `must encode exactly ${length} bytes`
        : 'must not start with a zero byte',
    );
  }
  return bytes;
}
