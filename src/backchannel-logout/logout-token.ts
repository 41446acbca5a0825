/**
 * The Logout Token of OIDC Back-Channel Logout 1.0 §2.4: a JWT with `typ: logout+jwt`,
 * `iss`, `aud` (the client), `iat`, `exp`, `jti`, the back-channel logout event, `sub` and
 * `sid`, and never a `nonce` (so it cannot pass for an ID token).
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#LogoutToken
 */
import { randomBytes } from 'node:crypto';

/** The event member every logout token carries. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** The header `typ` (§2.4, as the 2023 final specification recommends). */
export const LOGOUT_TOKEN_TYP = 'logout+jwt';

/** Seconds a logout token is valid: long enough for retries, short enough not to matter. */
export const LOGOUT_TOKEN_LIFETIME = 120;

/** The claims of a logout token for `clientId` about session `sid` of `sub`. @internal */
export function logoutTokenClaims(input: {
  issuer: string;
  clientId: string;
  sub: string;
  sid: string;
  now: number;
}): Record<string, unknown> {
  return {
    iss: input.issuer,
    aud: input.clientId,
    iat: input.now,
    exp: input.now + LOGOUT_TOKEN_LIFETIME,
    jti: randomBytes(16).toString('base64url'),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    sub: input.sub,
    sid: input.sid,
  };
}
