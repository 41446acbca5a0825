/**
 * How long a login session lasts: Auth0's tenant session settings. A session ends when it
 * has not been used for `idleLifetime` seconds ("Inactivity timeout") or `absoluteLifetime`
 * seconds after the login ("Require log in after"), whichever comes first; and how many
 * live sessions one user may hold (`maxPerUser`: a new login ends the oldest past it).
 *
 * @see https://auth0.com/docs/manage-users/sessions/configure-session-lifetime-settings
 */
import { InvalidArgumentError } from '../errors.js';

/** Tenant option `session` (seconds). */
export interface SessionOptions {
  /** Seconds without use after which a session ends. Default 259,200 (3 days, Auth0's). */
  idleLifetime?: number;
  /** Seconds after the login after which a session ends. Default 604,800 (7 days, Auth0's). */
  absoluteLifetime?: number;
  /**
   * Most live sessions of one user (1..1000, default 100): a login past it ends the user's
   * oldest sessions (`session-revoked`, with back-channel logout), so no account builds up
   * sessions without bound. Auth0 documents no such number; Amazon Cognito's is 20 by
   * default, at most 100.
   */
  maxPerUser?: number;
}

/** Session lifetimes in seconds, checked. */
export interface SessionLifetimes {
  /** Seconds without use after which a session ends. */
  readonly idleLifetime: number;
  /** Seconds after the login after which a session ends. */
  readonly absoluteLifetime: number;
  /** Most live sessions of one user. */
  readonly maxPerUser: number;
}

/** Auth0's tenant defaults: 72 hours idle, 168 hours absolute; 100 sessions per user. */
export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = Object.freeze({
  idleLifetime: 3 * 24 * 3600,
  absoluteLifetime: 7 * 24 * 3600,
  maxPerUser: 100,
});

/** Most sessions per user that `maxPerUser` may allow. */
const MAX_PER_USER = 1_000;

/** Auth0's upper bound for both settings: 365 days. */
const MAX_LIFETIME = 365 * 24 * 3600;

/** Checks the tenant option `session`. @internal */
export function readSessionOptions(value: unknown): SessionLifetimes {
  if (value === undefined) return DEFAULT_SESSION_LIFETIMES;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(
      '/session',
      'session must be an object such as { idleLifetime: 259200, absoluteLifetime: 604800 }',
    );
  }
  const given = value as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (name !== 'idleLifetime' && name !== 'absoluteLifetime' && name !== 'maxPerUser') {
      throw new InvalidArgumentError(
        `/session/${name}`,
        `session.${name} is not an option (idleLifetime, absoluteLifetime, maxPerUser)`,
      );
    }
  }
  const seconds = (name: 'idleLifetime' | 'absoluteLifetime'): number => {
    const found = given[name];
    if (found === undefined) return DEFAULT_SESSION_LIFETIMES[name];
    if (
      typeof found !== 'number' ||
      !Number.isInteger(found) ||
      found < 60 ||
      found > MAX_LIFETIME
    ) {
      throw new InvalidArgumentError(
        `/session/${name}`,
        `session.${name} must be a whole number of seconds from 60 to ${MAX_LIFETIME} (365 days)`,
      );
    }
    return found;
  };
  const maxPerUser = given['maxPerUser'] ?? DEFAULT_SESSION_LIFETIMES.maxPerUser;
  if (
    typeof maxPerUser !== 'number' ||
    !Number.isInteger(maxPerUser) ||
    maxPerUser < 1 ||
    maxPerUser > MAX_PER_USER
  ) {
    throw new InvalidArgumentError(
      '/session/maxPerUser',
      `session.maxPerUser must be a whole number from 1 to ${MAX_PER_USER}`,
    );
  }
  const lifetimes = {
    idleLifetime: seconds('idleLifetime'),
    absoluteLifetime: seconds('absoluteLifetime'),
    maxPerUser,
  };
  if (lifetimes.idleLifetime > lifetimes.absoluteLifetime) {
    throw new InvalidArgumentError(
      '/session/idleLifetime',
      'session.idleLifetime must not be longer than session.absoluteLifetime',
    );
  }
  return Object.freeze(lifetimes);
}
