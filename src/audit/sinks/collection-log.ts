/**
 * The append-only log for a store without `logs` (a third-party adapter written before
 * they existed): the entries are records of a collection, keyed by id, whose values are
 * audit events (their `date` is the entry's time). Appending is one `commit` of inserts,
 * as with a native log; reads and trims `list` the collection and sort it, so they cost
 * O(kept events) each. The store-backed log reads only for `/logs` and trims in bounded
 * background sweeps, never per event.
 *
 * @internal
 * @module
 */
import { ConflictError } from '../../errors.js';
import {
  checkEntries,
  checkFilter,
  checkLogName,
  checkQuery,
  checkRetention,
} from '../../storage/log-checks.js';
import { LogIndex } from '../../storage/log-index.js';
import type {
  LogEntry,
  LogEntryInput,
  LogFilter,
  LogQuery,
  LogRetention,
  StoreLogs,
} from '../../storage/log.js';
import type { Store } from '../../storage/store.js';

/** {@link StoreLogs} over the collection named like the log. */
export class CollectionLogs implements StoreLogs {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async append(log: string, entries: readonly LogEntryInput[]): Promise<number> {
    const name = checkLogName(log);
    const checked = checkEntries(entries);
    const unique = [...new Map(checked.map((entry) => [entry.id, entry])).values()];
    const insert = (entry: LogEntry) =>
      ({ op: 'insert', collection: name, id: entry.id, value: entry.value }) as const;
    try {
      await this.#store.commit(unique.map(insert));
      return unique.length;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    // Some ids are there already (a batch retried after a lost answer): one at a time.
    let added = 0;
    for (const entry of unique) {
      try {
        await this.#store.commit([insert(entry)]);
        added += 1;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    return added;
  }

  async read<T = unknown>(log: string, query: LogQuery): Promise<LogEntry<T>[]> {
    const checked = checkQuery(query);
    return (await this.#index(log)).read(checked) as LogEntry<T>[];
  }

  async count(log: string, filter?: LogFilter): Promise<number> {
    const checked = checkFilter(filter);
    return (await this.#index(log)).count(checked);
  }

  async get<T = unknown>(log: string, id: string): Promise<LogEntry<T> | undefined> {
    const record = await this.#store.get(checkLogName(log), id);
    return record && (entryOf(record.id, record.value) as LogEntry<T>);
  }

  async trim(log: string, retention: LogRetention): Promise<number> {
    const checked = checkRetention(retention);
    const name = checkLogName(log);
    const doomed = (await this.#index(name)).doomed(checked);
    if (doomed.length === 0) return 0;
    await this.#store.commit(doomed.map((id) => ({ op: 'delete', collection: name, id }) as const));
    return doomed.length;
  }

  async #index(log: string): Promise<LogIndex> {
    const index = new LogIndex();
    for (const record of await this.#store.list(checkLogName(log))) {
      index.add(entryOf(record.id, record.value));
    }
    return index;
  }
}

/** An entry for a record: its time is the value's `date` (0 when it has none). */
export function entryOf(id: string, value: unknown): LogEntry {
  const date = (value as { date?: unknown } | null)?.date;
  const time = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Object.freeze({ id, time: Number.isFinite(time) ? time : 0, value });
}

function isConflict(error: unknown): boolean {
  return error instanceof ConflictError || (error as { code?: unknown })?.code === 'conflict';
}
