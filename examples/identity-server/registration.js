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
import { bearerToken, OAuthError, readJson, sendEmpty, sendJson } from './http.js';

/** @type {import('./router.js').Endpoint} */
export async function register(exchange) {
  const { request, response, context } = exchange;
  const body = await metadata(request);
  const initialAccessToken = bearerToken(request);
  const registered = await registration(context.issuer, () =>
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
  const current = await registration(exchange.context.issuer, () =>
    exchange.context.tenant.registration.read(clientId, token),
  );
  sendJson(exchange.response, 200, current);
}

/** @type {import('./router.js').Endpoint} */
export async function updateRegistration(exchange) {
  const { clientId, token } = credentials(exchange);
  const body = await metadata(exchange.request);
  const updated = await registration(exchange.context.issuer, () =>
    exchange.context.tenant.registration.update(clientId, token, body),
  );
  sendJson(exchange.response, 200, updated);
}

/** @type {import('./router.js').Endpoint} */
export async function deleteRegistration(exchange) {
  const { clientId, token } = credentials(exchange);
  await registration(exchange.context.issuer, () =>
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
  const token = bearerToken(exchange.request);
  if (token === undefined) {
    throw new OAuthError(401, 'invalid_token', 'the registration access token is missing', {
      'WWW-Authenticate': `Bearer realm="${exchange.context.issuer}"`,
    });
  }
  return { clientId: exchange.params['client_id'] ?? '', token };
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
 * library describes: its status and `{ error, error_description }`.
 *
 * @template T
 * @param {string} issuer - the realm of a 401's bearer challenge
 * @param {() => Promise<T>} operation
 * @returns {Promise<T>}
 */
async function registration(issuer, operation) {
  try {
    return await operation();
  } catch (error) {
    if (!isClienteleError(error) || error.name !== 'RegistrationError') throw error;
    const failure = /** @type {import('clientele').RegistrationError} */ (error);
    /** @type {Record<string, string>} */
    const headers = {};
    if (failure.status === 401) headers['WWW-Authenticate'] = `Bearer realm="${issuer}"`;
    throw new OAuthError(failure.status, failure.error, failure.error_description, headers);
  }
}
