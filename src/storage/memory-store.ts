/**
 * The embedded default store: everything in memory, nothing persisted.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  applyPlan,
  checkCollection,
  checkId,
  checkWrite,
  normaliseBatch,
  planBatch,
  writtenRecords,
  type CheckedWrite,
  type Collections,
  type PlannedWrite,
} from './batch.js';
import { ChangeHub, changesOf } from './change-hub.js';
import type { StoreLogs } from './log.js';
import { MemoryLogs } from './memory-logs.js';
import type {
  ChangeListener,
  CollectionName,
  Store,
  StoredRecord,
  WriteOperation,
} from './store.js';

/**
 * A {@link Store} that keeps every collection in a `Map`, for tests, tools and services
 * that rebuild their registry at start-up. Data lives as long as the object.
 *
 * - `get` is one map lookup, whatever the number of records (O(1)); `list` returns
 *   records in insertion order (a replace keeps the position, a re-insert goes last).
 * - Values are copied and deep-frozen on write, and the same frozen record is returned
 *   to every reader: nothing a caller does to an object it passed in or got back can
 *   change the stored data (assigning to a frozen value throws in strict-mode code).
 * - Values must be JSON values (plain objects, arrays, strings, finite numbers,
 *   booleans, `null`), exactly as in `FileStore`, so switching stores never changes data.
 * - Every method checks all its arguments before it changes anything; `commit` applies
 *   every operation or none.
 * - `watch` reports every change synchronously, before the write's promise resolves.
 * - `logs` keeps append-only logs in an array per log, ordered by id, with a map by id.
 *
 * @example
 * ```ts
 * import { MemoryStore } from 'clientele';
 *
 * const store = new MemoryStore();
 * const created = await store.insert('clients', 'abc', { name: 'My App' });
 * await store.replace('clients', 'abc', { name: 'Renamed' }, created.version);
 * (await store.get('clients', 'abc'))?.version; // 2
 * ```
 */
export class MemoryStore implements Store {
  /** Append-only logs, ordered by id in memory: an append is an array push. */
  readonly logs: StoreLogs = new MemoryLogs();
  readonly #data: Collections = new Map();
  readonly #hub = new ChangeHub();

  /** {@inheritDoc Store.get} */
  get<T = unknown>(collection: CollectionName, id: string): Promise<StoredRecord<T> | undefined> {
    try {
      const name = checkCollection(collection);
      checkId(id);
      const found = this.#data.get(name)?.get(id);
      return Promise.resolve(found as StoredRecord<T> | undefined);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** {@inheritDoc Store.list} */
  list<T = unknown>(collection: CollectionName): Promise<StoredRecord<T>[]> {
    try {
      const records = this.#data.get(checkCollection(collection));
      return Promise.resolve(records ? ([...records.values()] as StoredRecord<T>[]) : []);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** {@inheritDoc Store.insert} */
  async insert<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
  ): Promise<StoredRecord<T>> {
    return this.#one(
      checkWrite({ op: 'insert', collection, id, value }, '', ''),
    ) as StoredRecord<T>;
  }

  /** {@inheritDoc Store.replace} */
  async replace<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
    expectedVersion: number,
  ): Promise<StoredRecord<T>> {
    const write = checkWrite({ op: 'replace', collection, id, value, expectedVersion }, '', '');
    return this.#one(write) as StoredRecord<T>;
  }

  /** {@inheritDoc Store.delete} */
  async delete(collection: CollectionName, id: string, expectedVersion?: number): Promise<void> {
    this.#one(checkWrite({ op: 'delete', collection, id, expectedVersion }, '', ''));
  }

  /** {@inheritDoc Store.commit} */
  async commit(operations: readonly WriteOperation[]): Promise<StoredRecord[]> {
    const plan = planBatch(normaliseBatch(operations), this.#data);
    this.#apply(plan);
    return writtenRecords(plan);
  }

  /** {@inheritDoc Store.watch} */
  watch(listener: ChangeListener): () => void {
    if (typeof listener !== 'function') {
      throw new InvalidArgumentError('/listener', '/listener must be a function');
    }
    return this.#hub.add(listener);
  }

  /** Nothing to release; present so callers can treat every store alike. */
  async close(): Promise<void> {
    // Intentionally empty: the data is garbage-collected with the object.
  }

  #one(write: CheckedWrite): StoredRecord | undefined {
    // Runs synchronously from check to apply, so concurrent callers in this process are
    // serialised by the event loop and a stale version always loses.
    const plan = planBatch([write], this.#data);
    this.#apply(plan);
    return plan[0]?.record;
  }

  #apply(plan: readonly PlannedWrite[]): void {
    applyPlan(plan, this.#data, false);
    if (this.#hub.active) this.#hub.emit(changesOf(plan));
  }
}
