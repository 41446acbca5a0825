/**
 * A store kept in one JSON file, safe against crashes and against other writers.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { removeLeftoverTemps, writeFileAtomic } from './atomic-write.js';
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
} from './batch.js';
import { ChangeHub, changesOf, diffCollections } from './change-hub.js';
import { encodeEnvelope } from './envelope.js';
import { FileLogs } from './file-logs.js';
import type { StoreLogs } from './log.js';
import { acquireLock } from './file-lock.js';
import { FileWatch } from './file-watch.js';
import type {
  ChangeListener,
  CollectionName,
  Store,
  StoredRecord,
  WriteOperation,
} from './store.js';
import { readStoreFile, statKey, type Snapshot } from './store-file.js';

/**
 * Writes made by every FileStore of this process, by file path. Another instance in this
 * process that shares the file sees its count move, so it never needs the file watch to
 * learn of them (the watch event may still be on its way).
 */
const localWrites = new Map<string, number>();

/** What had been noticed when a snapshot was taken; equal counts mean nothing happened since. */
interface Marks {
  readonly events: number;
  readonly local: number;
}

/** Options of {@link FileStore}. */
export interface FileStoreOptions {
  /**
   * How long a write waits for the lock while another live process holds it before
   * failing with `ConflictError` (nothing written). Default 10,000 ms.
   */
  lockTimeoutMs?: number;
  /**
   * Age after which a lock is treated as abandoned even though its holder's pid still
   * seems to run (a reused pid, or a holder on another host). A lock whose holder is
   * known dead is removed at once. Keep it well above the time one write takes.
   * Default 30,000 ms.
   */
  staleLockMs?: number;
}

/**
 * A {@link Store} persisted in one JSON file (see docs/storage.md for the format).
 *
 * - **Atomic:** each write replaces the whole file through a temporary file, `fsync` and
 *   `rename`, then flushes the directory. A crash at any moment leaves the old or the new
 *   file, never a torn one; a write has reached the disk when its promise resolves.
 * - **No lost updates:** writes of this instance run one at a time; across instances and
 *   processes, each write takes a lock file (`<path>.lock`, created exclusively) and
 *   re-reads the file if anyone changed it, so version checks always run against the
 *   latest data and a stale `expectedVersion` gets `ConflictError`. A lock left by a
 *   crashed process is recovered automatically.
 * - **Fresh reads:** `get` and `list` answer from the copy in memory after checking the
 *   file's identity (one `stat`), and re-read the file only when another writer changed
 *   it. A watch on the directory tells a rewrite that kept the same identity (a recycled
 *   inode within one timestamp tick) from no change at all, without opening the file.
 * - **Change feed:** `watch` reports this instance's writes before they resolve and
 *   other instances' and processes' writes as soon as the file watch (or, where it misses
 *   events, a `stat` every 100 ms) notices them, by comparing the file with what was last
 *   reported.
 * - **Corruption is reported, never overwritten:** an unreadable file makes every call
 *   fail with `StoreCorruptError` (path and reason in the message) and is left as is.
 * - A missing file is an empty store; the file (mode 0600) and its directory are created
 *   by the first write.
 * - Same value rules and isolation as `MemoryStore`: JSON values, copied and deep-frozen.
 *
 * Every write rewrites the whole file, so it suits registries of up to some tens of
 * thousands of records; use a database adapter beyond that.
 *
 * @example
 * ```ts
 * import { FileStore, Tenant } from 'clientele';
 *
 * const store = new FileStore('./data/tenant.json');
 * const tenant = await Tenant.create({ domain: 'auth.example.com', store });
 *
 * // Or on its own:
 * const note = await store.insert('notes', 'n1', { text: 'hello' });
 * await store.replace('notes', 'n1', { text: 'edited' }, note.version); // ConflictError if stale
 * ```
 */
export class FileStore implements Store {
  /** Absolute path of the store file. */
  readonly path: string;
  /**
   * Append-only logs, one NDJSON file each next to the store file (`<path>.<log>.log`):
   * an append writes only the new lines, never the store file.
   */
  readonly logs: StoreLogs;
  readonly #lockPath: string;
  readonly #timing: { timeoutMs: number; staleMs: number };
  #snapshot: Snapshot | undefined;
  /** Counts snapshots adopted from this instance's own writes (see `#read`). */
  #writes = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #directoryReady = false;
  #tempsChecked = false;
  /** What was noticed when `#snapshot` was taken. */
  #marks: Marks = { events: -1, local: -1 };
  #watch: FileWatch | undefined;
  readonly #hub = new ChangeHub(
    () => this.#startFeed(),
    () => this.#watch?.poll(false),
  );
  /** The data as last reported to listeners (undefined until the feed has read it). */
  #published: Collections | undefined;
  #refreshing = false;

  /**
   * @param path - the JSON file; created on the first write, with its directory
   * @param options - lock timing
   */
  constructor(path: string, options: FileStoreOptions = {}) {
    if (typeof path !== 'string' || path === '') {
      throw new InvalidArgumentError('/path', '/path must be a non-empty file path');
    }
    this.path = resolve(path);
    this.#lockPath = `${this.path}.lock`;
    this.#timing = {
      timeoutMs: positive(options.lockTimeoutMs, 10_000, '/options/lockTimeoutMs'),
      staleMs: positive(options.staleLockMs, 30_000, '/options/staleLockMs'),
    };
    this.logs = new FileLogs(this.path, this.#timing);
  }

  /** {@inheritDoc Store.get} */
  async get<T = unknown>(
    collection: CollectionName,
    id: string,
  ): Promise<StoredRecord<T> | undefined> {
    const name = checkCollection(collection);
    checkId(id);
    const snapshot = await this.#read();
    return snapshot.collections.get(name)?.get(id) as StoredRecord<T> | undefined;
  }

  /** {@inheritDoc Store.list} */
  async list<T = unknown>(collection: CollectionName): Promise<StoredRecord<T>[]> {
    const name = checkCollection(collection);
    const records = (await this.#read()).collections.get(name);
    return records ? ([...records.values()] as StoredRecord<T>[]) : [];
  }

  /** {@inheritDoc Store.insert} */
  async insert<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
  ): Promise<StoredRecord<T>> {
    const [written] = await this.#write([
      checkWrite({ op: 'insert', collection, id, value }, '', ''),
    ]);
    return written as StoredRecord<T>;
  }

  /** {@inheritDoc Store.replace} */
  async replace<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
    expectedVersion: number,
  ): Promise<StoredRecord<T>> {
    const write = checkWrite({ op: 'replace', collection, id, value, expectedVersion }, '', '');
    const [written] = await this.#write([write]);
    return written as StoredRecord<T>;
  }

  /** {@inheritDoc Store.delete} */
  async delete(collection: CollectionName, id: string, expectedVersion?: number): Promise<void> {
    await this.#write([checkWrite({ op: 'delete', collection, id, expectedVersion }, '', '')]);
  }

  /** {@inheritDoc Store.commit} */
  async commit(operations: readonly WriteOperation[]): Promise<StoredRecord[]> {
    const writes = normaliseBatch(operations);
    return writes.length === 0 ? [] : this.#write(writes);
  }

  /**
   * Waits for this instance's pending writes and stops watching the file. The store stays
   * usable afterwards (a later read or `watch` starts watching again).
   */
  async close(): Promise<void> {
    await this.#queue;
    this.#watch?.stop();
    this.#watch = undefined;
  }

  /** The data as of now, re-read only when the file changed since it was last read. */
  async #read(): Promise<Snapshot> {
    this.#watch ??= new FileWatch(this.path, () => this.#noticed());
    if (!this.#watch.healthy) this.#watch.retry();
    const marks = this.#currentMarks();
    const key = await statKey(this.path);
    const known = this.#snapshot;
    if (known?.key === key && (known.settled || this.#quiet(known))) return known;
    const writes = this.#writes;
    const loaded = await readStoreFile(this.path, known?.key === key ? known : undefined);
    // Cache it unless a write of ours finished meanwhile (ours is then the newer) or a
    // concurrent read already cached a later revision; either way this call returns
    // what it read, which is at least as new as the file was when the call started.
    const current = this.#snapshot;
    if (writes === this.#writes && (!current || loaded.revision >= current.revision)) {
      this.#snapshot = loaded;
      this.#marks = marks;
    }
    return loaded;
  }

  /** {@inheritDoc Store.watch} */
  watch(listener: ChangeListener): () => void {
    if (typeof listener !== 'function') {
      throw new InvalidArgumentError('/listener', '/listener must be a function');
    }
    return this.#hub.add(listener);
  }

  /**
   * True when `snapshot` (whose stat identity matches the file) is surely current: the
   * directory watch runs and neither it nor a write of this process noticed anything
   * since the snapshot was taken.
   */
  #quiet(snapshot: Snapshot): boolean {
    const marks = this.#currentMarks();
    return (
      snapshot === this.#snapshot &&
      this.#watch?.healthy === true &&
      marks.events === this.#marks.events &&
      marks.local === this.#marks.local
    );
  }

  #currentMarks(): Marks {
    return { events: this.#watch?.events ?? -1, local: localWrites.get(this.path) ?? 0 };
  }

  #startFeed(): void {
    this.#watch ??= new FileWatch(this.path, () => this.#noticed());
    this.#watch.poll(true);
    this.#published = undefined;
    this.#refresh();
  }

  /** The file watch saw something: report what changed, if anyone listens. */
  #noticed(): void {
    if (this.#hub.active) this.#refresh();
  }

  /**
   * Reads the file (in the write queue, so never halfway through a write of ours) and
   * reports the differences with what was last reported. The first run only records the
   * starting point.
   */
  #refresh(): void {
    if (this.#refreshing) return;
    this.#refreshing = true;
    const task = async (): Promise<void> => {
      this.#refreshing = false;
      if (!this.#hub.active) return;
      try {
        const snapshot = await this.#read();
        const before = this.#published;
        this.#published = snapshot.collections;
        if (before) this.#hub.emit(diffCollections(before, snapshot.collections));
      } catch {
        // A corrupt or unreadable file: reads report it; the feed tries again next time.
      }
    };
    this.#queue = this.#queue.then(task, task);
  }

  /** Checks, plans and writes a batch while holding the cross-process lock. */
  #write(writes: readonly CheckedWrite[]): Promise<StoredRecord[]> {
    const task = async (): Promise<StoredRecord[]> => {
      if (!this.#directoryReady) {
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        this.#directoryReady = true;
      }
      const lock = await acquireLock(this.#lockPath, this.path, this.#timing);
      try {
        // Under the lock no live writer has a temporary file, so any left are a crashed
        // writer's. Looked for once per instance and after every stale-lock recovery.
        if (!this.#tempsChecked || lock.brokeStale) {
          await Promise.all([removeLeftoverTemps(this.path), lock.clearBreaker()]);
          this.#tempsChecked = true;
        }
        const current = await readStoreFile(this.path, this.#snapshot);
        this.#snapshot = current;
        this.#writes++;
        const plan = planBatch(writes, current.collections);
        const collections = applyPlan(plan, current.collections, true);
        const revision = current.revision + 1;
        const text = encodeEnvelope(revision, collections);
        await writeFileAtomic(this.path, text, current.mode, () => lock.verify());
        localWrites.set(this.path, (localWrites.get(this.path) ?? 0) + 1);
        const marks = this.#currentMarks();
        this.#snapshot = {
          revision,
          collections,
          key: await statKey(this.path),
          mode: current.mode,
          settled: false,
        };
        this.#marks = marks;
        this.#writes++;
        if (this.#hub.active) {
          const before = this.#published;
          if (before) this.#hub.emit(diffCollections(before, current.collections));
          this.#hub.emit(changesOf(plan));
          if (before) this.#published = collections;
        }
        return writtenRecords(plan);
      } finally {
        await lock.release();
      }
    };
    const result = this.#queue.then(task, task);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function positive(value: unknown, fallback: number, pointer: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(pointer, `${pointer} must be a positive number of milliseconds`);
  }
  return value;
}
