/**
 * The JWS algorithms a DPoP proof may be signed with, in one table: the key each needs and
 * how node:crypto checks its signature. Only asymmetric algorithms appear (RFC 9449 §4.2:
 * `alg` "MUST NOT be none or an identifier for a symmetric algorithm"), so `none`, `HS256`
 * and every other name are refused by absence, never by a list of bad ones.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.1
 */
import { constants } from 'node:crypto';
import type { SignatureCheck } from '../tokens/signature.js';

/** What one algorithm needs of the proof's `jwk` and of `crypto.verify`. */
export interface ProofAlgorithm extends SignatureCheck {
  /** JWK `kty` of the key. */
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** JWK `crv` the key must have (EC and OKP keys). */
  readonly crv?: string;
  /** Length of an `r || s` ECDSA signature in bytes (RFC 7518 §3.4). */
  readonly signatureLength?: number;
}

const pss = (saltLength: number) => ({ padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
const ecdsa = { dsaEncoding: 'ieee-p1363' } as const;

/**
 * The proof algorithms served, in the order discovery lists them
 * (`dpop_signing_alg_values_supported`). `EdDSA` and the fully-specified `Ed25519`
 * (RFC 9864) both mean Ed25519 here.
 */
export const PROOF_ALGORITHMS: Readonly<Record<string, ProofAlgorithm>> = Object.freeze({
  ES256: { kty: 'EC', crv: 'P-256', hash: 'sha256', signatureLength: 64, options: ecdsa },
  ES384: { kty: 'EC', crv: 'P-384', hash: 'sha384', signatureLength: 96, options: ecdsa },
  ES512: { kty: 'EC', crv: 'P-521', hash: 'sha512', signatureLength: 132, options: ecdsa },
  PS256: { kty: 'RSA', hash: 'sha256', options: pss(32) },
  PS384: { kty: 'RSA', hash: 'sha384', options: pss(48) },
  PS512: { kty: 'RSA', hash: 'sha512', options: pss(64) },
  RS256: { kty: 'RSA', hash: 'sha256', options: {} },
  RS384: { kty: 'RSA', hash: 'sha384', options: {} },
  RS512: { kty: 'RSA', hash: 'sha512', options: {} },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', hash: null, options: {} },
  Ed25519: { kty: 'OKP', crv: 'Ed25519', hash: null, options: {} },
});

/** The DPoP proof algorithms served: discovery's `dpop_signing_alg_values_supported`. */
export const PROOF_ALGORITHM_NAMES: readonly string[] = Object.freeze(
  Object.keys(PROOF_ALGORITHMS),
);

/** Smallest RSA modulus accepted in a proof key, in bits (RFC 7518 §3.3). */
export const MIN_RSA_MODULUS_BITS = 2048;

/** The table entry of `alg`, or undefined for anything not served. */
export function proofAlgorithm(alg: unknown): ProofAlgorithm | undefined {
  return typeof alg === 'string' && Object.hasOwn(PROOF_ALGORITHMS, alg)
    ? PROOF_ALGORITHMS[alg]
    : undefined;
}
