/**
 * `createProvider(tenant, options)`: the OAuth 2.0 / OpenID Connect endpoints of a
 * tenant at Auth0's paths, as one {@link Handler}, routed by one table.
 *
 * @module
 */
import type { Tenant } from '../../tenant.js';
import { waitForAuditRoom } from '../audit-room.js';
import { InvalidArgumentError } from '../../errors.js';
import type { Handler } from '../handler.js';
import { createRouter, type HttpMethod, type Route, type RouteContext } from '../router.js';
import { authorize } from './authorize.js';
import { completeAuthorization } from './complete.js';
import type { ProviderContext } from './context.js';
import { forTenant, preflight, type CorsRule } from './cors.js';
import { discovery, jwks } from './discovery.js';
import { auth0Logout, oidcLogout } from './logout.js';
import { readProviderOptions, type ProviderOptions, type ProviderUser } from './options.js';
import {
  deleteRegistration,
  readRegistration,
  register,
  updateRegistration,
} from './registration.js';
import { oauthError } from './responses.js';
import { introspect, revoke } from './revoke-introspect.js';
import { pushAuthorizationRequest } from './par.js';
import { token } from './token.js';
import { userinfo } from './userinfo.js';

/** An endpoint: the request, its parsed URL and path parameters. */
type Endpoint = (
  context: ProviderContext,
  request: Request,
  route: RouteContext,
) => Promise<Response>;

/** One path: its handler per method and which origins may read it. */
interface Path {
  readonly path: string;
  readonly methods: Partial<Record<HttpMethod, Endpoint>>;
  readonly cors?: CorsRule;
}

/** The endpoints, at Auth0's paths. */
const PATHS: readonly Path[] = [
  {
    path: '/.well-known/openid-configuration',
    methods: { GET: (c) => discovery(c) },
    cors: 'tenant',
  },
  // RFC 8414 §3: the same metadata, where OAuth clients (oauth4webapi, MCP) look first.
  {
    path: '/.well-known/oauth-authorization-server',
    methods: { GET: (c) => discovery(c) },
    cors: 'tenant',
  },
  { path: '/.well-known/jwks.json', methods: { GET: (c) => jwks(c) }, cors: 'tenant' },
  {
    path: '/authorize',
    methods: {
      GET: (c, r, { url }) => authorize(c, r, url),
      POST: (c, r, { url }) => authorize(c, r, url),
    },
  },
  { path: '/oauth/token', methods: { POST: (c, r) => token(c, r) }, cors: 'client' },
  // RFC 9126: pushed authorization requests.
  {
    path: '/oauth/par',
    methods: { POST: (c, r) => pushAuthorizationRequest(c, r) },
    cors: 'client',
  },
  { path: '/oauth/revoke', methods: { POST: (c, r) => revoke(c, r) }, cors: 'client' },
  { path: '/oauth/introspect', methods: { POST: (c, r) => introspect(c, r) } },
  {
    path: '/userinfo',
    methods: { GET: (c, r) => userinfo(c, r), POST: (c, r) => userinfo(c, r) },
    cors: 'client',
  },
  { path: '/oidc/register', methods: { POST: (c, r) => register(c, r) } },
  {
    path: '/oidc/register/:client_id',
    methods: {
      GET: (c, r, { params }) => readRegistration(c, r, params['client_id'] ?? ''),
      PUT: (c, r, { params }) => updateRegistration(c, r, params['client_id'] ?? ''),
      DELETE: (c, r, { params }) => deleteRegistration(c, r, params['client_id'] ?? ''),
    },
  },
  { path: '/v2/logout', methods: { GET: (c, r, { url }) => auth0Logout(c, r, url) } },
  {
    path: '/oidc/logout',
    methods: {
      GET: (c, r, { url }) => oidcLogout(c, r, url),
      POST: (c, r, { url }) => oidcLogout(c, r, url),
    },
  },
];

/** The provider handler, with the call that ends a login. */
export interface Provider extends Handler {
  /**
   * Ends the login of a pending authorization request (from `options.login`): issues
   * the code and returns the redirect to the client's `redirect_uri`, or a 400 page when
   * the request expired or was already completed.
   *
   * @throws `InvalidArgumentError` when `user.sub` is missing.
   */
  completeAuthorization(pendingId: string, user: ProviderUser): Promise<Response>;
}

/**
 * The OAuth 2.0 / OIDC endpoints of `tenant`: discovery (OpenID Connect Discovery and
 * RFC 8414 authorization server metadata), JWKS, `/authorize`,
 * `/oauth/token`, `/oauth/revoke` (RFC 7009), `/oauth/introspect` (RFC 7662),
 * `/userinfo`, `/oidc/register[/:id]`, `/v2/logout`, `/oidc/logout`. Login is the app's:
 * `options.login(request, pending)` shows it, `provider.completeAuthorization` ends it.
 *
 * @throws `InvalidArgumentError` for a bad option.
 * @example
 * ```ts
 * const provider = createProvider(tenant, {
 *   login: async (_request, pending) =>
 *     new Response(`<a href="/done?id=${pending.id}">Sign in to ${pending.clientName}</a>`, {
 *       headers: { 'content-type': 'text/html' },
 *     }),
 * });
 * // after the app checked the user: return provider.completeAuthorization(id, { sub: 'auth0|42' });
 * createServer(toNodeListener(provider)).listen(3000);
 * ```
 * @see https://auth0.com/docs/api/authentication
 */
export function createProvider(tenant: Tenant, options: ProviderOptions = {}): Provider {
  if (typeof tenant !== 'object' || (tenant as unknown) === null || !('authorization' in tenant)) {
    throw new InvalidArgumentError('/tenant', 'tenant must be a Tenant');
  }
  const context: ProviderContext = { tenant, config: readProviderOptions(options) };
  const routes: Route[] = [];
  for (const { path, methods, cors } of PATHS) {
    for (const [method, endpoint] of Object.entries(methods) as [HttpMethod, Endpoint][]) {
      routes.push({
        method,
        path,
        handler: async (request, route) => {
          // Backpressure: while the store-backed log is maxPending events behind, wait.
          if (tenant.audit.full) await waitForAuditRoom(tenant.audit);
          const response = await endpoint(context, request, route);
          return cors === 'tenant' ? forTenant(request, response, tenant) : response;
        },
      });
    }
    if (cors) {
      const allowed = Object.keys(methods);
      routes.push({
        method: 'OPTIONS',
        path,
        handler: (request) => preflight(request, tenant, allowed),
      });
    }
  }
  const router = createRouter(routes, {
    errorResponse: (error) => oauthError(context.config, error),
    ...(context.config.onUnexpectedError
      ? { onUnexpectedError: context.config.onUnexpectedError }
      : {}),
  });
  const provider = ((request: Request) => router(request)) as Provider;
  provider.completeAuthorization = (pendingId, user) =>
    completeAuthorization(context, pendingId, user);
  return provider;
}

export type { PendingAuthorization, ProviderOptions, ProviderUser } from './options.js';
