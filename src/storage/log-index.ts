/**
 * The in-memory index of one append-only log, for MemoryStore and FileStore: entries in
 * an array ordered by id (a front offset makes removing the oldest O(1)), found by binary
 * search. An entry whose id is greater than the last one (every audit event of one trail)
 * is a push and needs no lookup at all; a late one (another process's, within a clock
 * tick) is looked up and inserted by binary search. No map by id: hashing a 56-character
 * `log_id` per event cost more than the push, and the map doubled the index's memory.
 *
 * @internal
 * @module
 */
import type { LogEntry } from './log.js';
import {
  passes,
  type CheckedFilter,
  type CheckedQuery,
  type CheckedRetention,
} from './log-checks.js';

/** One log's entries, ordered by id. */
export class LogIndex {
  #entries: LogEntry[] = [];
  /** Index of the oldest live entry in `#entries`. */
  #head = 0;

  /** How many entries the log holds. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** True when the log holds an entry with this id. */
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The entry with this id. */
  get(id: string): LogEntry | undefined {
    const found = this.#entries[this.#lowerBound(id)];
    return found?.id === id ? found : undefined;
  }

  /** Adds `entry` in its place by id; false (and nothing added) when its id is there. */
  add(entry: LogEntry): boolean {
    const last = this.#entries.at(-1);
    if (last === undefined || this.#head === this.#entries.length || last.id < entry.id) {
      this.#entries.push(entry);
      return true;
    }
    const at = this.#lowerBound(entry.id);
    if (this.#entries[at]?.id === entry.id) return false;
    this.#entries.splice(at, 0, entry);
    return true;
  }

  /** The page `query` asks for. */
  read(query: CheckedQuery): LogEntry[] {
    const [start, end] = this.#range(query);
    const page: LogEntry[] = [];
    let skip = query.offset;
    const step = query.descending ? -1 : 1;
    for (let i = query.descending ? end - 1 : start; i >= start && i < end; i += step) {
      const entry = this.#entries[i] as LogEntry;
      if (!passes(entry, query)) continue;
      if (skip > 0) {
        skip -= 1;
        continue;
      }
      page.push(entry);
      if (page.length === query.limit) break;
    }
    return page;
  }

  /** How many entries pass `filter`. */
  count(filter: CheckedFilter): number {
    const [start, end] = this.#range(filter);
    if (filter.match.length === 0 && filter.since === undefined && filter.where === undefined) {
      return end - start;
    }
    let count = 0;
    for (let i = start; i < end; i++) if (passes(this.#entries[i] as LogEntry, filter)) count++;
    return count;
  }

  /**
   * The oldest entries beyond `retention`, at most `retention.limit`, in id order: what
   * a trim removes. Stops at the first entry it keeps: entries are appended in roughly
   * increasing time, so one kept by age means the newer ones are kept too.
   */
  doomed(retention: CheckedRetention): LogEntry[] {
    const excess = retention.keep === undefined ? 0 : Math.max(0, this.size - retention.keep);
    const doomed: LogEntry[] = [];
    for (let i = this.#head; i < this.#entries.length && doomed.length < retention.limit; i++) {
      const entry = this.#entries[i] as LogEntry;
      const old = retention.before !== undefined && entry.time < retention.before;
      if (doomed.length >= excess && !old) break;
      doomed.push(entry);
    }
    return doomed;
  }

  /** Removes the `count` oldest entries (what {@link LogIndex.doomed} returned). */
  dropOldest(count: number): void {
    this.#head = Math.min(this.#entries.length, this.#head + count);
    if (this.#head === this.#entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Every entry, oldest first. */
  *[Symbol.iterator](): IterableIterator<LogEntry> {
    for (let i = this.#head; i < this.#entries.length; i++) yield this.#entries[i] as LogEntry;
  }

  /** `[start, end)` of the entries inside the filter's id range. */
  #range(filter: CheckedFilter): [number, number] {
    const start = filter.after === undefined ? this.#head : this.#upperBound(filter.after);
    const end =
      filter.before === undefined ? this.#entries.length : this.#lowerBound(filter.before);
    return [start, Math.max(start, end)];
  }

  /** First position whose id is ≥ `id`. */
  #lowerBound(id: string): number {
    let low = this.#head;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#entries[mid] as LogEntry).id < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** First position whose id is > `id`. */
  #upperBound(id: string): number {
    let low = this.#head;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#entries[mid] as LogEntry).id <= id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
