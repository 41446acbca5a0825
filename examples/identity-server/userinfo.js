// @ts-check
/**
 * `GET|POST /userinfo`: the signed-in user's claims for a bearer access token from the
 * authorization code flow, limited to the scopes that token was granted.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import { findClient } from './clients.js';
import { allowClientOrigin } from './cors.js';
import { claimsFor } from './demo-user.js';
import { bearerChallenge, bearerToken, OAuthError, sendJson } from './http.js';

/** @type {import('./router.js').Endpoint} */
export async function userinfo(exchange) {
  const { request, response, context } = exchange;
  const token = bearerToken(request);
  if (token === undefined) {
    // RFC 6750 §3.1: a request without credentials gets a bare challenge.
    throw new OAuthError(401, 'invalid_request', 'a Bearer access token is required', {
      'WWW-Authenticate': bearerChallenge(context.issuer),
    });
  }
  const grant = context.accessTokens.find(token);
  const client = grant && (await findClient(context.tenant, grant.clientId));
  if (!grant || !client) {
    const description = 'the access token is invalid, expired or revoked';
    throw new OAuthError(401, 'invalid_token', description, {
      'WWW-Authenticate': bearerChallenge(context.issuer, { error: 'invalid_token', description }),
    });
  }
  allowClientOrigin(exchange, client);
  if (!grant.scopes.includes('openid')) {
    throw new OAuthError(403, 'insufficient_scope', 'the access token was not granted openid', {
      'WWW-Authenticate': `${bearerChallenge(context.issuer, {
        error: 'insufficient_scope',
        description: 'the access token was not granted openid',
      })}, scope="openid"`,
    });
  }
  sendJson(response, 200, claimsFor(grant.scopes));
}
