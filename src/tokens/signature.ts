/**
 * Verifying a JWS signature with a public key (RFC 7518 §3) on the libuv threadpool, so the
 * event loop stays free, and the algorithms a client's credential may sign with: one place
 * for client assertions, request objects and DPoP proofs.
 *
 * @internal
 * @module
 */
import { constants, verify, type KeyObject } from 'node:crypto';

/** How node:crypto checks one JWS algorithm: the digest, and the key options it needs. */
export interface SignatureCheck {
  /** Digest given to `crypto.verify`; `null` for EdDSA, which hashes internally. */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** Extra key options: PSS padding and salt, or the ECDSA signature encoding. */
  readonly options: Readonly<Record<string, number | string>>;
}

/** The algorithms of a client's public-key credentials (`private_key_jwt`, JAR). */
export const CREDENTIAL_ALGORITHMS: Readonly<Record<string, SignatureCheck>> = Object.freeze({
  RS256: { hash: 'sha256', options: {} },
  RS384: { hash: 'sha384', options: {} },
  PS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
});

/**
 * Whether `signature` is `key`'s over `signingInput` by `check`; false for any failure
 * (a key of another type, a malformed signature), never a throw.
 */
export function signatureVerifies(
  check: SignatureCheck,
  key: KeyObject,
  signingInput: Buffer,
  signature: Buffer,
): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      verify(check.hash, signingInput, { key, ...check.options }, signature, (error, valid) =>
        resolve(!error && valid),
      );
    } catch {
      resolve(false);
    }
  });
}
