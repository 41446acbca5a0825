// @ts-check
/**
 * `POST /oauth/token`: the authorization code grant (with PKCE) and the client
 * credentials grant. Client authentication is the library's (`tenant.authenticateClient`:
 * Basic, post, private_key_jwt, client_secret_jwt or none, as the client is registered);
 * the library's typed errors become
 * OAuth error responses through one table.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import { Buffer } from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isClienteleError } from 'clientele';
import { audit } from './clients.js';
import { allowClientOrigin } from './cors.js';
import { claimsFor } from './demo-user.js';
import { caller, OAuthError, readForm, sendJson } from './http.js';

/**
 * A grant type's handler, called once the client is authenticated.
 *
 * @typedef {(exchange: import('./router.js').Exchange, client: import('clientele').Client, body: Record<string, string>) => Promise<void>} Grant
 */

/**
 * The grant types this endpoint serves.
 *
 * @type {Readonly<Record<string, Grant>>}
 */
const GRANTS = {
  authorization_code: exchangeCode,
  client_credentials: clientCredentials,
};

/**
 * The library's error codes and the OAuth error response each one becomes (RFC 6749 §5.2).
 *
 * @type {Readonly<Record<string, { status: number, error: string }>>}
 */
const LIBRARY_ERRORS = {
  invalid_client: { status: 401, error: 'invalid_client' },
  not_found: { status: 401, error: 'invalid_client' },
  invalid_request: { status: 400, error: 'invalid_request' },
  invalid_argument: { status: 400, error: 'invalid_request' },
  unauthorized_client: { status: 400, error: 'unauthorized_client' },
  invalid_scope: { status: 400, error: 'invalid_scope' },
};

/** A PKCE code verifier (RFC 7636 §4.1). */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** @type {import('./router.js').Endpoint} */
export async function token(exchange) {
  const body = await readForm(exchange.request);
  const grantType = body['grant_type'];
  if (grantType === undefined)
    throw new OAuthError(400, 'invalid_request', 'grant_type is missing');
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (!grant) {
    throw new OAuthError(
      400,
      'unsupported_grant_type',
      `grant_type must be one of ${Object.keys(GRANTS).join(', ')}`,
    );
  }
  const client = await authenticate(exchange, body);
  // From here on the client is known, so a browser app it allows may read the outcome.
  allowClientOrigin(exchange, client);
  await grant(exchange, client, body);
}

/**
 * @param {import('./router.js').Exchange} exchange
 * @param {Record<string, string>} body
 */
async function authenticate(exchange, body) {
  const { request, context } = exchange;
  const authorization = request.headers.authorization;
  const { ip, userAgent } = caller(request);
  try {
    return await context.tenant.authenticateClient({ authorization, body, ip, userAgent });
  } catch (error) {
    const failure = oauthErrorOf(error);
    if (failure.error === 'invalid_client' && /^basic /i.test(authorization ?? '')) {
      // RFC 6749 §5.2: answer a failed Basic authentication with the matching challenge.
      failure.headers['WWW-Authenticate'] = `Basic realm="${context.issuer}", charset="UTF-8"`;
    }
    throw failure;
  }
}

/**
 * The authorization code grant: the code must be live, issued to this client for this
 * redirect_uri, and match the PKCE challenge it was issued with.
 *
 * @type {Grant}
 */
async function exchangeCode(exchange, client, body) {
  const { context } = exchange;
  try {
    const grant = redeem(exchange, client, body);
    const issued = context.accessTokens.issue({
      sub: grant.sub,
      clientId: client.client_id,
      scopes: grant.scopes,
      code: /** @type {string} */ (body['code']),
    });
    /** @type {Record<string, unknown>} */
    const tokens = {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
    };
    if (grant.scopes.length > 0) tokens['scope'] = grant.scopes.join(' ');
    if (grant.scopes.includes('openid')) {
      tokens['id_token'] = await context.tenant.issueIdToken(client.client_id, {
        ...claimsFor(grant.scopes),
        sub: grant.sub,
        ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
        auth_time: grant.authTime,
        at_hash: accessTokenHash(issued.token, client.jwt_configuration?.alg ?? 'RS256'),
      });
    }
    sendJson(exchange.response, 200, tokens);
  } catch (error) {
    if (error instanceof OAuthError) {
      audit(exchange, 'feacft', 'Failed exchange of authorization code for tokens', {
        client,
        details: { error: error.error, error_description: error.message },
      });
    }
    throw error;
  }
}

/**
 * Takes the request's code and checks everything it is bound to.
 *
 * @param {import('./router.js').Exchange} exchange
 * @param {import('clientele').Client} client
 * @param {Record<string, string>} body
 * @returns {import('./authorization-codes.js').CodeGrant}
 * @throws {OAuthError} `invalid_request`, `unauthorized_client` or `invalid_grant`.
 */
function redeem(exchange, client, body) {
  const { codes, accessTokens } = exchange.context;
  if (!client.grant_types?.includes('authorization_code')) {
    throw new OAuthError(
      400,
      'unauthorized_client',
      'the client may not use the authorization_code grant',
    );
  }
  const code = body['code'];
  const redirectUri = body['redirect_uri'];
  if (code === undefined) throw new OAuthError(400, 'invalid_request', 'code is missing');
  if (redirectUri === undefined) {
    throw new OAuthError(400, 'invalid_request', 'redirect_uri is missing');
  }
  const found = codes.take(code);
  if (found.status === 'replayed') {
    // RFC 6749 §4.1.2: a code used twice may be stolen; revoke what it already bought.
    accessTokens.revokeIssuedFor(code);
    throw invalidGrant('the authorization code was already used; its tokens are revoked');
  }
  if (found.status === 'invalid')
    throw invalidGrant('the authorization code is invalid or expired');
  const { grant } = found;
  if (grant.clientId !== client.client_id) {
    throw invalidGrant('the authorization code was issued to another client');
  }
  if (grant.redirectUri !== redirectUri) {
    throw invalidGrant('redirect_uri differs from the one of the authorization request');
  }
  checkCodeVerifier(grant.codeChallenge, body['code_verifier']);
  return grant;
}

/**
 * PKCE (RFC 7636 §4.6): the verifier must hash to the challenge. A verifier without a
 * challenge is refused too, so PKCE cannot be stripped from a request (RFC 9700 §2.1.1).
 *
 * @param {string | undefined} challenge
 * @param {string | undefined} verifier
 */
function checkCodeVerifier(challenge, verifier) {
  if (challenge === undefined) {
    if (verifier !== undefined) {
      throw invalidGrant(
        'code_verifier was sent but the authorization request had no code_challenge',
      );
    }
    return;
  }
  if (verifier === undefined) throw invalidGrant('code_verifier is missing');
  if (!CODE_VERIFIER.test(verifier)) {
    throw invalidGrant('code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]');
  }
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) {
    throw invalidGrant('code_verifier does not match the code_challenge');
  }
}

/**
 * The client credentials grant: an access token for an API (`audience`) the client has
 * a client grant for, with the granted (or requested subset of) scopes.
 *
 * @type {Grant}
 */
async function clientCredentials(exchange, client, body) {
  const audience = body['audience'];
  if (audience === undefined) {
    throw new OAuthError(
      400,
      'invalid_request',
      'audience is missing: name the API (its identifier) the token is for',
    );
  }
  const scope = body['scope'];
  try {
    const issued = await exchange.context.tenant.issueAccessToken(
      client.client_id,
      scope === undefined ? { audience } : { audience, scope },
    );
    sendJson(exchange.response, 200, issued);
  } catch (error) {
    throw oauthErrorOf(error);
  }
}

/**
 * `at_hash` (OIDC Core §3.1.3.6): the left half of the access token's hash, with the hash
 * of the ID token's algorithm.
 *
 * @param {string} accessToken
 * @param {string} alg
 */
function accessTokenHash(accessToken, alg) {
  const digest = createHash(alg.endsWith('512') ? 'sha512' : 'sha256')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** @param {string} description */
function invalidGrant(description) {
  return new OAuthError(400, 'invalid_grant', description);
}

/**
 * The OAuth error response for an error the library threw; anything else is rethrown.
 *
 * @param {unknown} error
 * @returns {OAuthError}
 */
function oauthErrorOf(error) {
  if (error instanceof OAuthError) return error;
  const mapped =
    isClienteleError(error) && Object.hasOwn(LIBRARY_ERRORS, error.code)
      ? LIBRARY_ERRORS[error.code]
      : undefined;
  if (!isClienteleError(error) || !mapped) throw error;
  return new OAuthError(mapped.status, mapped.error, error.message);
}
