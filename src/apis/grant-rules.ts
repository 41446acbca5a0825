/**
 * Cross-object rules of client grants that Auth0 enforces and a tenant (or an export) can
 * check: the client types that cannot hold a client grant. `tenant.apis.grant` and
 * `clientele check` both read this table. See docs/client-settings.md, "What Auth0
 * refuses".
 *
 * @internal
 * @module
 */
import { quote } from '../client/messages.js';
import type { Issue } from '../errors.js';

/**
 * App types Auth0 refuses a client grant for, with the reason. `express_configuration`
 * clients (Okta OIN Express Configuration) authenticate with their own credentials and
 * take no client grant (recorded Management API refusals, issue #27; the Terraform
 * provider also strips their grant-related settings before a PATCH).
 */
export const APP_TYPES_WITHOUT_GRANTS: Readonly<Record<string, string>> = {
  express_configuration:
    'an Okta Express Configuration client cannot hold client grants; grant the API to the clients it links instead',
};

/** The issue of a grant for a client of `appType`, or `undefined` when it may hold one. */
export function grantClientIssue(clientId: string, appType: unknown): Issue | undefined {
  if (typeof appType !== 'string' || !Object.hasOwn(APP_TYPES_WITHOUT_GRANTS, appType)) {
    return undefined;
  }
  return {
    path: '/client_id',
    code: 'grant_not_allowed',
    message: `client_id ${quote(clientId)} is an ${appType} client: ${APP_TYPES_WITHOUT_GRANTS[appType] ?? ''}`,
  };
}
