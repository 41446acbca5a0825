/**
 * The JWS algorithms tenant keys sign with, in one table: which key type each needs and
 * which node:crypto options produce the RFC 7518 signature. Key generation, import,
 * signing and verification all read this table, so an algorithm is added in one place.
 *
 * @module
 */
import { constants } from 'node:crypto';

/**
 * An asymmetric JWS algorithm a tenant signing key can use.
 *
 * `RS256` is Auth0's default; `RS512` exists because `jwt_configuration.alg` accepts it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.1
 */
export type SigningAlgorithm = 'RS256' | 'RS512' | 'PS256' | 'ES256';

/** How one algorithm is produced with node:crypto. */
interface AlgorithmSpec {
  /** JWK `kty` of keys for this algorithm. */
  readonly kty: 'RSA' | 'EC';
  /** Digest passed to `crypto.sign`. */
  readonly hash: 'sha256' | 'sha512';
  /** Extra `crypto.sign` key options: padding, salt length or signature encoding. */
  readonly signOptions: Readonly<Record<string, number | string>>;
}

/**
 * RSA-PSS uses MGF1 with the same digest (node's default) and a salt as long as the hash
 * (RFC 7518 §3.5); ECDSA signatures are the raw `r || s` pair (RFC 7518 §3.4), which node
 * calls `ieee-p1363`.
 */
export const ALGORITHMS: Readonly<Record<SigningAlgorithm, AlgorithmSpec>> = {
  RS256: { kty: 'RSA', hash: 'sha256', signOptions: {} },
  RS512: { kty: 'RSA', hash: 'sha512', signOptions: {} },
  PS256: {
    kty: 'RSA',
    hash: 'sha256',
    signOptions: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
  },
  ES256: { kty: 'EC', hash: 'sha256', signOptions: { dsaEncoding: 'ieee-p1363' } },
};

/** RSA modulus length of generated keys, and the minimum accepted on import (RFC 7518 §3.3). */
export const RSA_MODULUS_BITS = 2048;

/** The only curve used: P-256 for ES256 (RFC 7518 §3.4). */
export const EC_CURVE = 'P-256';

/** True when `value` is one of the {@link SigningAlgorithm} names. */
export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && Object.hasOwn(ALGORITHMS, value);
}
