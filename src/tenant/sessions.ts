/**
 * `tenant.sessions`: login sessions in the store (collection `sessions`), so every
 * instance sharing the store sees the same sessions. The rules live in `src/sessions/`;
 * this file reads and writes records, sweeps expired ones, and reports every end of a
 * session (logout, expiry, revocation) to the audit trail and to the listeners that act
 * on it (OIDC Back-Channel Logout).
 */
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors.js';
import type { SessionLifetimes } from '../sessions/lifetimes.js';
import {
  isLiveSession,
  SESSIONS,
  sessionView,
  usedSession,
  type SessionEnd,
  type SessionRecord,
} from '../sessions/session.js';
import {
  newSessionToken,
  parseSessionToken,
  secretHash,
  secretMatches,
  sessionTokenValue,
} from '../sessions/session-token.js';
import type { TenantContext } from './context.js';

export type { SessionEnd } from '../sessions/session.js';

/** Who is behind a session operation, for the session's device data and the audit trail. */
export interface SessionCaller {
  /** IP address. */
  readonly ip?: string | undefined;
  /** User agent. */
  readonly userAgent?: string | undefined;
}

/** A login that starts (or renews) a session. */
export interface SessionLogin extends SessionCaller {
  /** The user. */
  readonly sub: string;
  /** The user's claims, kept for the tokens of later single sign-on. */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
  /** Authentication methods (RFC 8176 `amr` values, Auth0's `pwd`, `mfa`, ...). Default none. */
  readonly amr?: readonly string[] | undefined;
  /** The client the login was for. */
  readonly clientId?: string | undefined;
  /**
   * The session the browser had (its id), when it had one: renewed when it is the same
   * user's (same id, new secret), ended when it is another user's.
   */
  readonly previousId?: string | undefined;
}

/** A started session: what the session cookie carries, and until when. */
export interface StartedSession {
  /** The public session id (`sid`). */
  readonly id: string;
  /** The cookie value (`<id>.<secret>`); a secret: never log it. */
  readonly cookie: string;
  /** When the session ends at the latest (NumericDate). */
  readonly expiresAt: number;
  /** When the user authenticated: now, on the tenant clock (NumericDate). */
  readonly authTime: number;
}

/** A live session found for a cookie. */
export interface ActiveSession {
  /** The public session id (`sid`). */
  readonly id: string;
  /** The signed-in user. */
  readonly sub: string;
  /** The user's claims from the login. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** When the user authenticated (NumericDate). */
  readonly authTime: number;
  /** When the session ends at the latest (NumericDate). */
  readonly expiresAt: number;
  /** When it was found live, on the tenant clock (NumericDate): `max_age` counts to this. */
  readonly checkedAt: number;
}

/** A session that ended, as the listeners of `onEnd` see it. */
export interface EndedSession {
  /** The public session id. */
  readonly id: string;
  /** The user. */
  readonly sub: string;
  /** The clients that received tokens in it. */
  readonly clients: readonly string[];
  /** Why it ended (Auth0's back-channel logout initiator). */
  readonly reason: SessionEnd;
}

/** Seconds between two sweeps of expired sessions by one instance. */
const SWEEP_INTERVAL_SECONDS = 60;
const SWEEP_LIMIT = 1_000;
const MAX_RACE_RETRIES = 5;
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

/** Login sessions of a tenant. */
export class SessionService {
  readonly #context: TenantContext;
  readonly #lifetimes: SessionLifetimes;
  readonly #listeners: ((ended: EndedSession) => void)[] = [];
  #lastSweep = Number.NEGATIVE_INFINITY;

  /** @internal */
  constructor(context: TenantContext, lifetimes: SessionLifetimes) {
    this.#context = context;
    this.#lifetimes = lifetimes;
  }

  /** The idle and absolute lifetimes (seconds), from the tenant option `session`. */
  get lifetimes(): SessionLifetimes {
    return this.#lifetimes;
  }

  /**
   * Starts a session at a login, or renews the browser's session of the same user: the id
   * stays, the secret (so the cookie) is new, `auth_time` is now and the absolute lifetime
   * starts again. A previous session of another user ends (`idp-logout`).
   *
   * @throws {@link InvalidArgumentError} for a missing `sub`.
   */
  async start(login: SessionLogin): Promise<StartedSession> {
    if (typeof login.sub !== 'string' || login.sub === '' || login.sub.length > 255) {
      throw new InvalidArgumentError('/sub', '/sub must be the signed-in user id');
    }
    const now = this.#seconds();
    await this.#maybeSweep(now);
    const previous = login.previousId === undefined ? undefined : await this.#get(login.previousId);
    if (previous && previous.value.sub !== login.sub) {
      await this.end(previous.id, 'idp-logout');
    }
    const renewed =
      previous && previous.value.sub === login.sub && isLiveSession(previous.value, now);
    const token = newSessionToken(renewed ? previous.id : undefined);
    const expiresAt = now + this.#lifetimes.absoluteLifetime;
    const clients = renewed ? [...previous.value.clients] : [];
    if (login.clientId !== undefined && !clients.includes(login.clientId)) {
      clients.push(login.clientId);
    }
    const record: SessionRecord = {
      secret_hash: secretHash(this.#context.issuer, token.secret),
      sub: login.sub,
      claims: { ...login.claims },
      auth_time: now,
      amr: [...(login.amr ?? [])],
      created_at: renewed ? previous.value.created_at : now,
      updated_at: now,
      last_interacted_at: now,
      idle_expires_at: Math.min(now + this.#lifetimes.idleLifetime, expiresAt),
      expires_at: expiresAt,
      clients,
      initial_ip: renewed ? previous.value.initial_ip : (login.ip ?? null),
      initial_user_agent: renewed ? previous.value.initial_user_agent : (login.userAgent ?? null),
      last_ip: login.ip ?? null,
      last_user_agent: login.userAgent ?? null,
    };
    if (renewed) {
      await this.#context.store.replace(SESSIONS, token.id, record, previous.version);
    } else {
      await this.#context.store.insert(SESSIONS, token.id, record);
    }
    return { id: token.id, cookie: sessionTokenValue(token), expiresAt, authTime: now };
  }

  /**
   * The live session a cookie value names, or undefined (no such session, a secret that
   * does not match, a cookie of another tenant). A session found past its idle or absolute
   * lifetime ends there (`session-expired`).
   */
  async find(cookie: string | undefined): Promise<ActiveSession | undefined> {
    const token = parseSessionToken(cookie);
    if (!token) return undefined;
    const stored = await this.#get(token.id);
    if (!stored || !secretMatches(this.#context.issuer, token.secret, stored.value.secret_hash)) {
      return undefined;
    }
    const now = this.#seconds();
    if (!isLiveSession(stored.value, now)) {
      await this.end(token.id, 'session-expired');
      return undefined;
    }
    const { value } = stored;
    return {
      id: token.id,
      sub: value.sub,
      claims: value.claims,
      authTime: value.auth_time,
      expiresAt: value.expires_at,
      checkedAt: now,
    };
  }

  /**
   * Records a use of session `id` (single sign-on for `clientId`): a new idle period, and
   * the client added to the session's clients. Returns false when the session is gone.
   */
  async use(
    id: string,
    clientId: string | undefined,
    caller: SessionCaller = {},
  ): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
      const stored = await this.#get(id);
      const now = this.#seconds();
      if (!stored || !isLiveSession(stored.value, now)) return false;
      const next = usedSession(
        stored.value,
        now,
        this.#lifetimes,
        { ip: caller.ip ?? null, userAgent: caller.userAgent ?? null },
        clientId,
      );
      if (!next) return true;
      try {
        await this.#context.store.replace(SESSIONS, id, next, stored.version);
        return true;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return true;
  }

  /** A session in Auth0's Management API shape, or undefined. */
  async get(id: string): Promise<Record<string, unknown> | undefined> {
    const stored = await this.#get(id);
    return stored && isLiveSession(stored.value, this.#seconds())
      ? sessionView(stored.id, stored.value)
      : undefined;
  }

  /** The live sessions of a user, in Auth0's Management API shape, oldest first. */
  async listForUser(sub: string): Promise<Record<string, unknown>[]> {
    const now = this.#seconds();
    return (await this.#context.store.list<SessionRecord>(SESSIONS))
      .filter((record) => record.value.sub === sub && isLiveSession(record.value, now))
      .map((record) => sessionView(record.id, record.value));
  }

  /**
   * Ends session `id`: deleted from the store, reported to the audit trail's listeners and
   * to `onEnd` listeners (back-channel logout) with `reason`. Returns false when there was
   * no such session (ended already, or by another instance).
   */
  async end(id: string, reason: SessionEnd): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
      const stored = await this.#get(id);
      if (!stored) return false;
      try {
        await this.#context.store.delete(SESSIONS, id, stored.version);
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        if (error instanceof ConflictError) continue;
        throw error;
      }
      const ended: EndedSession = {
        id,
        sub: stored.value.sub,
        clients: stored.value.clients,
        reason,
      };
      for (const listener of this.#listeners) listener(ended);
      return true;
    }
    throw new ConflictError(`session ${id} kept changing while being ended`);
  }

  /** Ends every session of a user (`session-revoked` by default); returns how many. */
  async endForUser(sub: string, reason: SessionEnd = 'session-revoked'): Promise<number> {
    let ended = 0;
    for (const record of await this.#context.store.list<SessionRecord>(SESSIONS)) {
      if (record.value.sub === sub && (await this.end(record.id, reason))) ended += 1;
    }
    return ended;
  }

  /**
   * Calls `listener` for every session that ends through this instance. Returns a function
   * that removes it.
   */
  onEnd(listener: (ended: EndedSession) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index !== -1) this.#listeners.splice(index, 1);
    };
  }

  async #get(id: string) {
    if (typeof id !== 'string' || !SESSION_ID.test(id)) return undefined;
    return this.#context.store.get<SessionRecord>(SESSIONS, id);
  }

  /** Ends expired sessions (`session-expired`), at most once a minute. Never throws. */
  async #maybeSweep(now: number): Promise<void> {
    if (now - this.#lastSweep < SWEEP_INTERVAL_SECONDS) return;
    this.#lastSweep = now;
    try {
      let swept = 0;
      for (const record of await this.#context.store.list<SessionRecord>(SESSIONS)) {
        if (swept >= SWEEP_LIMIT) break;
        if (isLiveSession(record.value, now)) continue;
        if (await this.end(record.id, 'session-expired')) swept += 1;
      }
    } catch {
      this.#lastSweep = Number.NEGATIVE_INFINITY;
    }
  }

  #seconds(): number {
    return Math.floor(this.#context.now() / 1000);
  }
}
