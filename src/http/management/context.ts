/**
 * What every Management API resource module shares: the tenant, the token check, the body
 * limit, and the one helper that turns "method, path, work" into a route whose work runs
 * only for a caller holding the scopes the route's row of {@link ROUTE_SCOPES} names.
 */
import { InvalidArgumentError, NotFoundError } from '../../errors.js';
import type { Tenant } from '../../tenant.js';
import { readJsonObject } from '../body.js';
import { HttpError } from '../errors.js';
import type { HttpMethod, Route, RouteContext } from '../router.js';
import type { ManagementAuth, Caller } from './auth.js';
import { ROUTE_SCOPES, type RouteKey, type RouteScopes } from './route-scopes.js';
import type { StoredLog } from '../../audit/sinks/store.js';
import type { WriteOptions } from '../../tenant/context.js';
import { remoteAddressOf } from '../node-listener.js';
import { requestContextOf, type ClientIpReader } from '../request-context.js';

/** The collaborators of the Management API's routes. */
export interface ManagementContext {
  /** The tenant served. */
  readonly tenant: Tenant;
  /** Verifies tokens and scopes. */
  readonly auth: ManagementAuth;
  /** The audit events kept in the store, for `/logs`. */
  readonly logs: StoredLog;
  /** Largest JSON body accepted, in bytes. */
  readonly bodyLimit: number;
  /** The caller's IP address, for the audit trail. Default: the socket's peer address. */
  readonly clientIp?: ClientIpReader;
}

/** What a route's work gets. */
export interface Call extends RouteContext {
  /** The authorised caller. */
  readonly caller: Caller;
  /** The request. */
  readonly request: Request;
  /** The JSON object body, once read (by {@link jsonBody}, or here for a field check). */
  body?: Promise<Record<string, unknown>>;
  /**
   * The options for the tenant write the call makes: the request behind it, so that its
   * audit event says who called, from where, and which endpoint.
   */
  readonly write: WriteOptions;
}

/**
 * A route that runs `work` for a caller holding what the route's row of
 * {@link ROUTE_SCOPES} asks: one of its scopes, and the scope of every listed field the
 * JSON body carries (checked before `work` runs, so nothing is read or written for a
 * caller without them).
 *
 * @throws `InvalidArgumentError` when the table has no row for the route: a route cannot
 *   exist without its scopes.
 */
export function authorised(
  context: ManagementContext,
  method: HttpMethod,
  path: string,
  work: (call: Call) => Promise<Response>,
): Route {
  const key = `${method} ${path}` as RouteKey;
  const scopes: RouteScopes | undefined = Object.hasOwn(ROUTE_SCOPES, key)
    ? ROUTE_SCOPES[key]
    : undefined;
  if (!scopes) {
    throw new InvalidArgumentError('/routes', `${key} has no row in the scope table`);
  }
  return {
    method,
    path,
    handler: async (request, routeContext) => {
      const caller = await context.auth.authorise(request, scopes.anyOf);
      const write = {
        request: requestContextOf(request, context.clientIp ?? remoteAddressOf, {
          url: routeContext.url,
          clientId: caller.clientId,
        }),
      };
      const call: Call = { ...routeContext, caller, request, write };
      if (scopes.fields) {
        const body = await jsonBody(context, call);
        for (const [field, scope] of Object.entries(scopes.fields)) {
          if (Object.hasOwn(body, field)) context.auth.requireScope(caller, scope, field);
        }
      }
      return work(call);
    },
  };
}

/** The JSON object body of a call, within the context's limit (read once per call). */
export function jsonBody(context: ManagementContext, call: Call): Promise<Record<string, unknown>> {
  call.body ??= readJsonObject(call.request, { limit: context.bodyLimit });
  return call.body;
}

/**
 * Runs `work`, answering a {@link NotFoundError} as Auth0 does for the resource: `404`
 * with its `errorCode` (`inexistent_client`, ...) and the library's message.
 */
export async function orNotFound<T>(errorCode: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new HttpError({ status: 404, code: errorCode, message: error.message });
    }
    throw error;
  }
}

/** Throws a 404 with `errorCode` unless `value` is defined. */
export function found<T>(value: T | undefined, errorCode: string, message: string): T {
  if (value === undefined) throw new HttpError({ status: 404, code: errorCode, message });
  return value;
}
