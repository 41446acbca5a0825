/** Key rings shared by the token tests: generated once per test file. */
import { KeyRing } from '../../src/tokens/key-ring.js';
import { generateSigningKey, type SigningKeyRecord } from '../../src/tokens/signing-keys.js';
import type { SigningAlgorithm } from '../../src/tokens/algorithms.js';

export const ALGS: readonly SigningAlgorithm[] = ['RS256', 'RS512', 'PS256', 'ES256'];

const records = new Map<SigningAlgorithm, Promise<SigningKeyRecord>>();

/** One generated record per algorithm, reused within a test file. */
export function recordFor(alg: SigningAlgorithm): Promise<SigningKeyRecord> {
  let record = records.get(alg);
  if (record === undefined) {
    record = generateSigningKey(alg, { now: new Date('2025-01-01T00:00:00.000Z') });
    records.set(alg, record);
  }
  return record;
}

/** A ring with one key of each algorithm, `first` active. */
export async function ringWith(first: SigningAlgorithm = 'RS256'): Promise<KeyRing> {
  const order = [first, ...ALGS.filter((alg) => alg !== first)];
  return new KeyRing(await Promise.all(order.map(recordFor)));
}

export const ISSUER = 'https://tenant.example.com/';
export const CLIENT_ID = 'Zx1Yw2Xv3Wu4Vt5Us6Tr7Sq8Rp9Qo0Pn';
/** A 64-character base64url secret, like the ones the library generates. */
export const CLIENT_SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';
export const NOW = 1_700_000_000;
