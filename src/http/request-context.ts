/**
 * The one place the HTTP layer turns a request into the {@link RequestContext} its audit
 * events carry: the caller's address (as the server's `clientIp` option reads it), user
 * agent, method and path. Providers and the Management API build it once per request and
 * pass it to the tenant operation they call.
 *
 * @internal
 * @module
 */
import type { RequestContext } from '../audit/request-context.js';

/** Reads the caller's IP address of a request (the servers' `clientIp` option). */
export type ClientIpReader = (request: Request) => string | undefined;

/**
 * What `request` tells the audit trail. `url` is the request's URL when the caller has
 * parsed it already; `clientId` the authenticated caller, if any.
 */
export function requestContextOf(
  request: Request,
  clientIp: ClientIpReader,
  options: { url?: URL; clientId?: string } = {},
): RequestContext {
  return {
    ip: clientIp(request),
    userAgent: request.headers.get('user-agent') ?? undefined,
    method: request.method,
    path: options.url?.pathname ?? pathOf(request.url),
    ...(options.clientId === undefined ? {} : { auth: { client_id: options.clientId } }),
  };
}

/**
 * The path of an absolute URL as `Request.url` serialises it (already parsed and
 * normalised), without parsing it again: this runs on every token request.
 */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  let end = url.length;
  for (const mark of ['?', '#']) {
    const at = url.indexOf(mark, start);
    if (at !== -1 && at < end) end = at;
  }
  return url.slice(start, end);
}
