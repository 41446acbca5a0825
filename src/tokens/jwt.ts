/**
 * Compact JWS signing for the tenant's own tokens (RFC 7515 §7.1). Header and payload are
 * serialised once each; the header of a signer is cached; HS256 is one synchronous HMAC;
 * RSA and ECDSA signatures are computed on the libuv threadpool (`crypto.sign` with a
 * callback), so many tokens in flight use every core instead of queueing on the main
 * thread; while some are in flight, new ones are handed over in batches (sign-queue.ts).
 * The output verifies with jose's `jwtVerify` unchanged.
 *
 * @module
 */
import { createHmac, createSecretKey, sign, type KeyObject } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import { ALGORITHMS } from './algorithms.js';
import { queueSignature, signatureDone } from './sign-queue.js';
import type { SigningKey } from './signing-keys.js';

/**
 * RFC 7518 §3.2: an HS256 key must be at least as long as the hash output, 256 bits.
 *
 * @internal
 */
export const HS256_MIN_KEY_BYTES = 32;

/**
 * An HS256 key imported once. Create with {@link createHmacSigner}.
 *
 * @internal
 */
export interface HmacSigner {
  /** Always `HS256`. */
  readonly alg: 'HS256';
  /** The secret as a node `KeyObject`; usable with jose's `jwtVerify` too. */
  readonly key: KeyObject;
}

/**
 * What {@link signJwt} signs with: an HMAC secret or a tenant key from a `KeyRing`.
 *
 * @internal
 */
export type JwtSigner = HmacSigner | SigningKey;

/**
 * JOSE header members the caller chooses. `alg` and `kid` are always taken from the
 * signer, so they can never disagree with the signature.
 *
 * @internal
 */
export interface JwtHeader {
  /** Media type of the token (RFC 7515 §4.1.9); `JWT` for ID tokens. */
  readonly typ?: string;
  /** Refused: set from the signer. */
  readonly alg?: never;
  /** Refused: set from the signer. */
  readonly kid?: never;
  /** Any other header member. */
  readonly [member: string]: unknown;
}

/**
 * The header of ID and access tokens: `{ typ: 'JWT' }`, as Auth0 sets it.
 *
 * @internal
 */
export const JWT_TYP: JwtHeader = Object.freeze({ typ: 'JWT' });

/**
 * Imports an HS256 secret once.
 *
 * @param secret - the key bytes (at least 32)
 * @throws {@link InvalidArgumentError} when `secret` is not bytes or shorter than 32 bytes.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.2
 * @internal
 */
export function createHmacSigner(secret: Uint8Array): HmacSigner {
  if (!(secret instanceof Uint8Array) || secret.length < HS256_MIN_KEY_BYTES) {
    throw new InvalidArgumentError(
      '/secret',
      `/secret must be at least ${HS256_MIN_KEY_BYTES} bytes for HS256 (RFC 7518 §3.2)`,
    );
  }
  return Object.freeze({ alg: 'HS256', key: createSecretKey(Buffer.from(secret)) });
}

/** Per-signer state derived once: `crypto.sign` options and encoded headers by `typ`. */
interface Prepared {
  readonly keyOptions: Readonly<Record<string, unknown>> | undefined;
  /** Encoded headers by `typ`; `undefined` is the empty header. */
  readonly headers: Map<string | undefined, string>;
}

const prepared = new WeakMap<JwtSigner, Prepared>();

function prepare(signer: JwtSigner): Prepared {
  let entry = prepared.get(signer);
  if (entry === undefined) {
    if (signer.alg !== 'HS256' && !Object.hasOwn(ALGORITHMS, signer.alg)) {
      throw new InvalidArgumentError('/signer/alg', '/signer/alg is not a supported algorithm');
    }
    const keyOptions =
      signer.alg === 'HS256'
        ? undefined
        : { key: signer.privateKey, ...ALGORITHMS[signer.alg].signOptions };
    entry = { keyOptions, headers: new Map() };
    prepared.set(signer, entry);
  }
  return entry;
}

/**
 * Signs `payload` as a compact JWS (a JWT). The header is `{ alg, ...header, kid }` with
 * `alg` (and `kid` for tenant keys) taken from `signer`.
 *
 * @param header - extra header members, usually `{ typ: 'JWT' }`
 * @param payload - the claims; must be a JSON object
 * @param signer - an {@link HmacSigner} or a `SigningKey` from a `KeyRing`
 * @throws {@link InvalidArgumentError} when the header sets `alg` or `kid`, or the payload
 *   is not a JSON-serialisable object.
 * @example
 * ```ts
 * const token = await signJwt({ typ: 'JWT' }, { iss, sub, aud, iat, exp }, ring.active);
 * await jwtVerify(token, createLocalJWKSet(ring.jwks()), { issuer: iss, audience: aud });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @internal
 */
export function signJwt(header: JwtHeader, payload: object, signer: JwtSigner): Promise<string> {
  try {
    const { keyOptions, headers } = prepare(signer);
    const signingInput = `${encodeHeader(header, signer, headers)}.${encodePayload(payload)}`;
    if (keyOptions === undefined) {
      const mac = createHmac('sha256', (signer as HmacSigner).key)
        .update(signingInput)
        .digest('base64url');
      return Promise.resolve(`${signingInput}.${mac}`);
    }
    const { hash } = ALGORITHMS[(signer as SigningKey).alg];
    return new Promise((resolve, reject) => {
      queueSignature(() => {
        try {
          sign(hash, Buffer.from(signingInput), keyOptions as never, (error, signature) => {
            signatureDone();
            if (error) reject(error);
            else resolve(`${signingInput}.${signature.toString('base64url')}`);
          });
        } catch (error) {
          signatureDone();
          reject(error as Error);
        }
      });
    });
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/** Headers that are only `{ typ }` (or empty) are encoded once per signer and `typ`. */
function encodeHeader(
  header: JwtHeader,
  signer: JwtSigner,
  cache: Map<string | undefined, string>,
): string {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new InvalidArgumentError('/header', '/header must be an object');
  }
  let members = 0;
  for (const member in header) {
    if (member === 'alg' || member === 'kid') {
      throw new InvalidArgumentError(
        `/header/${member}`,
        `/header/${member} is set from the signer`,
      );
    }
    members++;
  }
  const typ = members === 0 ? undefined : header.typ;
  const cacheable = members === 0 || (members === 1 && typeof typ === 'string');
  if (cacheable) {
    const cached = cache.get(typ);
    if (cached !== undefined) return cached;
  }
  const full =
    signer.alg === 'HS256'
      ? { alg: 'HS256', ...header }
      : { alg: signer.alg, ...header, kid: signer.kid };
  const encoded = base64url(serialise(full, '/header'));
  if (cacheable) cache.set(typ, encoded);
  return encoded;
}

function encodePayload(payload: object): string {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidArgumentError('/payload', '/payload must be a JSON object');
  }
  return base64url(serialise(payload, '/payload'));
}

/**
 * `JSON.stringify`, with its TypeErrors (BigInt, cycles) turned into typed errors, and
 * refusing anything that does not serialise to a JSON object (a `toJSON` returning a
 * string, for example).
 */
function serialise(value: object, pointer: string): string {
  let json: unknown;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (typeof json !== 'string' || !json.startsWith('{')) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} must serialise to a JSON object (no BigInt, no cycles)`,
    );
  }
  return json;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
