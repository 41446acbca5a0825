// @ts-check
/**
 * `GET|POST /authorize`: the authorization code flow with PKCE.
 *
 * Order matters. Until the client and its `redirect_uri` are known to be valid, every
 * problem is answered with a 400 page and nothing is ever redirected: redirecting to an
 * unchecked URI would make the server an open redirector (RFC 6749 §4.1.2.1, RFC 9700
 * §4.11). After that, errors go back to the client as `error` parameters on its
 * redirect_uri, with `state` and `iss` (RFC 9207).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
import { oauthErrorDescription } from 'clientele';
import { audit, excerpt, findClient } from './clients.js';
import { DEMO_USER, supportedScopes } from './demo-user.js';
import { OAuthError, readForm, redirect, sendText, singleValued, withParameters } from './http.js';

/** An S256 code challenge: base64url of a SHA-256 digest, without padding. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Longest `state` and `nonce` accepted; they travel in URLs and tokens. */
const MAX_LENGTH = { state: 2048, nonce: 512 };

/**
 * A refusal to report on the client's redirect_uri.
 *
 * @typedef {{ error: string, description: string }} Refusal
 */

/** @type {import('./router.js').Endpoint} */
export async function authorize(exchange) {
  const { request, response, url, context } = exchange;
  /** @type {Record<string, string>} */
  let params;
  try {
    params = request.method === 'POST' ? await readForm(request) : singleValued(url.searchParams);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    sendText(response, error.status, `Bad request: ${error.message}.`);
    return;
  }

  const clientId = params['client_id'];
  const client = await findClient(context.tenant, clientId);
  if (!client) {
    audit(exchange, 'f', 'Unknown client', { clientId });
    sendText(
      response,
      400,
      clientId === undefined
        ? 'Bad request: client_id is missing.'
        : 'Bad request: client_id names no client of this tenant.',
    );
    return;
  }
  const redirectUri = params['redirect_uri'];
  if (redirectUri === undefined || !client.allowsCallback(redirectUri)) {
    audit(exchange, 'f', 'Callback URL mismatch', {
      client,
      details: { redirect_uri: excerpt(redirectUri) },
    });
    sendText(
      response,
      400,
      redirectUri === undefined
        ? 'Bad request: redirect_uri is missing.'
        : `Bad request: redirect_uri is not in the list of allowed callback URLs of ${client.name}.`,
    );
    return;
  }

  // From here on, the redirect_uri is trusted: errors are reported to the client.
  const state = params['state'];
  const refusal = checkRequest(client, params);
  if (refusal) {
    audit(exchange, 'f', `Authorization request refused: ${refusal.error}`, {
      client,
      details: { error: refusal.error, error_description: refusal.description },
    });
    redirect(
      response,
      withParameters(redirectUri, {
        error: refusal.error,
        error_description: oauthErrorDescription(refusal.description),
        state,
        iss: context.issuer,
      }),
    );
    return;
  }

  // The demo user signs in without a form; a real server would authenticate here.
  const scopes = supportedScopes(params['scope']);
  const code = context.codes.issue({
    clientId: client.client_id,
    redirectUri,
    codeChallenge: params['code_challenge'],
    nonce: params['nonce'],
    scopes,
    sub: DEMO_USER.sub,
    authTime: Math.floor(Date.now() / 1000),
  });
  audit(exchange, 's', 'Successful login', {
    client,
    details: { user_id: DEMO_USER.sub, user_name: DEMO_USER.email, scope: scopes.join(' ') },
  });
  redirect(response, withParameters(redirectUri, { code, state, iss: context.issuer }));
}

/**
 * What is wrong with an authorization request whose client and redirect_uri are valid.
 *
 * @param {import('clientele').Client} client
 * @param {Record<string, string>} params
 * @returns {Refusal | undefined}
 */
function checkRequest(client, params) {
  if (params['request'] !== undefined) {
    return { error: 'request_not_supported', description: 'request objects are not supported' };
  }
  if (params['request_uri'] !== undefined) {
    return { error: 'request_uri_not_supported', description: 'request_uri is not supported' };
  }
  const responseType = params['response_type'];
  if (responseType === undefined) {
    return { error: 'invalid_request', description: 'response_type is missing' };
  }
  if (responseType !== 'code') {
    return {
      error: 'unsupported_response_type',
      description: 'response_type must be code (the authorization code flow)',
    };
  }
  const responseMode = params['response_mode'];
  if (responseMode !== undefined && responseMode !== 'query') {
    return { error: 'invalid_request', description: 'response_mode must be query' };
  }
  if (!client.grant_types?.includes('authorization_code')) {
    return {
      error: 'unauthorized_client',
      description: 'the client may not use the authorization_code grant',
    };
  }
  for (const [name, max] of Object.entries(MAX_LENGTH)) {
    if ((params[name]?.length ?? 0) > max) {
      return { error: 'invalid_request', description: `${name} is longer than ${max} characters` };
    }
  }
  const prompt = new Set(params['prompt']?.split(' '));
  if (prompt.has('none') && prompt.size > 1) {
    return { error: 'invalid_request', description: 'prompt=none cannot be combined with others' };
  }
  return checkPkce(client, params['code_challenge'], params['code_challenge_method']);
}

/**
 * PKCE (RFC 7636): required of public clients, optional for confidential ones, and S256
 * only (`plain` would put the verifier itself in the browser's history).
 *
 * @param {import('clientele').Client} client
 * @param {string | undefined} challenge
 * @param {string | undefined} method
 * @returns {Refusal | undefined}
 */
function checkPkce(client, challenge, method) {
  if (challenge === undefined) {
    if (method !== undefined) {
      return {
        error: 'invalid_request',
        description: 'code_challenge_method without code_challenge',
      };
    }
    return client.token_endpoint_auth_method === 'none'
      ? {
          error: 'invalid_request',
          description: 'code_challenge is required: public clients must use PKCE with S256',
        }
      : undefined;
  }
  if (method !== 'S256') {
    return { error: 'invalid_request', description: 'code_challenge_method must be S256' };
  }
  if (!S256_CHALLENGE.test(challenge)) {
    return {
      error: 'invalid_request',
      description: 'code_challenge must be 43 base64url characters (an S256 challenge)',
    };
  }
  return undefined;
}
