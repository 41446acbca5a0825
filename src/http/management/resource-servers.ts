/**
 * `/resource-servers`: Auth0's API endpoints over `tenant.apis`. The Management API itself
 * is listed (with `is_system: true`, as Auth0 lists its own) and cannot be changed or
 * deleted through it. `signing_secret` is never in a response.
 */
import type { Api, ApiInput } from '../../apis/api.js';
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
import { PAGING, pageOf, readQuery } from './query.js';
import { MANAGEMENT_API_NAME, managementAudience } from './scopes.js';

const NOT_FOUND = 'inexistent_resource_server';

/** The `/resource-servers` routes. */
export function resourceServerRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  const system = managementAudience(tenant);
  const get = async (call: Call): Promise<Api> =>
    found(
      await tenant.apis.find(call.params.id ?? ''),
      NOT_FOUND,
      'The resource server does not exist',
    );
  const notSystem = (api: Api): void => {
    if (api.identifier === system) {
      throw new HttpError({
        status: 403,
        code: 'operation_not_supported',
        message: 'The Management API is a system API and cannot be changed or deleted',
      });
    }
  };
  const json = (api: Api): Record<string, unknown> => apiJson(api, system);
  return [
    authorised(context, 'GET', '/resource-servers', async (call) => {
      const query = readQuery(call.url, {
        ...PAGING,
        identifiers: 'list',
        include_fields: 'boolean',
      });
      const wanted = Array.isArray(query.identifiers) ? new Set(query.identifiers) : undefined;
      const apis = (await tenant.apis.list()).filter(
        (api) => !wanted || wanted.has(api.identifier),
      );
      return jsonResponse(200, pageOf(apis.map(json), query, 'resource_servers'));
    }),
    authorised(context, 'GET', '/resource-servers/:id', async (call) => {
      readQuery(call.url, { include_fields: 'boolean' });
      return jsonResponse(200, json(await get(call)));
    }),
    authorised(context, 'POST', '/resource-servers', async (call) => {
      const body = await jsonBody(context, call);
      if (body.identifier === system) {
        // Only the handler creates the system API (under Auth0's name), even after the
        // library deleted it.
        throw new HttpError({
          status: 409,
          code: 'conflict',
          message: "The identifier is the Management API's, a system API",
        });
      }
      return jsonResponse(
        201,
        json(await tenant.apis.create(body as unknown as ApiInput, call.write)),
      );
    }),
    authorised(context, 'PATCH', '/resource-servers/:id', async (call) => {
      const body = await jsonBody(context, call);
      const api = await get(call);
      notSystem(api);
      const updated = await orNotFound(NOT_FOUND, () =>
        tenant.apis.update(api.id, body as Partial<ApiInput>, call.write),
      );
      return jsonResponse(200, json(updated));
    }),
    authorised(context, 'DELETE', '/resource-servers/:id', async (call) => {
      const api = await get(call);
      notSystem(api);
      await orNotFound(NOT_FOUND, () => tenant.apis.delete(api.id, call.write));
      return emptyResponse(204);
    }),
  ];
}

/**
 * An API as the Management API shows it: never its `signing_secret`; the system API always
 * with Auth0's name and `is_system: true`, however it came to exist (the Deploy CLI skips
 * it by that name).
 */
function apiJson(api: Api, system: string): Record<string, unknown> {
  const { signing_secret: _secret, ...json } = api.toJSON() as unknown as Record<string, unknown>;
  return api.identifier === system ? { ...json, name: MANAGEMENT_API_NAME, is_system: true } : json;
}
