/**
 * Signing out, in Auth0's form and in OpenID Connect's. Neither ever redirects to a URL
 * the client has not registered: a refused logout is a 400 page, never a redirect. The
 * provider holds no session of its own, so signing out is the decision and its audit
 * event (`slo` / `flo`); an app with sessions ends them in `options.logout`.
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
  if (returnTo === undefined) return signedOut(context, request, client, undefined);
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
  return signedOut(context, request, client, returnTo);
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
  if (hint !== undefined && client) {
    try {
      await context.tenant.verifyIdToken(hint, client.client_id);
    } catch (error) {
      if (!isClienteleError(error)) throw error;
      return refuse(`id_token_hint is not valid: ${error.message}`, { client });
    }
  }
  if (target === undefined) return signedOut(context, request, client, undefined);
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
  return signedOut(context, request, client, withParameters(target, { state: params['state'] }));
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

function signedOut(
  context: ProviderContext,
  request: Request,
  client: Client | undefined,
  location: string | undefined,
): Response {
  audit(context, request, 'slo', 'User successfully logged out', {
    client,
    details: { return_to: excerpt(location) },
  });
  return location === undefined ? textPage(200, 'You are signed out.') : redirect(location);
}
