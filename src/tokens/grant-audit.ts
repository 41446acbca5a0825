/**
 * Which Auth0 log event type records a token exchange, by the request's `grant_type`.
 *
 * @see https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes
 * @module
 */

/**
 * Auth0's success and failure log codes for each grant type the token endpoint serves.
 * Client authentication happens inside the exchange, so its outcome is logged under the
 * exchange's code (a failed client authentication on a client-credentials request is an
 * `feccft`).
 */
export const GRANT_AUDIT_TYPES = {
  client_credentials: { success: 'seccft', failure: 'feccft' },
  authorization_code: { success: 'seacft', failure: 'feacft' },
  refresh_token: { success: 'sertft', failure: 'fertft' },
} as const;

/** A grant type with an audit code pair. */
export type AuditedGrantType = keyof typeof GRANT_AUDIT_TYPES;

/** One of the log codes in {@link GRANT_AUDIT_TYPES}. */
export type GrantAuditType = (typeof GRANT_AUDIT_TYPES)[AuditedGrantType]['success' | 'failure'];

/**
 * The log event type for a token exchange with `grantType` and `outcome`, or `undefined`
 * when the grant type has none (missing, unknown or unsupported).
 *
 * @example
 * ```ts
 * grantAuditType('client_credentials', 'failure'); // 'feccft'
 * grantAuditType('password', 'success');           // undefined
 * ```
 * @internal
 */
export function grantAuditType(
  grantType: string | undefined,
  outcome: 'success' | 'failure',
): GrantAuditType | undefined {
  return typeof grantType === 'string' && Object.hasOwn(GRANT_AUDIT_TYPES, grantType)
    ? GRANT_AUDIT_TYPES[grantType as AuditedGrantType][outcome]
    : undefined;
}
