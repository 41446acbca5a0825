/**
 * PostgresStore's append-only logs, in `clientele_log_entries` (schema versions 2 and 3).
 *
 * - **Append:** one `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING` per batch:
 *   one round trip, one implicit transaction, no read of what the log holds. It does not
 *   go through the change feed (nothing caches log entries).
 * - **Reads:** by id order on the primary key; a `match` on `type` or `client_id` uses
 *   the index on that column with the id, and `offset`/`limit` are the query's. A match
 *   on any other field is checked in JavaScript over pages of 500 rows in id order (no
 *   field of a value is de-escaped in SQL, so a value holding `\u0000` never makes a
 *   query fail). A `where` condition goes through the `terms` GIN index and the time
 *   index as far as SQL can say it exactly (see log-terms.ts); the rest is checked in
 *   JavaScript over the rows the indexes selected.
 * - **Trim:** two bounded deletes, the oldest first: beyond `keep` (an index range below
 *   the id of the `keep`-th newest entry) and before `before` (the time index).
 *
 * @internal
 * @module
 */
import type { Pool } from 'pg';
import { checkId } from '../batch.js';
import { deepFreezeParsed } from '../json-value.js';
import {
  checkEntries,
  checkFilter,
  checkLogName,
  checkQuery,
  checkRetention,
  passes,
  type CheckedFilter,
} from '../log-checks.js';
import type {
  LogEntry,
  LogEntryInput,
  LogFilter,
  LogQuery,
  LogRetention,
  StoreLogs,
} from '../log.js';
import { StoreCorruptError } from '../../errors.js';
import { unavailable } from './errors.js';
import { decodeKey, encodeKey } from './keys.js';
import { conditionSql, termsOf } from './log-terms.js';
import type { Names } from './schema.js';

/** The value fields copied into indexed columns. */
const INDEXED = ['type', 'client_id'] as const;
/** Rows fetched per step when a `match` needs JavaScript. */
const SCAN_PAGE = 500;

interface Row {
  id: string;
  at_ms: string;
  value: string;
}

/** {@link StoreLogs} on PostgreSQL. */
export class PostgresLogs implements StoreLogs {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #prepare: () => Promise<unknown>;

  constructor(pool: Pool, names: Names, prepare: () => Promise<unknown>) {
    this.#pool = pool;
    this.#table = names.logEntries;
    this.#prepare = prepare;
  }

  /** {@inheritDoc StoreLogs.append} */
  async append(log: string, entries: readonly LogEntryInput[]): Promise<number> {
    const name = encodeKey(checkLogName(log));
    const checked = checkEntries(entries);
    if (checked.length === 0) return 0;
    await this.#prepare();
    const field = (entry: LogEntry, key: (typeof INDEXED)[number]) => {
      const value = (entry.value as Record<string, unknown> | null)?.[key];
      return typeof value === 'string' && isObject(entry.value) ? encodeKey(value) : null;
    };
    try {
      const result = await this.#pool.query({
        text: `INSERT INTO ${this.#table} (log_name, id, at_ms, type, client_id, value, terms)
          SELECT $1, id, at_ms, type, client_id, value::json,
            ARRAY(SELECT json_array_elements_text(terms::json))
          FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
            AS u(id, at_ms, type, client_id, value, terms)
          ON CONFLICT DO NOTHING`,
        values: [
          name,
          checked.map((entry) => encodeKey(entry.id)),
          checked.map((entry) => Math.trunc(entry.time)),
          checked.map((entry) => field(entry, 'type')),
          checked.map((entry) => field(entry, 'client_id')),
          checked.map((entry) => JSON.stringify(entry.value)),
          // One JSON array per entry: unnest cannot take an array of arrays of any length.
          checked.map((entry) => JSON.stringify(termsOf(entry.value))),
        ],
      });
      return result.rowCount ?? 0;
    } catch (error) {
      throw unavailable(error, 'write', true);
    }
  }

  /** {@inheritDoc StoreLogs.read} */
  async read<T = unknown>(log: string, query: LogQuery): Promise<LogEntry<T>[]> {
    const name = encodeKey(checkLogName(log));
    const checked = checkQuery(query);
    await this.#prepare();
    const { where, values, rest } = this.#where(name, checked);
    const order = checked.descending ? 'DESC' : 'ASC';
    if (rest.match.length === 0 && rest.where === undefined) {
      const rows = await this.#query(
        `SELECT id, at_ms, value::text AS value FROM ${this.#table} WHERE ${where}
          ORDER BY id ${order} OFFSET $${values.length + 1} LIMIT $${values.length + 2}`,
        [...values, checked.offset, checked.limit],
      );
      return rows.map((row) => entryOf(row) as LogEntry<T>);
    }
    const page: LogEntry<T>[] = [];
    let skip = checked.offset;
    await this.#scan(where, values, checked.descending, (entry) => {
      if (!passes(entry.time, entry.value, rest)) return true;
      if (skip > 0) {
        skip -= 1;
        return true;
      }
      page.push(entry as LogEntry<T>);
      return page.length < checked.limit;
    });
    return page;
  }

  /** {@inheritDoc StoreLogs.count} */
  async count(log: string, filter?: LogFilter): Promise<number> {
    const name = encodeKey(checkLogName(log));
    const checked = checkFilter(filter);
    await this.#prepare();
    const { where, values, rest } = this.#where(name, checked);
    if (rest.match.length === 0 && rest.where === undefined) {
      const [row] = await this.#query<{ count: string }>(
        `SELECT count(*) AS count FROM ${this.#table} WHERE ${where}`,
        values,
      );
      return Number(row?.count ?? 0);
    }
    let count = 0;
    await this.#scan(where, values, false, (entry) => {
      if (passes(entry.time, entry.value, rest)) count += 1;
      return true;
    });
    return count;
  }

  /** {@inheritDoc StoreLogs.get} */
  async get<T = unknown>(log: string, id: string): Promise<LogEntry<T> | undefined> {
    const name = encodeKey(checkLogName(log));
    checkId(id);
    await this.#prepare();
    const [row] = await this.#query<Row>(
      `SELECT id, at_ms, value::text AS value FROM ${this.#table} WHERE log_name = $1 AND id = $2`,
      [name, encodeKey(id)],
    );
    return row && (entryOf(row) as LogEntry<T>);
  }

  /** {@inheritDoc StoreLogs.trim} */
  async trim(log: string, retention: LogRetention): Promise<number> {
    const name = encodeKey(checkLogName(log));
    const { keep, before, limit } = checkRetention(retention);
    await this.#prepare();
    let removed = 0;
    try {
      if (keep !== undefined) {
        const result = await this.#pool.query(
          `DELETE FROM ${this.#table} WHERE log_name = $1 AND id IN (
            SELECT id FROM ${this.#table} WHERE log_name = $1 AND id <= (
              SELECT id FROM ${this.#table} WHERE log_name = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)
            ORDER BY id LIMIT $3)`,
          [name, keep, limit],
        );
        removed += result.rowCount ?? 0;
      }
      if (before !== undefined && removed < limit) {
        const result = await this.#pool.query(
          `DELETE FROM ${this.#table} WHERE log_name = $1 AND id IN (
            SELECT id FROM ${this.#table} WHERE log_name = $1 AND at_ms < $2
            ORDER BY at_ms LIMIT $3)`,
          [name, Math.ceil(before), limit - removed],
        );
        removed += result.rowCount ?? 0;
      }
    } catch (error) {
      throw unavailable(error, 'write', true);
    }
    return removed;
  }

  /** The SQL condition for what can be said in SQL, and the `match` terms left for JavaScript. */
  #where(
    name: string,
    filter: CheckedFilter,
  ): { where: string; values: unknown[]; rest: CheckedFilter } {
    const conditions = ['log_name = $1'];
    const values: unknown[] = [name];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(sql(`$${values.length}`));
    };
    const rest: [string, string][] = [];
    for (const [field, value] of filter.match) {
      if ((INDEXED as readonly string[]).includes(field))
        add((p) => `${field} = ${p}`, encodeKey(value));
      else rest.push([field, value]);
    }
    if (filter.after !== undefined) add((p) => `id > ${p}`, encodeKey(filter.after as string));
    if (filter.before !== undefined) add((p) => `id < ${p}`, encodeKey(filter.before as string));
    if (filter.since !== undefined) add((p) => `at_ms >= ${p}`, Math.ceil(filter.since as number));
    let where: CheckedFilter['where'];
    if (filter.where !== undefined) {
      const search = conditionSql(filter.where.condition, values);
      if (search.sql !== undefined) conditions.push(`(${search.sql})`);
      if (!search.exact) where = filter.where;
    }
    return {
      where: conditions.join(' AND '),
      values,
      rest: { match: rest, after: undefined, before: undefined, since: undefined, where },
    };
  }

  /** Calls `visit` on matching rows in id order, 500 at a time, until it returns false. */
  async #scan(
    where: string,
    values: readonly unknown[],
    descending: boolean,
    visit: (entry: LogEntry) => boolean,
  ): Promise<void> {
    let cursor: string | undefined;
    for (;;) {
      const keyset =
        cursor === undefined ? '' : ` AND id ${descending ? '<' : '>'} $${values.length + 1}`;
      const rows = await this.#query<Row>(
        `SELECT id, at_ms, value::text AS value FROM ${this.#table} WHERE ${where}${keyset}
          ORDER BY id ${descending ? 'DESC' : 'ASC'} LIMIT ${SCAN_PAGE}`,
        cursor === undefined ? values : [...values, cursor],
      );
      for (const row of rows) if (!visit(entryOf(row))) return;
      if (rows.length < SCAN_PAGE) return;
      cursor = rows.at(-1)?.id;
    }
  }

  async #query<R extends object = Row>(text: string, values: readonly unknown[]): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(text, values as unknown[])).rows;
    } catch (error) {
      throw unavailable(error, 'read');
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entryOf(row: Row): LogEntry {
  let value: unknown;
  const id = decodeKey(row.id);
  try {
    value = JSON.parse(row.value);
  } catch (error) {
    throw new StoreCorruptError(`PostgresStore: log entry ${JSON.stringify(id)} is not JSON`, {
      cause: error,
    });
  }
  deepFreezeParsed(value);
  return Object.freeze({ id, time: Number(row.at_ms), value });
}
