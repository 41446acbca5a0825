/**
 * Argument checks of {@link StoreLogs} methods, shared by every built-in store so each
 * refuses the same input with the same message.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { frozenJsonValue } from './json-value.js';
import { compileCondition, type CompiledCondition } from './log-condition.js';
import {
  DEFAULT_TRIM_LIMIT,
  MAX_LOG_PAGE,
  type LogEntry,
  type LogEntryInput,
  type LogFilter,
  type LogQuery,
  type LogRetention,
} from './log.js';

/** @throws {@link InvalidArgumentError} unless `name` is a non-empty string */
export function checkLogName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError('/log', '/log must be a non-empty string');
  }
  return name;
}

/** Checks a batch to append and makes frozen copies of its entries. */
export function checkEntries(entries: unknown): LogEntry[] {
  if (!Array.isArray(entries)) {
    throw new InvalidArgumentError('/entries', '/entries must be an array');
  }
  return entries.map((entry: unknown, index) => {
    const base = `/entries/${index}`;
    if (typeof entry !== 'object' || entry === null) {
      throw new InvalidArgumentError(base, `${base} must be an entry object`);
    }
    const { id, time, value } = entry as Partial<Record<keyof LogEntryInput, unknown>>;
    if (typeof id !== 'string' || id === '') {
      throw new InvalidArgumentError(`${base}/id`, `${base}/id must be a non-empty string`);
    }
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw new InvalidArgumentError(`${base}/time`, `${base}/time must be a finite number`);
    }
    return Object.freeze({ id, time, value: frozenJsonValue(value, `${base}/value`) });
  });
}

/** A checked {@link LogFilter} with its defaults. */
export interface CheckedFilter {
  readonly match: readonly (readonly [string, string])[];
  readonly after: string | undefined;
  readonly before: string | undefined;
  readonly since: number | undefined;
  /** The `where` condition, compiled; `undefined` without one. */
  readonly where: CompiledCondition | undefined;
}

/** A checked {@link LogQuery}. */
export interface CheckedQuery extends CheckedFilter {
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
}

/** @throws {@link InvalidArgumentError} for a malformed filter */
export function checkFilter(filter: unknown, base = '/filter'): CheckedFilter {
  if (filter === undefined) filter = {};
  if (typeof filter !== 'object' || filter === null) {
    throw new InvalidArgumentError(base, `${base} must be an object`);
  }
  const { match, after, before, since, where } = filter as Partial<
    Record<keyof LogFilter, unknown>
  >;
  const pairs: [string, string][] = [];
  if (match !== undefined) {
    if (typeof match !== 'object' || match === null || Array.isArray(match)) {
      throw new InvalidArgumentError(`${base}/match`, `${base}/match must be an object`);
    }
    for (const [field, value] of Object.entries(match)) {
      if (typeof value !== 'string') {
        throw new InvalidArgumentError(
          `${base}/match/${field}`,
          `${base}/match values must be strings`,
        );
      }
      pairs.push([field, value]);
    }
  }
  for (const [name, value] of [
    ['after', after],
    ['before', before],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') {
      throw new InvalidArgumentError(`${base}/${name}`, `${base}/${name} must be a string`);
    }
  }
  if (since !== undefined && (typeof since !== 'number' || !Number.isFinite(since))) {
    throw new InvalidArgumentError(`${base}/since`, `${base}/since must be a finite number`);
  }
  return {
    match: pairs,
    after: after as string | undefined,
    before: before as string | undefined,
    since: since as number | undefined,
    where: where === undefined ? undefined : compileCondition(where, `${base}/where`),
  };
}

/** @throws {@link InvalidArgumentError} for a malformed query */
export function checkQuery(query: unknown): CheckedQuery {
  if (typeof query !== 'object' || query === null) {
    throw new InvalidArgumentError('/query', '/query must be an object');
  }
  const filter = checkFilter(query, '/query');
  const { order = 'asc', offset = 0, limit } = query as Partial<LogQuery>;
  if (order !== 'asc' && order !== 'desc') {
    throw new InvalidArgumentError('/query/order', '/query/order must be "asc" or "desc"');
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidArgumentError('/query/offset', '/query/offset must be an integer ≥ 0');
  }
  if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_LOG_PAGE) {
    throw new InvalidArgumentError(
      '/query/limit',
      `/query/limit must be an integer from 1 to ${MAX_LOG_PAGE}`,
    );
  }
  return { ...filter, descending: order === 'desc', offset, limit: limit as number };
}

/** A checked {@link LogRetention}. */
export interface CheckedRetention {
  readonly keep: number | undefined;
  readonly before: number | undefined;
  readonly limit: number;
}

/** @throws {@link InvalidArgumentError} for malformed bounds */
export function checkRetention(retention: unknown): CheckedRetention {
  if (typeof retention !== 'object' || retention === null) {
    throw new InvalidArgumentError('/retention', '/retention must be an object');
  }
  const { keep, before, limit = DEFAULT_TRIM_LIMIT } = retention as Partial<LogRetention>;
  if (keep !== undefined && (!Number.isSafeInteger(keep) || keep < 0)) {
    throw new InvalidArgumentError('/retention/keep', '/retention/keep must be an integer ≥ 0');
  }
  if (before !== undefined && (typeof before !== 'number' || !Number.isFinite(before))) {
    throw new InvalidArgumentError(
      '/retention/before',
      '/retention/before must be a finite number',
    );
  }
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new InvalidArgumentError('/retention/limit', '/retention/limit must be an integer ≥ 1');
  }
  return { keep, before, limit };
}

/**
 * True when the entry of this `time` and `value` passes the filter's `since`, `where` and
 * `match` (the id range is the caller's).
 */
export function passes(time: number, value: unknown, filter: CheckedFilter): boolean {
  if (filter.since !== undefined && time < filter.since) return false;
  if (filter.where !== undefined && !filter.where.test(value, time)) return false;
  if (filter.match.length === 0) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  for (const [field, expected] of filter.match) {
    if (!Object.hasOwn(fields, field) || fields[field] !== expected) return false;
  }
  return true;
}
