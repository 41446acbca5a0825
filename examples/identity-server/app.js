// @ts-check
/**
 * The identity server as one Fetch handler: clientele's handlers, composed. Nothing here
 * speaks OAuth; the library does.
 *
 * - `/api/v2/…`: the Management API (`createManagementApi`), for client-credentials tokens
 *   with Auth0's scopes, and for the demo admin signed in to the console.
 * - `/console/…`: the admin console (`createAdminConsole`), which signs in through this
 *   server's own `/authorize`.
 * - `/login`: the demo login page's form (see demo-login.js).
 * - everything else: the OpenID Provider (`createProvider`): discovery, JWKS, authorize,
 *   token, revoke, introspect, userinfo, registration, logout.
 */
import { createAdminConsole, createManagementApi, createProvider } from 'clientele/http';
import { DEMO_ADMIN, demoLogin, LOGIN_PATH } from './demo-login.js';

/** Where the Management API and the console are mounted. */
const MANAGEMENT_PREFIX = '/api/v2/';
const CONSOLE_PATH = '/console';

/**
 * @param {import('clientele').Tenant} tenant
 * @param {{ onUnexpectedError: (error: unknown) => void }} options
 * @returns {import('clientele/http').Handler}
 */
export function createApp(tenant, { onUnexpectedError }) {
  const adminConsole = createAdminConsole(tenant, { basePath: CONSOLE_PATH });
  const login = demoLogin((clientId) => adminConsole.isConsoleClient(clientId));
  /** @type {import('clientele/http').Provider} */
  const provider = createProvider(tenant, {
    login: (_request, pending) => login.show(provider, pending),
    onUnexpectedError,
  });
  const management = createManagementApi(tenant, {
    // The demo admin's token, and only as the console's client obtained it.
    acceptUserToken: async (claims) =>
      claims.sub === DEMO_ADMIN.sub && (await adminConsole.isConsoleClient(claims['azp'])),
    onUnexpectedError,
  });
  return (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(MANAGEMENT_PREFIX)) return management(request);
    if (pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`)) {
      return adminConsole(request);
    }
    if (pathname === LOGIN_PATH) return login.submit(provider, request);
    return provider(request);
  };
}
