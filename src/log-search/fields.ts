/**
 * The fields of Auth0's log search, and how each is matched.
 *
 * @see https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax
 * @module
 */

/**
 * How a field's values are compared:
 * - `keyword`: the whole value, case-sensitively (`*` and `?` wildcards in unquoted values);
 * - `text`: by words, a quoted phrase as consecutive words (`description`);
 * - `date`: as a time, by day, month, year or instant, with ranges;
 * - `boolean`: `true` or `false`.
 */
export type LogFieldKind = 'keyword' | 'text' | 'date' | 'boolean';

/**
 * The searchable fields (Auth0's list, with `audience`, `scope` and `isMobile`, which the
 * library's events carry too) and their kinds.
 */
export const LOG_SEARCH_FIELDS: Readonly<Record<string, LogFieldKind>> = Object.freeze({
  log_id: 'keyword',
  date: 'date',
  type: 'keyword',
  description: 'text',
  client_id: 'keyword',
  client_name: 'keyword',
  connection: 'keyword',
  connection_id: 'keyword',
  ip: 'keyword',
  hostname: 'keyword',
  user_id: 'keyword',
  user_name: 'keyword',
  user_agent: 'keyword',
  strategy: 'keyword',
  strategy_type: 'keyword',
  organization_id: 'keyword',
  audience: 'keyword',
  scope: 'keyword',
  isMobile: 'boolean',
});

/** The fields a term without a field name is searched in (Auth0's list). */
export const BARE_TERM_FIELDS: readonly string[] = Object.freeze([
  'user_name',
  'connection',
  'client_name',
  'type',
  'ip',
  'log_id',
  'description',
]);

/** The fields `/logs` sorts by (`sort=field:1` or `field:-1`), as Auth0's pattern lists them. */
export const LOG_SORT_FIELDS: ReadonlySet<string> = new Set([
  'date',
  'connection',
  'client_id',
  'client_name',
  'ip',
  'user_id',
  'user_name',
  'description',
  'user_agent',
  'type',
  'details',
  'strategy',
  'strategy_type',
]);
