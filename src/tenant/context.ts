/**
 * What every part of a tenant shares: its store, its audit trail, its issuer and its
 * clock. Passed to the registries so none of them reaches for globals.
 */
import type { AuditTrail } from '../audit/trail.js';
import type { AuditEventType } from '../audit/event.js';
import type { RequestContext } from '../audit/request-context.js';
import { ClienteleError, ValidationError } from '../errors.js';
import type { Store } from '../storage/store.js';

/** The tenant's shared collaborators. */
export interface TenantContext {
  /** Where clients, connections, APIs, grants, keys and registrations live. */
  readonly store: Store;
  /** Where every change and authentication outcome is recorded. */
  readonly audit: AuditTrail;
  /** The tenant domain (`acme.eu.auth0.com`). */
  readonly domain: string;
  /** The issuer, `iss` of every token (`https://{domain}/` by default). */
  readonly issuer: string;
  /** Milliseconds since the epoch; replaceable in tests. */
  readonly now: () => number;
  /** Whether client writes refuse lint errors (`Tenant.create({ lintErrors })`). */
  readonly lintErrors: 'refuse' | 'accept';
}

/** What a management operation reports to the audit trail. */
export interface ManagementAudit {
  /** Short operation name (`create_client`, `update_connection`, ...). */
  readonly operation: string;
  /** Sentence for the event's `description`. */
  readonly description: string;
  /** The client concerned, when there is one. */
  readonly clientId?: string | undefined;
  /** Its name, when known. */
  readonly clientName?: string | undefined;
  /** Extra structured detail (ids, changed field names). Never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The HTTP request behind the operation, when it came through one. */
  readonly request?: RequestContext | undefined;
}

/**
 * Options every audited tenant write accepts (`tenant.clients.update(id, patch, { request })`):
 * the HTTP request behind it, so its audit event carries the caller's IP address, user
 * agent, method and path.
 */
export interface WriteOptions {
  /** The request behind the write (built by the HTTP layer, or by the embedding server). */
  readonly request?: RequestContext | undefined;
}

/**
 * Runs a management write and records `sapi` when it succeeds or `fapi` (with the error
 * code) when it fails, then returns or rethrows. `onSuccess` adds what is only known after
 * the write (the new client's id and name). Audit recording never changes the outcome.
 */
export async function audited<T>(
  context: TenantContext,
  audit: ManagementAudit,
  write: () => Promise<T>,
  onSuccess?: (result: T) => Partial<ManagementAudit>,
): Promise<T> {
  try {
    const result = await write();
    record(context, 'sapi', { ...audit, ...onSuccess?.(result) }, {});
    return result;
  } catch (error) {
    record(context, 'fapi', audit, {
      error: error instanceof ClienteleError ? error.code : 'internal_error',
      // Why, in the library's words (a validation failure says it through `issues`, whose
      // messages may quote submitted values: they stay out).
      ...(error instanceof ClienteleError && !(error instanceof ValidationError)
        ? { reason: error.message }
        : {}),
      ...(error instanceof ValidationError ? { kind: error.kind } : {}),
      ...(error instanceof ClienteleError && 'issues' in error
        ? {
            issues: (error as { issues: readonly { path: string; code: string }[] }).issues.map(
              ({ path, code }) => ({ path, code }),
            ),
          }
        : {}),
    });
    throw error;
  }
}

function record(
  context: TenantContext,
  type: AuditEventType,
  audit: ManagementAudit,
  extra: Record<string, unknown>,
): void {
  context.audit.record({
    type,
    description: type === 'fapi' ? `Failed: ${audit.description}` : audit.description,
    client_id: audit.clientId,
    client_name: audit.clientName,
    request: audit.request,
    details: { operation: audit.operation, ...audit.details, ...extra },
  });
}
