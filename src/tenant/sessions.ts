/**
 * `tenant.sessions`: login sessions in the store (collection `sessions`), so every
 * instance sharing the store sees the same sessions, and a per-user index of them
 * (collection `user_sessions`, written in the same commit as the session). The rules live
 * in `src/sessions/`; this file reads and writes records, sweeps expired ones, and reports
 * every end of a session (logout, expiry, revocation) to the audit trail and to the
 * listeners that act on it (OIDC Back-Channel Logout).
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { StoredRecord, WriteOperation } from '../storage/store.js';
import type { SessionLifetimes } from '../sessions/lifetimes.js';
import {
  isLiveSession,
  loginRecord,
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
import {
  listedSessions,
  USER_SESSIONS,
  sessionsOverLimit,
  withoutSession,
  withSession,
  type UserSessionsRecord,
} from '../sessions/user-sessions.js';
import type { TenantContext } from './context.js';
import {
  checkLogin,
  checkOptionalText,
  checkReason,
  type SessionCaller,
  type SessionLogin,
} from './session-input.js';

export type { SessionEnd } from '../sessions/session.js';
export type { SessionCaller, SessionLogin } from './session-input.js';

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
/**
 * Attempts of a write that races others on the same records: logins of one user write the
 * same index record, so racing logins retry after a short random wait that spreads them.
 */
const MAX_RACE_RETRIES = 8;
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
   * @throws {@link InvalidArgumentError} for a missing `sub`, claims an authorization code
   *   would refuse (`issueCode`'s rules), an `amr` that is not a list of names, or another
   *   member of the wrong type; nothing is stored then.
   */
  async start(login: SessionLogin): Promise<StartedSession> {
    login = checkLogin(login);
    const now = this.#seconds();
    await this.#maybeSweep(now);
    let previous = login.previousId === undefined ? undefined : await this.#get(login.previousId);
    if (previous && previous.value.sub !== login.sub) {
      await this.end(previous.id, 'idp-logout');
      previous = undefined;
    }
    for (let attempt = 1; ; attempt++) {
      const renewed = previous && isLiveSession(previous.value, now) ? previous : undefined;
      const token = newSessionToken(renewed?.id);
      const record = loginRecord(
        { ...login, secretHash: secretHash(this.#context.issuer, token.secret) },
        now,
        this.#lifetimes,
        renewed?.value,
      );
      const index = await this.#index(login.sub);
      const next = withSession(index?.value, { id: token.id, expires_at: record.expires_at }, now);
      try {
        await this.#context.store.commit([
          renewed
            ? {
                op: 'replace',
                collection: SESSIONS,
                id: token.id,
                value: record,
                expectedVersion: renewed.version,
              }
            : { op: 'insert', collection: SESSIONS, id: token.id, value: record },
          ...indexWrite(login.sub, index, next),
        ]);
        // Past maxPerUser the user's oldest sessions end, as a logout elsewhere would. The
        // login has succeeded by now: an end that fails is tried again at the next login,
        // which finds the user still over the limit.
        for (const over of sessionsOverLimit(next, this.#lifetimes.maxPerUser, token.id)) {
          await this.end(over, 'session-revoked').catch(() => false);
        }
        return {
          id: token.id,
          cookie: sessionTokenValue(token),
          expiresAt: record.expires_at,
          authTime: now,
        };
      } catch (error) {
        // Another login of the user changed the index, or the renewed session was used or
        // ended meanwhile: look again.
        const raced = error instanceof ConflictError || error instanceof NotFoundError;
        if (!raced || attempt >= MAX_RACE_RETRIES) throw error;
        await raceBackoff(attempt);
        if (previous) previous = await this.#get(previous.id);
      }
    }
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
   *
   * @throws {@link InvalidArgumentError} for a `clientId` that is not a client id.
   */
  async use(
    id: string,
    clientId: string | undefined,
    caller: SessionCaller = {},
  ): Promise<boolean> {
    checkOptionalText(clientId, '/clientId', 256);
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
        // Ended meanwhile: gone. Used meanwhile: look again.
        if (error instanceof NotFoundError) return false;
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

  /**
   * The live sessions of a user, in Auth0's Management API shape, oldest first: one read
   * of the user's index and one per session listed there.
   */
  async listForUser(sub: string): Promise<Record<string, unknown>[]> {
    const now = this.#seconds();
    const ids = listedSessions((await this.#index(sub))?.value, now);
    const views: Record<string, unknown>[] = [];
    for (const record of await Promise.all(ids.map((id) => this.#get(id)))) {
      if (record?.value.sub === sub && isLiveSession(record.value, now)) {
        views.push(sessionView(record.id, record.value));
      }
    }
    return views;
  }

  /**
   * Ends session `id`: deleted from the store (and from its user's index, in the same
   * commit), reported to the audit trail's listeners and to `onEnd` listeners (back-channel
   * logout) with `reason`. Returns false when there was no such session (ended already, or
   * by another instance).
   *
   * @throws {@link InvalidArgumentError} for a `reason` that is not a {@link SessionEnd}.
   */
  async end(id: string, reason: SessionEnd): Promise<boolean> {
    checkReason(reason);
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
      const stored = await this.#get(id);
      if (!stored) return false;
      const index = await this.#index(stored.value.sub);
      const next = index && withoutSession(index.value, id);
      try {
        await this.#context.store.commit([
          { op: 'delete', collection: SESSIONS, id, expectedVersion: stored.version },
          ...(index && next === index.value ? [] : indexWrite(stored.value.sub, index, next)),
        ]);
      } catch (error) {
        // Ended, used or another session of the user changed meanwhile: look again.
        if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
        await raceBackoff(attempt + 1);
        continue;
      }
      const ended: EndedSession = {
        id,
        sub: stored.value.sub,
        clients: stored.value.clients,
        reason,
      };
      // A copy: a listener may remove itself. A listener's failure is its own business:
      // the session is ended by now, and the others must still be told.
      for (const listener of [...this.#listeners]) {
        try {
          listener(ended);
        } catch {
          // Ignored, as the store's change listeners are (storage/change-hub.ts).
        }
      }
      return true;
    }
    throw new ConflictError(`session ${id} kept changing while being ended`);
  }

  /**
   * Ends every session of a user (`session-revoked` by default); returns how many. Reads
   * the user's index, never the whole collection.
   */
  async endForUser(sub: string, reason: SessionEnd = 'session-revoked'): Promise<number> {
    checkReason(reason);
    let ended = 0;
    for (const id of listedSessions((await this.#index(sub))?.value, this.#seconds())) {
      if (await this.end(id, reason)) ended += 1;
    }
    return ended;
  }

  /**
   * Calls `listener` for every session that ends through this instance. Returns a function
   * that removes it. A listener that throws is ignored: the session has ended by then.
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

  async #index(sub: string) {
    if (typeof sub !== 'string' || sub === '' || sub.length > 255) return undefined;
    return this.#context.store.get<UserSessionsRecord>(USER_SESSIONS, sub);
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

/** Waits up to 2^attempt ms (at random) before attempt `attempt + 1` of a raced write. */
function raceBackoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
}

/** The write that turns the index record `stored` of `sub` into `next` (none, insert, replace, delete). */
function indexWrite(
  sub: string,
  stored: StoredRecord<UserSessionsRecord> | undefined,
  next: UserSessionsRecord | undefined,
): WriteOperation[] {
  if (next === undefined) {
    return stored
      ? [{ op: 'delete', collection: USER_SESSIONS, id: sub, expectedVersion: stored.version }]
      : [];
  }
  return stored
    ? [
        {
          op: 'replace',
          collection: USER_SESSIONS,
          id: sub,
          value: next,
          expectedVersion: stored.version,
        },
      ]
    : [{ op: 'insert', collection: USER_SESSIONS, id: sub, value: next }];
}
