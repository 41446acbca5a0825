// @ts-check
/**
 * CORS for the endpoints a browser app calls directly (token, JWKS, userinfo, discovery).
 * An origin is only ever echoed back when the tenant allows it, never `*`, and never
 * with `Access-Control-Allow-Credentials`: these endpoints authenticate with the request
 * body or an `Authorization` header, not cookies.
 *
 * A preflight names no client, so it is answered when some client of the tenant allows
 * the origin (`tenant.clients.anyAllowsOrigin`, an index, not a scan). The actual
 * response is then checked against the client it concerns (`client.allowsOrigin`).
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import { sendEmpty } from './http.js';

/** How long a browser may cache a positive preflight answer. */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Request headers a browser app may send to these endpoints. */
const ALLOWED_HEADERS = 'Authorization, Content-Type';

/**
 * The request's `Origin`, when it has one.
 *
 * @param {import('node:http').IncomingMessage} request
 * @returns {string | undefined}
 */
export function originOf(request) {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin !== '' ? origin : undefined;
}

/**
 * Lets `origin` read this response. Call only after checking that it is allowed.
 *
 * @param {import('node:http').ServerResponse} response
 * @param {string} origin
 */
export function allowOrigin(response, origin) {
  response.setHeader('Access-Control-Allow-Origin', origin);
}

/**
 * Lets the request's origin read the response when `client` allows it (its
 * `allowed_origins` and the origins of its callbacks).
 *
 * @param {import('./router.js').Exchange} exchange
 * @param {import('clientele').Client | undefined} client
 */
export function allowClientOrigin(exchange, client) {
  const { origin } = exchange;
  if (origin !== undefined && client?.allowsOrigin(origin)) allowOrigin(exchange.response, origin);
}

/**
 * Lets the request's origin read the response when any client of the tenant allows it:
 * for public documents (discovery, JWKS) that concern no one client.
 *
 * @param {import('./router.js').Exchange} exchange
 */
export async function allowTenantOrigin(exchange) {
  const { origin } = exchange;
  if (origin !== undefined && (await exchange.context.tenant.clients.anyAllowsOrigin(origin))) {
    allowOrigin(exchange.response, origin);
  }
}

/**
 * Answers an `OPTIONS` request. A CORS preflight from an origin that no client allows, or
 * for a method the endpoint does not take, gets 403 without any CORS header, so the
 * browser never sends the actual request.
 *
 * @param {import('./router.js').Exchange} exchange
 * @param {readonly string[]} methods - the methods the endpoint accepts
 */
export async function answerPreflight(exchange, methods) {
  const { request, response, origin } = exchange;
  const allow = ['OPTIONS', ...methods].join(', ');
  const method = request.headers['access-control-request-method'];
  if (origin === undefined || method === undefined) {
    // Not a CORS preflight: a plain OPTIONS asking what the endpoint supports.
    sendEmpty(response, 204, { Allow: allow });
    return;
  }
  if (
    !methods.includes(method) ||
    !(await exchange.context.tenant.clients.anyAllowsOrigin(origin))
  ) {
    sendEmpty(response, 403, { Allow: allow });
    return;
  }
  allowOrigin(response, origin);
  sendEmpty(response, 204, {
    Allow: allow,
    'Access-Control-Allow-Methods': methods.join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
  });
}
