/**
 * Dynamic Client Registration over HTTP: `POST /oidc/register` (RFC 7591, OIDC DCR 1.0)
 * and `/oidc/register/:client_id` (RFC 7592), thin wrappers around
 * `tenant.registration`: bearer tokens and JSON in, statuses out.
 */
import { RegistrationError } from '../../errors.js';
import { readJsonObject } from '../body.js';
import { HttpError } from '../errors.js';
import { emptyResponse, jsonResponse } from '../responses.js';
import type { ProviderContext } from './context.js';
import { bearerToken } from './params.js';
import { bearerChallenge, oauthError } from './responses.js';

/** `POST /oidc/register` */
export function register(context: ProviderContext, request: Request): Promise<Response> {
  return answer(context, request, async () => {
    const body = await metadata(context, request);
    const initialAccessToken = presentedToken(context, request);
    const registered = await context.tenant.registration.register(
      body,
      initialAccessToken === undefined ? {} : { initialAccessToken },
    );
    return jsonResponse(201, registered, {
      headers: { Location: registered.registration_client_uri },
    });
  });
}

/** `GET /oidc/register/:client_id` */
export function readRegistration(context: ProviderContext, request: Request, clientId: string) {
  return answer(context, request, async () =>
    jsonResponse(
      200,
      await context.tenant.registration.read(clientId, credentials(context, request)),
    ),
  );
}

/** `PUT /oidc/register/:client_id` */
export function updateRegistration(context: ProviderContext, request: Request, clientId: string) {
  return answer(context, request, async () => {
    const token = credentials(context, request);
    const body = await metadata(context, request);
    return jsonResponse(200, await context.tenant.registration.update(clientId, token, body));
  });
}

/** `DELETE /oidc/register/:client_id` */
export function deleteRegistration(context: ProviderContext, request: Request, clientId: string) {
  return answer(context, request, async () => {
    await context.tenant.registration.delete(clientId, credentials(context, request));
    return emptyResponse(204);
  });
}

/**
 * The bearer token of the request, undefined when it presents none. An `Authorization`
 * header that is not a well-formed Bearer token is a malformed request (RFC 6750 §3.1
 * `invalid_request`, 400), not a missing token.
 */
function presentedToken(context: ProviderContext, request: Request): string | undefined {
  if (request.headers.get('authorization') === null) return undefined;
  const token = bearerToken(request);
  if (token !== undefined) return token;
  const message = 'the Authorization header must be a Bearer token (RFC 6750 section 2.1)';
  throw new HttpError({
    status: 400,
    code: 'invalid_request',
    oauthError: 'invalid_request',
    message,
    headers: {
      'WWW-Authenticate': bearerChallenge(context.config, context.tenant.issuer, {
        error: 'invalid_request',
        description: message,
      }),
    },
  });
}

/** The registration access token (RFC 7592 §2: a bearer token). */
function credentials(context: ProviderContext, request: Request): string {
  const token = presentedToken(context, request);
  if (token === undefined) {
    throw new HttpError({
      status: 401,
      code: 'invalid_token',
      oauthError: 'invalid_token',
      message: 'the registration access token is missing',
      headers: { 'WWW-Authenticate': bearerChallenge(context.config, context.tenant.issuer) },
    });
  }
  return token;
}

/** The JSON body; anything but a JSON object is `invalid_client_metadata` (RFC 7591 §3.2.2). */
async function metadata(
  context: ProviderContext,
  request: Request,
): Promise<Record<string, unknown>> {
  let body: Record<string, unknown>;
  try {
    body = await readJsonObject(request, { limit: context.config.bodyLimit });
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 400) throw error;
    throw new HttpError({
      status: 400,
      code: 'invalid_client_metadata',
      oauthError: 'invalid_client_metadata',
      message: error.message,
    });
  }
  return body;
}

async function answer(
  context: ProviderContext,
  request: Request,
  run: () => Promise<Response>,
): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    // RFC 6750 §3.1: a request that presented no token gets a challenge without an error.
    const presented = request.headers.get('authorization') !== null;
    const challenge =
      error instanceof RegistrationError && error.status === 401
        ? {
            'WWW-Authenticate': bearerChallenge(
              context.config,
              context.tenant.issuer,
              presented ? { error: error.error, description: error.error_description } : undefined,
            ),
          }
        : {};
    return oauthError(context.config, error, challenge);
  }
}
