/**
 * Every route of the Management API, from its resource modules: the list the router
 * serves, and that the scope test walks against the scope table (route-scopes.ts).
 *
 * @internal
 * @module
 */
import type { Route } from '../router.js';
import { clientCredentialRoutes } from './client-credentials.js';
import { clientGrantRoutes } from './client-grants.js';
import { cimdClientRoutes } from './cimd-clients.js';
import { clientRoutes } from './clients.js';
import { connectionRoutes } from './connections.js';
import type { ManagementContext } from './context.js';
import { logRoutes } from './logs.js';
import { logStreamRoutes } from './log-streams.js';
import { resourceServerRoutes } from './resource-servers.js';
import { sessionRoutes } from './sessions.js';
import { tenantInfoRoutes } from './tenant-info.js';

/** The routes of the Management API over `context`. */
export function managementRoutes(context: ManagementContext): Route[] {
  return [
    ...cimdClientRoutes(context),
    ...clientRoutes(context),
    ...clientCredentialRoutes(context),
    ...resourceServerRoutes(context),
    ...clientGrantRoutes(context),
    ...connectionRoutes(context),
    ...logRoutes(context),
    ...logStreamRoutes(context),
    ...sessionRoutes(context),
    ...tenantInfoRoutes(context),
  ];
}
