/**
 * An audit sink that keeps recent events in the tenant's store (collection `logs`, keyed
 * by `log_id`), bounded as Auth0 keeps logs for a retention period: at most `maxEvents`
 * (default 10,000) and none older than `maxAgeDays` (default 30). The Management API's
 * `/logs` reads them.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { Store, WriteOperation } from '../../storage/store.js';
import type { AuditEvent, AuditSink } from '../event.js';
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

/** The store collection the events live in. */
export const LOGS_COLLECTION = 'logs';

const DAY_MS = 86_400_000;

/** An {@link AuditSink} that keeps events in a store, and reads them back. */
export class StoredLog implements AuditSink {
  /** Only events of these types are kept (all when absent). */
  readonly types?: readonly string[];
  readonly #store: Store;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #tail: Promise<void> = Promise.resolve();

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
    this.#maxEvents = maxEvents;
    this.#maxAgeMs = maxAgeDays * DAY_MS;
    this.#now = now;
    Object.assign(this, typesOf(options));
  }

  /**
   * Stores a batch, and removes what falls out of the bounds, in one commit. Writes run one
   * at a time, in call order.
   */
  write(batch: readonly AuditEvent[]): Promise<void> {
    const run = this.#tail.then(() => this.#write(batch));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every write called so far has finished. */
  settled(): Promise<void> {
    return this.#tail;
  }

  /** The kept events, oldest first (by `log_id`, which sorts by time). */
  async list(): Promise<AuditEvent[]> {
    const cutoff = this.#now() - this.#maxAgeMs;
    const records = await this.#store.list<AuditEvent>(LOGS_COLLECTION);
    return records
      .map((record) => record.value)
      .filter((event) => Date.parse(event.date) >= cutoff)
      .sort((a, b) => (a.log_id < b.log_id ? -1 : a.log_id > b.log_id ? 1 : 0));
  }

  /** The kept event with this `log_id`, or `undefined`. */
  async get(logId: string): Promise<AuditEvent | undefined> {
    if (typeof logId !== 'string' || logId.length === 0 || logId.length > 64) return undefined;
    const record = await this.#store.get<AuditEvent>(LOGS_COLLECTION, logId);
    const cutoff = this.#now() - this.#maxAgeMs;
    return record && Date.parse(record.value.date) >= cutoff ? record.value : undefined;
  }

  async #write(batch: readonly AuditEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const existing = await this.#store.list<AuditEvent>(LOGS_COLLECTION);
    const known = new Set(existing.map((record) => record.id));
    const fresh = batch.filter((event) => !known.has(event.log_id));
    const cutoff = this.#now() - this.#maxAgeMs;
    const excess = Math.max(0, existing.length + fresh.length - this.#maxEvents);
    const ordered = [...existing].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const removals: WriteOperation[] = [];
    ordered.forEach((record, index) => {
      if (index < excess || Date.parse(record.value.date) < cutoff) {
        removals.push({ op: 'delete', collection: LOGS_COLLECTION, id: record.id });
      }
    });
    const overflow = Math.max(0, fresh.length - this.#maxEvents);
    await this.#store.commit([
      ...removals,
      ...fresh.slice(overflow).map((event): WriteOperation => ({
        op: 'insert',
        collection: LOGS_COLLECTION,
        id: event.log_id,
        value: event,
      })),
    ]);
  }
}

/**
 * Creates a sink that keeps recent audit events in `store`, for the Management API's
 * `/logs`. Pass it in `Tenant.create({ auditSinks })` for delivery with retries; without
 * it, `createManagementApi` keeps events from the tenant's emitter itself.
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
