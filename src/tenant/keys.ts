/**
 * The tenant's signing keys, persisted through the store so every process on the same
 * store signs with, and publishes, the same keys.
 *
 * One record (`keys/signing`) holds the whole ring, active key first, so rotation is a
 * single versioned replace. Rings are imported once per record version and cached.
 */
import { ConflictError } from '../errors.js';
import type { Store } from '../storage/store.js';
import type { SigningAlgorithm } from '../tokens/algorithms.js';
import { KeyRing } from '../tokens/key-ring.js';
import {
  generateSigningKey,
  retireSigningKey,
  rotateSigningKeys,
  type SigningKeyRecord,
} from '../tokens/signing-keys.js';

const COLLECTION = 'keys';
const RING_ID = 'signing';
/** How long a process signs with the ring it last read before looking at the store again. */
const REFRESH_MS = 5_000;
const MAX_RACE_RETRIES = 5;

interface StoredRing {
  keys: SigningKeyRecord[];
}

/** A ring with the store version it was read at, when (ms) and after how many feed changes. */
interface CachedRing {
  readonly ring: KeyRing;
  readonly version: number;
  readonly readAt: number;
  readonly changes: number;
}

/** Where the ring comes from: fixed records from the caller, or the store. */
export type KeySource =
  | { readonly kind: 'fixed'; readonly records: readonly SigningKeyRecord[] }
  | { readonly kind: 'stored'; readonly algorithm: SigningAlgorithm };

/** Loads, caches, extends and rotates the tenant's key ring. */
export class TenantKeys {
  readonly #store: Store;
  readonly #source: KeySource;
  readonly #now: () => number;
  #cached: CachedRing | undefined;
  #loading: Promise<KeyRing> | undefined;
  /** Key-ring changes reported by the store's feed (undefined: the store has none). */
  #changes: number | undefined;
  readonly #unwatch: (() => void) | undefined;

  constructor(store: Store, source: KeySource, now: () => number) {
    this.#store = store;
    this.#source = source;
    this.#now = now;
    if (source.kind === 'fixed') {
      this.#cached = {
        ring: new KeyRing(source.records, { pointer: '/signingKeys' }),
        version: 0,
        readAt: Infinity,
        changes: 0,
      };
    } else if (store.watch) {
      this.#changes = 0;
      this.#unwatch = store.watch.call(store, (change) => {
        if ('reset' in change || change.collection === COLLECTION) {
          this.#changes = (this.#changes ?? 0) + 1;
        }
      });
    }
  }

  /**
   * The ring to sign with: cached until the store's change feed reports a change of it,
   * or, on a store without a feed, re-read at most every few seconds.
   */
  async ring(): Promise<KeyRing> {
    const cached = this.#cached;
    if (cached) {
      if (this.#changes === undefined) {
        if (this.#now() - cached.readAt < REFRESH_MS) return cached.ring;
      } else if (cached.changes === this.#changes) {
        return cached.ring;
      }
    }
    return this.#load();
  }

  /** Stops following the store's change feed. */
  dispose(): void {
    this.#unwatch?.();
  }

  /** The ring as the store holds it now (for JWKS and for a `kid` the cache does not know). */
  async freshRing(): Promise<KeyRing> {
    if (this.#source.kind === 'fixed') return await this.ring();
    return this.#load();
  }

  /** A key of the ring that signs with `alg`, generating and persisting one if there is none. */
  async signerFor(alg: SigningAlgorithm): Promise<KeyRing> {
    const ring = await this.ring();
    if (ring.activeFor(alg) || this.#source.kind === 'fixed') return ring;
    return this.#change(async (records) =>
      records.some((record) => record.alg === alg)
        ? undefined
        : [...records, await generateSigningKey(alg)],
    );
  }

  /** Puts a new key of `alg` first; older keys stay published until retired. */
  async rotate(alg: SigningAlgorithm): Promise<KeyRing> {
    return this.#change((records) => rotateSigningKeys(records, alg));
  }

  /** Removes a non-active key: tokens it signed stop verifying, and it leaves the JWKS. */
  async retire(kid: string): Promise<KeyRing> {
    return this.#change((records) => retireSigningKey(records, kid));
  }

  #load(): Promise<KeyRing> {
    this.#loading ??= this.#read().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #read(): Promise<KeyRing> {
    if (this.#source.kind === 'fixed') return (this.#cached as CachedRing).ring;
    for (let attempt = 0; ; attempt++) {
      const changes = this.#changes ?? 0;
      const record = await this.#store.get<StoredRing>(COLLECTION, RING_ID);
      if (record) return this.#adopt(record.value.keys, record.version, changes);
      const generated = await generateSigningKey(this.#source.algorithm);
      try {
        const inserted = await this.#store.insert<StoredRing>(COLLECTION, RING_ID, {
          keys: [generated],
        });
        return this.#adopt(inserted.value.keys, inserted.version, changes);
      } catch (error) {
        // Another process generated the first key at the same moment: use theirs.
        if (!(error instanceof ConflictError) || attempt >= MAX_RACE_RETRIES) throw error;
      }
    }
  }

  async #change(
    next: (
      records: readonly SigningKeyRecord[],
    ) => Promise<SigningKeyRecord[] | undefined> | SigningKeyRecord[] | undefined,
  ): Promise<KeyRing> {
    if (this.#source.kind === 'fixed') {
      const records = await next(this.#cached?.ring.records ?? []);
      if (records) {
        this.#cached = { ring: new KeyRing(records), version: 0, readAt: Infinity, changes: 0 };
      }
      return (this.#cached as CachedRing).ring;
    }
    for (let attempt = 0; ; attempt++) {
      const changes = this.#changes ?? 0;
      await this.#load();
      const current = this.#cached as CachedRing;
      const records = await next(current.ring.records);
      if (!records) return current.ring;
      const ring = new KeyRing(records);
      try {
        const written = await this.#store.replace<StoredRing>(
          COLLECTION,
          RING_ID,
          { keys: records },
          current.version,
        );
        // Counted as current only if the feed reported nothing meanwhile (its report of
        // this very write then just makes the next call read the ring once more).
        this.#cached = { ring, version: written.version, readAt: this.#now(), changes };
        return ring;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= MAX_RACE_RETRIES) throw error;
      }
    }
  }

  #adopt(records: readonly SigningKeyRecord[], version: number, changes: number): KeyRing {
    const cached = this.#cached;
    const ring =
      cached && cached.version === version
        ? cached.ring
        : new KeyRing(records, { pointer: '/keys/signing/keys' });
    this.#cached = { ring, version, readAt: this.#now(), changes };
    return ring;
  }
}
