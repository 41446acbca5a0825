/**
 * The three kinds of allow-list a client has.
 * - `callback`: `redirect_uri` values (Auth0 "Allowed Callback URLs", `callbacks`);
 * - `logout`: `returnTo` / `post_logout_redirect_uri` values (`allowed_logout_urls`);
 * - `origin`: CORS `Origin` header values (`allowed_origins`, `web_origins`).
 */
export type AllowListKind = 'callback' | 'logout' | 'origin';

/** Every {@link AllowListKind}, for validation and iteration. */
export const ALLOW_LIST_KINDS: readonly AllowListKind[] = ['callback', 'logout', 'origin'];

/** True when `value` is an {@link AllowListKind}. */
export function isAllowListKind(value: unknown): value is AllowListKind {
  return value === 'callback' || value === 'logout' || value === 'origin';
}
