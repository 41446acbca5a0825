/**
 * `/clients`: Auth0's client endpoints over `tenant.clients`. A `client_secret` is only
 * ever in a response when the token holds `read:client_keys`.
 */
import { isAppType, type AppType } from '../../client/app-types.js';
import type { Client } from '../../client/client.js';
import type { ClientInput } from '../../client/settings.js';
import { HttpError } from '../errors.js';
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
import { FIELDS, PAGING, pageOf, project, readQuery, type QueryValues } from './query.js';
import { visibleTo } from './route-scopes.js';

const NOT_FOUND = 'inexistent_client';

/** The `/clients` routes. */
export function clientRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  const get = async (call: Call): Promise<Client> => {
    const id = call.params.id ?? '';
    return found(await tenant.clients.find(id), NOT_FOUND, 'The client does not exist');
  };
  return [
    authorised(context, 'GET', '/clients', async (call) => {
      const query = readQuery(call.url, {
        ...PAGING,
        ...FIELDS,
        app_type: 'list',
        is_global: 'boolean',
        is_first_party: 'boolean',
      });
      const types = appTypes(query);
      const { clients } = await tenant.clients.list();
      const matching = clients.filter(
        (client) =>
          (types === undefined || (client.app_type !== undefined && types.has(client.app_type))) &&
          query.is_global !== true &&
          (query.is_first_party === undefined ||
            (client.is_first_party ?? true) === query.is_first_party),
      );
      const shown = matching.map((client) => project(clientJson(client, call), query));
      return jsonResponse(200, pageOf(shown, query, 'clients'));
    }),
    authorised(context, 'GET', '/clients/:id', async (call) => {
      const query = readQuery(call.url, FIELDS);
      return jsonResponse(200, project(clientJson(await get(call), call), query));
    }),
    authorised(context, 'POST', '/clients', async (call) => {
      const body = await jsonBody(context, call);
      const client = await tenant.clients.create(body as unknown as ClientInput, call.write);
      return jsonResponse(201, clientJson(client, call));
    }),
    authorised(context, 'PATCH', '/clients/:id', async (call) => {
      const body = await jsonBody(context, call);
      await get(call);
      const client = await orNotFound(NOT_FOUND, () =>
        tenant.clients.update(call.params.id ?? '', body as Partial<ClientInput>, call.write),
      );
      return jsonResponse(200, clientJson(client, call));
    }),
    authorised(context, 'DELETE', '/clients/:id', async (call) => {
      await orNotFound(NOT_FOUND, () => tenant.clients.delete(call.params.id ?? '', call.write));
      return emptyResponse(204);
    }),
    authorised(context, 'POST', '/clients/:id/rotate-secret', async (call) => {
      const client = await get(call);
      const rotated = await orNotFound(NOT_FOUND, () =>
        tenant.clients.rotateSecret(client.client_id, call.write),
      );
      return jsonResponse(200, clientJson(rotated, call));
    }),
  ];
}

/** A client as the Management API shows it: the secret only with `read:client_keys`. */
export function clientJson(client: Client, call: Call): Record<string, unknown> {
  const json: Record<string, unknown> = { ...client.toJSON() };
  if (client.client_secret !== undefined) json.client_secret = client.client_secret;
  return visibleTo(call.caller.scopes, 'client', json);
}

function appTypes(query: QueryValues): Set<AppType> | undefined {
  if (!Array.isArray(query.app_type)) return undefined;
  const unknown = query.app_type.filter((type) => !isAppType(type));
  if (unknown.length > 0) {
    throw new HttpError({
      status: 400,
      code: 'invalid_query_string',
      message: `Query validation error: app_type: unknown app type ${unknown.map((t) => JSON.stringify(t)).join(', ')}`,
    });
  }
  return new Set(query.app_type as AppType[]);
}
