/**
 * `/sessions/{id}` and `/users/{user_id}/sessions`: the tenant's login sessions, as
 * Auth0's Management API shows and deletes them (`read:sessions`, `delete:sessions`).
 * Deleting a session is a `session-revoked` end: its clients get back-channel logout
 * tokens when they asked for that initiator. Deletions are audited `sapi`.
 *
 * @see https://auth0.com/docs/api/management/v2/sessions/get-session
 * @see https://auth0.com/docs/api/management/v2/users/get-sessions-for-user
 */
import { emptyResponse, jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import { authorised, found, type ManagementContext } from './context.js';
import { readQuery } from './query.js';

const NOT_FOUND = ['inexistent_session', 'The session does not exist.'] as const;

/** The session routes. */
export function sessionRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  const record = (operation: string, details: Record<string, unknown>) =>
    tenant.audit.record({
      type: 'sapi',
      description: operation === 'delete_session' ? 'Delete a session' : 'Delete user sessions',
      details: { operation, ...details },
    });
  return [
    authorised(context, 'GET', '/sessions/:id', async (call) =>
      jsonResponse(200, found(await tenant.sessions.get(call.params['id'] ?? ''), ...NOT_FOUND)),
    ),
    authorised(context, 'DELETE', '/sessions/:id', async (call) => {
      const id = call.params['id'] ?? '';
      found((await tenant.sessions.end(id, 'session-revoked')) || undefined, ...NOT_FOUND);
      record('delete_session', { session_id: id });
      return emptyResponse(200);
    }),
    authorised(context, 'GET', '/users/:user_id/sessions', async (call) => {
      const query = readQuery(call.url, { take: ['integer', 1, 100], from: 'string' });
      const all = await tenant.sessions.listForUser(call.params['user_id'] ?? '');
      const start =
        typeof query.from === 'string' ? all.findIndex((s) => s['id'] === query.from) + 1 : 0;
      const take = typeof query.take === 'number' ? query.take : 50;
      const page = all.slice(start, start + take);
      const next = start + take < all.length ? page.at(-1)?.['id'] : undefined;
      return jsonResponse(200, next === undefined ? { sessions: page } : { sessions: page, next });
    }),
    authorised(context, 'DELETE', '/users/:user_id/sessions', async (call) => {
      const userId = call.params['user_id'] ?? '';
      const count = await tenant.sessions.endForUser(userId, 'session-revoked');
      record('delete_user_sessions', { user_id: userId, sessions: count });
      return emptyResponse(202);
    }),
  ];
}
