/**
 * `/logs`: the audit events the store keeps, as Auth0's log events. Offset paging
 * (`page`, `per_page`, `include_totals`, `sort` on `date`) or checkpoint paging (`from` a
 * `log_id`, exclusive, `take`, oldest first); `q` (or `search`, as the current SDK names
 * it) accepts the simple Lucene form
 * `type:sapi AND client_id:"abc"` on `type` and `client_id`.
 */
import type { AuditEvent } from '../../audit/event.js';
import { HttpError } from '../errors.js';
import { jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import { authorised, found, type ManagementContext } from './context.js';
import { MAX_LOG_PAGE } from '../../storage/log.js';
import { FIELDS, MAX_PER_PAGE, PAGING, project, readQuery, type QueryValues } from './query.js';

const QUERY_FIELDS = new Set(['type', 'client_id']);
const TERM = /^([a-z_]+):(?:"([^"]*)"|([^\s"()]+))$/;
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
      const match = typeof text === 'string' ? parseQ(text) : {};
      // Every event recorded before this request is in the log before it is read.
      await tenant.audit.delivered(logs);
      await logs.settled();
      const shown = (list: readonly AuditEvent[]) =>
        list.map((event) => project({ ...event }, query));
      if (match === undefined)
        return jsonResponse(200, query.include_totals ? totals([], query, 0) : []);
      if (query.from !== undefined || query.take !== undefined) {
        const take = typeof query.take === 'number' ? query.take : DEFAULT_TAKE;
        const from = typeof query.from === 'string' ? query.from : undefined;
        const page = await logs.query({
          match,
          ...(from === undefined ? {} : { after: from }),
          limit: take,
        });
        return jsonResponse(200, shown(page));
      }
      const ascending = readSort(query.sort);
      const perPage = typeof query.per_page === 'number' ? query.per_page : undefined;
      const page = typeof query.page === 'number' ? query.page : 0;
      // Without per_page, every kept event (as before: one page of up to 10,000).
      const events = await logs.query({
        match,
        order: ascending ? 'asc' : 'desc',
        offset: perPage === undefined ? 0 : page * perPage,
        limit: perPage ?? MAX_LOG_PAGE,
      });
      if (query.include_totals !== true) return jsonResponse(200, shown(events));
      return jsonResponse(200, totals(shown(events), query, await logs.count(match)));
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

function readSort(sort: unknown): boolean {
  if (sort === undefined || sort === 'date:-1') return false;
  if (sort === 'date:1') return true;
  throw badQuery('sort must be date:1 or date:-1');
}

/**
 * `q` as field values to match: terms on `type` and `client_id`, joined by AND (or
 * spaces); `undefined` when two terms ask one field for different values (nothing
 * matches).
 */
function parseQ(q: string): Record<string, string> | undefined {
  const terms = q
    .trim()
    .split(/\s+(?:AND\s+)?/)
    .filter((term) => term !== '');
  if (terms.length === 0 || terms.length > 10) throw badQuery('q must hold 1 to 10 terms');
  const match: Record<string, string> = {};
  let contradictory = false;
  for (const term of terms) {
    const found = TERM.exec(term);
    const field = found?.[1];
    const value = found?.[2] ?? found?.[3];
    if (!found || field === undefined || value === undefined || !QUERY_FIELDS.has(field)) {
      throw badQuery(
        `q: ${JSON.stringify(term)} is not a term on type or client_id (type:sapi, client_id:"abc")`,
      );
    }
    if (Object.hasOwn(match, field) && match[field] !== value) contradictory = true;
    match[field] = value;
  }
  return contradictory ? undefined : match;
}

function badQuery(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid_query_string',
    message: `Query validation error: ${message}`,
  });
}
