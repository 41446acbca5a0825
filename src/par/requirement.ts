/**
 * Whether an authorization request must have been pushed first (RFC 9126 §5): Auth0's
 * tenant-wide switch, the client's `require_pushed_authorization_requests`, or its
 * `compliance_level`, which requires PAR whatever the client setting says.
 *
 * @see https://auth0.com/docs/get-started/applications/configure-par
 * @see https://auth0.com/docs/get-started/applications/configure-fapi-compliance
 */
import { complianceRules, PAR_REQUIRED_BY_COMPLIANCE } from '../client/compliance-levels.js';
import { MAX_REQUEST_URI_LIFETIME, MIN_REQUEST_URI_LIFETIME } from './options.js';

/** Why a plain `/authorize` request is refused, with Auth0's words; undefined when allowed. */
export function pushRequirement(
  client: { require_pushed_authorization_requests?: unknown; compliance_level?: unknown },
  tenantRequires: boolean,
): string | undefined {
  if (complianceRules(client.compliance_level)?.par) return PAR_REQUIRED_BY_COMPLIANCE;
  if (client.require_pushed_authorization_requests === true) {
    return 'Pushed Authorization Requests are required for this client (require_pushed_authorization_requests)';
  }
  if (tenantRequires) return 'Pushed Authorization Requests are required by this tenant';
  return undefined;
}

/**
 * Seconds a client's `request_uri` lives: its `par_request_expiry` when set (5 to 600),
 * otherwise the tenant's default.
 */
export function requestUriLifetime(
  client: { par_request_expiry?: unknown },
  tenantDefault: number,
): number {
  const own = client.par_request_expiry;
  return typeof own === 'number' &&
    Number.isInteger(own) &&
    own >= MIN_REQUEST_URI_LIFETIME &&
    own <= MAX_REQUEST_URI_LIFETIME
    ? own
    : tenantDefault;
}
