/**
 * Append-only logs: the optional part of the {@link Store} contract that keeps what is
 * only ever added and aged out (the audit events behind the Management API's `/logs`),
 * so that adding one costs the same whatever the log already holds.
 *
 * @module
 */

import type { LogCondition } from './log-condition.js';

/** One entry to append. */
export interface LogEntryInput {
  /**
   * Unique within the log, and its place in it: entries are ordered by id (UTF-16 code
   * units, as `<` compares strings). Ids that grow as entries are appended (audit
   * `log_id`s do) make every append land at the end.
   */
  readonly id: string;
  /** When it happened, in milliseconds since the epoch: retention by age reads it. */
  readonly time: number;
  /** A JSON value (the same rules as record values). */
  readonly value: unknown;
}

/** A stored entry, deep-frozen. */
export interface LogEntry<T = unknown> {
  /** Unique within the log; entries are ordered by it. */
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The JSON value appended. */
  readonly value: T;
}

/** Which entries {@link StoreLogs.read} and {@link StoreLogs.count} consider. */
export interface LogFilter {
  /**
   * Only entries whose value is an object whose top-level field of each of these names
   * is a string equal to the one given (all of them). Field names and values are any
   * strings.
   */
  readonly match?: Readonly<Record<string, string>>;
  /** Only entries whose id is greater than this one (exclusive: a checkpoint). */
  readonly after?: string;
  /** Only entries whose id is less than this one. */
  readonly before?: string;
  /** Only entries whose `time` is at or after this (ms since the epoch). */
  readonly since?: number;
  /**
   * Only entries that satisfy this condition (a log search: fields equal to, like, or
   * holding a phrase, time ranges, `and`, `or`, `not`).
   */
  readonly where?: LogCondition;
}

/** A page of entries: a {@link LogFilter}, an order, an offset and a limit. */
export interface LogQuery extends LogFilter {
  /** By id, oldest first (`'asc'`, default) or newest first (`'desc'`). */
  readonly order?: 'asc' | 'desc';
  /** Matching entries skipped before the first one returned. Default 0. */
  readonly offset?: number;
  /** Most entries returned, 1 to {@link MAX_LOG_PAGE}. */
  readonly limit: number;
}

/** What {@link StoreLogs.trim} removes: the oldest entries beyond a count or an age. */
export interface LogRetention {
  /** Keep at most this many entries (the newest by id). */
  readonly keep?: number;
  /** Remove entries whose `time` is before this (ms since the epoch). */
  readonly before?: number;
  /**
   * Remove at most this many in this call (the oldest first), so one sweep is bounded;
   * call again while it returns this many. Default {@link DEFAULT_TRIM_LIMIT}.
   */
  readonly limit?: number;
}

/** The largest page {@link StoreLogs.read} returns. */
export const MAX_LOG_PAGE = 10_000;

/** How many entries one {@link StoreLogs.trim} removes at most by default. */
export const DEFAULT_TRIM_LIMIT = 1_000;

/**
 * A store's append-only logs, by name: the optional {@link Store.logs} member. Appending
 * is one operation whatever a log holds (the built-in stores: an array push and one
 * write); reads go through an index by id; retention is applied by {@link StoreLogs.trim}
 * in bounded steps, never as a side effect of an append.
 *
 * Rules every implementation follows (and `runStoreConformance` checks):
 * - Log names and ids are non-empty strings; `time` a finite number; values JSON values.
 *   Anything else is an `InvalidArgumentError` and nothing is appended.
 * - `append` is all or nothing, and idempotent per id: an entry whose id the log already
 *   holds is skipped (a batch retried after a lost answer is not stored twice).
 * - Reads return entries by id order; a trimmed entry is never returned again.
 */
export interface StoreLogs {
  /**
   * Appends entries (skipping ids already in the log) and resolves once they are stored as
   * durably as the store's records. Returns how many were new.
   */
  append(log: string, entries: readonly LogEntryInput[]): Promise<number>;
  /** A page of entries, by id order. */
  read<T = unknown>(log: string, query: LogQuery): Promise<LogEntry<T>[]>;
  /** How many entries pass `filter`. */
  count(log: string, filter?: LogFilter): Promise<number>;
  /** The entry with this id, or `undefined`. */
  get<T = unknown>(log: string, id: string): Promise<LogEntry<T> | undefined>;
  /** Removes the oldest entries beyond `retention`, at most `retention.limit`; returns how many. */
  trim(log: string, retention: LogRetention): Promise<number>;
}
