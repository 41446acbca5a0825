/**
 * MemoryStore's append-only logs: one {@link LogIndex} per log, nothing persisted.
 *
 * @internal
 * @module
 */
import {
  checkEntries,
  checkFilter,
  checkLogName,
  checkQuery,
  checkRetention,
} from './log-checks.js';
import { LogIndex } from './log-index.js';
import type {
  LogEntry,
  LogEntryInput,
  LogFilter,
  LogQuery,
  LogRetention,
  StoreLogs,
} from './log.js';
import { checkId } from './batch.js';

/** {@link StoreLogs} in memory: an append is an array push and a map set per entry. */
export class MemoryLogs implements StoreLogs {
  readonly #logs = new Map<string, LogIndex>();

  /** {@inheritDoc StoreLogs.append} */
  async append(log: string, entries: readonly LogEntryInput[]): Promise<number> {
    const name = checkLogName(log);
    const checked = checkEntries(entries);
    let index = this.#logs.get(name);
    if (index === undefined) {
      index = new LogIndex();
      this.#logs.set(name, index);
    }
    let added = 0;
    for (const entry of checked) if (index.add(entry)) added++;
    return added;
  }

  /** {@inheritDoc StoreLogs.read} */
  async read<T = unknown>(log: string, query: LogQuery): Promise<LogEntry<T>[]> {
    const name = checkLogName(log);
    const checked = checkQuery(query);
    return (this.#logs.get(name)?.read(checked) ?? []) as LogEntry<T>[];
  }

  /** {@inheritDoc StoreLogs.count} */
  async count(log: string, filter?: LogFilter): Promise<number> {
    const name = checkLogName(log);
    const checked = checkFilter(filter);
    return this.#logs.get(name)?.count(checked) ?? 0;
  }

  /** {@inheritDoc StoreLogs.get} */
  async get<T = unknown>(log: string, id: string): Promise<LogEntry<T> | undefined> {
    const name = checkLogName(log);
    checkId(id);
    return this.#logs.get(name)?.get(id) as LogEntry<T> | undefined;
  }

  /** {@inheritDoc StoreLogs.trim} */
  async trim(log: string, retention: LogRetention): Promise<number> {
    const name = checkLogName(log);
    const checked = checkRetention(retention);
    const index = this.#logs.get(name);
    if (index === undefined) return 0;
    const doomed = index.doomed(checked).length;
    index.dropOldest(doomed);
    return doomed;
  }
}
