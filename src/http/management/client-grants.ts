/**
 * `/client-grants`: Auth0's client grant endpoints over `tenant.apis`' grants, with offset
 * paging and the checkpoint paging (`from`/`take`) that the SDK's `clientGrants.list` always
 * sends.
 */
import type { ClientGrant, ClientGrantInput, ClientGrantPatch } from '../../apis/grant.js';
import { emptyResponse, jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import { authorised, jsonBody, orNotFound, type ManagementContext } from './context.js';
import { CHECKPOINT, PAGING, checkpointOf, pageOf, readQuery } from './query.js';

const NOT_FOUND = 'inexistent_client_grant';

/** The `/client-grants` routes. */
export function clientGrantRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  return [
    authorised(context, 'GET', '/client-grants', async (call) => {
      const query = readQuery(call.url, {
        ...PAGING,
        audience: 'string',
        client_id: 'string',
        allow_any_organization: 'boolean',
        subject_type: 'string',
        default_for: 'string',
        ...CHECKPOINT,
      });
      const grants = await tenant.apis.grants({
        ...(typeof query.audience === 'string' ? { audience: query.audience } : {}),
        ...(typeof query.client_id === 'string' ? { client_id: query.client_id } : {}),
      });
      // No grant allows any organization or is a default for third-party clients, and
      // every grant is for a client.
      const shown =
        query.allow_any_organization === true ||
        query.default_for !== undefined ||
        (query.subject_type !== undefined && query.subject_type !== 'client')
          ? []
          : grants;
      const checkpoint = checkpointOf(shown, query, 'client_grants', (g) => g.id, grantJson);
      return jsonResponse(200, checkpoint ?? pageOf(shown.map(grantJson), query, 'client_grants'));
    }),
    authorised(context, 'POST', '/client-grants', async (call) => {
      const body = await jsonBody(context, call);
      const grant = await tenant.apis.grant(body as unknown as ClientGrantInput, call.write);
      return jsonResponse(201, grantJson(grant));
    }),
    authorised(context, 'PATCH', '/client-grants/:id', async (call) => {
      const body = await jsonBody(context, call);
      const grant = await orNotFound(NOT_FOUND, () =>
        tenant.apis.updateGrant(call.params.id ?? '', body as ClientGrantPatch, call.write),
      );
      return jsonResponse(200, grantJson(grant));
    }),
    authorised(context, 'DELETE', '/client-grants/:id', async (call) => {
      await orNotFound(NOT_FOUND, () => tenant.apis.revokeGrant(call.params.id ?? '', call.write));
      return emptyResponse(204);
    }),
  ];
}

function grantJson(grant: ClientGrant): Record<string, unknown> {
  return {
    id: grant.id,
    client_id: grant.client_id,
    audience: grant.audience,
    scope: [...grant.scope],
  };
}
