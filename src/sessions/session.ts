/**
 * A login session as the store keeps it (collection `sessions`, keyed by the public
 * session id), and the pure rules on it: when it is live, how use extends it, and how the
 * Management API shows it (Auth0's session object). Times are NumericDates (seconds).
 *
 * @see https://auth0.com/docs/api/management/v2/sessions/get-session
 */
import type { SessionLifetimes } from './lifetimes.js';

/** Collection name. @internal */
export const SESSIONS = 'sessions';

/** One login session. @internal */
export interface SessionRecord {
  /** SHA-256 of the issuer and the cookie secret (see session-token.ts). */
  readonly secret_hash: string;
  /** The signed-in user. */
  readonly sub: string;
  /** The user's claims as the login gave them, for the tokens of single sign-on. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** When the user last authenticated (the ID token's `auth_time`). */
  readonly auth_time: number;
  /** How (`amr`, RFC 8176 values such as `pwd`, `mfa`), as the login said. */
  readonly amr: readonly string[];
  readonly created_at: number;
  readonly updated_at: number;
  readonly last_interacted_at: number;
  /** Ends when not used before this. */
  readonly idle_expires_at: number;
  /** Ends at this time regardless of use. */
  readonly expires_at: number;
  /** Clients that received tokens or codes in this session, in order, once each. */
  readonly clients: readonly string[];
  readonly initial_ip: string | null;
  readonly initial_user_agent: string | null;
  readonly last_ip: string | null;
  readonly last_user_agent: string | null;
}

/** Why a session ended: Auth0's back-channel logout initiators that apply to sessions. */
export type SessionEnd = 'rp-logout' | 'idp-logout' | 'session-expired' | 'session-revoked';

/** Every {@link SessionEnd}. @internal */
export const SESSION_ENDS: readonly SessionEnd[] = [
  'rp-logout',
  'idp-logout',
  'session-expired',
  'session-revoked',
];

/**
 * The record of a login at `now`: a new session, or `renewed` (the browser's live session
 * of the same user) with a new secret, `auth_time` now and the absolute lifetime started
 * again; the login's client joins the session's clients.
 *
 * @internal
 */
export function loginRecord(
  login: {
    readonly sub: string;
    readonly secretHash: string;
    readonly claims?: Readonly<Record<string, unknown>> | undefined;
    readonly amr?: readonly string[] | undefined;
    readonly clientId?: string | undefined;
    readonly ip?: string | undefined;
    readonly userAgent?: string | undefined;
  },
  now: number,
  lifetimes: SessionLifetimes,
  renewed: SessionRecord | undefined,
): SessionRecord {
  const expiresAt = now + lifetimes.absoluteLifetime;
  const clients = renewed ? [...renewed.clients] : [];
  if (login.clientId !== undefined && !clients.includes(login.clientId)) {
    clients.push(login.clientId);
  }
  return {
    secret_hash: login.secretHash,
    sub: login.sub,
    claims: { ...login.claims },
    auth_time: now,
    amr: [...(login.amr ?? [])],
    created_at: renewed ? renewed.created_at : now,
    updated_at: now,
    last_interacted_at: now,
    idle_expires_at: Math.min(now + lifetimes.idleLifetime, expiresAt),
    expires_at: expiresAt,
    clients,
    initial_ip: renewed ? renewed.initial_ip : (login.ip ?? null),
    initial_user_agent: renewed ? renewed.initial_user_agent : (login.userAgent ?? null),
    last_ip: login.ip ?? null,
    last_user_agent: login.userAgent ?? null,
  };
}

/** True when `record` may still be used at `now`. @internal */
export function isLiveSession(record: SessionRecord, now: number): boolean {
  return now < record.idle_expires_at && now < record.expires_at;
}

/**
 * `record` used at `now`: a new idle period (never past the absolute end). Uses within a
 * minute of the last recorded one change nothing, so a burst of silent authentications
 * writes the session once.
 *
 * @internal
 */
export function usedSession(
  record: SessionRecord,
  now: number,
  lifetimes: SessionLifetimes,
  caller: { ip: string | null; userAgent: string | null },
  clientId: string | undefined,
): SessionRecord | undefined {
  const newClient = clientId !== undefined && !record.clients.includes(clientId);
  if (!newClient && now - record.last_interacted_at < 60) return undefined;
  return {
    ...record,
    updated_at: now,
    last_interacted_at: now,
    idle_expires_at: Math.min(now + lifetimes.idleLifetime, record.expires_at),
    clients: newClient ? [...record.clients, clientId] : record.clients,
    last_ip: caller.ip ?? record.last_ip,
    last_user_agent: caller.userAgent ?? record.last_user_agent,
  };
}

/** Auth0's Management API shape of a session. @internal */
export function sessionView(id: string, record: SessionRecord): Record<string, unknown> {
  const date = (seconds: number) => new Date(seconds * 1000).toISOString();
  return {
    id,
    user_id: record.sub,
    created_at: date(record.created_at),
    updated_at: date(record.updated_at),
    authenticated_at: date(record.auth_time),
    last_interacted_at: date(record.last_interacted_at),
    idle_expires_at: date(record.idle_expires_at),
    expires_at: date(record.expires_at),
    device: {
      initial_user_agent: record.initial_user_agent ?? undefined,
      initial_ip: record.initial_ip,
      last_user_agent: record.last_user_agent ?? undefined,
      last_ip: record.last_ip,
    },
    clients: record.clients.map((client_id) => ({ client_id })),
    authentication: {
      methods: record.amr.map((name) => ({ name, timestamp: date(record.auth_time) })),
    },
    cookie: { mode: 'persistent' },
  };
}
