// @ts-check
/**
 * Signing out, in Auth0's form and in OpenID Connect's. Neither ever redirects to a URL
 * the client has not registered: a refused logout gets a 400 page, never a redirect.
 *
 * - `GET /v2/logout?client_id&returnTo`: `returnTo` is checked with the client's
 *   `allowsLogoutUrl` (Auth0's rule: scheme, host, port and path must match an Allowed
 *   Logout URL; query and fragment are ignored).
 * - `GET|POST /oidc/logout`: RP-Initiated Logout. The client is named by `client_id` or
 *   by the audience of a valid `id_token_hint`, and `post_logout_redirect_uri` must be
 *   one of its registered logout URLs exactly, query included.
 *
 * The demo user never holds a session here, so signing out is the decision and its audit
 * event (`slo` / `flo`).
 *
 * @see https://auth0.com/docs/api/authentication#logout
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
import { decodeJwt } from 'jose';
import { isClienteleError } from 'clientele';
import { audit, excerpt, findClient } from './clients.js';
import { OAuthError, readForm, redirect, sendText, singleValued, withParameters } from './http.js';

const SIGNED_OUT = 'You are signed out.';

/** @type {import('./router.js').Endpoint} */
export async function auth0Logout(exchange) {
  const params = await parameters(exchange);
  if (!params) return;
  const returnTo = params['returnTo'];
  const clientId = params['client_id'];
  const client = await findClient(exchange.context.tenant, clientId);
  if (clientId !== undefined && !client) {
    refuse(exchange, 'client_id names no client of this tenant', { clientId });
    return;
  }
  if (returnTo === undefined) {
    signedOut(exchange, client, undefined);
    return;
  }
  if (!client) {
    refuse(exchange, 'returnTo needs a client_id: this server has no tenant-wide logout URLs', {
      details: { returnTo: excerpt(returnTo) },
    });
    return;
  }
  if (!client.allowsLogoutUrl(returnTo)) {
    refuse(exchange, `returnTo is not in the Allowed Logout URLs of ${client.name}`, {
      client,
      details: { returnTo: excerpt(returnTo) },
    });
    return;
  }
  signedOut(exchange, client, returnTo);
}

/** @type {import('./router.js').Endpoint} */
export async function oidcLogout(exchange) {
  const params = await parameters(exchange);
  if (!params) return;
  const { tenant } = exchange.context;
  const hint = params['id_token_hint'];
  const target = params['post_logout_redirect_uri'];
  let clientId = params['client_id'];
  if (hint !== undefined) {
    const audience = audienceOf(hint);
    if (audience === undefined) {
      refuse(exchange, 'id_token_hint is not an ID token', { clientId });
      return;
    }
    if (clientId !== undefined && clientId !== audience) {
      refuse(exchange, 'client_id is not the audience of id_token_hint', { clientId });
      return;
    }
    clientId = audience;
  }
  const client = await findClient(tenant, clientId);
  if (clientId !== undefined && !client) {
    refuse(exchange, 'client_id names no client of this tenant', { clientId });
    return;
  }
  if (hint !== undefined && client) {
    try {
      await tenant.verifyIdToken(hint, client.client_id);
    } catch (error) {
      if (!isClienteleError(error)) throw error;
      refuse(exchange, `id_token_hint is not valid: ${error.message}`, { client });
      return;
    }
  }
  if (target === undefined) {
    signedOut(exchange, client, undefined);
    return;
  }
  if (!client) {
    refuse(exchange, 'post_logout_redirect_uri needs client_id or id_token_hint', {
      details: { post_logout_redirect_uri: excerpt(target) },
    });
    return;
  }
  const registered =
    (client.allowed_logout_urls ?? []).includes(target) && client.allowsLogoutUrl(target);
  if (!registered) {
    refuse(exchange, `post_logout_redirect_uri is not registered for ${client.name}`, {
      client,
      details: { post_logout_redirect_uri: excerpt(target) },
    });
    return;
  }
  signedOut(exchange, client, withParameters(target, { state: params['state'] }));
}

/**
 * The request's parameters (query, or form body for POST); undefined after answering a
 * malformed request with a 400 page.
 *
 * @param {import('./router.js').Exchange} exchange
 * @returns {Promise<Record<string, string> | undefined>}
 */
async function parameters(exchange) {
  const { request, response, url } = exchange;
  try {
    return request.method === 'POST' ? await readForm(request) : singleValued(url.searchParams);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    sendText(response, error.status, `Bad request: ${error.message}.`);
    return undefined;
  }
}

/**
 * The client an ID token was issued to, read before verifying it (verification needs to
 * know the client); undefined when it is not a JWT with a single audience.
 *
 * @param {string} token
 * @returns {string | undefined}
 */
function audienceOf(token) {
  try {
    const { aud } = decodeJwt(token);
    if (typeof aud === 'string') return aud;
    return Array.isArray(aud) && aud.length === 1 ? aud[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records the sign-out and sends the browser on: to `location` when there is one.
 *
 * @param {import('./router.js').Exchange} exchange
 * @param {import('clientele').Client | undefined} client
 * @param {string | undefined} location
 */
function signedOut(exchange, client, location) {
  audit(exchange, 'slo', 'User successfully logged out', {
    client,
    details: { return_to: excerpt(location) },
  });
  if (location === undefined) sendText(exchange.response, 200, SIGNED_OUT);
  else redirect(exchange.response, location);
}

/**
 * Refuses a logout with a 400 page, never a redirect, and records why.
 *
 * @param {import('./router.js').Exchange} exchange
 * @param {string} reason
 * @param {{ client?: import('clientele').Client, clientId?: string | undefined, details?: Record<string, unknown> }} about
 */
function refuse(exchange, reason, about) {
  audit(exchange, 'flo', `Failed logout: ${reason}`, about);
  sendText(exchange.response, 400, `Bad request: ${reason}.`);
}
