/**
 * `GET /.well-known/openid-configuration`, `GET /.well-known/oauth-authorization-server`
 * (RFC 8414: the same document) and `GET /.well-known/jwks.json`.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
import {
  TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
  TOKEN_ENDPOINT_AUTH_SIGNING_ALGS_SUPPORTED,
} from '../../tokens/client-assertion.js';
import { OIDC_SCOPE_CLAIMS, OIDC_SCOPES } from '../../tokens/oidc-claims.js';
import { REQUEST_OBJECT_ALGORITHMS } from '../../jar/request-object.js';
import { jsonResponse, jsonTextResponse } from '../responses.js';
import type { Tenant } from '../../tenant.js';
import type { ProviderContext } from './context.js';
import { GRANT_TYPES_SERVED, RESPONSE_MODES_SERVED, RESPONSE_TYPES_SERVED } from './served.js';

/** Seconds a client may cache the discovery document and the JWKS. */
const MAX_AGE_SECONDS = 60;

/**
 * The discovery document for `issuer` (which ends with `/`), advertising as ID token
 * algorithms `idTokenAlgorithms`: those the tenant can sign, as registration accepts them
 * (`tenant.registration.supported()`), never a fixed list. A client that read ES256 here
 * and registered with it was refused.
 */
export function providerMetadata(
  issuer: string,
  idTokenAlgorithms: readonly string[],
): Record<string, unknown> {
  const at = (path: string) => new URL(path, issuer).href;
  return {
    issuer,
    authorization_endpoint: at('authorize'),
    token_endpoint: at('oauth/token'),
    userinfo_endpoint: at('userinfo'),
    jwks_uri: at('.well-known/jwks.json'),
    registration_endpoint: at('oidc/register'),
    revocation_endpoint: at('oauth/revoke'),
    introspection_endpoint: at('oauth/introspect'),
    end_session_endpoint: at('oidc/logout'),
    scopes_supported: [...OIDC_SCOPES],
    claims_supported: [
      ...new Set([
        ...Object.values(OIDC_SCOPE_CLAIMS).flat(),
        ...['iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'c_hash', 'sid'],
      ]),
    ],
    response_types_supported: [...RESPONSE_TYPES_SERVED],
    response_modes_supported: [...RESPONSE_MODES_SERVED],
    grant_types_supported: [...GRANT_TYPES_SERVED],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...idTokenAlgorithms],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED],
    token_endpoint_auth_signing_alg_values_supported: [
      ...TOKEN_ENDPOINT_AUTH_SIGNING_ALGS_SUPPORTED,
    ],
    revocation_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED],
    introspection_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    // RFC 9101 request objects by value; request_uri only for pushed requests (RFC 9126),
    // never fetched from a client's URL (OIDC's request_uri), which is what this says.
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: [...REQUEST_OBJECT_ALGORITHMS],
    request_uri_parameter_supported: false,
    // OIDC Back-Channel Logout 1.0 §2.1: logout tokens carry sid (see src/backchannel-logout/).
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
}

/**
 * The serialised discovery document of each tenant. Everything in it comes from the
 * tenant's options and keys as `Tenant.create` set them (issuer, signing algorithms, DPoP
 * algorithms, PAR and CIMD settings), none of which changes later, so it is built once:
 * building and serialising it was half of a discovery request's CPU.
 */
const DOCUMENTS = new WeakMap<Tenant, string>();

/** `GET /.well-known/openid-configuration` and `/.well-known/oauth-authorization-server` */
export function discovery(context: ProviderContext): Promise<Response> {
  const { tenant } = context;
  let text = DOCUMENTS.get(tenant);
  if (text === undefined) {
    text = JSON.stringify(discoveryDocument(tenant));
    DOCUMENTS.set(tenant, text);
  }
  return Promise.resolve(jsonTextResponse(200, text, { maxAge: MAX_AGE_SECONDS }));
}

function discoveryDocument(tenant: Tenant): Record<string, unknown> {
  return {
    ...providerMetadata(
      tenant.issuer,
      tenant.registration.supported().id_token_signing_alg_values_supported,
    ),
    // Only with dynamic CIMD may a client use its document's URL without registering first.
    ...(tenant.clientIdMetadataDocuments.enabled
      ? { client_id_metadata_document_supported: true }
      : {}),
    // RFC 9449 §5.1: DPoP is always served; which tokens are bound is the settings'.
    dpop_signing_alg_values_supported: [...tenant.dpop.algorithms],
    // RFC 9126 §5: pushed authorization requests, required tenant-wide or not.
    pushed_authorization_request_endpoint: new URL('oauth/par', tenant.issuer).href,
    require_pushed_authorization_requests: tenant.pushedAuthorizationRequests.required,
  };
}

/** `GET /.well-known/jwks.json`: the tenant's public keys, never a private member. */
export async function jwks(context: ProviderContext): Promise<Response> {
  return jsonResponse(200, await context.tenant.jwks(), { maxAge: MAX_AGE_SECONDS });
}
