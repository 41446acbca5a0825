/**
 * The tenant's local copy of a remote store it can watch (PostgresStore, or any adapter
 * with `watch` whose reads leave the process), so `clients.get`, `allowsCallback`,
 * `anyAllowsOrigin` and signing cost no round trip.
 *
 * Reads fill the cache; the change feed drops exactly the entries that changed (a record
 * whose version differs from the cached one, the list of its collection), and a feed
 * reset drops everything. A read or write that was in flight when a change of the same
 * record arrived does not fill the cache (it may have seen the state before the change),
 * unless the change is the very version it holds (its own write coming back). A write
 * that fails drops what it touched, so a retry after a `ConflictError` reads afresh.
 */
import { checkCollection, checkId } from '../storage/batch.js';
import { ChangeHub } from '../storage/change-hub.js';
import { FileStore } from '../storage/file-store.js';
import { MemoryStore } from '../storage/memory-store.js';
import type {
  ChangeListener,
  CollectionName,
  Store,
  StoreChange,
  StoredRecord,
  WriteOperation,
} from '../storage/store.js';

/** Most records cached per collection (the oldest entry goes first). */
const MAX_ENTRIES = 10_000;

interface Seen {
  readonly epoch: number;
  readonly version: number;
}

/** True when a tenant on `store` should keep a local cache: it can watch, and reads leave the process. */
export function wantsCache(store: Store): boolean {
  return (
    typeof store.watch === 'function' &&
    !(store instanceof MemoryStore) &&
    !(store instanceof FileStore)
  );
}

/** A read-through cache in front of a watching store. @internal */
export class CachedStore implements Store {
  readonly #inner: Store;
  /** collection → id → the record (undefined: known absent). */
  readonly #records = new Map<string, Map<string, StoredRecord | undefined>>();
  readonly #lists = new Map<string, readonly StoredRecord[]>();
  readonly #hub = new ChangeHub();
  readonly #unwatch: () => void;
  /** Grows by one with every change reported by the feed. */
  #epoch = 0;
  #resetAt = 0;
  /** Epoch of the last change per collection. */
  readonly #collectionAt = new Map<string, number>();
  /** Changes seen while reads or writes were in flight (cleared when none are). */
  readonly #recent = new Map<string, Seen>();
  #inFlight = 0;

  constructor(inner: Store) {
    this.#inner = inner;
    this.#unwatch = (inner.watch as NonNullable<Store['watch']>).call(inner, (change) =>
      this.#changed(change),
    );
  }

  get<T = unknown>(collection: CollectionName, id: string): Promise<StoredRecord<T> | undefined> {
    const records = this.#records.get(collection);
    if (records?.has(id)) return Promise.resolve(records.get(id) as StoredRecord<T> | undefined);
    return this.#fetch<T>(collection, id);
  }

  async list<T = unknown>(collection: CollectionName): Promise<StoredRecord<T>[]> {
    const cached = this.#lists.get(checkCollection(collection));
    if (cached) return [...cached] as StoredRecord<T>[];
    const start = this.#begin();
    try {
      const records = await this.#inner.list<T>(collection);
      if (this.#resetAt <= start && (this.#collectionAt.get(collection) ?? 0) <= start) {
        this.#lists.set(collection, Object.freeze([...records]));
      }
      return records;
    } finally {
      this.#end();
    }
  }

  insert<T = unknown>(collection: CollectionName, id: string, value: T): Promise<StoredRecord<T>> {
    return this.#written([{ collection, id }], () => this.#inner.insert(collection, id, value));
  }

  replace<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
    expectedVersion: number,
  ): Promise<StoredRecord<T>> {
    return this.#written([{ collection, id }], () =>
      this.#inner.replace(collection, id, value, expectedVersion),
    );
  }

  async delete(collection: CollectionName, id: string, expectedVersion?: number): Promise<void> {
    const start = this.#begin();
    try {
      await this.#inner.delete(collection, id, expectedVersion);
      this.#remember(collection, id, undefined, start);
    } catch (error) {
      this.#drop([{ collection, id }]);
      throw error;
    } finally {
      this.#end();
    }
  }

  async commit(operations: readonly WriteOperation[]): Promise<StoredRecord[]> {
    const touched = Array.isArray(operations)
      ? operations.filter(
          (op): op is WriteOperation =>
            typeof op === 'object' &&
            op !== null &&
            typeof op.collection === 'string' &&
            typeof op.id === 'string',
        )
      : [];
    const start = this.#begin();
    try {
      const written = await this.#inner.commit(operations);
      let next = 0;
      for (const op of touched) {
        const record = op.op === 'delete' ? undefined : written[next++];
        this.#remember(op.collection, op.id, record, start);
      }
      return written;
    } catch (error) {
      this.#drop(touched);
      throw error;
    } finally {
      this.#end();
    }
  }

  /** Reports the inner store's changes (after the cache has dropped what they touch). */
  watch(listener: ChangeListener): () => void {
    return this.#hub.add(listener);
  }

  /** Stops following the feed and closes the inner store. */
  async close(): Promise<void> {
    this.#unwatch();
    this.#records.clear();
    this.#lists.clear();
    await this.#inner.close?.();
  }

  async #fetch<T>(collection: string, id: string): Promise<StoredRecord<T> | undefined> {
    checkCollection(collection);
    checkId(id);
    const start = this.#begin();
    try {
      const record = await this.#inner.get<T>(collection, id);
      this.#remember(collection, id, record, start, false);
      return record;
    } finally {
      this.#end();
    }
  }

  async #written<T>(
    touched: readonly { collection: string; id: string }[],
    write: () => Promise<StoredRecord<T>>,
  ): Promise<StoredRecord<T>> {
    const start = this.#begin();
    try {
      const record = await write();
      const [first] = touched;
      if (first) this.#remember(first.collection, first.id, record, start);
      return record;
    } catch (error) {
      this.#drop(touched);
      throw error;
    } finally {
      this.#end();
    }
  }

  /**
   * Caches what a read or write that began at epoch `start` saw, unless the feed reported
   * a different version of the record meanwhile. A write also drops its collection's list.
   */
  #remember(
    collection: string,
    id: string,
    record: StoredRecord | undefined,
    start: number,
    wrote = true,
  ): void {
    if (wrote) this.#lists.delete(collection);
    const version = record?.version ?? 0;
    const seen = this.#recent.get(key(collection, id));
    const stale = this.#resetAt > start || (seen && seen.epoch > start && seen.version !== version);
    let records = this.#records.get(collection);
    if (stale) {
      records?.delete(id);
      return;
    }
    if (!records) this.#records.set(collection, (records = new Map()));
    if (!records.has(id) && records.size >= MAX_ENTRIES) {
      const oldest = records.keys().next();
      if (!oldest.done) records.delete(oldest.value);
    }
    records.set(id, record);
  }

  #drop(touched: readonly { collection: string; id: string }[]): void {
    for (const { collection, id } of touched) {
      this.#records.get(collection)?.delete(id);
      this.#lists.delete(collection);
    }
  }

  #changed(change: StoreChange): void {
    this.#epoch++;
    if ('reset' in change) {
      this.#resetAt = this.#epoch;
      this.#records.clear();
      this.#lists.clear();
    } else {
      const { collection, id, version } = change;
      const records = this.#records.get(collection);
      if (records?.has(id) && (records.get(id)?.version ?? 0) !== version) records.delete(id);
      this.#lists.delete(collection);
      this.#collectionAt.set(collection, this.#epoch);
      if (this.#inFlight > 0)
        this.#recent.set(key(collection, id), { epoch: this.#epoch, version });
    }
    this.#hub.emit([change]);
  }

  #begin(): number {
    this.#inFlight++;
    return this.#epoch;
  }

  #end(): void {
    if (--this.#inFlight === 0) this.#recent.clear();
  }
}

function key(collection: string, id: string): string {
  return `${JSON.stringify(collection)}\u0000${id}`;
}
