/**
 * `/connections`: Auth0's connection endpoints over `tenant.connections`, with offset
 * paging (`page`/`per_page`) and the checkpoint paging (`from`/`take`, answered with
 * `next`) that the current SDK uses, and `/connections/{id}/clients`, through which the
 * SDK and the Deploy CLI enable clients. Options are shown (with their secrets) only to a
 * token holding `read:connections_options`, and changed only by one holding
 * `update:connections_options` (route-scopes.ts).
 */
import type { Connection, ConnectionInput } from '../../connections/connection.js';
import { emptyResponse, jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import {
  authorised,
  found,
  jsonBody,
  orNotFound,
  type Call,
  type ManagementContext,
} from './context.js';
import {
  CHECKPOINT,
  DEFAULT_TAKE,
  FIELDS,
  PAGING,
  checkpointOf,
  pageOf,
  project,
  readQuery,
} from './query.js';
import { readJsonArray } from './json-array.js';
import { visibleTo } from './route-scopes.js';

const NOT_FOUND = 'inexistent_connection';

/** The `/connections` routes. */
export function connectionRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  const get = async (call: Call): Promise<Connection> =>
    found(
      await tenant.connections.find(call.params.id ?? ''),
      NOT_FOUND,
      'The connection does not exist',
    );
  return [
    authorised(context, 'GET', '/connections', async (call) => {
      const query = readQuery(call.url, {
        ...PAGING,
        ...FIELDS,
        strategy: 'list',
        name: 'string',
        ...CHECKPOINT,
      });
      const strategies = Array.isArray(query.strategy) ? new Set(query.strategy) : undefined;
      const all = (await tenant.connections.list()).filter(
        (connection) =>
          (strategies === undefined || strategies.has(connection.strategy)) &&
          (query.name === undefined || connection.name === query.name),
      );
      const show = (connection: Connection) => project(connectionJson(connection, call), query);
      const checkpoint = checkpointOf(all, query, 'connections', (c) => c.id, show);
      if (checkpoint) return jsonResponse(200, checkpoint);
      return jsonResponse(200, pageOf(all.map(show), query, 'connections'));
    }),
    authorised(context, 'GET', '/connections/:id', async (call) => {
      const query = readQuery(call.url, FIELDS);
      return jsonResponse(200, project(connectionJson(await get(call), call), query));
    }),
    authorised(context, 'POST', '/connections', async (call) => {
      const body = await jsonBody(context, call);
      const connection = await tenant.connections.create(
        body as unknown as ConnectionInput,
        call.write,
      );
      return jsonResponse(201, connectionJson(connection, call));
    }),
    authorised(context, 'PATCH', '/connections/:id', async (call) => {
      const body = await jsonBody(context, call);
      const connection = await orNotFound(NOT_FOUND, () =>
        tenant.connections.update(
          call.params.id ?? '',
          body as Partial<ConnectionInput>,
          call.write,
        ),
      );
      return jsonResponse(200, connectionJson(connection, call));
    }),
    authorised(context, 'DELETE', '/connections/:id', async (call) => {
      await orNotFound(NOT_FOUND, () =>
        tenant.connections.delete(call.params.id ?? '', call.write),
      );
      return emptyResponse(204);
    }),
    authorised(context, 'GET', '/connections/:id/clients', async (call) => {
      const query = readQuery(call.url, CHECKPOINT);
      // Always a checkpoint page: this endpoint has no other paging.
      const page = checkpointOf(
        (await get(call)).enabled_clients,
        { take: DEFAULT_TAKE, ...query },
        'clients',
        (clientId) => clientId,
        (clientId) => ({ client_id: clientId }),
      );
      return jsonResponse(200, page);
    }),
    authorised(context, 'PATCH', '/connections/:id/clients', async (call) => {
      const changes = await readJsonArray(call.request, context.bodyLimit, readChange);
      const connection = await get(call);
      for (const { client_id: clientId, status } of changes) {
        await orNotFound('inexistent_client', () =>
          status
            ? tenant.connections.enableClient(connection.id, clientId, call.write)
            : tenant.connections.disableClient(connection.id, clientId, call.write),
        );
      }
      return emptyResponse(204);
    }),
  ];
}

/**
 * A connection as the Management API shows it: `options` only with
 * `read:connections_options`, left out otherwise (as Auth0 leaves it out).
 */
function connectionJson(connection: Connection, call: Call): Record<string, unknown> {
  // The options object's own toJSON redacts; a shallow copy keeps the values.
  const json = { ...connection.toJSON(), options: { ...connection.options } };
  return visibleTo(call.caller.scopes, 'connection', json);
}

/** One `{ client_id, status }` item of `PATCH /connections/{id}/clients`, or the problem. */
function readChange(item: unknown, index: number): { client_id: string; status: boolean } | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return `/${index} must be an object { client_id, status }`;
  }
  const { client_id: clientId, status, ...rest } = item as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return `/${index}: Additional properties not allowed: ${extra.join(', ')}`;
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 256) {
    return `/${index}/client_id must be a client id`;
  }
  if (typeof status !== 'boolean') return `/${index}/status must be true or false`;
  return { client_id: clientId, status };
}
