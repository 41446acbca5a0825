/**
 * The per-user index of login sessions (collection `user_sessions`, one record per user,
 * keyed by `sub`): which sessions a user has, so the Management API lists and ends them
 * with one read per session of that user instead of reading every session of the tenant.
 * The index is written in the same store commit as the session it names, so the two never
 * disagree. Each entry keeps the session's absolute end, so a login drops the entries of
 * sessions that are over without reading them (the sweep deletes those records later).
 *
 * @see https://auth0.com/docs/api/management/v2/users/get-sessions-for-user
 */

/** Collection name. @internal */
export const USER_SESSIONS = 'user_sessions';

/** One session of the user. @internal */
export interface UserSessionEntry {
  /** The public session id. */
  readonly id: string;
  /** The session's absolute end (NumericDate): past it the entry is dropped. */
  readonly expires_at: number;
}

/** The index record of one user. @internal */
export interface UserSessionsRecord {
  /** The user's sessions, oldest first. */
  readonly sessions: readonly UserSessionEntry[];
}

/**
 * `index` with `entry` (in place of an entry of the same id, else last), without the
 * entries of sessions over at `now`.
 *
 * @internal
 */
export function withSession(
  index: UserSessionsRecord | undefined,
  entry: UserSessionEntry,
  now: number,
): UserSessionsRecord {
  const sessions: UserSessionEntry[] = [];
  let placed = false;
  for (const kept of index?.sessions ?? []) {
    if (kept.id === entry.id) {
      sessions.push(entry);
      placed = true;
    } else if (kept.expires_at > now) {
      sessions.push(kept);
    }
  }
  if (!placed) sessions.push(entry);
  return { sessions };
}

/**
 * `index` without session `id`: the same object when it was not listed, `undefined` when
 * no session is left (the record is deleted).
 *
 * @internal
 */
export function withoutSession(
  index: UserSessionsRecord,
  id: string,
): UserSessionsRecord | undefined {
  const sessions = index.sessions.filter((entry) => entry.id !== id);
  if (sessions.length === index.sessions.length) return index;
  return sessions.length === 0 ? undefined : { sessions };
}

/** The ids of the sessions listed in `index` that are not over at `now`. @internal */
export function listedSessions(index: UserSessionsRecord | undefined, now: number): string[] {
  return (index?.sessions ?? []).filter((entry) => entry.expires_at > now).map((entry) => entry.id);
}

/**
 * The sessions a login must end so that `index` (the user's index with the new session)
 * lists at most `max`: the oldest first, never `keep` (the session just started).
 *
 * @internal
 */
export function sessionsOverLimit(index: UserSessionsRecord, max: number, keep: string): string[] {
  const excess = index.sessions.length - max;
  if (excess <= 0) return [];
  return index.sessions
    .filter((entry) => entry.id !== keep)
    .slice(0, excess)
    .map((entry) => entry.id);
}
