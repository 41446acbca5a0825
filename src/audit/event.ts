/**
 * Audit events and Auth0's log type codes.
 *
 * @see https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes
 * @module
 */

/**
 * Auth0 log event type codes the library emits, with Auth0's own description of each.
 * One table: code that emits an event names its type from here.
 */
export const AUDIT_EVENT_TYPES = {
  /**
   * A management operation succeeded: create, update, delete, secret rotation, a grant or
   * connection change, a registration.
   */
  sapi: 'Success API Operation',
  /** A management operation failed (validation, conflict, not found, access denied). */
  fapi: 'Failed API Operation',
  /** A client-credentials grant issued an access token. */
  seccft: 'Success Exchange (Client Credentials for Access Token)',
  /** A client-credentials grant was refused (client authentication, grant or audience). */
  feccft: 'Failed Exchange (Client Credentials for Access Token)',
  /** An authorization code was exchanged for tokens. */
  seacft: 'Success Exchange (Authorization Code for Access Token)',
  /** An authorization-code exchange was refused. */
  feacft: 'Failed Exchange (Authorization Code for Access Token)',
  /** A refresh token was exchanged for an access token. */
  sertft: 'Success Exchange (Refresh Token for Access Token)',
  /** A refresh-token exchange was refused. */
  fertft: 'Failed Exchange (Refresh Token for Access Token)',
  /**
   * A rotated refresh token was used again after its leeway: reuse detection revoked the
   * whole family of refresh tokens (Auth0's "Failed Exchange of Rotating Refresh Token").
   */
  ferrt: 'Failed Exchange (Rotating Refresh Token reuse detected)',
  /** A refresh token (and the grant it belongs to) was revoked. */
  srrt: 'Successful Refresh Token Revocation',
  /** A user signed in through a client. */
  s: 'Success Login',
  /** A sign-in failed (for example a `redirect_uri` not in the allow-list). */
  f: 'Failed Login',
  /** A user signed out through a client. */
  slo: 'Success Logout',
  /** A sign-out failed (for example a `returnTo` not in the allow-list). */
  flo: 'Failed Logout',
  /** A silent authentication (`prompt=none`) was answered from the login session. */
  ssa: 'Success Silent Auth',
  /** A silent authentication (`prompt=none`) needed the user (`login_required`, ...). */
  fsa: 'Failed Silent Auth',
  /** An OIDC Back-Channel Logout token was delivered to a client. */
  oidc_backchannel_logout_succeeded: 'Successful OIDC Back-Channel Logout',
  /** An OIDC Back-Channel Logout token could not be delivered after every retry. */
  oidc_backchannel_logout_failed: 'Failed OIDC Back-Channel Logout',
  /** A cross-origin authentication succeeded. */
  scoa: 'Success cross-origin authentication',
  /** A cross-origin authentication failed (for example an origin not allowed). */
  fcoa: 'Failed cross-origin authentication',
} as const;

/** An Auth0 log type code (`sapi`, `feccft`, ...). */
export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;

/**
 * One entry of the audit trail, an Auth0 log event: the fields Auth0's log streams and
 * `/api/v2/logs` carry, each present when the library knows it. Never holds a secret or a
 * token.
 *
 * @see https://auth0.com/docs/deploy-monitor/logs/log-event-data
 */
export interface AuditEvent {
  /**
   * Unique id of the event in Auth0's format: 56 decimal digits, `900` and the time to the
   * millisecond first, so ids sort by time (and, from one trail, in recording order).
   */
  readonly log_id: string;
  /** ISO 8601 timestamp with milliseconds (`2024-05-01T12:34:56.789Z`). */
  readonly date: string;
  /** Auth0 log type code. */
  readonly type: AuditEventType;
  /** What happened, in words. Never contains a secret. */
  readonly description: string;
  /** The client concerned, when there is one. */
  readonly client_id?: string;
  /** That client's name, when known. */
  readonly client_name?: string;
  /** Caller IP address, when the embedding server passes it. */
  readonly ip?: string;
  /** Caller user agent, when the embedding server passes it. */
  readonly user_agent?: string;
  /** Whether that user agent is a phone's or a tablet's (only when `user_agent` is known). */
  readonly isMobile?: boolean;
  /** The tenant's domain (Auth0: the hostname the request was served on). */
  readonly hostname?: string;
  /** The user concerned (`auth0|42`), when there is one. */
  readonly user_id?: string;
  /** That user's name or email, when known. */
  readonly user_name?: string;
  /** The connection concerned, by name. */
  readonly connection?: string;
  /** That connection's id (`con_...`). */
  readonly connection_id?: string;
  /** That connection's strategy (`auth0`, `google-oauth2`, `samlp`, ...). */
  readonly strategy?: string;
  /** That strategy's kind (`database`, `social`, `enterprise`, `passwordless`). */
  readonly strategy_type?: string;
  /** The API a token was asked for (its identifier). */
  readonly audience?: string;
  /** The scopes asked for or granted, space-separated. */
  readonly scope?: string;
  /**
   * Structured detail (operation, changed fields, error code and reason, and `request`:
   * the HTTP method and path behind the event). Never holds a secret.
   */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Where audit events are delivered. `write` receives batches in order; a rejected
 * promise makes the trail retry the same batch with backoff.
 */
export interface AuditSink {
  /** Delivers one batch. Resolve when stored; reject to have it retried. */
  write(batch: readonly AuditEvent[]): Promise<void>;
  /**
   * Only events whose type matches one of these minimatch globs (`['f*', 'sapi']`)
   * reach this sink. All events when absent.
   */
  readonly types?: readonly string[];
  /**
   * What the trail does when this sink has `maxPending` events waiting (an outage, or a
   * sink slower than the events come):
   * - `'dead-letter'` (default): further events go to `onDeadLetter` at once, with a
   *   `ClienteleError` of code `audit_overflow`, and are counted in the trail's
   *   `backlog`: memory stays bounded and a sink outage never slows the server.
   * - `'wait'`: every event is kept; the trail reports itself `full` and the HTTP
   *   handlers hold new requests until there is room (backpressure). For sinks that the
   *   server itself answers from and that must not lose what it acknowledged, such as the
   *   store-backed log behind `/logs`.
   */
  readonly overflow?: 'dead-letter' | 'wait';
  /** Called by `flush()` after pending batches are written (the NDJSON sink fsyncs here). */
  flush?(): Promise<void>;
  /** Releases resources; called by `tenant.close()` after the final flush. */
  close?(): Promise<void>;
}
