/**
 * Signing out, in Auth0's form and in OpenID Connect's. Neither ever redirects to a URL
 * the client has not registered: a refused logout is a 400 page, never a redirect. A
 * logout ends the browser's login session (the cookie is cleared, the session deleted,
 * its clients told by back-channel logout as `rp-logout`) and is audited `slo` / `flo`.
 *
 * - `GET /v2/logout?client_id&returnTo`: `returnTo` checked with `allowsLogoutUrl`.
 * - `GET|POST /oidc/logout`: RP-Initiated Logout; the client is named by `client_id` or
 *   the audience of a valid `id_token_hint`, and `post_logout_redirect_uri` is checked
 *   like `returnTo` (Auth0 matches both against the Allowed Logout URLs the same way:
 *   scheme, host, port and normalised path, so `https://app.example.com` is
 *   `https://app.example.com/`; the query is the app's own).
 *
 * @see https://auth0.com/docs/api/authentication#logout
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
import { decodeJwt } from 'jose';
import type { Client } from '../../client/client.js';
import { isClienteleError } from '../../errors.js';
import { HttpError } from '../errors.js';
import { audit, excerpt, findClient, type ProviderContext } from './context.js';
import { requestParams, type Params } from './params.js';
import { redirect, textPage, withParameters } from './responses.js';
import { clearedSessionCookie, readSessionCookie } from '../../sessions/cookie.js';

/** `GET /v2/logout` */
export async function auth0Logout(context: ProviderContext, request: Request, url: URL) {
  const params = await parameters(context, request, url);
  if (params instanceof Response) return params;
  const returnTo = params['returnTo'];
  const clientId = params['client_id'];
  const client = await findClient(context.tenant, clientId);
  const refuse = (reason: string, about: Parameters<typeof audit>[4]) => {
    audit(context, request, 'flo', `Failed logout: ${reason}`, about);
    return textPage(400, `Bad request: ${reason}.`);
  };
  if (clientId !== undefined && !client)
    return refuse('client_id names no client of this tenant', { clientId });
  if (returnTo === undefined) return signedOut(context, request, client, undefined, undefined);
  if (!client) {
    return refuse('returnTo needs a client_id: this server has no tenant-wide logout URLs', {
      details: { returnTo: excerpt(returnTo) },
    });
  }
  if (!client.allowsLogoutUrl(returnTo)) {
    return refuse(`returnTo is not in the Allowed Logout URLs of ${client.name}`, {
      client,
      details: { returnTo: excerpt(returnTo) },
    });
  }
  return signedOut(context, request, client, returnTo, undefined);
}

/** `GET|POST /oidc/logout` */
export async function oidcLogout(context: ProviderContext, request: Request, url: URL) {
  const params = await parameters(context, request, url);
  if (params instanceof Response) return params;
  const refuse = (reason: string, about: Parameters<typeof audit>[4]) => {
    audit(context, request, 'flo', `Failed logout: ${reason}`, about);
    return textPage(400, `Bad request: ${reason}.`);
  };
  const hint = params['id_token_hint'];
  const target = params['post_logout_redirect_uri'];
  let clientId = params['client_id'];
  if (hint !== undefined) {
    const audience = audienceOf(hint);
    if (audience === undefined) return refuse('id_token_hint is not an ID token', { clientId });
    if (clientId !== undefined && clientId !== audience) {
      return refuse('client_id is not the audience of id_token_hint', { clientId });
    }
    clientId = audience;
  }
  const client = await findClient(context.tenant, clientId);
  if (clientId !== undefined && !client)
    return refuse('client_id names no client of this tenant', { clientId });
  let hinted: { sub?: unknown; sid?: unknown } | undefined;
  if (hint !== undefined && client) {
    try {
      // RP-Initiated Logout §2: an expired ID token is still a good hint.
      hinted = await context.tenant.verifyIdToken(hint, client.client_id, {
        acceptExpired: true,
      });
    } catch (error) {
      if (!isClienteleError(error)) throw error;
      return refuse(`id_token_hint is not valid: ${error.message}`, { client });
    }
  }
  if (target === undefined) return signedOut(context, request, client, undefined, hinted);
  if (!client) {
    return refuse('post_logout_redirect_uri needs client_id or id_token_hint', {
      details: { post_logout_redirect_uri: excerpt(target) },
    });
  }
  if (!client.allowsLogoutUrl(target)) {
    return refuse(`post_logout_redirect_uri is not registered for ${client.name}`, {
      client,
      details: { post_logout_redirect_uri: excerpt(target) },
    });
  }
  return signedOut(
    context,
    request,
    client,
    withParameters(target, { state: params['state'] }),
    hinted,
  );
}

async function parameters(
  context: ProviderContext,
  request: Request,
  url: URL,
): Promise<Params | Response> {
  try {
    return await requestParams(request, url, context.config.bodyLimit);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return textPage(error.status, `Bad request: ${error.message}.`);
  }
}

/** The single audience of an ID token, read before verifying it; undefined otherwise. */
function audienceOf(token: string): string | undefined {
  try {
    const { aud } = decodeJwt(token);
    if (typeof aud === 'string') return aud;
    return Array.isArray(aud) && aud.length === 1 ? aud[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Ends the browser's session (or, without its cookie, the session an `id_token_hint`
 * names, when it is that user's), clears the cookie, audits `slo` and answers.
 */
async function signedOut(
  context: ProviderContext,
  request: Request,
  client: Client | undefined,
  location: string | undefined,
  hinted: { sub?: unknown; sid?: unknown } | undefined,
): Promise<Response> {
  const { tenant } = context;
  const session = await tenant.sessions.find(
    readSessionCookie(tenant.issuer, request.headers.get('cookie')),
  );
  let ended: string | undefined;
  if (session) {
    if (await tenant.sessions.end(session.id, 'rp-logout')) ended = session.id;
  } else if (typeof hinted?.sid === 'string' && typeof hinted.sub === 'string') {
    const named = await tenant.sessions.get(hinted.sid);
    if (named?.['user_id'] === hinted.sub && (await tenant.sessions.end(hinted.sid, 'rp-logout'))) {
      ended = hinted.sid;
    }
  }
  // The user signed out: the browser's session's, or the one the ID token hint named.
  const user = session
    ? { sub: session.sub, claims: session.claims }
    : ended !== undefined && typeof hinted?.sub === 'string'
      ? { sub: hinted.sub }
      : undefined;
  audit(context, request, 'slo', 'User successfully logged out', {
    client,
    user,
    details: {
      return_to: excerpt(location),
      ...(ended === undefined ? {} : { session_id: ended }),
    },
  });
  const response =
    location === undefined ? textPage(200, 'You are signed out.') : redirect(location);
  response.headers.append('Set-Cookie', clearedSessionCookie(tenant.issuer));
  return response;
}
