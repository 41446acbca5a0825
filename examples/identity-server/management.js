// @ts-check
/**
 * The Management API v2 of the example server: clientele's `createManagementApi` at
 * `/api/v2/`, adapted to `node:http` by `toNodeListener`. Requests under `/api/v2/` go to
 * it; everything else to the OpenID Provider's own router.
 */
import { createManagementApi, toNodeListener } from 'clientele/http';

/** The path the Management API is served under. */
export const MANAGEMENT_PREFIX = '/api/v2/';

/**
 * A request listener that serves the Management API under `/api/v2/` and hands every other
 * request to `next`.
 *
 * @param {import('clientele').Tenant} tenant
 * @param {string} issuer - the issuer, ending with `/`
 * @param {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void} next
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void}
 */
export function withManagementApi(tenant, issuer, next) {
  const management = toNodeListener(createManagementApi(tenant), {
    origin: new URL(issuer).origin,
    onUnexpectedError: (error) =>
      console.error('identity-server: management request failed:', error),
  });
  return (request, response) => {
    if ((request.url ?? '').startsWith(MANAGEMENT_PREFIX)) management(request, response);
    else next(request, response);
  };
}
