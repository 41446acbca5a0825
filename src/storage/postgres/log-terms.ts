/**
 * PostgresStore's search index of log entries (schema version 3): each entry's `terms`,
 * a `text[]` of `field=value` for the searchable top-level fields of its value, under a
 * GIN index; and the translation of a {@link LogCondition} into SQL over it and the
 * `at_ms` index.
 *
 * A condition becomes SQL that is either exact (the database answers it alone, with its
 * own `OFFSET`, `LIMIT` and `count(*)`) or a superset of the matches (the database narrows
 * by its indexes, and the rows it returns are checked in JavaScript): patterns, phrases,
 * values too long to index and fields outside the list are checked in JavaScript, and a
 * `not` or an `or` over such a part is left wholly to it.
 *
 * @internal
 * @module
 */
import type { LogCondition } from '../log-condition.js';
import { fieldText } from '../log-condition.js';
import { encodeKey } from './keys.js';

/**
 * The fields with terms: what Auth0's log search can ask for by exact value (`log_id`
 * is the primary key, `date` the `at_ms` column, `description` is searched by words).
 */
export const TERM_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'client_id',
  'client_name',
  'connection',
  'connection_id',
  'user_id',
  'user_name',
  'ip',
  'hostname',
  'strategy',
  'strategy_type',
  'audience',
  'scope',
  'user_agent',
  'isMobile',
]);

/** Longest value given a term: GIN entries stay far below PostgreSQL's limit (~2.7 kB). */
export const MAX_TERM_VALUE = 200;

/** The term of `field` having `value` (escaped as keys are: no NUL reaches the column). */
function term(field: string, value: string): string {
  return encodeKey(`${field}=${value}`);
}

/** The terms of an entry's value. */
export function termsOf(value: unknown): string[] {
  const terms: string[] = [];
  for (const field of TERM_FIELDS) {
    const text = fieldText(value, field);
    if (text !== undefined && text.length <= MAX_TERM_VALUE) terms.push(term(field, text));
  }
  return terms;
}

/** SQL for a condition: `undefined` is "true" (nothing said in SQL). */
export interface ConditionSql {
  /** The SQL text, with `$n` placeholders numbered after the caller's values. */
  readonly sql: string | undefined;
  /** True when the SQL holds for exactly the entries the condition holds for. */
  readonly exact: boolean;
}

/**
 * `condition` as SQL over the columns `terms` and `at_ms`, appending its parameters to
 * `values`.
 */
export function conditionSql(condition: LogCondition, values: unknown[]): ConditionSql {
  // Parameters of a part that ends up unsaid in SQL must not stay in `values` (their
  // placeholders would be missing from the text): each part writes to a copy, kept only
  // when its SQL is used.
  const scratch = values.slice();
  const result = partSql(condition, scratch);
  if (result.sql !== undefined) values.push(...scratch.slice(values.length));
  return result;
}

function partSql(condition: LogCondition, values: unknown[]): ConditionSql {
  const parameter = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if ('and' in condition) {
    const parts = condition.and.map((part) => conditionSql(part, values));
    const sql = parts.flatMap((part) => (part.sql === undefined ? [] : [`(${part.sql})`]));
    return {
      sql: sql.length === 0 ? undefined : sql.join(' AND '),
      exact: parts.every((part) => part.exact),
    };
  }
  if ('or' in condition) {
    if (condition.or.length === 0) return { sql: 'false', exact: true };
    const parts = condition.or.map((part) => conditionSql(part, values));
    if (parts.some((part) => part.sql === undefined)) return { sql: undefined, exact: false };
    return {
      sql: parts.map((part) => `(${part.sql})`).join(' OR '),
      exact: parts.every((part) => part.exact),
    };
  }
  if ('not' in condition) {
    const inner = conditionSql(condition.not, values);
    if (!inner.exact) return { sql: undefined, exact: false };
    return { sql: inner.sql === undefined ? 'false' : `NOT (${inner.sql})`, exact: true };
  }
  if ('time' in condition) {
    const { gte, lt } = condition.time;
    const bounds = [
      ...(gte === undefined ? [] : [`at_ms >= ${parameter(gte)}`]),
      ...(lt === undefined ? [] : [`at_ms < ${parameter(lt)}`]),
    ];
    return { sql: bounds.length === 0 ? undefined : bounds.join(' AND '), exact: true };
  }
  if ('equals' in condition && TERM_FIELDS.has(condition.field)) {
    if (condition.equals.length > MAX_TERM_VALUE) {
      // No entry has a term for a value this long: only JavaScript can compare it.
      return { sql: undefined, exact: false };
    }
    return {
      sql: `terms @> ARRAY[${parameter(term(condition.field, condition.equals))}]::text[]`,
      exact: true,
    };
  }
  return { sql: undefined, exact: false };
}
