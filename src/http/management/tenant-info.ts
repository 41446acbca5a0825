/**
 * The read-only tenant endpoints the Deploy CLI calls before it deploys, answered
 * minimally and truthfully: the tenant has no actions and no directory provisionings,
 * and its settings are what the library knows (its name).
 */
import { jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import { authorised, type ManagementContext } from './context.js';
import { PAGING, pageOf, readQuery } from './query.js';

/** The read-only routes. */
export function tenantInfoRoutes(context: ManagementContext): Route[] {
  return [
    authorised(context, 'GET', '/actions/actions', async (call) => {
      const query = readQuery(call.url, {
        ...PAGING,
        triggerId: 'string',
        actionName: 'string',
        deployed: 'boolean',
        installed: 'boolean',
      });
      return jsonResponse(200, pageOf([], { ...query, include_totals: true }, 'actions'));
    }),
    authorised(context, 'GET', '/connections-directory-provisionings', async (call) => {
      readQuery(call.url, { from: 'string', take: ['integer', 1, 100] });
      return jsonResponse(200, { directory_provisionings: [] });
    }),
    authorised(context, 'GET', '/tenants/settings', async (call) => {
      readQuery(call.url, { fields: 'list', include_fields: 'boolean' });
      return jsonResponse(200, { friendly_name: context.tenant.domain });
    }),
  ];
}
