/**
 * Checks of the arguments the claim builders receive from the tenant: times (NumericDates,
 * whole seconds since the epoch, RFC 7519 §2), lifetimes and required strings.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/**
 * Longest token lifetime accepted: 30 days, Auth0's limit for both
 * `jwt_configuration.lifetime_in_seconds` and an API's `token_lifetime`.
 *
 * @internal
 */
export const MAX_LIFETIME_SECONDS = 2_592_000;

/**
 * `now` as a NumericDate: the given value, or the current time when it is `undefined`.
 *
 * @throws {@link InvalidArgumentError} at `pointer` unless it is a non-negative integer.
 * @internal
 */
export function numericDate(now: number | undefined, pointer: string): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new InvalidArgumentError(pointer, `${pointer} must be whole seconds since the epoch`);
  }
  return now;
}

/**
 * Checks a token lifetime in seconds.
 *
 * @throws {@link InvalidArgumentError} at `pointer` unless it is an integer in 1..2592000.
 * @internal
 */
export function checkLifetime(seconds: number, pointer: string): number {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_LIFETIME_SECONDS) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} must be an integer number of seconds from 1 to ${MAX_LIFETIME_SECONDS}`,
    );
  }
  return seconds;
}

/**
 * Checks a string argument is non-empty (and at most `max` characters when given).
 *
 * @throws {@link InvalidArgumentError} at `pointer` otherwise.
 * @internal
 */
export function checkString(value: unknown, pointer: string, max?: number): string {
  if (typeof value !== 'string' || value === '' || (max !== undefined && value.length > max)) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} must be a non-empty string${max === undefined ? '' : ` of at most ${max} characters`}`,
    );
  }
  return value;
}
