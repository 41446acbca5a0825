/**
 * How long a login session lasts: Auth0's tenant session settings. A session ends when it
 * has not been used for `idleLifetime` seconds ("Inactivity timeout") or `absoluteLifetime`
 * seconds after the login ("Require log in after"), whichever comes first.
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
}

/** Session lifetimes in seconds, checked. */
export interface SessionLifetimes {
  /** Seconds without use after which a session ends. */
  readonly idleLifetime: number;
  /** Seconds after the login after which a session ends. */
  readonly absoluteLifetime: number;
}

/** Auth0's tenant defaults: 72 hours idle, 168 hours absolute. */
export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = Object.freeze({
  idleLifetime: 3 * 24 * 3600,
  absoluteLifetime: 7 * 24 * 3600,
});

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
    if (name !== 'idleLifetime' && name !== 'absoluteLifetime') {
      throw new InvalidArgumentError(
        `/session/${name}`,
        `session.${name} is not an option (idleLifetime, absoluteLifetime)`,
      );
    }
  }
  const seconds = (name: keyof SessionLifetimes): number => {
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
  const lifetimes = {
    idleLifetime: seconds('idleLifetime'),
    absoluteLifetime: seconds('absoluteLifetime'),
  };
  if (lifetimes.idleLifetime > lifetimes.absoluteLifetime) {
    throw new InvalidArgumentError(
      '/session/idleLifetime',
      'session.idleLifetime must not be longer than session.absoluteLifetime',
    );
  }
  return Object.freeze(lifetimes);
}
