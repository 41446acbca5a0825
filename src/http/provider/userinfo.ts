/**
 * `GET|POST /userinfo`: the signed-in user's claims for a bearer access token, as the
 * granted scopes release them. Every 401 carries a Bearer challenge (RFC 6750 §3).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
import { decodeJwt } from 'jose';
import { isClienteleError } from '../../errors.js';
import { HttpError } from '../errors.js';
import { jsonResponse } from '../responses.js';
import { findClient, type ProviderContext } from './context.js';
import { forClient } from './cors.js';
import { bearerToken } from './params.js';
import { bearerChallenge, oauthError } from './responses.js';

/** `GET|POST /userinfo` */
export async function userinfo(context: ProviderContext, request: Request): Promise<Response> {
  const realm = context.tenant.issuer;
  const token = bearerToken(request);
  if (token === undefined) {
    return oauthError(
      context.config,
      new HttpError({
        status: 401,
        code: 'invalid_request',
        oauthError: 'invalid_request',
        message: 'a Bearer access token is required',
        headers: { 'WWW-Authenticate': bearerChallenge(context.config, realm) },
      }),
    );
  }
  try {
    const claims = await context.tenant.authorization.userinfo(token);
    return forClient(request, jsonResponse(200, claims), await clientOf(context, token));
  } catch (error) {
    if (!isClienteleError(error)) throw error;
    const scope = error.code === 'insufficient_scope';
    const challenge = bearerChallenge(context.config, realm, {
      error: scope ? 'insufficient_scope' : 'invalid_token',
      description: error.message,
      ...(scope ? { scope: 'openid' } : {}),
    });
    const response = oauthError(context.config, error, { 'WWW-Authenticate': challenge });
    return forClient(request, response, scope ? await clientOf(context, token) : undefined);
  }
}

/** The client a (verified) token was issued to, for CORS. */
async function clientOf(context: ProviderContext, token: string) {
  try {
    const claims = decodeJwt(token);
    // Auth0's profile names the client in azp, the RFC 9068 profile in client_id.
    const azp = claims['azp'] ?? claims['client_id'];
    return typeof azp === 'string' ? await findClient(context.tenant, azp) : undefined;
  } catch {
    return undefined;
  }
}
