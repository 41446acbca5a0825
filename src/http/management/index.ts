/**
 * `createManagementApi`: Auth0's Management API v2 at `/api/v2/` over a {@link Tenant}.
 *
 * @module
 */
import type { JWTPayload } from 'jose';
import { StoredLog, type StoreAuditSinkOptions } from '../../audit/sinks/store.js';
import { InvalidArgumentError } from '../../errors.js';
import type { Tenant } from '../../tenant.js';
import { waitForAuditRoom } from '../audit-room.js';
import { DEFAULT_BODY_LIMIT } from '../body.js';
import type { Handler } from '../handler.js';
import { managementErrorResponse } from '../error-response.js';
import { remoteAddressOf } from '../node-listener.js';
import { createRouter } from '../router.js';
import { ManagementAuth } from './auth.js';
import type { ManagementContext } from './context.js';
import { managementRoutes } from './routes.js';
import { ensureManagementApi } from './scopes.js';

/** Options of {@link createManagementApi}. */
export interface ManagementApiOptions {
  /** Path the API is served under. Default `/api/v2` (Auth0's). */
  prefix?: string;
  /** Largest JSON body accepted, in bytes. Default 64 KiB. */
  bodyLimit?: number;
  /**
   * Bounds of the audit events kept in the store for `/logs` (default 10,000 events, 30
   * days). Ignored when the tenant already delivers to a `storeAuditSink`.
   */
  logs?: Omit<StoreAuditSinkOptions, 'types'>;
  /**
   * Decides whether a user's access token for the Management API's audience (from the
   * authorization code or refresh grant) may call the API, such as an admin signed in to
   * the admin console. Default: none may; only client-credentials tokens are accepted.
   */
  acceptUserToken?: (claims: JWTPayload) => boolean | Promise<boolean>;
  /**
   * The caller's IP address for the audit trail. Default: the socket's peer address under
   * `toNodeListener` (`remoteAddressOf`); behind a proxy, read the proxy's header instead.
   */
  clientIp?: (request: Request) => string | undefined;
  /** Clock in milliseconds for token expiry, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Called with anything a route threw that is not a library error (answered `500`).
   * Default: a process warning with code `CLIENTELE_HTTP_HANDLER_FAILED`.
   */
  onUnexpectedError?: (error: unknown, request: Request) => void;
}

/**
 * Auth0's Management API v2 for `tenant`: `clients` (with `rotate-secret` and
 * `credentials`), `resource-servers`, `client-grants`, `connections` (with
 * `/connections/{id}/clients`), `logs`, and the read-only endpoints the Deploy CLI calls,
 * with Auth0's paths, query parameters, bodies, status codes and error shape
 * `{ statusCode, error, message, errorCode }`. Callers present a Bearer token the tenant
 * issued by client credentials for `{issuer}api/v2/`, with Auth0's scopes. The Management
 * API (an API of the tenant) is created on first use, and audit events are kept in the
 * store for `/logs` from then on. docs/management-api.md lists what is implemented.
 *
 * @throws `InvalidArgumentError` for a bad option.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createManagementApi, toNodeListener } from 'clientele/http';
 * createServer(toNodeListener(createManagementApi(tenant))).listen(3000, '127.0.0.1');
 * ```
 */
export function createManagementApi(tenant: Tenant, options: ManagementApiOptions = {}): Handler {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 1) {
    throw new InvalidArgumentError('/options/bodyLimit', 'bodyLimit must be a positive integer');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new InvalidArgumentError('/options/now', 'now must be a function returning milliseconds');
  }
  if (options.clientIp !== undefined && typeof options.clientIp !== 'function') {
    throw new InvalidArgumentError('/options/clientIp', '/options/clientIp must be a function');
  }
  const context: ManagementContext = {
    tenant,
    auth: new ManagementAuth(tenant, options.now ?? Date.now, options.acceptUserToken),
    logs: storedLogOf(tenant, options.logs ?? {}),
    bodyLimit,
    clientIp: options.clientIp ?? remoteAddressOf,
  };
  const router = createRouter(managementRoutes(context), {
    prefix: options.prefix ?? '/api/v2',
    ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
  });
  let ready: Promise<unknown> | undefined;
  return async (request) => {
    ready ??= ensureManagementApi(tenant).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    try {
      await ready;
      // Backpressure: while the store-backed log is maxPending events behind, new requests
      // wait here for it to catch up instead of adding to its queue.
      if (tenant.audit.full) await waitForAuditRoom(tenant.audit);
    } catch (error) {
      // Answered like a route's error (a store outage is a 503 with Retry-After).
      const response = managementErrorResponse(error);
      if (response.status === 500) (options.onUnexpectedError ?? warnFailure)(error, request);
      return response;
    }
    return router(request);
  };
}

function warnFailure(error: unknown): void {
  process.emitWarning(
    `the Management API could not be prepared: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    { type: 'ClienteleHttpWarning', code: 'CLIENTELE_HTTP_HANDLER_FAILED' },
  );
}

/**
 * The tenant's store-backed log: its `storeAuditSink` when it has one, otherwise a
 * {@link StoredLog} added to the tenant's trail as a sink (its own bounded queue,
 * batches, retries and dead letters), once per tenant: a second Management API on the
 * same tenant finds it among the sinks instead of writing every event again.
 */
function storedLogOf(tenant: Tenant, options: StoreAuditSinkOptions): StoredLog {
  const sink = tenant.audit.sinks.find((candidate) => candidate instanceof StoredLog);
  if (sink) return sink;
  const log = new StoredLog(tenant.store, options);
  tenant.audit.addSink(log);
  return log;
}
