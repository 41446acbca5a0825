/**
 * The checks that combine registration metadata fields once each field has been read on
 * its own: `jwks` against `jwks_uri`, grants against the authentication method and the
 * application type, grants against response types, and grants that need redirect URIs.
 * A check is skipped when a field it depends on already had a problem.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2.1
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import type { GivenMetadata } from './field-readers.js';
import {
  REGISTRATION_AUTH_METHOD_TABLE,
  REGISTRATION_METADATA,
  type RegistrationGrantType,
  type RegistrationResponseType,
} from './metadata.js';
import type { ProblemLog } from './problems.js';

/** Checks that combine fields (RFC 7591 §2, §2.1; OIDC DCR §2). */
export function checkCombinations(given: GivenMetadata, log: ProblemLog): void {
  if (given.jwks !== undefined && given.jwks_uri !== undefined) {
    log.add(
      'jwks_uri',
      'invalid_client_metadata',
      'jwks_uri and jwks must not both be present (RFC 7591 §2)',
    );
  }
  const grantsKnown = !log.bad.has('grant_types');
  const grants = given.grant_types ?? ['authorization_code'];
  const method = given.token_endpoint_auth_method ?? 'client_secret_basic';
  if (grantsKnown && !log.bad.has('token_endpoint_auth_method')) {
    if (method === 'private_key_jwt' && given.jwks === undefined && given.jwks_uri === undefined) {
      log.add(
        'jwks',
        'invalid_client_metadata',
        'jwks is required with token_endpoint_auth_method "private_key_jwt": register the public keys the client signs its assertions with',
      );
    }
    if (method === 'none' && grants.includes('client_credentials')) {
      log.add(
        'grant_types',
        'invalid_client_metadata',
        'grant_types: "client_credentials" needs a client secret, but token_endpoint_auth_method "none" registers a public client; use client_secret_basic or client_secret_post',
      );
    }
  }
  if (!log.bad.has('token_endpoint_auth_method')) checkSigningAlgorithms(given, method, log);
  if (grantsKnown && !log.bad.has('application_type')) {
    if (given.application_type === 'native' && grants.includes('client_credentials')) {
      log.add(
        'grant_types',
        'invalid_client_metadata',
        'grant_types: "client_credentials" is not available to a native client, which cannot keep a secret (RFC 8252 §8.5); register the service as application_type web',
      );
    }
  }
  if (grantsKnown && !log.bad.has('response_types')) {
    checkGrantResponseConsistency(grants, given.response_types, log);
  }
  if (grantsKnown && !log.bad.has('redirect_uris')) {
    const redirecting = grants.includes('authorization_code') || grants.includes('implicit');
    if (redirecting && (given.redirect_uris ?? []).length === 0) {
      log.add(
        'redirect_uris',
        'invalid_redirect_uri',
        'redirect_uris must list at least one URI when grant_types includes authorization_code or implicit (RFC 7591 §2)',
      );
    }
  }
}

/** Algorithms that depend on the authentication method (OIDC DCR §2). */
function checkSigningAlgorithms(
  given: GivenMetadata,
  method: NonNullable<GivenMetadata['token_endpoint_auth_method']>,
  log: ProblemLog,
): void {
  const row = REGISTRATION_AUTH_METHOD_TABLE[method];
  if (given.id_token_signed_response_alg === 'HS256' && row?.secret !== true) {
    log.add(
      'id_token_signed_response_alg',
      'invalid_client_metadata',
      `id_token_signed_response_alg: "HS256" is keyed with the client secret, but token_endpoint_auth_method "${method}" registers a client without one; use an asymmetric algorithm such as RS256`,
    );
  }
  const alg = given.token_endpoint_auth_signing_alg;
  if (alg === undefined) return;
  const allowed = row?.signingAlgs ?? [];
  if (!allowed.includes(alg)) {
    log.add(
      'token_endpoint_auth_signing_alg',
      'invalid_client_metadata',
      allowed.length === 0
        ? `token_endpoint_auth_signing_alg applies only to JWT client authentication, not to token_endpoint_auth_method "${method}"; leave it out`
        : `token_endpoint_auth_signing_alg: "${alg}" is not supported with ${method}; use one of ${allowed.join(', ')}`,
    );
  }
}

/** Each grant needs its response types and each response type its grant (RFC 7591 §2.1). */
function checkGrantResponseConsistency(
  grants: readonly RegistrationGrantType[],
  given: readonly RegistrationResponseType[] | undefined,
  log: ProblemLog,
): void {
  const responses: readonly string[] =
    given ??
    (REGISTRATION_METADATA.response_types.defaultValue({ grant_types: [...grants] }) as string[]);
  const components = new Set(responses.flatMap((type) => type.split(' ')));
  const rules: [boolean, string][] = [
    [
      components.has('code') && !grants.includes('authorization_code'),
      'response_types with "code" need grant_types "authorization_code" (RFC 7591 §2.1)',
    ],
    [
      (components.has('token') || components.has('id_token')) && !grants.includes('implicit'),
      'response_types with "token" or "id_token" need grant_types "implicit" (RFC 7591 §2.1)',
    ],
    [
      grants.includes('authorization_code') && !components.has('code'),
      'grant_types "authorization_code" needs a response type with "code" (RFC 7591 §2.1)',
    ],
    [
      grants.includes('implicit') && !components.has('token') && !components.has('id_token'),
      'grant_types "implicit" needs a response type with "token" or "id_token" (RFC 7591 §2.1)',
    ],
  ];
  for (const [broken, message] of rules) {
    if (broken) log.add('response_types', 'invalid_client_metadata', message);
  }
}
