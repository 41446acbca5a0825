/**
 * The client information response (RFC 7591 §3.2.1, RFC 7592 §3): every registered
 * metadata value, including the ones the server filled in, plus the credentials and the
 * management endpoint. Settings the client holds (`callbacks`, `name`, ...) are read from
 * the client, so a change made through `tenant.clients.update` shows; the rest comes from
 * the registration record.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3
 */
import type { Client } from '../client/client.js';
import type { GrantType } from '../client/app-types.js';
import {
  METADATA_FIELDS,
  REGISTRATION_METADATA,
  type RegistrationGrantType,
  type RegistrationMetadata,
} from './metadata.js';
import type { RegistrationRecord } from './record.js';

/**
 * What `tenant.registration.register`, `read` and `update` return: the response body
 * (HTTP 201 for a registration, 200 for a read or an update).
 *
 * @example
 * ```ts
 * const registered: RegistrationResponse = await tenant.registration.register({
 *   redirect_uris: ['https://app.example.com/callback'],
 * });
 * registered.client_secret_expires_at; // 0: the secret does not expire
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
export interface RegistrationResponse extends Omit<RegistrationMetadata, 'grant_types'> {
  /** The grant types (those registered, or as an administrator changed them since). */
  grant_types: (RegistrationGrantType | GrantType)[];
  /** The issued client identifier. */
  client_id: string;
  /** The client secret; only for confidential clients (any method but `none`). */
  client_secret?: string;
  /** When the client id was issued, in seconds since the epoch. */
  client_id_issued_at: number;
  /** When the secret expires: always 0, it does not. */
  client_secret_expires_at: number;
  /**
   * The bearer token for `read`, `update` and `delete` (RFC 7592). Issued once by
   * `register`; `read` and `update` echo the token they were called with.
   */
  registration_access_token: string;
  /** The client configuration endpoint: `{issuer}oidc/register/{client_id}`. */
  registration_client_uri: string;
}

/** The parts of a response that are not metadata. */
export interface ResponseCredentials {
  /** The registration access token to put in the response. */
  readonly registrationAccessToken: string;
  /** The client configuration endpoint URL. */
  readonly registrationClientUri: string;
}

/**
 * Builds the response body for a client and its registration record.
 *
 * @param client - the client snapshot (its secret is read from it)
 * @param record - the registration record
 * @param credentials - the token and configuration endpoint to include
 * @example
 * ```ts
 * const body = registrationResponse(client, record, {
 *   registrationAccessToken: token,
 *   registrationClientUri: `${issuer}oidc/register/${client.client_id}`,
 * });
 * ```
 */
export function registrationResponse(
  client: Client,
  record: RegistrationRecord,
  credentials: ResponseCredentials,
): RegistrationResponse {
  const { metadata } = record;
  const fromClient: Partial<Record<keyof RegistrationMetadata, unknown>> = {
    redirect_uris: [...(client.callbacks ?? [])],
    client_name: client.name,
    token_endpoint_auth_method: registeredMethod(client, metadata),
    grant_types: [...client.grant_types],
    post_logout_redirect_uris: client.allowed_logout_urls && [...client.allowed_logout_urls],
    logo_uri: client.logo_uri,
    initiate_login_uri: client.initiate_login_uri,
  };
  // Echoed from the client when registered, so an administrator's change shows.
  if (metadata.id_token_signed_response_alg !== undefined) {
    fromClient.id_token_signed_response_alg = client.jwt_configuration?.alg ?? 'RS256';
  }
  const body: Record<string, unknown> = { client_id: client.client_id };
  for (const field of METADATA_FIELDS) {
    const value =
      REGISTRATION_METADATA[field].setting === undefined && !(field in fromClient)
        ? metadata[field]
        : fromClient[field];
    if (value !== undefined) body[field] = structuredClone(value);
  }
  // A private_key_jwt client proves keys, never a secret: none is handed out.
  if (client.client_secret !== undefined && body.token_endpoint_auth_method !== 'private_key_jwt') {
    body.client_secret = client.client_secret;
  }
  body.client_id_issued_at = record.client_id_issued_at;
  body.client_secret_expires_at = 0;
  body.registration_access_token = credentials.registrationAccessToken;
  body.registration_client_uri = credentials.registrationClientUri;
  return body as unknown as RegistrationResponse;
}

/**
 * The method to report: `private_key_jwt` when the client's credentials are enabled,
 * `client_secret_jwt` when it was registered so and still has a secret method, otherwise
 * the client's own `token_endpoint_auth_method`.
 */
function registeredMethod(client: Client, metadata: RegistrationMetadata): unknown {
  const methods = client.client_authentication_methods as
    { private_key_jwt?: { credentials?: unknown } } | null | undefined;
  const keys = methods?.private_key_jwt?.credentials;
  if (Array.isArray(keys) && keys.length > 0) return 'private_key_jwt';
  const own = client.token_endpoint_auth_method;
  if (
    metadata.token_endpoint_auth_method === 'client_secret_jwt' &&
    (own === 'client_secret_basic' || own === 'client_secret_post')
  ) {
    return 'client_secret_jwt';
  }
  return own;
}
