/**
 * A client's Auth0 `refresh_token` settings read into the rules refresh tokens follow:
 * rotation and its leeway, absolute and idle lifetimes.
 *
 * @see https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation
 * @see https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration
 * @module
 */
import type { RefreshTokenSettings } from '../client/settings.js';

/** Auth0's default absolute lifetime of an expiring refresh token: 30 days. */
export const DEFAULT_REFRESH_TOKEN_LIFETIME = 2_592_000;
/** Auth0's default idle lifetime of an expiring refresh token: 15 days. */
export const DEFAULT_REFRESH_IDLE_LIFETIME = 1_296_000;

/** How refresh tokens of one client behave. */
export interface RefreshPolicy {
  /** A new refresh token on every use (`rotation_type: rotating`). */
  readonly rotating: boolean;
  /** Seconds a rotated token still works after its successor was issued. */
  readonly leewaySeconds: number;
  /** Seconds from the first issue after which the whole family expires; none when infinite. */
  readonly absoluteSeconds: number | undefined;
  /** Seconds without use after which a token expires; none when infinite. */
  readonly idleSeconds: number | undefined;
}

/**
 * The policy for a client's `refresh_token` settings (absent settings: Auth0's defaults,
 * non-rotating and non-expiring).
 *
 * - `expiration_type: non-expiring` (the default): no absolute and no idle lifetime.
 * - `expiring`: `token_lifetime` (default 30 days) unless `infinite_token_lifetime`, and
 *   `idle_token_lifetime` (default 15 days) unless `infinite_idle_token_lifetime`.
 * - `leeway` applies to rotating tokens only (default 0).
 *
 * @internal
 */
export function refreshPolicyOf(settings: RefreshTokenSettings | null | undefined): RefreshPolicy {
  const rotating = settings?.rotation_type === 'rotating';
  const expiring = settings?.expiration_type === 'expiring';
  const positive = (value: unknown, fallback: number): number =>
    typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
  return {
    rotating,
    leewaySeconds: rotating ? Math.max(0, positive(settings?.leeway, 0)) : 0,
    absoluteSeconds:
      expiring && settings?.infinite_token_lifetime !== true
        ? positive(settings?.token_lifetime, DEFAULT_REFRESH_TOKEN_LIFETIME)
        : undefined,
    idleSeconds:
      expiring && settings?.infinite_idle_token_lifetime !== true
        ? positive(settings?.idle_token_lifetime, DEFAULT_REFRESH_IDLE_LIFETIME)
        : undefined,
  };
}
