// @ts-check
/**
 * The endpoints of the identity server, in one table, and the request handler that
 * dispatches to them: routing, `405` with `Allow`, CORS preflights, and one place that
 * turns a thrown {@link OAuthError} into its response and anything else into a `500`.
 */
import { authorize } from './authorize.js';
import { answerPreflight, allowTenantOrigin, originOf } from './cors.js';
import { discovery, jwks } from './discovery.js';
import { OAuthError, sendError, sendText } from './http.js';
import { auth0Logout, oidcLogout } from './logout.js';
import {
  deleteRegistration,
  readRegistration,
  register,
  updateRegistration,
} from './registration.js';
import { token } from './token.js';
import { userinfo } from './userinfo.js';

/**
 * What every endpoint shares: the tenant and this process's in-memory grants.
 *
 * @typedef {object} ServerContext
 * @property {import('clientele').Tenant} tenant - clients, keys, tokens, registration, audit
 * @property {string} issuer - the issuer identifier, ending with `/`
 * @property {import('./authorization-codes.js').AuthorizationCodes} codes - pending authorization codes
 * @property {import('./access-tokens.js').AccessTokens} accessTokens - userinfo access tokens
 */

/**
 * One request, as an endpoint sees it.
 *
 * @typedef {object} Exchange
 * @property {import('node:http').IncomingMessage} request
 * @property {import('node:http').ServerResponse} response
 * @property {URL} url - the request URL (path and query; the host is not trusted)
 * @property {Record<string, string>} params - decoded path parameters
 * @property {string | undefined} origin - the `Origin` header
 * @property {ServerContext} context
 */

/** @typedef {(exchange: Exchange) => Promise<void>} Endpoint */

/**
 * An endpoint: its path (or a pattern whose groups are named by `params`), its handler
 * per method, and whose CORS rule applies: `tenant` (any client's origin may read it),
 * `client` (the endpoint checks the client it serves) or none.
 *
 * @typedef {object} Route
 * @property {string | RegExp} path
 * @property {readonly string[]} [params]
 * @property {Readonly<Record<string, Endpoint>>} methods
 * @property {'tenant' | 'client'} [cors]
 */

/** @type {readonly Route[]} */
export const ROUTES = [
  { path: '/.well-known/openid-configuration', methods: { GET: discovery }, cors: 'tenant' },
  { path: '/.well-known/jwks.json', methods: { GET: jwks }, cors: 'tenant' },
  { path: '/authorize', methods: { GET: authorize, POST: authorize } },
  { path: '/oauth/token', methods: { POST: token }, cors: 'client' },
  { path: '/userinfo', methods: { GET: userinfo, POST: userinfo }, cors: 'client' },
  { path: '/oidc/register', methods: { POST: register } },
  {
    path: /^\/oidc\/register\/([^/]+)$/,
    params: ['client_id'],
    methods: { GET: readRegistration, PUT: updateRegistration, DELETE: deleteRegistration },
  },
  { path: '/v2/logout', methods: { GET: auth0Logout } },
  { path: '/oidc/logout', methods: { GET: oidcLogout, POST: oidcLogout } },
];

/**
 * The `node:http` request listener for `context`.
 *
 * @param {ServerContext} context
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void}
 */
export function createRequestHandler(context) {
  return (request, response) => {
    dispatch(context, request, response).catch((/** @type {unknown} */ error) => {
      fail(response, error);
    });
  };
}

/**
 * @param {ServerContext} context
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
async function dispatch(context, request, response) {
  const target = request.url ?? '';
  // A fixed base: the Host header is the caller's to choose, so it never builds a URL.
  const url = target.startsWith('/') ? parseTarget(`http://server.invalid${target}`) : undefined;
  if (!url) {
    sendText(response, 400, 'Bad request: the request target must be a path');
    return;
  }
  const found = match(url.pathname);
  if (!found) {
    sendText(response, 404, 'Not found');
    return;
  }
  const { route, params } = found;
  /** @type {Exchange} */
  const exchange = { request, response, url, params, origin: originOf(request), context };
  const methods = Object.keys(route.methods);
  if (route.cors) response.setHeader('Vary', 'Origin');
  const method = request.method ?? 'GET';
  if (method === 'OPTIONS' && route.cors) {
    await answerPreflight(exchange, methods);
    return;
  }
  const endpoint = route.methods[method];
  if (!endpoint) {
    const allow = methods.join(', ');
    throw new OAuthError(405, 'invalid_request', `${method} is not supported here (use ${allow})`, {
      Allow: allow,
    });
  }
  if (route.cors === 'tenant') await allowTenantOrigin(exchange);
  await endpoint(exchange);
}

/**
 * @param {string} href
 * @returns {URL | undefined}
 */
function parseTarget(href) {
  return URL.canParse(href) ? new URL(href) : undefined;
}

/**
 * The route for `pathname` and its decoded path parameters.
 *
 * @param {string} pathname
 * @returns {{ route: Route, params: Record<string, string> } | undefined}
 */
function match(pathname) {
  for (const route of ROUTES) {
    if (typeof route.path === 'string') {
      if (route.path === pathname) return { route, params: {} };
      continue;
    }
    const groups = route.path.exec(pathname);
    if (!groups) continue;
    /** @type {Record<string, string>} */
    const params = {};
    try {
      (route.params ?? []).forEach((name, index) => {
        params[name] = decodeURIComponent(groups[index + 1] ?? '');
      });
    } catch {
      return undefined; // malformed percent-encoding names nothing
    }
    return { route, params };
  }
  return undefined;
}

/**
 * Sends the response for an error an endpoint threw.
 *
 * @param {import('node:http').ServerResponse} response
 * @param {unknown} error
 */
function fail(response, error) {
  if (!(error instanceof OAuthError)) console.error('identity-server: request failed:', error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendError(
    response,
    error instanceof OAuthError
      ? error
      : new OAuthError(500, 'server_error', 'the server could not handle the request'),
  );
}
