// @ts-check
/* global URLSearchParams, fetch */
/**
 * Auth0's own Authentication API client (`AuthenticationClient` of the `auth0` package's
 * `auth0/legacy` entry point) against the example server, as a regular web app uses it:
 * the code it got from /authorize is exchanged, the refresh token works, is revoked with
 * `revokeRefreshToken` (a JSON body, as the SDK sends it) and then fails.
 *
 *   node auth0-authentication-sdk.mjs <domain> <client_id> <client_secret> <redirect_uri>
 *
 * Prints one JSON object with what each call returned.
 */
import { AuthenticationClient } from 'auth0/legacy';

const [domain = '', clientId = '', clientSecret = '', redirectUri = ''] = process.argv.slice(2);
const auth = new AuthenticationClient({ domain, clientId, clientSecret });

// The browser's part: the example's demo login signs Alice in at once.
const authorize = new URL(`https://${domain}/authorize`);
authorize.search = new URLSearchParams({
  response_type: 'code',
  client_id: clientId,
  redirect_uri: redirectUri,
  scope: 'openid profile offline_access',
  state: 'sdk-state',
}).toString();
const login = await fetch(authorize, { redirect: 'manual' });
const callback = new URL(login.headers.get('location') ?? '');
const code = callback.searchParams.get('code') ?? '';

const exchanged = await auth.oauth.authorizationCodeGrant({ code, redirect_uri: redirectUri });
const refreshToken = exchanged.data.refresh_token ?? '';
const refreshed = await auth.oauth.refreshTokenGrant({ refresh_token: refreshToken });
const revoked = await auth.oauth.revokeRefreshToken({ token: refreshToken });
/** @type {unknown} */
let afterRevoke;
try {
  await auth.oauth.refreshTokenGrant({ refresh_token: refreshToken });
  afterRevoke = 'refreshed';
} catch (error) {
  const failure = /** @type {{ statusCode?: number, error?: string }} */ (error);
  afterRevoke = { status: failure.statusCode, error: failure.error };
}

console.log(
  JSON.stringify({
    state: callback.searchParams.get('state'),
    exchanged: {
      token_type: exchanged.data.token_type,
      scope: /** @type {{ scope?: string }} */ (/** @type {unknown} */ (exchanged.data)).scope,
      id_token: typeof exchanged.data.id_token,
      refresh_token: typeof exchanged.data.refresh_token,
    },
    refreshed: { access_token: typeof refreshed.data.access_token },
    revoked: revoked.status,
    afterRevoke,
  }),
);
