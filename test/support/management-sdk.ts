/**
 * The `auth0` SDK's ManagementClient with its default settings but for a `fetch` that
 * hands its requests to an in-process Management API handler, holding a token of a new
 * machine-to-machine client granted `scopes` on the tenant's Management API.
 */
import { ManagementClient } from 'auth0';
import { ensureManagementApi, managementAudience, type Handler } from '../../src/http/index.js';
import type { Tenant } from '../../src/index.js';

export async function managementClientWith(
  tenant: Tenant,
  api: Handler,
  scopes: string[],
): Promise<ManagementClient> {
  const management = await ensureManagementApi(tenant);
  const robot = await tenant.clients.create({
    name: `Automation ${scopes.length}`,
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  await tenant.apis.grant({
    client_id: robot.client_id,
    audience: management.identifier,
    scope: scopes,
  });
  const { access_token: token } = await tenant.issueAccessToken(robot.client_id, {
    audience: managementAudience(tenant),
  });
  return new ManagementClient({
    domain: new URL(tenant.issuer).host,
    token,
    maxRetries: 0,
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      api(new Request(input, init))) as typeof fetch,
  });
}
