/**
 * `/logs`: the audit events the store keeps, as Auth0's log events. Offset paging
 * (`page`, `per_page`, `include_totals`, `sort` on `date` or another of Auth0's sort
 * fields) or checkpoint paging (`from` a `log_id`, exclusive, `take`, oldest first); `q`
 * (or `search`, as the current SDK names it) in Auth0's log search syntax
 * (`parseLogQuery`), evaluated by the store (through PostgresStore's indexes).
 */
import type { AuditEvent } from '../../audit/event.js';
import { LogQueryError } from '../../errors.js';
import { LOG_SORT_FIELDS } from '../../log-search/fields.js';
import { parseLogQuery } from '../../log-search/parse-query.js';
import type { LogCondition } from '../../storage/log-condition.js';
import { HttpError } from '../errors.js';
import { jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import { authorised, found, type ManagementContext } from './context.js';
import { MAX_LOG_PAGE } from '../../storage/log.js';
import { FIELDS, MAX_PER_PAGE, PAGING, project, readQuery, type QueryValues } from './query.js';

const DEFAULT_TAKE = 50;

/** The `/logs` routes. */
export function logRoutes(context: ManagementContext): Route[] {
  const { logs, tenant } = context;
  return [
    authorised(context, 'GET', '/logs', async (call) => {
      const query = readQuery(call.url, {
        ...PAGING,
        ...FIELDS,
        sort: 'string',
        q: 'string',
        search: 'string',
        from: 'string',
        take: ['integer', 1, MAX_PER_PAGE],
        search_engine: 'string',
      });
      // The current SDK sends the query as `search`, older ones and Auth0's docs as `q`.
      if (query.q !== undefined && query.search !== undefined) {
        throw badQuery('give q or search, not both');
      }
      const text = query.q ?? query.search;
      const where = typeof text === 'string' ? searchOf(text) : undefined;
      const sort = readSort(query.sort);
      // Every event recorded before this request is in the log before it is read.
      await tenant.audit.delivered(logs);
      await logs.settled();
      const shown = (list: readonly AuditEvent[]) =>
        list.map((event) => project({ ...event }, query));
      if (query.from !== undefined || query.take !== undefined) {
        const take = typeof query.take === 'number' ? query.take : DEFAULT_TAKE;
        const from = typeof query.from === 'string' ? query.from : undefined;
        const page = await logs.query({
          ...(where === undefined ? {} : { where }),
          ...(from === undefined ? {} : { after: from }),
          limit: take,
        });
        return jsonResponse(200, shown(page));
      }
      const perPage = typeof query.per_page === 'number' ? query.per_page : undefined;
      const page = typeof query.page === 'number' ? query.page : 0;
      const offset = perPage === undefined ? 0 : page * perPage;
      // Without per_page, every kept event (as before: one page of up to 10,000).
      const limit = perPage ?? MAX_LOG_PAGE;
      const filter = where === undefined ? {} : { where };
      const events =
        sort.field === 'date'
          ? await logs.query({ ...filter, order: sort.ascending ? 'asc' : 'desc', offset, limit })
          : sortedBy(await logs.query({ ...filter, limit: MAX_LOG_PAGE }), sort).slice(
              offset,
              offset + limit,
            );
      if (query.include_totals !== true) return jsonResponse(200, shown(events));
      return jsonResponse(200, totals(shown(events), query, await logs.count(undefined, where)));
    }),
    authorised(context, 'GET', '/logs/:id', async (call) => {
      await tenant.audit.delivered(logs);
      await logs.settled();
      const event = found(
        await logs.get(call.params.id ?? ''),
        'inexistent_log',
        'The log does not exist',
      );
      return jsonResponse(200, { ...event });
    }),
  ];
}

/** Auth0's totals object around a page (the same shape as `pageOf`'s). */
function totals(items: readonly unknown[], query: QueryValues, total: number) {
  const perPage = typeof query.per_page === 'number' ? query.per_page : undefined;
  const page = typeof query.page === 'number' ? query.page : 0;
  return {
    start: perPage === undefined ? 0 : page * perPage,
    limit: perPage ?? MAX_PER_PAGE,
    length: items.length,
    total,
    logs: items,
  };
}

/** `sort`: one of Auth0's sort fields, `:1` ascending or `:-1` descending (default date:-1). */
function readSort(sort: unknown): { field: string; ascending: boolean } {
  if (sort === undefined) return { field: 'date', ascending: false };
  const found = typeof sort === 'string' ? /^([a-z_]+):(1|-1)$/.exec(sort) : null;
  const field = found?.[1];
  if (field === undefined || !LOG_SORT_FIELDS.has(field)) {
    throw badQuery(
      `sort must be field:1 or field:-1 with a field of ${[...LOG_SORT_FIELDS].join(', ')}`,
    );
  }
  return { field, ascending: found?.[2] === '1' };
}

/** `q` as a condition (none when blank), or a 400 saying what is wrong with it. */
function searchOf(text: string): LogCondition | undefined {
  if (text.trim() === '') return undefined;
  try {
    return parseLogQuery(text);
  } catch (error) {
    if (error instanceof LogQueryError) throw badQuery(error.message);
    throw error;
  }
}

/**
 * Events ordered by a field other than the date (its text; events without it last), then
 * by `log_id`: the kept events that match, at most 10,000, sorted here.
 */
function sortedBy(
  events: readonly AuditEvent[],
  sort: { field: string; ascending: boolean },
): AuditEvent[] {
  const key = (event: AuditEvent): string | undefined => {
    const value = (event as unknown as Record<string, unknown>)[sort.field];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const direction = sort.ascending ? 1 : -1;
  return [...events].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x !== y) {
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * direction;
    }
    return (a.log_id < b.log_id ? -1 : a.log_id > b.log_id ? 1 : 0) * direction;
  });
}

function badQuery(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid_query_string',
    message: `Query validation error: ${message}`,
  });
}
