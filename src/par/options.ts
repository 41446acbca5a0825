/**
 * The tenant's Pushed Authorization Request settings (`Tenant.create({
 * pushedAuthorizationRequests })`): Auth0's tenant-wide "Require PAR" switch and how long a
 * `request_uri` lives.
 *
 * @see https://auth0.com/docs/get-started/applications/configure-par
 */
import { InvalidArgumentError } from '../errors.js';

/** Tenant option `pushedAuthorizationRequests`. */
export interface PushedAuthorizationRequestOptions {
  /**
   * Refuse `/authorize` requests that were not pushed first, for every client (each
   * client can also require it with `require_pushed_authorization_requests`). Default false.
   */
  required?: boolean;
  /**
   * Seconds a `request_uri` stays usable, for clients without `par_request_expiry`: 5 to
   * 600, default 60.
   */
  lifetimeSeconds?: number;
}

/** Checked PAR settings. */
export interface PushedAuthorizationRequestConfig {
  readonly required: boolean;
  readonly lifetimeSeconds: number;
}

/** Shortest lifetime of a `request_uri` in seconds (a client's `par_request_expiry` too). */
export const MIN_REQUEST_URI_LIFETIME = 5;
/** Longest lifetime of a `request_uri` in seconds (a client's `par_request_expiry` too). */
export const MAX_REQUEST_URI_LIFETIME = 600;

/** Defaults: PAR optional, 60 s `request_uri`s (RFC 9126 §2.2's example). */
export const DEFAULT_PAR_CONFIG: PushedAuthorizationRequestConfig = Object.freeze({
  required: false,
  lifetimeSeconds: 60,
});

/**
 * Checks the `pushedAuthorizationRequests` option.
 *
 * @throws {@link InvalidArgumentError} naming the member that is wrong.
 */
export function readParOptions(value: unknown): PushedAuthorizationRequestConfig {
  if (value === undefined) return DEFAULT_PAR_CONFIG;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(
      '/pushedAuthorizationRequests',
      'pushedAuthorizationRequests must be an object',
    );
  }
  const given = value as PushedAuthorizationRequestOptions;
  if (given.required !== undefined && typeof given.required !== 'boolean') {
    throw new InvalidArgumentError(
      '/pushedAuthorizationRequests/required',
      'pushedAuthorizationRequests.required must be a boolean',
    );
  }
  const lifetime = given.lifetimeSeconds ?? DEFAULT_PAR_CONFIG.lifetimeSeconds;
  if (
    !Number.isInteger(lifetime) ||
    lifetime < MIN_REQUEST_URI_LIFETIME ||
    lifetime > MAX_REQUEST_URI_LIFETIME
  ) {
    throw new InvalidArgumentError(
      '/pushedAuthorizationRequests/lifetimeSeconds',
      `pushedAuthorizationRequests.lifetimeSeconds must be a whole number of seconds from ${MIN_REQUEST_URI_LIFETIME} to ${MAX_REQUEST_URI_LIFETIME}`,
    );
  }
  return Object.freeze({ required: given.required ?? false, lifetimeSeconds: lifetime });
}
