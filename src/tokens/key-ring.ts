/**
 * The tenant's signing keys, imported once: the active signer, every key still accepted
 * for verification, and the public JWKS.
 *
 * @module
 */
import { deepFreeze } from '../lib/deep-freeze.js';
import { InvalidArgumentError } from '../errors.js';
import type { SigningAlgorithm } from './algorithms.js';
import type { PublicJwk } from './jwk.js';
import {
  generateSigningKey,
  importSigningKey,
  type SigningKey,
  type SigningKeyRecord,
} from './signing-keys.js';

/** Options of the {@link KeyRing} constructor. */
export interface KeyRingOptions {
  /**
   * JSON pointer of the record list in the caller's input, prefixed to error paths
   * (`/signingKeys` makes a bad modulus `/signingKeys/0/publicJwk/n`). Default `''`.
   */
  pointer?: string;
}

/** A JSON Web Key Set of public keys, as served at `/.well-known/jwks.json`. */
export interface PublicJwks {
  /** The public keys, active key first. */
  keys: PublicJwk[];
}

/**
 * An immutable set of tenant signing keys built from stored records. The first record is
 * the active signer; the others stay published and accepted for verification until they
 * are removed. Each key is validated and imported into `KeyObject`s once, here; build a
 * new ring after rotating.
 *
 * `JSON.stringify(ring)` and `util.inspect(ring)` show public keys only.
 *
 * @example
 * ```ts
 * const ring = new KeyRing([await generateSigningKey('RS256')]);
 * ring.active.kid;            // signs new tokens
 * ring.jwks();                // { keys: [{ kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' }] }
 * ring.find(header.kid);      // the key that verifies a token, or undefined
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5 (JWK Set)
 */
export class KeyRing {
  readonly #records: readonly SigningKeyRecord[];
  readonly #keys: readonly SigningKey[];
  readonly #active: SigningKey;
  readonly #byKid: ReadonlyMap<string, SigningKey>;

  /**
   * @param records - stored key records, active first (at least one)
   * @param options - error-path prefix
   * @throws {@link InvalidArgumentError} when the list is empty, a kid repeats or a record
   *   is invalid (see `generateSigningKey` for the format); the path names the member.
   */
  constructor(records: readonly SigningKeyRecord[], options: KeyRingOptions = {}) {
    const base = options.pointer ?? '';
    if (!Array.isArray(records) || records.length === 0) {
      throw new InvalidArgumentError(
        base,
        `${base || 'records'} must be a non-empty array of signing key records`,
      );
    }
    const byKid = new Map<string, SigningKey>();
    const keys = records.map((record: unknown, index) => {
      const key = importSigningKey(record, `${base}/${index}`);
      if (byKid.has(key.kid)) {
        throw new InvalidArgumentError(
          `${base}/${index}/kid`,
          `${base}/${index}/kid repeats an earlier key`,
        );
      }
      byKid.set(key.kid, key);
      return key;
    });
    this.#keys = Object.freeze(keys);
    this.#active = keys[0] as SigningKey; // the list was checked to be non-empty
    this.#byKid = byKid;
    this.#records = Object.freeze(records.map((record) => deepFreeze(structuredClone(record))));
  }

  /**
   * A ring holding one newly generated key.
   *
   * @example
   * ```ts
   * const ring = await KeyRing.generate('ES256');
   * ```
   */
  static async generate(alg: SigningAlgorithm = 'RS256'): Promise<KeyRing> {
    return new KeyRing([await generateSigningKey(alg)]);
  }

  /** The key that signs new tokens: the first record. */
  get active(): SigningKey {
    return this.#active;
  }

  /** Every key, active first. */
  get keys(): readonly SigningKey[] {
    return this.#keys;
  }

  /** The records the ring was built from (deep-frozen copies), to persist. Holds private keys. */
  get records(): readonly SigningKeyRecord[] {
    return this.#records;
  }

  /** The key with this `kid`, or `undefined` (never throws). */
  find(kid: string): SigningKey | undefined {
    return typeof kid === 'string' ? this.#byKid.get(kid) : undefined;
  }

  /**
   * The first key of the ring that signs with `alg` (the active signer for that algorithm),
   * or `undefined` when the ring has none. Lets one tenant sign ID tokens with each client's
   * configured algorithm.
   */
  activeFor(alg: SigningAlgorithm): SigningKey | undefined {
    return this.#keys.find((key) => key.alg === alg);
  }

  /**
   * The public JSON Web Key Set: `kty`, `n`/`e` or `crv`/`x`/`y`, `kid`, `alg`, `use`.
   * Never a private member. A fresh copy each call.
   *
   * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
   */
  jwks(): PublicJwks {
    return { keys: this.#keys.map((key) => ({ ...key.publicJwk })) };
  }

  /** The JWKS, so serialising a ring never writes private keys. */
  toJSON(): PublicJwks {
    return this.jwks();
  }
}

/**
 * The ring's first key for `alg`, for signing.
 *
 * @param purpose - what the key would sign, for the error message
 * @throws {@link InvalidArgumentError} at `/keyRing` when there is no ring or no such key.
 * @internal
 */
export function signingKeyFor(
  keyRing: KeyRing | undefined,
  alg: SigningAlgorithm,
  purpose: string,
): SigningKey {
  const key = keyRing?.activeFor(alg);
  if (key === undefined) {
    throw new InvalidArgumentError(
      '/keyRing',
      `/keyRing has no ${alg} key to sign ${purpose}: add one made by generateSigningKey('${alg}')`,
    );
  }
  return key;
}
