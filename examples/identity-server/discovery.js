// @ts-check
/**
 * OpenID Provider metadata and the public signing keys.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
import {
  TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
  TOKEN_ENDPOINT_AUTH_SIGNING_ALGS_SUPPORTED,
} from 'clientele';
import { SCOPE_CLAIMS } from './demo-user.js';
import { sendJson } from './http.js';

/** Seconds a client may cache the discovery document and the JWKS. */
const MAX_AGE_SECONDS = 60;

/**
 * The discovery document for `issuer` (which ends with `/`). What registration accepts
 * comes from `tenant.registration.supported()`, so the document advertises exactly that.
 *
 * @param {string} issuer
 * @param {import('clientele').RegistrationSupport} registration
 */
export function providerMetadata(issuer, registration) {
  const at = (/** @type {string} */ path) => new URL(path, issuer).href;
  return {
    issuer,
    authorization_endpoint: at('authorize'),
    token_endpoint: at('oauth/token'),
    userinfo_endpoint: at('userinfo'),
    jwks_uri: at('.well-known/jwks.json'),
    registration_endpoint: at('oidc/register'),
    end_session_endpoint: at('oidc/logout'),
    scopes_supported: Object.keys(SCOPE_CLAIMS),
    claims_supported: [
      ...new Set([
        ...Object.values(SCOPE_CLAIMS).flat(),
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'at_hash',
      ]),
    ],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    subject_types_supported: [...registration.subject_types_supported],
    // Exactly what registration accepts for id_token_signed_response_alg.
    id_token_signing_alg_values_supported: [...registration.id_token_signing_alg_values_supported],
    // What tenant.authenticateClient implements: secrets, JWT assertions and none.
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED],
    token_endpoint_auth_signing_alg_values_supported: [
      ...TOKEN_ENDPOINT_AUTH_SIGNING_ALGS_SUPPORTED,
    ],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

/**
 * `GET /.well-known/openid-configuration`
 *
 * @type {import('./router.js').Endpoint}
 */
export async function discovery({ response, context }) {
  sendJson(
    response,
    200,
    providerMetadata(context.issuer, context.tenant.registration.supported()),
    {
      maxAge: MAX_AGE_SECONDS,
    },
  );
}

/**
 * `GET /.well-known/jwks.json`: the tenant's public keys, never a private member.
 *
 * @type {import('./router.js').Endpoint}
 */
export async function jwks({ response, context }) {
  sendJson(response, 200, await context.tenant.jwks(), { maxAge: MAX_AGE_SECONDS });
}
