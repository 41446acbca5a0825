// @ts-check
/** Looking up the client a request names, and recording what happened to it. */
import { isClienteleError } from 'clientele';
import { caller } from './http.js';

/** Client ids worth writing to the audit trail as they were sent (not arbitrary input). */
const PLAUSIBLE_CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The client `clientId` names, or undefined when there is none: a malformed id names no
 * client, just like an unknown one.
 *
 * @param {import('clientele').Tenant} tenant
 * @param {string | undefined} clientId
 * @returns {Promise<import('clientele').Client | undefined>}
 */
export async function findClient(tenant, clientId) {
  if (clientId === undefined || clientId === '') return undefined;
  try {
    return await tenant.clients.find(clientId);
  } catch (error) {
    if (isClienteleError(error) && error.code === 'invalid_argument') return undefined;
    throw error;
  }
}

/**
 * Records an audit event about a request: Auth0 log codes `s`/`f` for sign-ins,
 * `slo`/`flo` for sign-outs, `feacft` for a refused code exchange.
 *
 * @param {import('./router.js').Exchange} exchange
 * @param {import('clientele').AuditEventType} type
 * @param {string} description - what happened; never a secret
 * @param {{ client?: import('clientele').Client | undefined, clientId?: string | undefined, details?: Record<string, unknown> }} [about]
 */
export function audit(exchange, type, description, about = {}) {
  const { ip, userAgent } = caller(exchange.request);
  const named = about.clientId;
  exchange.context.tenant.audit.record({
    type,
    description,
    client_id:
      about.client?.client_id ??
      (named !== undefined && PLAUSIBLE_CLIENT_ID.test(named) ? named : undefined),
    client_name: about.client?.name,
    ip,
    user_agent: userAgent,
    details: about.details,
  });
}

/**
 * A request value shortened for the audit trail.
 *
 * @param {string | undefined} value
 */
export function excerpt(value) {
  return value === undefined || value.length <= 200 ? value : `${value.slice(0, 200)}…`;
}
