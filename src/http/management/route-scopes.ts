/**
 * Which Management API scopes each route needs: one table, read by the one function that
 * builds a route (`authorised` in context.ts), so no route runs without its row and no
 * scope is checked anywhere else. Rows follow Auth0's Management API v2 reference:
 *
 * - `anyOf`: the token must hold at least one of these (Auth0's 403 says "Insufficient
 *   scope, expected any of: ...").
 * - `fields`: body fields that need a scope of their own, in addition (Auth0: "Requests to
 *   Update a Connection fail if the request body contains the options field and the caller
 *   does not have the update:connections_options scope"; `client_secret` can only be
 *   updated with `update:client_keys`; `client_authentication_methods` needs
 *   `update:client_credentials`, or `create:client_credentials` on create).
 *
 * What a response shows is shaped by {@link RESPONSE_FIELD_SCOPES}: a field needing a scope
 * the token lacks is left out (Auth0 omits `options` of a connection without
 * `read:connections_options`, and `client_secret` without `read:client_keys`).
 *
 * Where Auth0 accepts more (`read:client_summary` on `GET /clients`, which answers a
 * reduced client; `update:client_keys` alone on `PATCH /clients/{id}`), this table asks for
 * the full scope: such a token is refused here rather than shown or allowed more than
 * Auth0 would. docs/management-api.md lists the table.
 *
 * @see https://auth0.com/docs/api/management/v2
 * @see https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/migrate-connection-options-scope
 */
import type { ManagementScope } from './scopes.js';

/** The scopes one route needs. */
export interface RouteScopes {
  /** The token must hold at least one of these. */
  readonly anyOf: readonly ManagementScope[];
  /** Top-level body fields that need a scope of their own besides `anyOf`. */
  readonly fields?: Readonly<Record<string, ManagementScope>>;
}

/** `METHOD /path-pattern` (the router's pattern, below the `/api/v2` prefix). */
export type RouteKey = `${'GET' | 'POST' | 'PATCH' | 'DELETE'} /${string}`;

const CLIENT_KEYS = { client_secret: 'update:client_keys', signing_keys: 'update:client_keys' };

/** Every route of the Management API and the scopes it needs. */
export const ROUTE_SCOPES: Readonly<Record<RouteKey, RouteScopes>> = Object.freeze({
  'GET /clients': { anyOf: ['read:clients', 'read:client_keys'] },
  'GET /clients/:id': { anyOf: ['read:clients', 'read:client_keys'] },
  'POST /clients': {
    anyOf: ['create:clients'],
    fields: { client_authentication_methods: 'create:client_credentials' },
  },
  'PATCH /clients/:id': {
    anyOf: ['update:clients'],
    fields: {
      ...CLIENT_KEYS,
      client_authentication_methods: 'update:client_credentials',
      token_vault_privileged_access: 'update:client_token_vault_privileged_access',
    },
  },
  'DELETE /clients/:id': { anyOf: ['delete:clients'] },
  'POST /clients/:id/rotate-secret': { anyOf: ['update:client_keys'] },
  // Register needs create:clients to create and update:clients to update (cimd-clients.ts
  // asks for the one that applies); preview makes the server fetch a URL, like a create.
  'POST /clients/cimd/register': { anyOf: ['create:clients', 'update:clients'] },
  'POST /clients/cimd/preview': { anyOf: ['create:clients'] },

  'GET /clients/:id/credentials': { anyOf: ['read:client_credentials'] },
  'GET /clients/:id/credentials/:credential_id': { anyOf: ['read:client_credentials'] },
  'POST /clients/:id/credentials': { anyOf: ['create:client_credentials'] },
  'PATCH /clients/:id/credentials/:credential_id': { anyOf: ['update:client_credentials'] },
  'DELETE /clients/:id/credentials/:credential_id': { anyOf: ['delete:client_credentials'] },

  'GET /resource-servers': { anyOf: ['read:resource_servers'] },
  'GET /resource-servers/:id': { anyOf: ['read:resource_servers'] },
  'POST /resource-servers': { anyOf: ['create:resource_servers'] },
  'PATCH /resource-servers/:id': { anyOf: ['update:resource_servers'] },
  'DELETE /resource-servers/:id': { anyOf: ['delete:resource_servers'] },

  'GET /client-grants': { anyOf: ['read:client_grants'] },
  'POST /client-grants': { anyOf: ['create:client_grants'] },
  'PATCH /client-grants/:id': { anyOf: ['update:client_grants'] },
  'DELETE /client-grants/:id': { anyOf: ['delete:client_grants'] },

  'GET /connections': { anyOf: ['read:connections'] },
  'GET /connections/:id': { anyOf: ['read:connections'] },
  'POST /connections': { anyOf: ['create:connections'] },
  'PATCH /connections/:id': {
    anyOf: ['update:connections'],
    fields: { options: 'update:connections_options' },
  },
  'DELETE /connections/:id': { anyOf: ['delete:connections'] },
  'GET /connections/:id/clients': { anyOf: ['read:connections'] },
  'PATCH /connections/:id/clients': { anyOf: ['update:connections'] },

  'GET /logs': { anyOf: ['read:logs'] },
  'GET /logs/:id': { anyOf: ['read:logs'] },

  'GET /log-streams': { anyOf: ['read:log_streams'] },
  'GET /log-streams/:id': { anyOf: ['read:log_streams'] },
  'POST /log-streams': { anyOf: ['create:log_streams'] },
  'PATCH /log-streams/:id': { anyOf: ['update:log_streams'] },
  'DELETE /log-streams/:id': { anyOf: ['delete:log_streams'] },

  'GET /sessions/:id': { anyOf: ['read:sessions'] },
  'DELETE /sessions/:id': { anyOf: ['delete:sessions'] },
  'GET /users/:user_id/sessions': { anyOf: ['read:sessions'] },
  'DELETE /users/:user_id/sessions': { anyOf: ['delete:sessions'] },

  'GET /actions/actions': { anyOf: ['read:actions'] },
  'GET /connections-directory-provisionings': { anyOf: ['read:directory_provisionings'] },
  'GET /tenants/settings': { anyOf: ['read:tenant_settings'] },
} satisfies Record<RouteKey, RouteScopes>);

/**
 * Response fields shown only to a token holding a scope, per kind of object: left out
 * otherwise, as Auth0 leaves them out.
 */
export const RESPONSE_FIELD_SCOPES = Object.freeze({
  client: { client_secret: 'read:client_keys' },
  connection: { options: 'read:connections_options' },
} as const satisfies Record<string, Readonly<Record<string, ManagementScope>>>);

/** `object` without the fields of `kind` whose scope `scopes` lacks. */
export function visibleTo(
  scopes: ReadonlySet<string>,
  kind: keyof typeof RESPONSE_FIELD_SCOPES,
  object: Record<string, unknown>,
): Record<string, unknown> {
  const needs: Readonly<Record<string, ManagementScope>> = RESPONSE_FIELD_SCOPES[kind];
  return Object.fromEntries(
    Object.entries(object).filter(([field]) => {
      const scope = Object.hasOwn(needs, field) ? needs[field] : undefined;
      return scope === undefined || scopes.has(scope);
    }),
  );
}
