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
import { FIELDS, MAX_PER_PAGE, PAGING, pageOf, project, readQuery } from './query.js';

const QUERY_FIELDS = new Set(['type', 'client_id']);
const TERM = /^([a-z_]+):(?:"([^"]*)"|([^\s"()]+))$/;
const DEFAULT_TAKE = 50;

/** The `/logs` routes. */
export function logRoutes(context: ManagementContext): Route[] {
  const { logs } = context;
  return [
    authorised(context, 'GET', '/logs', 'read:logs', async (call) => {
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
      const matches = typeof text === 'string' ? parseQ(text) : () => true;
      await logs.settled();
      const events = (await logs.list()).filter(matches);
      const shown = (list: readonly AuditEvent[]) =>
        list.map((event) => project({ ...event }, query));
      if (query.from !== undefined || query.take !== undefined) {
        const take = typeof query.take === 'number' ? query.take : DEFAULT_TAKE;
        const from = query.from;
        const after = typeof from === 'string' ? events.filter((e) => e.log_id > from) : events;
        return jsonResponse(200, shown(after.slice(0, take)));
      }
      const ascending = readSort(query.sort);
      const ordered = ascending ? events : [...events].reverse();
      return jsonResponse(200, pageOf(shown(ordered), query, 'logs'));
    }),
    authorised(context, 'GET', '/logs/:id', 'read:logs', async (call) => {
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

function readSort(sort: unknown): boolean {
  if (sort === undefined || sort === 'date:-1') return false;
  if (sort === 'date:1') return true;
  throw badQuery('sort must be date:1 or date:-1');
}

/** A matcher for `q`: terms on `type` and `client_id`, joined by AND (or spaces). */
function parseQ(q: string): (event: AuditEvent) => boolean {
  const terms = q
    .trim()
    .split(/\s+(?:AND\s+)?/)
    .filter((term) => term !== '');
  if (terms.length === 0 || terms.length > 10) throw badQuery('q must hold 1 to 10 terms');
  const tests = terms.map((term) => {
    const match = TERM.exec(term);
    const field = match?.[1];
    const value = match?.[2] ?? match?.[3];
    if (!match || field === undefined || value === undefined || !QUERY_FIELDS.has(field)) {
      throw badQuery(
        `q: ${JSON.stringify(term)} is not a term on type or client_id (type:sapi, client_id:"abc")`,
      );
    }
    return (event: AuditEvent) => (field === 'type' ? event.type : event.client_id) === value;
  });
  return (event) => tests.every((test) => test(event));
}

function badQuery(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid_query_string',
    message: `Query validation error: ${message}`,
  });
}
