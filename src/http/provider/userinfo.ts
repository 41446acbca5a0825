/**
 * `GET|POST /userinfo`: the signed-in user's claims for an access token, as the granted
 * scopes release them. A bearer token comes as `Authorization: Bearer`; a DPoP-bound one as
 * `Authorization: DPoP` with a `DPoP` proof made for it (RFC 9449 §7). Every 401 carries
 * both challenges, `Bearer` (RFC 6750 §3) and `DPoP` with the algorithms served, the one of
 * the scheme used with the error.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
import { decodeJwt } from 'jose';
import {
  InvalidDpopProofError,
  isClienteleError,
  UseDpopNonceError,
  type ClienteleError,
} from '../../errors.js';
import { HttpError } from '../errors.js';
import { jsonResponse } from '../responses.js';
import { findClient, type ProviderContext } from './context.js';
import { forClient } from './cors.js';
import { dpopChallenge, endpointUrl, exposeHeader, withDpopNonce } from './dpop.js';
import { presentedToken, type PresentedToken } from './params.js';
import { bearerChallenge, oauthError } from './responses.js';

/** `GET|POST /userinfo` */
export async function userinfo(context: ProviderContext, request: Request): Promise<Response> {
  const presented = presentedToken(request);
  if (presented === undefined) {
    const error = new HttpError({
      status: 401,
      code: 'invalid_request',
      oauthError: 'invalid_request',
      message: 'an access token is required (Authorization: Bearer, or DPoP with a proof)',
    });
    return challenged(context, request, error, undefined);
  }
  const { token, scheme } = presented;
  try {
    const proof = request.headers.get('dpop');
    const claims = await context.tenant.authorization.userinfo(token, {
      dpop:
        scheme === 'DPoP'
          ? { proof: proof ?? '', method: request.method, url: request.url }
          : undefined,
      uris: [endpointUrl(context, 'userinfo')],
    });
    const response = await withDpopNonce(context, jsonResponse(200, claims));
    return forClient(request, response, await clientOf(context, token));
  } catch (error) {
    if (!isClienteleError(error)) throw error;
    return challenged(context, request, error, presented);
  }
}

/** Each error's status, OAuth name and whether the client may see it (CORS). */
function describe(error: ClienteleError): { status: number; name: string } {
  if (error instanceof UseDpopNonceError) return { status: 401, name: 'use_dpop_nonce' };
  if (error instanceof InvalidDpopProofError) return { status: 401, name: 'invalid_dpop_proof' };
  if (error.code === 'insufficient_scope') return { status: 403, name: 'insufficient_scope' };
  if (error.code === 'invalid_request') return { status: 401, name: 'invalid_request' };
  return { status: 401, name: 'invalid_token' };
}

/** The error response with both challenges; the error goes in the one of the scheme used. */
async function challenged(
  context: ProviderContext,
  request: Request,
  error: ClienteleError,
  presented: PresentedToken | undefined,
): Promise<Response> {
  if (error instanceof HttpError && error.status >= 500) throw error;
  const { status, name } = describe(error);
  const failure =
    presented === undefined
      ? undefined
      : {
          error: name,
          description: error.message,
          ...(name === 'insufficient_scope' ? { scope: 'openid' } : {}),
        };
  const realm = context.tenant.issuer;
  const bearer = bearerChallenge(
    context.config,
    realm,
    presented?.scheme === 'Bearer' ? failure : undefined,
  );
  const dpop = dpopChallenge(context, presented?.scheme === 'DPoP' ? failure : undefined);
  const response = oauthError(
    context.config,
    new HttpError({ status, code: name, oauthError: name, message: error.message }),
  );
  response.headers.set('WWW-Authenticate', `${bearer}, ${dpop}`);
  exposeHeader(response, 'WWW-Authenticate');
  await withDpopNonce(context, response, error);
  const client =
    presented !== undefined && status === 403
      ? await clientOf(context, presented.token)
      : undefined;
  return forClient(request, response, client);
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
