/**
 * What every Management API resource module shares: the tenant, the token check, the body
 * limit, and one helper that turns "method, path, scope, work" into a route whose work
 * runs only for an authorised caller.
 */
import { NotFoundError } from '../../errors.js';
import type { Tenant } from '../../tenant.js';
import { readJsonObject } from '../body.js';
import { HttpError } from '../errors.js';
import type { HttpMethod, Route, RouteContext } from '../router.js';
import type { ManagementAuth, Caller } from './auth.js';
import type { ManagementScope } from './scopes.js';
import type { StoredLog } from '../../audit/sinks/store.js';

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
}

/** What a route's work gets. */
export interface Call extends RouteContext {
  /** The authorised caller. */
  readonly caller: Caller;
  /** The request. */
  readonly request: Request;
}

/** A route that runs `work` for a caller holding `scope`. */
export function authorised(
  context: ManagementContext,
  method: HttpMethod,
  path: string,
  scope: ManagementScope,
  work: (call: Call) => Promise<Response>,
): Route {
  return {
    method,
    path,
    handler: async (request, routeContext) => {
      const caller = await context.auth.authorise(request, scope);
      return work({ ...routeContext, caller, request });
    },
  };
}

/** The JSON object body of a call, within the context's limit. */
export function jsonBody(context: ManagementContext, call: Call): Promise<Record<string, unknown>> {
  return readJsonObject(call.request, { limit: context.bodyLimit });
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
