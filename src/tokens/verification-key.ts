/**
 * WebCrypto keys for verification, imported once per key. jose v6 verifies through
 * WebCrypto; handed a node `KeyObject` or raw bytes it imports them again on every call,
 * which costs more than the signature check itself.
 */
import { createSecretKey, webcrypto, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from './algorithms.js';

type VerifyParams = Parameters<typeof webcrypto.subtle.importKey>[2];

const PARAMS: Readonly<Record<'HS256' | SigningAlgorithm, VerifyParams>> = {
  HS256: { name: 'HMAC', hash: 'SHA-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RS512: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};

const cache = new WeakMap<object, Promise<webcrypto.CryptoKey>>();

/**
 * The verification `CryptoKey` for a public (or HMAC secret) key and its one algorithm,
 * imported on first use and cached for the key object's life.
 *
 * @internal
 */
export function verificationKey(
  key: KeyObject | Uint8Array,
  alg: 'HS256' | SigningAlgorithm,
): Promise<webcrypto.CryptoKey> {
  let imported = cache.get(key);
  if (!imported) {
    const keyObject = key instanceof Uint8Array ? createSecretKey(key) : key;
    const jwk = keyObject.export({ format: 'jwk' });
    imported = webcrypto.subtle.importKey('jwk', jwk, PARAMS[alg], false, ['verify']);
    // A failed import is not cached, so a later call reports the same failure afresh.
    imported.catch(() => cache.delete(key));
    cache.set(key, imported);
  }
  return imported;
}
