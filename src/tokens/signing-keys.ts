/**
 * Tenant signing keys as serialisable records: generation, strict import into node
 * `KeyObject`s, and rotation. A record is what a `Store` persists; a {@link SigningKey}
 * is its imported, ready-to-sign form.
 *
 * @module
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { InvalidArgumentError } from '../errors.js';
import {
  ALGORITHMS,
  EC_CURVE,
  RSA_MODULUS_BITS,
  isSigningAlgorithm,
  type SigningAlgorithm,
} from './algorithms.js';
import {
  checkPrivateJwk,
  checkPublicJwk,
  JWK_MEMBERS,
  jwkThumbprint,
  rsaParametersConsistent,
  type PrivateJwk,
  type PublicJwk,
} from './jwk.js';
import { escapePointer, invalidAt } from './pointer.js';

/**
 * One tenant signing key as stored: plain JSON, so any `Store` can persist it.
 * `publicJwk` is exactly what the JWKS publishes; `privateJwk` never leaves the store.
 *
 * @example
 * ```ts
 * const record = await generateSigningKey('RS256');
 * await store.insert('keys', 'signing', { keys: [record] });
 * ```
 */
export interface SigningKeyRecord {
  /** Key id: the RFC 7638 SHA-256 thumbprint of the public key, base64url. */
  readonly kid: string;
  /** The one algorithm this key signs with. */
  readonly alg: SigningAlgorithm;
  /** The private key (key parameters only). Secret: never log or publish it. */
  readonly privateJwk: PrivateJwk;
  /** The public key with `kid`, `alg` and `use: 'sig'`, as published. */
  readonly publicJwk: PublicJwk;
  /** When the key was generated, ISO 8601 (`2025-01-31T12:00:00.000Z`). */
  readonly createdAt: string;
}

/**
 * A signing key imported once into node `KeyObject`s, ready to sign and verify.
 * Printing it (`util.inspect`, `JSON.stringify`) never shows private key material.
 */
export interface SigningKey {
  /** Key id, as in the record and the token header. */
  readonly kid: string;
  /** The one algorithm this key signs with. */
  readonly alg: SigningAlgorithm;
  /** When the key was generated, ISO 8601. */
  readonly createdAt: string;
  /** The published form of the public key. */
  readonly publicJwk: Readonly<PublicJwk>;
  /** Private key for `crypto.sign`. */
  readonly privateKey: KeyObject;
  /** Public key for `crypto.verify` or jose's `jwtVerify`. */
  readonly publicKey: KeyObject;
}

/** Options of {@link generateSigningKey} and {@link rotateSigningKeys}. */
export interface GenerateSigningKeyOptions {
  /** Creation time recorded in `createdAt`; defaults to now. */
  now?: Date;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** Record members, in one list, so unknown ones are refused. */
const RECORD_MEMBERS = ['kid', 'alg', 'privateJwk', 'publicJwk', 'createdAt'] as const;

/**
 * Generates a new signing key: RSA 2048 (`RS256`, `RS512`, `PS256`) or P-256 (`ES256`),
 * off the main thread. `kid` is the RFC 7638 thumbprint of the public key.
 *
 * @param alg - the algorithm the key will sign with
 * @throws {@link InvalidArgumentError} when `alg` is not a {@link SigningAlgorithm}.
 * @example
 * ```ts
 * const record = await generateSigningKey('ES256');
 * record.publicJwk; // { kty: 'EC', crv: 'P-256', x, y, kid: record.kid, alg: 'ES256', use: 'sig' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7638 (JWK thumbprint)
 */
export async function generateSigningKey(
  alg: SigningAlgorithm,
  options: GenerateSigningKeyOptions = {},
): Promise<SigningKeyRecord> {
  if (!isSigningAlgorithm(alg)) {
    throw new InvalidArgumentError(
      '/alg',
      `alg must be one of ${Object.keys(ALGORITHMS).join(', ')}`,
    );
  }
  const createdAt = checkNow(options.now).toISOString();
  const { privateKey } =
    ALGORITHMS[alg].kty === 'RSA'
      ? await generateKeyPairAsync('rsa', {
          modulusLength: RSA_MODULUS_BITS,
          publicExponent: 0x10001,
        })
      : await generateKeyPairAsync('ec', { namedCurve: EC_CURVE });
  const exported: Record<string, unknown> = privateKey.export({ format: 'jwk' });
  const kty = ALGORITHMS[alg].kty;
  const { public: publicMembers, private: privateMembers } = JWK_MEMBERS[kty];
  const published = publicMembers.map((member) => [member, exported[member]] as const);
  const secret = privateMembers.map((member) => [member, exported[member]] as const);
  const privateJwk = Object.fromEntries([
    ['kty', kty],
    ...published,
    ...secret,
  ]) as unknown as PrivateJwk;
  const kid = jwkThumbprint(privateJwk);
  const publicJwk = Object.fromEntries([
    ['kty', kty],
    ...published,
    ['kid', kid],
    ['alg', alg],
    ['use', 'sig'],
  ]) as unknown as PublicJwk;
  const record: SigningKeyRecord = { kid, alg, privateJwk, publicJwk, createdAt };
  importSigningKey(record); // a generated record must pass the checks stored ones get
  return record;
}

/**
 * Returns a new list with a freshly generated key first (the new active signer) and the
 * given keys after it, still published and accepted for verification until removed with
 * {@link retireSigningKey}. The input is not modified.
 *
 * @param records - the current keys, active first
 * @param alg - algorithm of the new key
 * @throws {@link InvalidArgumentError} when `alg` is not a {@link SigningAlgorithm}.
 * @example
 * ```ts
 * const next = await rotateSigningKeys(ring.records, 'RS256');
 * const rotated = new KeyRing(next); // signs with next[0], still verifies the old kid
 * ```
 */
export async function rotateSigningKeys(
  records: readonly SigningKeyRecord[],
  alg: SigningAlgorithm,
  options: GenerateSigningKeyOptions = {},
): Promise<SigningKeyRecord[]> {
  if (!Array.isArray(records))
    throw new InvalidArgumentError('/records', '/records must be an array');
  return [await generateSigningKey(alg, options), ...records];
}

/**
 * Returns a new list without the key `kid`, so tokens it signed stop verifying and it
 * leaves the JWKS. The active key (the first) cannot be retired: rotate first.
 *
 * @throws {@link InvalidArgumentError} when `kid` is unknown or names the active key.
 * @example
 * ```ts
 * const next = retireSigningKey(ring.records, oldKid);
 * ```
 */
export function retireSigningKey(
  records: readonly SigningKeyRecord[],
  kid: string,
): SigningKeyRecord[] {
  if (!Array.isArray(records))
    throw new InvalidArgumentError('/records', '/records must be an array');
  const index = records.findIndex((record) => record.kid === kid);
  if (index < 0) throw new InvalidArgumentError('/kid', '/kid names no key in the list');
  if (index === 0) {
    throw new InvalidArgumentError('/kid', '/kid is the active key: rotate before retiring it');
  }
  return records.filter((_, i) => i !== index);
}

/**
 * Validates a stored record strictly and imports it once. Errors name the member at fault
 * (`/0/publicJwk/n`) and never contain key material.
 *
 * Checks: only known members; `alg` supported; each JWK has exactly the members of its
 * key type, canonical base64url, RSA moduli of at least 2048 bits and full-length P-256
 * coordinates; `kid` is the thumbprint of the public key; the private key's public half is
 * the public key (a test signature must verify).
 *
 * @param value - the record, as read from storage
 * @param pointer - JSON pointer of the record in the caller's input, for error paths
 * @throws {@link InvalidArgumentError} at the pointer of the first problem.
 * @internal
 */
export function importSigningKey(value: unknown, pointer = ''): SigningKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidAt(pointer, 'must be a signing key record object');
  }
  const record = value as Record<string, unknown>;
  for (const member of Object.keys(record)) {
    if (!(RECORD_MEMBERS as readonly string[]).includes(member)) {
      throw invalidAt(
        `${pointer}/${escapePointer(member)}`,
        `is not a record member; allowed: ${RECORD_MEMBERS.join(', ')}`,
      );
    }
  }
  const { alg, kid, createdAt } = record;
  if (!isSigningAlgorithm(alg)) {
    throw invalidAt(`${pointer}/alg`, `must be one of ${Object.keys(ALGORITHMS).join(', ')}`);
  }
  if (typeof kid !== 'string' || kid === '')
    throw invalidAt(`${pointer}/kid`, 'must be a non-empty string');
  if (typeof createdAt !== 'string' || !isIsoDate(createdAt)) {
    throw invalidAt(`${pointer}/createdAt`, 'must be an ISO 8601 UTC timestamp (Date#toISOString)');
  }
  const publicJwk = checkPublicJwk(record.publicJwk, alg, kid, `${pointer}/publicJwk`);
  if (jwkThumbprint(publicJwk) !== kid) {
    throw invalidAt(`${pointer}/kid`, 'must be the RFC 7638 thumbprint of publicJwk');
  }
  const privateJwk = checkPrivateJwk(record.privateJwk, alg, publicJwk, `${pointer}/privateJwk`);
  if (privateJwk.kty === 'RSA' && !rsaParametersConsistent(privateJwk)) {
    throw invalidAt(`${pointer}/privateJwk`, 'has RSA parameters that do not belong together');
  }
  const { privateKey, publicKey } = importPair(privateJwk, publicJwk, pointer);
  if (!signsAndVerifies(alg, privateKey, publicKey)) {
    throw invalidAt(`${pointer}/privateJwk`, 'is not the private half of publicJwk');
  }
  return Object.freeze({
    kid,
    alg,
    createdAt,
    publicJwk: Object.freeze({ ...publicJwk }),
    privateKey,
    publicKey,
  });
}

/** Node's own error would be fine, but it is dropped so nothing about the key is echoed. */
function importPair(
  privateJwk: PrivateJwk,
  publicJwk: PublicJwk,
  pointer: string,
): { privateKey: KeyObject; publicKey: KeyObject } {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
  } catch {
    throw invalidAt(`${pointer}/privateJwk`, `is not a valid ${privateJwk.kty} private key`);
  }
  try {
    const { kid: _kid, alg: _alg, use: _use, ...parameters } = publicJwk;
    return { privateKey, publicKey: createPublicKey({ key: parameters, format: 'jwk' }) };
  } catch {
    throw invalidAt(`${pointer}/publicJwk`, `is not a valid ${publicJwk.kty} public key`);
  }
}

const PROBE = Buffer.from('clientele signing key pairwise consistency check');

/** Pairwise consistency test: catches a private key whose CRT parameters were altered. */
function signsAndVerifies(
  alg: SigningAlgorithm,
  privateKey: KeyObject,
  publicKey: KeyObject,
): boolean {
  const { hash, signOptions } = ALGORITHMS[alg];
  try {
    const signature = sign(hash, PROBE, { key: privateKey, ...signOptions });
    return verify(hash, PROBE, { key: publicKey, ...signOptions }, signature);
  } catch {
    return false;
  }
}

function isIsoDate(text: string): boolean {
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toISOString() === text;
}

function checkNow(now: unknown): Date {
  if (now === undefined) return new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new InvalidArgumentError('/options/now', '/options/now must be a valid Date');
  }
  return now;
}
