/**
 * An audit sink that keeps recent events in the tenant's store, bounded as Auth0 keeps
 * logs for a retention period: at most `maxEvents` (default 10,000) and none older than
 * `maxAgeDays` (default 30). The Management API's `/logs` reads them.
 *
 * Events go to the store's append-only log named {@link LOGS_COLLECTION} (`store.logs`),
 * keyed by `log_id`: one append per batch, whatever the log holds. Retention is a
 * background sweep in bounded steps (after every tenth of `maxEvents` appended, at least
 * 100, or a minute),
 * and reads sweep first, so they never show what the bounds exclude. A store without
 * `logs` keeps the events as records of the collection of that name instead (see
 * docs/audit.md, "The store-backed log").
 */
import { InvalidArgumentError } from '../../errors.js';
import { rememberLast } from '../../lib/remember-last.js';
import type { LogEntry, LogEntryInput, StoreLogs } from '../../storage/log.js';
import type { LogCondition } from '../../storage/log-condition.js';
import type { Store } from '../../storage/store.js';
import type { AuditEvent, AuditSink } from '../event.js';
import { CollectionLogs, entryOf } from './collection-log.js';
import { typesOf, type AuditSinkOptions } from './options.js';

/** Options of {@link storeAuditSink}. */
export interface StoreAuditSinkOptions extends AuditSinkOptions {
  /** Most events kept; the oldest go first. Default 10,000. */
  maxEvents?: number;
  /** Events older than this many days are removed. Default 30. */
  maxAgeDays?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

/** A page of kept events, for {@link StoredLog.query}. */
export interface StoredLogQuery {
  /** Only events whose top-level string fields equal these (`{ type: 'sapi' }`). */
  readonly match?: Readonly<Record<string, string>>;
  /** Only events that satisfy this condition (a log search, `parseLogQuery`'s result). */
  readonly where?: LogCondition;
  /** Only events after this `log_id` (a checkpoint; it need not be kept any more). */
  readonly after?: string;
  /** Oldest first (`'asc'`, default) or newest first. */
  readonly order?: 'asc' | 'desc';
  /** Events skipped before the first returned. Default 0. */
  readonly offset?: number;
  /** Most events returned, 1 to 10,000. */
  readonly limit: number;
}

/**
 * The name of the store log (and, for stores without `logs`, the collection) the events
 * live in.
 */
export const LOGS_COLLECTION = 'logs';

const DAY_MS = 86_400_000;
/** A sweep runs at least this often while events arrive. */
const SWEEP_INTERVAL_MS = 60_000;
/** Legacy records moved per commit when a store first gets `logs`. */
const ADOPT_STEP = 500;

/** An {@link AuditSink} that keeps events in a store, and reads them back. */
export class StoredLog implements AuditSink {
  /** Only events of these types are kept (all when absent). */
  readonly types?: readonly string[];
  /**
   * `'wait'`: nothing the server acknowledged is dropped. When this log falls
   * `maxPending` events behind, servers hold new requests until it catches up.
   */
  readonly overflow = 'wait' as const;
  readonly #store: Store;
  readonly #logs: StoreLogs;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #sweepEvery: number;
  #tail: Promise<void> = Promise.resolve();
  #ready: Promise<void> | undefined;
  #appendedSinceSweep = 0;
  #lastSweep: number;
  #sweeping: Promise<void> | undefined;

  /**
   * @param store - where the events are kept
   * @param options - bounds, type filter and clock
   * @throws `InvalidArgumentError` for a bound that is not a positive integer
   */
  constructor(store: Store, options: StoreAuditSinkOptions = {}) {
    const { maxEvents = 10_000, maxAgeDays = 30, now = Date.now } = options;
    if (!Number.isSafeInteger(maxEvents) || maxEvents < 1) {
      throw new InvalidArgumentError('/maxEvents', 'maxEvents must be a positive integer');
    }
    if (!Number.isSafeInteger(maxAgeDays) || maxAgeDays < 1) {
      throw new InvalidArgumentError('/maxAgeDays', 'maxAgeDays must be a positive integer');
    }
    this.#store = store;
    this.#logs = store.logs ?? new CollectionLogs(store);
    this.#maxEvents = maxEvents;
    this.#maxAgeMs = maxAgeDays * DAY_MS;
    this.#now = now;
    this.#sweepEvery = Math.max(100, Math.ceil(maxEvents / 10));
    this.#lastSweep = now();
    Object.assign(this, typesOf(options));
  }

  /**
   * Appends a batch (one store operation, whatever the log holds; ids already kept are
   * skipped, so a retried batch is stored once). Writes run one at a time, in call order.
   * Starts a retention sweep in the background now and then; never waits for one.
   */
  write(batch: readonly AuditEvent[]): Promise<void> {
    const run = this.#tail.then(() => this.#write(batch));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every write called so far, and any sweep running, has finished. */
  async settled(): Promise<void> {
    await this.#tail;
    await this.#sweeping?.catch(() => undefined);
  }

  /** The kept events, oldest first (by `log_id`, which sorts by time). */
  async list(): Promise<AuditEvent[]> {
    return this.query({ limit: this.#maxEvents });
  }

  /** A page of the kept events, by `log_id` order, read through the store's index. */
  async query(query: StoredLogQuery): Promise<AuditEvent[]> {
    await this.#readable();
    const entries = await this.#logs.read<AuditEvent>(LOGS_COLLECTION, {
      ...query,
      since: this.#cutoff(),
    });
    return entries.map((entry) => entry.value);
  }

  /** How many kept events match `match` and `where` (all of them without). */
  async count(match?: Readonly<Record<string, string>>, where?: LogCondition): Promise<number> {
    await this.#readable();
    return this.#logs.count(LOGS_COLLECTION, {
      ...(match === undefined ? {} : { match }),
      ...(where === undefined ? {} : { where }),
      since: this.#cutoff(),
    });
  }

  /** The kept event with this `log_id`, or `undefined`. */
  async get(logId: string): Promise<AuditEvent | undefined> {
    if (typeof logId !== 'string' || logId.length === 0 || logId.length > 64) return undefined;
    await this.#readable();
    const entry = await this.#logs.get<AuditEvent>(LOGS_COLLECTION, logId);
    return entry && entry.time >= this.#cutoff() ? entry.value : undefined;
  }

  /**
   * Removes what the bounds exclude, in bounded steps (twice the events that arrive
   * between two sweeps), until nothing is left to remove. Runs by itself in the background; call it to force one.
   */
  sweep(): Promise<void> {
    this.#sweeping ??= (async () => {
      try {
        await this.#adopt();
        this.#appendedSinceSweep = 0;
        this.#lastSweep = this.#now();
        // Twice what arrives between two sweeps: one step is the usual sweep, bounded.
        const step = 2 * this.#sweepEvery;
        const retention = { keep: this.#maxEvents, before: this.#cutoff(), limit: step };
        while ((await this.#logs.trim(LOGS_COLLECTION, retention)) === step) {
          // Bounded steps, so a store serves other work between them.
        }
      } finally {
        this.#sweeping = undefined;
      }
    })();
    return this.#sweeping;
  }

  async #write(batch: readonly AuditEvent[]): Promise<void> {
    if (batch.length === 0) return;
    await this.#adopt();
    await this.#logs.append(LOGS_COLLECTION, batch.map(entryFor));
    this.#appendedSinceSweep += batch.length;
    const due =
      this.#appendedSinceSweep >= this.#sweepEvery ||
      this.#now() - this.#lastSweep >= SWEEP_INTERVAL_MS;
    if (due && this.#sweeping === undefined) {
      // A failed sweep is retried by the next one; the events are stored either way.
      this.sweep().catch(() => undefined);
    }
  }

  /** Before a read: what the bounds exclude is gone. */
  async #readable(): Promise<void> {
    await this.#sweeping?.catch(() => undefined);
    if (this.#appendedSinceSweep > 0 || this.#now() - this.#lastSweep >= SWEEP_INTERVAL_MS) {
      await this.sweep();
    } else {
      await this.#adopt();
    }
  }

  #cutoff(): number {
    return this.#now() - this.#maxAgeMs;
  }

  /**
   * Once per instance, on a store with `logs`: events kept as records by an earlier
   * release (collection {@link LOGS_COLLECTION}) move into the log.
   */
  #adopt(): Promise<void> {
    if (this.#logs instanceof CollectionLogs) return Promise.resolve();
    this.#ready ??= (async () => {
      const records = await this.#store.list(LOGS_COLLECTION);
      for (let i = 0; i < records.length; i += ADOPT_STEP) {
        const step = records.slice(i, i + ADOPT_STEP);
        await this.#logs.append(
          LOGS_COLLECTION,
          step.map((record): LogEntry => entryOf(record.id, record.value)),
        );
        await this.#store
          .commit(
            step.map((record) => ({ op: 'delete', collection: LOGS_COLLECTION, id: record.id })),
          )
          .catch(async () => {
            // Another instance moved some of them meanwhile: delete what is left one by one.
            for (const record of step) {
              await this.#store.delete(LOGS_COLLECTION, record.id).catch(() => undefined);
            }
          });
      }
    })();
    this.#ready.catch(() => {
      this.#ready = undefined;
    });
    return this.#ready;
  }
}

function entryFor(event: AuditEvent): LogEntryInput {
  return { id: event.log_id, time: timeOf(event.date), value: event };
}

/** `Date.parse(date)`, parsed once for a run of events of one millisecond (one string). */
const timeOf = rememberLast((date: string) => Date.parse(date));

/**
 * Creates a sink that keeps recent audit events in `store`, for the Management API's
 * `/logs`. Pass it in `Tenant.create({ auditSinks })` for delivery with retries; without
 * it, `createManagementApi` adds one to the tenant's trail itself.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const logs = storeAuditSink(store, { maxEvents: 1_000, maxAgeDays: 7 });
 * const tenant = await Tenant.create({ domain: 'id.example.com', store, auditSinks: [logs] });
 * ```
 */
export function storeAuditSink(store: Store, options: StoreAuditSinkOptions = {}): StoredLog {
  return new StoredLog(store, options);
}
