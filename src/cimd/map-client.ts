/**
 * A valid metadata document → the client Auth0 makes of it: the settings registration
 * maps (`redirect_uris` → `callbacks`, `client_name` → `name`, ...), and the CIMD marks
 * Auth0 puts on every such client: a third-party client (`is_first_party: false`) in
 * `third_party_security_mode: 'strict'`, with `external_client_id` = the URL,
 * `external_metadata_type: 'cimd'` and who registered it. A `private_key_jwt` document's
 * keys become the client's credentials (`client_authentication_methods`).
 *
 * @see https://auth0.com/docs/get-started/auth0-overview/create-applications/cimd-overview
 */
import type { ClientInput } from '../client/settings.js';
import type { ClientCredential } from '../client/public-key-credential.js';
import { toClientInput } from '../registration/to-settings.js';
import type { ValidatedClientMetadataDocument } from './validate.js';

/** Who registered a CIMD client: `client` by using its URL (dynamic), `admin` by the Management API. */
export type CimdCreatedBy = 'client' | 'admin';

/**
 * The client fields a document maps to, as Auth0's Management API reports them
 * (`CimdMappedClientFields` in the `auth0` SDK).
 */
export interface CimdMappedClientFields {
  /** The client id URL. */
  external_client_id: string;
  /** `client_name`, or the URL's host when the document has none. */
  name: string;
  /** The Auth0 app type registration's mapping gives. */
  app_type: string;
  /** `redirect_uris`. */
  callbacks: string[];
  /** `logo_uri`, when given. */
  logo_uri?: string;
  /** `grant_types`. */
  grant_types: string[];
  /** `none` or `private_key_jwt`. */
  token_endpoint_auth_method: string;
  /** The document's `jwks_uri`, when its keys are published there. */
  jwks_uri?: string;
  /** The credentials made of the document's keys (`private_key_jwt`). */
  client_authentication_methods?: {
    /** The `private_key_jwt` method. */
    private_key_jwt: {
      /** One credential per key of the document's JWK Set. */
      credentials: {
        /** Always `public_key`. */
        credential_type: 'public_key';
        /** The key's `kid`. */
        kid: string;
        /** The algorithm it signs with. */
        alg: string;
      }[];
    };
  };
}

/**
 * The client settings of a CIMD client.
 *
 * @param document - a validated document
 * @param createdBy - `client` (dynamic CIMD) or `admin` (Management API)
 * @param credentials - the stored credentials made of its keys (`private_key_jwt`)
 * @example
 * ```ts
 * cimdClientInput(validated, 'client', []).external_metadata_type; // 'cimd'
 * ```
 */
export function cimdClientInput(
  document: ValidatedClientMetadataDocument,
  createdBy: CimdCreatedBy,
  credentials: readonly Pick<ClientCredential, 'id'>[],
): ClientInput {
  const input: ClientInput = {
    ...toClientInput(document.metadata),
    name: displayName(document),
    is_first_party: false,
    third_party_security_mode: 'strict',
    external_client_id: document.clientId,
    external_metadata_type: 'cimd',
    external_metadata_created_by: createdBy,
  };
  if (document.metadata.jwks_uri !== undefined) input.jwks_uri = document.metadata.jwks_uri;
  if (credentials.length > 0) {
    input.client_authentication_methods = {
      private_key_jwt: { credentials: credentials.map(({ id }) => ({ id })) },
    };
  }
  return input;
}

/**
 * The fields Auth0's preview and register responses report for a document.
 *
 * @param document - a validated document
 * @param credentials - the credentials made of its keys
 * @example
 * ```ts
 * cimdMappedFields(validated, []).callbacks; // the document's redirect_uris
 * ```
 */
export function cimdMappedFields(
  document: ValidatedClientMetadataDocument,
  credentials: readonly Pick<ClientCredential, 'kid' | 'alg'>[],
): CimdMappedClientFields {
  const input = toClientInput(document.metadata);
  const mapped: CimdMappedClientFields = {
    external_client_id: document.clientId,
    name: displayName(document),
    app_type: input.app_type ?? 'regular_web',
    callbacks: [...document.metadata.redirect_uris],
    grant_types: [...document.metadata.grant_types],
    token_endpoint_auth_method: document.metadata.token_endpoint_auth_method,
  };
  if (document.metadata.logo_uri !== undefined) mapped.logo_uri = document.metadata.logo_uri;
  if (document.metadata.jwks_uri !== undefined) mapped.jwks_uri = document.metadata.jwks_uri;
  if (credentials.length > 0) {
    mapped.client_authentication_methods = {
      private_key_jwt: {
        credentials: credentials.map(({ kid, alg }) => ({
          credential_type: 'public_key',
          kid: kid ?? '',
          alg,
        })),
      },
    };
  }
  return mapped;
}

/** `client_name`, or the host of the URL: a login page must show something true. */
function displayName(document: ValidatedClientMetadataDocument): string {
  return document.named ? document.metadata.client_name : new URL(document.clientId).host;
}
