/**
 * CORS for the endpoints a browser app calls directly. An origin is only ever echoed
 * when the tenant allows it, never `*`, never with credentials. A preflight names no
 * client, so it is answered when some client allows the origin (the tenant-wide index,
 * `clients.anyAllowsOrigin`); the actual response is checked against the client it
 * concerns (`client.allowsOrigin`), or any client for public documents.
 */
import type { Client } from '../../client/client.js';
import type { Tenant } from '../../tenant.js';
import { setPreparedHeader } from '../prepared-body.js';
import { emptyResponse } from '../responses.js';

/** How long a browser may cache a positive preflight. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;
/**
 * Request headers a browser app may send: `Auth0-Client` is the telemetry header every
 * Auth0 browser SDK adds to its token, revocation and userinfo calls (auth0-spa-js always
 * does), so a preflight that refused it would block those SDKs with their defaults. `DPoP`
 * carries the proof of a browser app's DPoP requests (RFC 9449).
 */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Auth0-Client, DPoP';

/** Which origins may read an endpoint's responses. */
export type CorsRule = 'tenant' | 'client';

/** The request's `Origin`, when it has one. */
export function originOf(request: Request): string | undefined {
  const origin = request.headers.get('origin');
  return origin === null || origin === '' ? undefined : origin;
}

/** Adds `Vary: Origin`, and the allow header when `allowed`. */
export function withCors(
  response: Response,
  origin: string | undefined,
  allowed: boolean,
): Response {
  setPreparedHeader(response, 'Vary', 'Origin');
  if (origin !== undefined && allowed) response.headers.set('Access-Control-Allow-Origin', origin);
  return response;
}

/** Lets the origin read the response when `client` allows it. */
export function forClient(
  request: Request,
  response: Response,
  client: Client | undefined,
): Response {
  const origin = originOf(request);
  return withCors(response, origin, origin !== undefined && client?.allowsOrigin(origin) === true);
}

/** Lets the origin read the response when any client of the tenant allows it. */
export async function forTenant(
  request: Request,
  response: Response,
  tenant: Tenant,
): Promise<Response> {
  const origin = originOf(request);
  return withCors(
    response,
    origin,
    origin !== undefined && (await tenant.clients.anyAllowsOrigin(origin)),
  );
}

/** Answers `OPTIONS`: a preflight from an origin some client allows, or a plain `Allow`. */
export async function preflight(
  request: Request,
  tenant: Tenant,
  methods: readonly string[],
): Promise<Response> {
  const allow = ['OPTIONS', ...methods].join(', ');
  const origin = originOf(request);
  const method = request.headers.get('access-control-request-method');
  const vary = { Vary: 'Origin', Allow: allow };
  if (origin === undefined || method === null) return emptyResponse(204, vary);
  if (!methods.includes(method) || !(await tenant.clients.anyAllowsOrigin(origin))) {
    return emptyResponse(403, vary);
  }
  return emptyResponse(204, {
    ...vary,
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': methods.join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
  });
}
