/**
 * The in-memory index of one append-only log, for MemoryStore and FileStore: entries in
 * an array ordered by id (a front offset makes removing the oldest O(1)), found by binary
 * search. An entry whose id is greater than the last one (every audit event of one trail)
 * is a push and needs no lookup at all; a late one (another process's, within a clock
 * tick) is looked up and inserted by binary search. No map by id: hashing a 56-character
 * `log_id` per event cost more than the push, and the map doubled the index's memory.
 *
 * Ids, times and values are kept in three parallel arrays rather than as `{ id, time,
 * value }` objects: an entry object and its boxed time cost 64 bytes more per entry than
 * two array slots, 0.6 MiB for a full audit log of 10,000 events. Readers get a frozen
 * entry object made when they ask. Values that repeat their entry's id and time and a
 * recent value's other fields (audit events) are kept packed (`log-values.ts`).
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
import { LogValues } from './log-values.js';

/** One log's entries, ordered by id. */
export class LogIndex {
  #ids: string[] = [];
  #times: number[] = [];
  /** Each value as {@link LogValues.pack} keeps it. */
  #values: unknown[] = [];
  readonly #packing = new LogValues();
  /** Index of the oldest live entry in the arrays. */
  #head = 0;

  /** How many entries the log holds. */
  get size(): number {
    return this.#ids.length - this.#head;
  }

  /** True when the log holds an entry with this id. */
  has(id: string): boolean {
    return this.#ids[this.#lowerBound(id)] === id;
  }

  /** The entry with this id. */
  get(id: string): LogEntry | undefined {
    const at = this.#lowerBound(id);
    return this.#ids[at] === id ? this.#entry(at) : undefined;
  }

  /** Adds `entry` in its place by id; false (and nothing added) when its id is there. */
  add(entry: LogEntry): boolean {
    const ids = this.#ids;
    const last = ids.length - 1;
    if (last < this.#head || (ids[last] as string) < entry.id) {
      ids.push(entry.id);
      this.#times.push(entry.time);
      this.#values.push(this.#packing.pack(entry.id, entry.time, entry.value));
      return true;
    }
    const at = this.#lowerBound(entry.id);
    if (ids[at] === entry.id) return false;
    ids.splice(at, 0, entry.id);
    this.#times.splice(at, 0, entry.time);
    this.#values.splice(at, 0, this.#packing.pack(entry.id, entry.time, entry.value));
    return true;
  }

  /** The page `query` asks for. */
  read(query: CheckedQuery): LogEntry[] {
    const [start, end] = this.#range(query);
    const page: LogEntry[] = [];
    let skip = query.offset;
    const step = query.descending ? -1 : 1;
    for (let i = query.descending ? end - 1 : start; i >= start && i < end; i += step) {
      if (!passes(this.#times[i] as number, this.#value(i), query)) continue;
      if (skip > 0) {
        skip -= 1;
        continue;
      }
      page.push(this.#entry(i));
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
    for (let i = start; i < end; i++) {
      if (passes(this.#times[i] as number, this.#value(i), filter)) count++;
    }
    return count;
  }

  /**
   * The ids of the oldest entries beyond `retention`, at most `retention.limit`, in id
   * order: what a trim removes (their values are not needed, so not rebuilt). Stops at
   * the first entry it keeps: entries are appended in roughly increasing time, so one
   * kept by age means the newer ones are kept too.
   */
  doomed(retention: CheckedRetention): string[] {
    const excess = retention.keep === undefined ? 0 : Math.max(0, this.size - retention.keep);
    const doomed: string[] = [];
    for (let i = this.#head; i < this.#ids.length && doomed.length < retention.limit; i++) {
      const old = retention.before !== undefined && (this.#times[i] as number) < retention.before;
      if (doomed.length >= excess && !old) break;
      doomed.push(this.#ids[i] as string);
    }
    return doomed;
  }

  /** Removes the `count` oldest entries (what {@link LogIndex.doomed} returned). */
  dropOldest(count: number): void {
    const end = Math.min(this.#ids.length, this.#head + count);
    // Slots before the head are never read again; emptied now, so what they held is
    // garbage at once rather than at the next compaction.
    this.#ids.fill('', this.#head, end);
    this.#values.fill(undefined, this.#head, end);
    this.#head = end;
    if (this.#head === this.#ids.length) {
      this.#ids = [];
      this.#times = [];
      this.#values = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 8 >= this.#ids.length) {
      // At most an eighth of the arrays is spent slots, and a compaction copies at most
      // seven entries for each one it drops.
      this.#ids = this.#ids.slice(this.#head);
      this.#times = this.#times.slice(this.#head);
      this.#values = this.#values.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Every entry, oldest first. */
  *[Symbol.iterator](): IterableIterator<LogEntry> {
    for (let i = this.#head; i < this.#ids.length; i++) yield this.#entry(i);
  }

  /** The entry at position `at`, as readers get it. */
  #entry(at: number): LogEntry {
    return Object.freeze({
      id: this.#ids[at] as string,
      time: this.#times[at] as number,
      value: this.#value(at),
    });
  }

  /** The value at position `at`, unpacked. */
  #value(at: number): unknown {
    return this.#packing.unpack(
      this.#ids[at] as string,
      this.#times[at] as number,
      this.#values[at],
    );
  }

  /** `[start, end)` of the entries inside the filter's id range. */
  #range(filter: CheckedFilter): [number, number] {
    const start = filter.after === undefined ? this.#head : this.#upperBound(filter.after);
    const end = filter.before === undefined ? this.#ids.length : this.#lowerBound(filter.before);
    return [start, Math.max(start, end)];
  }

  /** First position whose id is ≥ `id`. */
  #lowerBound(id: string): number {
    const ids = this.#ids;
    let low = this.#head;
    let high = ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((ids[mid] as string) < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** First position whose id is > `id`. */
  #upperBound(id: string): number {
    const ids = this.#ids;
    let low = this.#head;
    let high = ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((ids[mid] as string) <= id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
