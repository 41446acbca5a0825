/**
 * What every provider endpoint shares: the tenant, the options, and a few helpers for
 * the caller's identity and the audit trail.
 */
import type { Client } from '../../client/client.js';
import type { AuditEventType } from '../../audit/event.js';
import { isClienteleError } from '../../errors.js';
import type { Tenant } from '../../tenant.js';
import type { ProviderConfig } from './options.js';
import type { RequestContext } from '../../audit/request-context.js';
import { requestContextOf } from '../request-context.js';

/** The tenant and the provider's settings. */
export interface ProviderContext {
  readonly tenant: Tenant;
  readonly config: ProviderConfig;
}

/** Client ids worth writing to the audit trail as they were sent. */
const PLAUSIBLE_CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The client `clientId` names; undefined for a missing, malformed or unknown id. */
export async function findClient(tenant: Tenant, clientId: string | undefined) {
  if (clientId === undefined || clientId === '') return undefined;
  try {
    return await tenant.clients.find(clientId);
  } catch (error) {
    if (isClienteleError(error) && error.code === 'invalid_argument') return undefined;
    throw error;
  }
}

/** The caller as the audit trail records it: address, user agent, method and path. */
export function callerOf(request: Request, config: ProviderConfig): RequestContext {
  return requestContextOf(request, config.clientIp);
}

/** Records an event about a request (`s`/`f`, `slo`/`flo`, ...). Never a secret. */
export function audit(
  context: ProviderContext,
  request: Request,
  type: AuditEventType,
  description: string,
  about: {
    client?: Client | undefined;
    clientId?: string | undefined;
    /** The signed-in user: the event's `user_id`, and `user_name` from their claims. */
    user?: { sub: string; claims?: Readonly<Record<string, unknown>> | undefined } | undefined;
    details?: Record<string, unknown>;
  } = {},
): void {
  const named = about.clientId;
  context.tenant.audit.record({
    type,
    description,
    client_id:
      about.client?.client_id ??
      (named !== undefined && PLAUSIBLE_CLIENT_ID.test(named) ? named : undefined),
    client_name: about.client?.name,
    user_id: about.user?.sub,
    user_name: userNameOf(about.user?.claims),
    request: callerOf(request, context.config),
    details: about.details ?? {},
  });
}

/**
 * The user's name as Auth0's log events carry it (`user_name`): their email, else their
 * name, when the claims hold one.
 */
export function userNameOf(
  claims: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const name = claims?.['email'] ?? claims?.['name'] ?? claims?.['nickname'];
  return typeof name === 'string' ? excerpt(name) : undefined;
}

/** A request value shortened for the audit trail. */
export function excerpt(value: string | undefined): string | undefined {
  return value === undefined || value.length <= 200 ? value : `${value.slice(0, 200)}...`;
}
