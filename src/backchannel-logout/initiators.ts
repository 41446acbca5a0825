/**
 * Which clients get a logout token when a session ends: those with Auth0's
 * `oidc_logout.backchannel_logout_urls` (or its older name `oidc_backchannel_logout`),
 * for the events their `backchannel_logout_initiators` select. Without initiators a
 * client is told of logouts (`rp-logout`, `idp-logout`); `mode: 'all'` selects every
 * event; `mode: 'custom'` the `selected_initiators`, and `rp-logout` always (Auth0 keeps
 * it registered).
 *
 * @see https://auth0.com/docs/authenticate/login/logout/back-channel-logout/oidc-back-channel-logout-initiators
 */
import type { SessionEnd } from '../sessions/session.js';

/** The client settings that decide it (Auth0 field names). */
export interface BackchannelClient {
  readonly oidc_logout?: Readonly<Record<string, unknown>> | undefined;
  readonly oidc_backchannel_logout?: Readonly<Record<string, unknown>> | undefined;
}

const WITHOUT_INITIATORS: readonly SessionEnd[] = ['rp-logout', 'idp-logout'];

/** The back-channel logout URL of `client` for a session ended by `reason`, or undefined. */
export function backchannelTarget(
  client: BackchannelClient,
  reason: SessionEnd,
): string | undefined {
  const settings = client.oidc_logout ?? client.oidc_backchannel_logout;
  const urls = settings?.['backchannel_logout_urls'];
  // Auth0 allows one URL.
  const url = Array.isArray(urls) && typeof urls[0] === 'string' ? urls[0] : undefined;
  if (url === undefined || !isHttpUrl(url)) return undefined;
  const initiators = settings?.['backchannel_logout_initiators'] as
    { mode?: unknown; selected_initiators?: unknown } | undefined;
  if (initiators === undefined || initiators === null) {
    return WITHOUT_INITIATORS.includes(reason) ? url : undefined;
  }
  if (initiators.mode === 'all') return url;
  const selected = Array.isArray(initiators.selected_initiators)
    ? initiators.selected_initiators
    : [];
  return reason === 'rp-logout' || selected.includes(reason) ? url : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '';
  } catch {
    return false;
  }
}
