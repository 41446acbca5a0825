/**
 * Auth0's system APIs (resource servers Auth0 creates itself: the Management API, the My
 * Account API) and what Auth0 refuses about them. An export that configures the
 * Management API, under its name or its identifier, is refused by the Deploy CLI ("You
 * can not configure the 'Auth0 Management API'") and by Auth0 (the Management API cannot
 * be changed through itself: `createManagementApi` answers 403 `operation_not_supported`).
 *
 * @internal
 * @module
 */
import { quote } from '../client/messages.js';
import type { Issue } from '../errors.js';

/** The name Auth0 gives its Management API. */
export const MANAGEMENT_API_NAME = 'Auth0 Management API';

/** The identifier of a tenant's Management API: `https://<tenant domain>/api/v2/`. */
export const MANAGEMENT_API_IDENTIFIER = /^https:\/\/[^/?#]+\/api\/v2\/?$/;

/**
 * The issue of an API entry (not one Auth0 marked `is_system`) that would configure the
 * Management API, or `undefined`.
 */
export function managementApiIssue(name: unknown, identifier: unknown): Issue | undefined {
  const byName = name === MANAGEMENT_API_NAME;
  const byIdentifier = typeof identifier === 'string' && MANAGEMENT_API_IDENTIFIER.test(identifier);
  if (!byName && !byIdentifier) return undefined;
  return {
    path: byIdentifier ? '/identifier' : '/name',
    code: 'system_api',
    message: `${byIdentifier ? `identifier ${quote(identifier as string)}` : `name ${quote(MANAGEMENT_API_NAME)}`} is Auth0's Management API, a system API that cannot be configured: Auth0 refuses changes to it; remove this entry`,
  };
}

/**
 * What a tenant may change on its own Management API (`{issuer}api/v2/`): the fields Auth0
 * lets anyone update on a system API (the Deploy CLI's `updateResourceServer` sends only
 * these for `is_system` APIs), plus what Auth0 itself maintains: its fixed name, and new
 * scopes as endpoints are added (never fewer).
 */
const SYSTEM_API_UPDATABLE: ReadonlySet<string> = new Set([
  'token_lifetime',
  'proof_of_possession',
  'skip_consent_for_verifiable_first_party_clients',
  'subject_type_authorization',
  'authorization_policy',
]);

/** The identifier of the tenant's Management API, the one system API a tenant holds. */
export function managementApiIdentifier(issuer: string): string {
  return `${issuer}api/v2/`;
}

function systemIssue(path: string, what: string): Issue {
  return {
    path,
    code: 'system_api',
    message: `${what}: the ${MANAGEMENT_API_NAME} is a system API, Auth0 refuses this change to it`,
  };
}

/**
 * The issues of creating the tenant's Management API with these settings: only under
 * Auth0's name (as `ensureManagementApi` creates it), so the Deploy CLI recognises it.
 */
export function systemApiCreateIssues(settings: { name: string }): Issue[] {
  return settings.name === MANAGEMENT_API_NAME
    ? []
    : [systemIssue('/name', `name must be ${quote(MANAGEMENT_API_NAME)}`)];
}

/**
 * The issues of a patch to the tenant's Management API: a field outside what Auth0 lets
 * change on a system API, another name, or a scope list that drops a scope.
 */
export function systemApiUpdateIssues(
  patch: Readonly<Record<string, unknown>>,
  stored: { scopes: readonly { value: string }[] },
): Issue[] {
  const issues: Issue[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined || SYSTEM_API_UPDATABLE.has(field)) continue;
    if (field === 'name' && value === MANAGEMENT_API_NAME) continue;
    if (field === 'scopes' && Array.isArray(value)) {
      const kept = new Set(value.map((scope: { value?: unknown }) => scope.value));
      const dropped = stored.scopes.filter((scope) => !kept.has(scope.value));
      if (dropped.length === 0) continue;
      const names = dropped.map((scope) => quote(scope.value)).join(', ');
      issues.push(systemIssue('/scopes', `scopes cannot be removed (${names})`));
      continue;
    }
    issues.push(systemIssue(`/${field}`, `${field} cannot be changed`));
  }
  return issues;
}

/** The issue of deleting the tenant's Management API. */
export function systemApiDeleteIssue(): Issue {
  return systemIssue('', 'it cannot be deleted');
}
