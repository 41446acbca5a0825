/**
 * The Management API as an API of the tenant: its audience, its name (the one Auth0 and
 * the Deploy CLI know it by) and Auth0's scope names for every endpoint it serves.
 */
import type { Api } from '../../apis/api.js';
import { ConflictError, ValidationError } from '../../errors.js';
import type { Tenant } from '../../tenant.js';

/** The name Auth0 gives its Management API (the Deploy CLI skips the API of this name). */
export const MANAGEMENT_API_NAME = 'Auth0 Management API';

/**
 * Auth0's Management API scopes for the endpoints this implementation serves, with
 * Auth0's descriptions. Which route needs which is the table in route-scopes.ts;
 * `read:client_keys` is needed to see a client secret.
 */
export const MANAGEMENT_SCOPES: Readonly<Record<string, string>> = Object.freeze({
  'read:clients': 'Read Clients',
  'create:clients': 'Create Clients',
  'update:clients': 'Update Clients',
  'delete:clients': 'Delete Clients',
  'read:client_keys': 'Read Client Keys',
  'update:client_keys': 'Update Client Keys',
  'update:client_token_vault_privileged_access': 'Update Client Token Vault Privileged Access',
  'read:client_credentials': 'Read Client Credentials',
  'create:client_credentials': 'Create Client Credentials',
  'update:client_credentials': 'Update Client Credentials',
  'delete:client_credentials': 'Delete Client Credentials',
  'read:resource_servers': 'Read Resource Servers',
  'create:resource_servers': 'Create Resource Servers',
  'update:resource_servers': 'Update Resource Servers',
  'delete:resource_servers': 'Delete Resource Servers',
  'read:client_grants': 'Read Client Grants',
  'create:client_grants': 'Create Client Grants',
  'update:client_grants': 'Update Client Grants',
  'delete:client_grants': 'Delete Client Grants',
  'read:connections': 'Read Connections',
  'create:connections': 'Create Connections',
  'update:connections': 'Update Connections',
  'delete:connections': 'Delete Connections',
  'read:connections_options': 'Read Connections Options',
  'update:connections_options': 'Update Connections Options',
  'read:directory_provisionings': 'Read Directory Provisionings',
  'read:logs': 'Read Logs',
  'read:log_streams': 'Read Log Streams',
  'create:log_streams': 'Create Log Streams',
  'update:log_streams': 'Update Log Streams',
  'delete:log_streams': 'Delete Log Streams',
  'read:actions': 'Read Actions',
  'read:tenant_settings': 'Read Tenant Settings',
  'read:sessions': 'Read Sessions',
  'delete:sessions': 'Delete Sessions',
});

/** A Management API scope name. */
export type ManagementScope = keyof typeof MANAGEMENT_SCOPES & string;

/**
 * The audience of Management API tokens: `{issuer}api/v2/`, as Auth0's
 * `https://{domain}/api/v2/`.
 */
export function managementAudience(tenant: Tenant): string {
  return `${tenant.issuer}api/v2/`;
}

/**
 * The tenant's Management API (an API whose identifier is {@link managementAudience}),
 * created with every scope of {@link MANAGEMENT_SCOPES} when it does not exist yet; a
 * Management API created earlier gets the scopes it lacks, and Auth0's name
 * ({@link MANAGEMENT_API_NAME}) when it was created under another (by someone who created
 * `{issuer}api/v2/` first: the Deploy CLI recognises the system API by that name only, and
 * would try to update it). Grant a client access to it
 * with `tenant.apis.grant({ client_id, audience: api.identifier, scope: [...] })`.
 *
 * @example
 * ```ts
 * const api = await ensureManagementApi(tenant);
 * await tenant.apis.grant({ client_id: ci.client_id, audience: api.identifier, scope: ['read:clients'] });
 * ```
 */
export async function ensureManagementApi(tenant: Tenant): Promise<Api> {
  const audience = managementAudience(tenant);
  const scopes = Object.entries(MANAGEMENT_SCOPES).map(([value, description]) => ({
    value,
    description,
  }));
  for (let attempt = 0; ; attempt++) {
    const existing = await tenant.apis.getByAudience(audience);
    if (existing) {
      const known = new Set(existing.scopes.map((scope) => scope.value));
      const missing = scopes.filter((scope) => !known.has(scope.value));
      if (missing.length === 0 && existing.name === MANAGEMENT_API_NAME) return existing;
      try {
        return await tenant.apis.update(existing.id, {
          name: MANAGEMENT_API_NAME,
          scopes: [...existing.scopes, ...missing],
        });
      } catch (error) {
        // Another instance changed it at the same time: look again.
        if (!(error instanceof ConflictError) || attempt > 2) throw error;
        continue;
      }
    }
    try {
      return await tenant.apis.create({
        identifier: audience,
        name: MANAGEMENT_API_NAME,
        scopes,
        token_lifetime: 86_400,
        signing_alg: 'RS256',
      });
    } catch (error) {
      // Another instance created it first: read it on the next round.
      const taken =
        error instanceof ValidationError && error.issues.some((i) => i.code === 'already_exists');
      if (!taken || attempt > 2) throw error;
    }
  }
}
