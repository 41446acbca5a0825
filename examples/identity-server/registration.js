// @ts-check
/**
 * Dynamic Client Registration over HTTP: `POST /oidc/register` (RFC 7591, OIDC DCR 1.0)
 * and the client configuration endpoint `/oidc/register/:client_id` (RFC 7592), both
 * thin wrappers around `tenant.registration`. The library decides everything; this file
 * reads bearer tokens and JSON, and writes statuses.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2
 */
import { isClienteleError } from 'clientele';
import { bearerChallenge, bearerToken, OAuthError, readJson, sendEmpty, sendJson } from './http.js';

/** @type {import('./router.js').Endpoint} */
export async function register(exchange) {
  const { request, response, context } = exchange;
  const initialAccessToken = presentedToken(exchange);
  const body = await metadata(request);
  const registered = await registration(context.issuer, initialAccessToken, () =>
    context.tenant.registration.register(
      body,
      initialAccessToken === undefined ? {} : { initialAccessToken },
    ),
  );
  sendJson(response, 201, registered, {
    headers: { Location: registered.registration_client_uri },
  });
}

/** @type {import('./router.js').Endpoint} */
export async function readRegistration(exchange) {
  const { clientId, token } = credentials(exchange);
  const current = await registration(exchange.context.issuer, token, () =>
    exchange.context.tenant.registration.read(clientId, token),
  );
  sendJson(exchange.response, 200, current);
}

/** @type {import('./router.js').Endpoint} */
export async function updateRegistration(exchange) {
  const { clientId, token } = credentials(exchange);
  const body = await metadata(exchange.request);
  const updated = await registration(exchange.context.issuer, token, () =>
    exchange.context.tenant.registration.update(clientId, token, body),
  );
  sendJson(exchange.response, 200, updated);
}

/** @type {import('./router.js').Endpoint} */
export async function deleteRegistration(exchange) {
  const { clientId, token } = credentials(exchange);
  await registration(exchange.context.issuer, token, () =>
    exchange.context.tenant.registration.delete(clientId, token),
  );
  sendEmpty(exchange.response, 204, { 'Cache-Control': 'no-store' });
}

/**
 * The client id of the path and the registration access token (RFC 7592 §2: a bearer
 * token in the `Authorization` header).
 *
 * @param {import('./router.js').Exchange} exchange
 */
function credentials(exchange) {
  const token = presentedToken(exchange);
  if (token === undefined) {
    // RFC 6750 §3.1: no credentials, so the challenge carries no error code.
    throw new OAuthError(401, 'invalid_token', 'the registration access token is missing', {
      'WWW-Authenticate': bearerChallenge(exchange.context.issuer),
    });
  }
  return { clientId: exchange.params['client_id'] ?? '', token };
}

/**
 * The bearer token of the request, or undefined when there is no `Authorization` header.
 * A header that is not a well-formed bearer token is `invalid_request` (RFC 6750 §3.1).
 *
 * @param {import('./router.js').Exchange} exchange
 * @returns {string | undefined}
 */
function presentedToken(exchange) {
  const header = exchange.request.headers.authorization;
  if (header === undefined) return undefined;
  const token = bearerToken(exchange.request);
  if (token !== undefined) return token;
  const description = 'the Authorization header must be a Bearer token (RFC 6750 §2.1)';
  throw new OAuthError(400, 'invalid_request', description, {
    'WWW-Authenticate': bearerChallenge(exchange.context.issuer, {
      error: 'invalid_request',
      description,
    }),
  });
}

/**
 * The JSON request body; a body that is not a JSON object is `invalid_client_metadata`
 * (RFC 7591 §3.2.2 has no `invalid_request`).
 *
 * @param {import('node:http').IncomingMessage} request
 */
async function metadata(request) {
  try {
    return await readJson(request);
  } catch (error) {
    if (!(error instanceof OAuthError) || error.status !== 400) throw error;
    throw new OAuthError(400, 'invalid_client_metadata', error.message);
  }
}

/**
 * Runs a registration operation, turning its `RegistrationError` into the response the
 * library describes: its status and `{ error, error_description }`. A 401 carries a
 * bearer challenge (RFC 6750 §3), with `error` and `error_description` when a token was
 * presented.
 *
 * @template T
 * @param {string} issuer - the realm of a 401's bearer challenge
 * @param {string | undefined} token - the token the request presented, if any
 * @param {() => Promise<T>} operation
 * @returns {Promise<T>}
 */
async function registration(issuer, token, operation) {
  try {
    return await operation();
  } catch (error) {
    if (!isClienteleError(error) || error.name !== 'RegistrationError') throw error;
    const failure = /** @type {import('clientele').RegistrationError} */ (error);
    /** @type {Record<string, string>} */
    const headers = {};
    if (failure.status === 401) {
      const presented = token === undefined ? undefined : failure.toJSON();
      headers['WWW-Authenticate'] = bearerChallenge(
        issuer,
        presented && { error: presented.error, description: presented.error_description },
      );
    }
    throw new OAuthError(failure.status, failure.error, failure.error_description, headers);
  }
}
