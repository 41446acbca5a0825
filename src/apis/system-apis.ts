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
