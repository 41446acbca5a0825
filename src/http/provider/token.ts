/**
 * `POST /oauth/token`: the `authorization_code` (with PKCE), `refresh_token` and
 * `client_credentials` grants, one table. The client authenticates through
 * `tenant.authenticateClient` (every method it supports); the library's typed errors
 * become OAuth error responses in one place.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
import type { Client } from '../../client/client.js';
import { InvalidClientError } from '../../errors.js';
import { HttpError } from '../errors.js';
import { jsonResponse } from '../responses.js';
import { requestedAudience } from './client-resolution.js';
import { callerOf, type ProviderContext } from './context.js';
import { forClient } from './cors.js';
import { invalidRequest, tokenRequestParams, type Params } from './params.js';
import { oauthError } from './responses.js';
import { auditProofRefusal, isProofError, proofOf, withDpopNonce } from './dpop.js';
import type { AcceptedProof } from '../../tenant/dpop.js';
import { grantAuditType } from '../../tokens/grant-audit.js';

type Grant = (
  context: ProviderContext,
  client: Client,
  params: Params,
  request: Request,
  dpop: AcceptedProof | undefined,
) => Promise<unknown>;

const required = (params: Params, name: string): string => {
  const value = params[name];
  if (value === undefined) throw invalidRequest(`${name} is missing`);
  return value;
};

/** The grant types this endpoint serves. */
const GRANTS: Readonly<Record<string, Grant>> = {
  authorization_code: async (context, client, params, request, dpop) =>
    context.tenant.authorization.exchangeCode(client, {
      code: required(params, 'code'),
      redirectUri: params['redirect_uri'],
      codeVerifier: params['code_verifier'],
      resource: await requestedAudience(context, params),
      dpop,
      ...callerOf(request, context.config),
    }),
  refresh_token: async (context, client, params, request, dpop) =>
    context.tenant.authorization.refresh(client, {
      refreshToken: required(params, 'refresh_token'),
      scope: params['scope'],
      resource: await requestedAudience(context, params),
      dpop,
      ...callerOf(request, context.config),
    }),
  client_credentials: async (context, client, params, request, dpop) => {
    const audience = await requestedAudience(context, params);
    if (audience === undefined) {
      throw invalidRequest('audience is missing: name the API (its identifier) the token is for');
    }
    const scope = params['scope'];
    return context.tenant.issueAccessToken(
      client.client_id,
      { audience, scope, dpop },
      { request: callerOf(request, context.config) },
    );
  },
};

/** `POST /oauth/token` */
export async function token(context: ProviderContext, request: Request): Promise<Response> {
  let client: Client | undefined;
  try {
    const params = await tokenRequestParams(request, context.config.bodyLimit);
    const grantType = params['grant_type'];
    if (grantType === undefined) throw invalidRequest('grant_type is missing');
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
    if (!grant) {
      throw new HttpError({
        status: 400,
        code: 'unsupported_grant_type',
        oauthError: 'unsupported_grant_type',
        message: `grant_type must be one of ${Object.keys(GRANTS).join(', ')}`,
      });
    }
    client = await authenticate(context, request, params);
    const dpop = await tokenRequestProof(context, request, client, grantType);
    const body = await grant(context, client, params, request, dpop);
    return forClient(request, await withDpopNonce(context, jsonResponse(200, body)), client);
  } catch (error) {
    const response = failure(context, request, error);
    return forClient(request, await withDpopNonce(context, response, error), client);
  }
}

/**
 * The DPoP proof of a token request (RFC 9449 §5), checked after the client authenticated,
 * so a refusal is recorded against it under the exchange's failure code.
 */
async function tokenRequestProof(
  context: ProviderContext,
  request: Request,
  client: Client,
  grantType: string,
): Promise<AcceptedProof | undefined> {
  try {
    return await proofOf(context, request, 'oauth/token');
  } catch (error) {
    const type = grantAuditType(grantType, 'failure');
    if (isProofError(error) && type !== undefined) {
      auditProofRefusal(context, request, type, error, {
        client,
        details: { operation: grantType, grant_type: grantType },
      });
    }
    throw error;
  }
}

/** Authenticates the caller as a client (token, revocation and introspection endpoints). */
export async function authenticate(
  context: ProviderContext,
  request: Request,
  params: Params,
): Promise<Client> {
  const authorization = request.headers.get('authorization') ?? undefined;
  const client = await context.tenant.authenticateClient({
    authorization,
    body: params,
    ...callerOf(request, context.config),
  });
  await context.tenant.clientHygiene.noteUse(client);
  return client;
}

/** The error response, with RFC 6749 §5.2's Basic challenge after a failed Basic login. */
export function failure(context: ProviderContext, request: Request, error: unknown): Response {
  const basic = /^basic /i.test(request.headers.get('authorization') ?? '');
  return oauthError(
    context.config,
    error,
    error instanceof InvalidClientError && basic
      ? { 'WWW-Authenticate': `Basic realm="${context.tenant.issuer}", charset="UTF-8"` }
      : {},
  );
}
