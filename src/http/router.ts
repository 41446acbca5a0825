/**
 * A small router: one table of method + path pattern → handler. A path that matches no
 * pattern is a `404`; a path that matches with another method is a `405` with `Allow`;
 * `HEAD` is answered as `GET` without a body. Errors a route throws (and the `404`/`405`)
 * go through one error-response function, so every answer of an API has its shape.
 */
import { InvalidArgumentError } from '../errors.js';
import { managementErrorResponse } from './error-response.js';
import { HttpError } from './errors.js';
import type { Handler } from './handler.js';

/** The methods a route may answer (`HEAD` comes with `GET`). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** What a route handler gets besides the request. */
export interface RouteContext {
  /** The request URL, parsed once. */
  readonly url: URL;
  /** Decoded path parameters, by the names of the pattern's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
}

/** A route's handler. */
export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;

/** One row of the routing table. */
export interface Route {
  /** The method answered. */
  readonly method: HttpMethod;
  /** Path pattern below the router's prefix: `/clients/:id/rotate-secret`. */
  readonly path: string;
  /** Answers the request. */
  readonly handler: RouteHandler;
}

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** Path prefix every pattern is below (`/api/v2`); other paths are `404`. Default `''`. */
  prefix?: string;
  /** Turns a thrown value into the response. Default {@link managementErrorResponse}. */
  errorResponse?: (error: unknown) => Response;
  /**
   * Called with anything a route threw that is not a library error (answered `500`).
   * Default: a process warning with code `CLIENTELE_HTTP_HANDLER_FAILED`.
   */
  onUnexpectedError?: (error: unknown, request: Request) => void;
}

interface CompiledPath {
  readonly pattern: string;
  readonly segments: readonly (string | { readonly param: string })[];
  readonly methods: Map<string, RouteHandler>;
  readonly allow: string;
}

/**
 * A {@link Handler} that dispatches by the table `routes`.
 *
 * @throws `InvalidArgumentError` for a malformed pattern or a route given twice.
 * @example
 * ```ts
 * const api = createRouter(
 *   [{ method: 'GET', path: '/things/:id', handler: async (_request, { params }) =>
 *       jsonResponse(200, { id: params.id }) }],
 *   { prefix: '/api' },
 * );
 * const response = await api(new Request('http://localhost/api/things/42'));
 * ```
 */
export function createRouter(routes: readonly Route[], options: RouterOptions = {}): Handler {
  const prefix = options.prefix ?? '';
  if (prefix !== '' && (!prefix.startsWith('/') || prefix.endsWith('/'))) {
    throw new InvalidArgumentError(
      '/options/prefix',
      'prefix must start with / and not end with /',
    );
  }
  const paths = compile(routes);
  const errorResponse = options.errorResponse ?? managementErrorResponse;
  const onUnexpected = options.onUnexpectedError ?? warnUnexpected;
  return async (request) => {
    try {
      const url = new URL(request.url);
      const found = url.pathname.startsWith(prefix)
        ? match(paths, url.pathname.slice(prefix.length))
        : undefined;
      if (!found) throw new HttpError({ status: 404, code: 'not_found', message: 'Not Found' });
      const head = request.method === 'HEAD';
      const handler = found.path.methods.get(head ? 'GET' : request.method);
      if (!handler) {
        throw new HttpError({
          status: 405,
          code: 'method_not_allowed',
          message: `${request.method} is not allowed on ${found.path.pattern} (use ${found.path.allow})`,
          headers: { Allow: found.path.allow },
          oauthError: 'invalid_request',
        });
      }
      const response = await handler(request, { url, params: found.params });
      return head ? withoutBody(response) : response;
    } catch (error) {
      const response = errorResponse(error);
      // Only what no library error explains: a store outage (503) is the store's to report,
      // once when it starts and once when it ends, not once per request.
      if (response.status === 500) onUnexpected(error, request);
      return request.method === 'HEAD' ? withoutBody(response) : response;
    }
  };
}

function compile(routes: readonly Route[]): CompiledPath[] {
  const byPattern = new Map<string, CompiledPath>();
  routes.forEach((route, index) => {
    if (!/^(\/(:[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+))+$|^\/$/.test(route.path)) {
      throw new InvalidArgumentError(
        `/routes/${index}/path`,
        `path ${route.path} is not a pattern`,
      );
    }
    let path = byPattern.get(route.path);
    if (!path) {
      path = {
        pattern: route.path,
        segments: route.path
          .split('/')
          .slice(1)
          .map((segment) => (segment.startsWith(':') ? { param: segment.slice(1) } : segment)),
        methods: new Map(),
        allow: '',
      };
      byPattern.set(route.path, path);
    }
    if (path.methods.has(route.method)) {
      throw new InvalidArgumentError(
        `/routes/${index}`,
        `${route.method} ${route.path} is given twice`,
      );
    }
    path.methods.set(route.method, route.handler);
  });
  return [...byPattern.values()].map((path) => {
    const methods = [...path.methods.keys()];
    if (path.methods.has('GET')) methods.splice(methods.indexOf('GET') + 1, 0, 'HEAD');
    return { ...path, allow: methods.join(', ') };
  });
}

function match(
  paths: readonly CompiledPath[],
  pathname: string,
): { path: CompiledPath; params: Record<string, string> } | undefined {
  const parts = pathname.split('/').slice(1);
  for (const path of paths) {
    if (path.segments.length !== parts.length || !pathname.startsWith('/')) continue;
    const params: Record<string, string> = {};
    const matched = path.segments.every((segment, index) => {
      const part = parts[index] ?? '';
      if (typeof segment === 'string') return segment === part;
      const decoded = decode(part);
      if (decoded === undefined || decoded === '') return false;
      params[segment.param] = decoded;
      return true;
    });
    if (matched) return { path, params };
  }
  return undefined;
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined; // malformed percent-encoding names nothing
  }
}

function withoutBody(response: Response): Response {
  void response.body?.cancel().catch(() => undefined);
  return new Response(null, { status: response.status, headers: response.headers });
}

function warnUnexpected(error: unknown): void {
  process.emitWarning(
    `an HTTP handler failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    { type: 'ClienteleHttpWarning', code: 'CLIENTELE_HTTP_HANDLER_FAILED' },
  );
}
