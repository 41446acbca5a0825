/**
 * The client metadata Dynamic Client Registration recognises, as one table: each field's
 * kind (which reader validates it), its limits, its RFC 7591 default, which OAuth error a
 * bad value produces, and where it lives afterwards (a client setting, or the
 * registration record for metadata the client settings do not hold). Validation,
 * mapping to settings and the response all read this table.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import type { TokenEndpointAuthMethod } from '../client/app-types.js';
import type { JsonObject, JwtAlgorithm } from '../client/settings.js';
import type { RegistrationErrorName } from '../errors.js';

/**
 * `token_endpoint_auth_method` values registration accepts: Auth0's three, and the JWT
 * methods (`private_key_jwt` needs `jwks`; `client_secret_jwt` proves the secret with an
 * HS256 assertion).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
export type RegistrationAuthMethod =
  TokenEndpointAuthMethod | 'private_key_jwt' | 'client_secret_jwt';

/**
 * `application_type` (OpenID Connect Dynamic Client Registration 1.0 §2): `web` (the
 * default) or `native`. It decides the redirect URI rules.
 */
export type RegistrationApplicationType = 'web' | 'native';

/**
 * Grant types a dynamically registered client may ask for. The Auth0 names are the same
 * strings. Other grants (`password`, device code, JWT bearer) are refused: registered
 * clients are third-party applications.
 */
export type RegistrationGrantType =
  'authorization_code' | 'implicit' | 'refresh_token' | 'client_credentials';

/**
 * `response_types` values, with their components in canonical order (`code`, `id_token`,
 * `token`). Input may list the components in any order.
 *
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html
 */
export type RegistrationResponseType =
  | 'code'
  | 'token'
  | 'id_token'
  | 'code id_token'
  | 'code token'
  | 'id_token token'
  | 'code id_token token';

/** A JSON Web Key Set passed by value (`jwks`): public keys only. */
export interface RegistrationJwks {
  /** The keys, each a JWK with at least `kty` (RFC 7517 §4). */
  keys: JsonObject[];
}

/**
 * The registered metadata of a client, normalised: defaults filled in (RFC 7591 §2),
 * `client_name` trimmed, `grant_types` and `response_types` without duplicates.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export interface RegistrationMetadata {
  /** Redirection URIs (become `callbacks`); exact URIs, no wildcards. */
  redirect_uris: string[];
  /** Display name (becomes `name`); default `Dynamic client`. */
  client_name: string;
  /** How the client authenticates at the token endpoint; default `client_secret_basic`. */
  token_endpoint_auth_method: RegistrationAuthMethod;
  /** Grant types; default `['authorization_code']`. */
  grant_types: RegistrationGrantType[];
  /**
   * Response types; default `['code']`, or `[]` when `grant_types` has neither
   * `authorization_code` nor `implicit`.
   */
  response_types: RegistrationResponseType[];
  /** `web` (default) or `native`. */
  application_type: RegistrationApplicationType;
  /** Where the client may be sent after logout (become `allowed_logout_urls`). */
  post_logout_redirect_uris?: string[];
  /** Logo shown to users (becomes `logo_uri`). */
  logo_uri?: string;
  /** Home page of the client. */
  client_uri?: string;
  /** Privacy policy of the client. */
  policy_uri?: string;
  /** Terms of service of the client. */
  tos_uri?: string;
  /** People responsible for the client, usually e-mail addresses. */
  contacts?: string[];
  /** Space-separated scope values the client may request (RFC 6749 §3.3). */
  scope?: string;
  /** The client's public keys by value; never together with `jwks_uri`. */
  jwks?: RegistrationJwks;
  /** URL of the client's public keys (https); never together with `jwks`. */
  jwks_uri?: string;
  /**
   * ID token signing algorithm (OIDC DCR §2): one the tenant can sign with; becomes
   * `jwt_configuration.alg`. `HS256` needs a confidential client.
   */
  id_token_signed_response_alg?: JwtAlgorithm;
  /**
   * Algorithm of the client's assertions at the token endpoint (OIDC DCR §2); only for
   * the JWT authentication methods, and one of the method's algorithms.
   */
  token_endpoint_auth_signing_alg?: string;
  /** Where a third party can start a login of this client (https; Auth0's field too). */
  initiate_login_uri?: string;
  /** Default `max_age` in seconds for this client's authentication requests. */
  default_max_age?: number;
  /** Whether every ID token of this client must carry `auth_time`. */
  require_auth_time?: boolean;
  /** `public`, the only subject type served (`pairwise` is refused). */
  subject_type?: 'public';
}

/**
 * What a registration or update request may carry: any recognised metadata (missing
 * fields get their defaults), plus `client_id` and `client_secret` in an update (RFC
 * 7592 §2.2). Anything else is ignored (RFC 7591 §2).
 *
 * @example
 * ```ts
 * const request: RegistrationRequest = {
 *   client_name: 'Photo Printer',
 *   redirect_uris: ['https://printer.example.org/callback'],
 * };
 * ```
 */
export interface RegistrationRequest extends Partial<RegistrationMetadata> {
  /** Update only: the client's id, which must be the one being updated. */
  client_id?: string;
  /** Update only: when present, must equal the current secret (it is never changed). */
  client_secret?: string;
}

/** Which reader validates a field. */
export type MetadataKind =
  | 'redirect_uris'
  | 'logout_uris'
  | 'name'
  | 'auth_method'
  | 'grant_types'
  | 'response_types'
  | 'application_type'
  | 'web_uri'
  | 'https_uri'
  | 'contacts'
  | 'scope'
  | 'jwks'
  | 'id_token_alg'
  | 'auth_signing_alg'
  | 'max_age'
  | 'boolean'
  | 'subject_type';

/** Client settings a metadata field becomes (`undefined`: kept in the registration record). */
export type MappedSetting =
  | 'callbacks'
  | 'allowed_logout_urls'
  | 'name'
  | 'token_endpoint_auth_method'
  | 'grant_types'
  | 'logo_uri'
  | 'initiate_login_uri';

/** One row of {@link REGISTRATION_METADATA}. */
export interface MetadataFieldSpec {
  /** The reader that validates the value. */
  readonly kind: MetadataKind;
  /** The OAuth error a bad value produces (RFC 7591 §3.2.2). */
  readonly error: Exclude<RegistrationErrorName, 'access_denied' | 'invalid_token'>;
  /** Most entries of a list field. */
  readonly maxItems?: number;
  /** Longest string value (UTF-16 code units). */
  readonly maxLength?: number;
  /** The default when the field is absent or null, from what is known so far. */
  readonly defaultValue?: (given: Readonly<Partial<RegistrationMetadata>>) => unknown;
  /** The client setting it maps to; `undefined` when only the registration record holds it. */
  readonly setting: MappedSetting | undefined;
}

/** The longest URI accepted anywhere (the allow-list limit). */
export const MAX_URI_LENGTH = 2048;
/** Most redirect URIs, like the `callbacks` limit of client settings. */
export const MAX_REDIRECT_URIS = 100;

/**
 * The token endpoint authentication methods a registered client may use, with what each
 * allows: the algorithms `token_endpoint_auth_signing_alg` may name (none for methods
 * without an assertion) and whether the client gets a secret. Add a row to accept a
 * method.
 */
export const REGISTRATION_AUTH_METHOD_TABLE: Readonly<
  Record<
    RegistrationAuthMethod,
    { readonly signingAlgs: readonly string[]; readonly secret: boolean }
  >
> = {
  none: { signingAlgs: [], secret: false },
  client_secret_basic: { signingAlgs: [], secret: true },
  client_secret_post: { signingAlgs: [], secret: true },
  // RFC 7523 §2.2 with the client secret: HS256 only.
  client_secret_jwt: { signingAlgs: ['HS256'], secret: true },
  // The algorithms a client credential (public key) may use.
  private_key_jwt: { signingAlgs: ['RS256', 'RS384', 'PS256', 'ES256'], secret: false },
};

/** The token endpoint authentication methods a registered client may use. */
export const REGISTRATION_AUTH_METHODS: readonly RegistrationAuthMethod[] = Object.keys(
  REGISTRATION_AUTH_METHOD_TABLE,
) as RegistrationAuthMethod[];
/**
 * ID token algorithms registration may accept (`jwt_configuration.alg`'s values); a tenant
 * accepts those its keys can sign (HS256 with the client's secret).
 */
export const ID_TOKEN_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'PS256', 'RS512', 'HS256'];

/**
 * Metadata the tenant cannot honour: refused with `invalid_client_metadata` naming the
 * field instead of silently dropped, so a client never believes it got what it asked for.
 * `subject_type` is refused only when it is not `public` (its own reader).
 */
export const REFUSED_METADATA: Readonly<Record<string, string>> = {
  sector_identifier_uri: 'pairwise subject identifiers are not supported',
  request_uris: 'request objects by reference (request_uri) are not supported',
  id_token_encrypted_response_alg: 'encrypted ID tokens are not supported',
  id_token_encrypted_response_enc: 'encrypted ID tokens are not supported',
  userinfo_encrypted_response_alg: 'encrypted userinfo responses are not supported',
  userinfo_encrypted_response_enc: 'encrypted userinfo responses are not supported',
  introspection_encrypted_response_alg: 'encrypted introspection responses are not supported',
  introspection_encrypted_response_enc: 'encrypted introspection responses are not supported',
  authorization_encrypted_response_alg: 'encrypted authorization responses are not supported',
  authorization_encrypted_response_enc: 'encrypted authorization responses are not supported',
  request_object_encryption_alg: 'encrypted request objects are not supported',
  request_object_encryption_enc: 'encrypted request objects are not supported',
};

/** The grant types a registered client may use. */
export const REGISTRATION_GRANT_TYPES: readonly RegistrationGrantType[] = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
];

/** Components of a response type, in canonical order. */
export const RESPONSE_TYPE_COMPONENTS = ['code', 'id_token', 'token'] as const;

/** The application types. */
export const APPLICATION_TYPES: readonly RegistrationApplicationType[] = ['web', 'native'];

/**
 * The recognised metadata, in the order problems are reported and fields are echoed.
 *
 * @example
 * ```ts
 * REGISTRATION_METADATA.redirect_uris.setting; // 'callbacks'
 * REGISTRATION_METADATA.client_uri.setting; // undefined: kept in the registration record
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
export const REGISTRATION_METADATA = Object.freeze({
  redirect_uris: {
    kind: 'redirect_uris',
    error: 'invalid_redirect_uri',
    maxItems: MAX_REDIRECT_URIS,
    maxLength: MAX_URI_LENGTH,
    defaultValue: () => [],
    setting: 'callbacks',
  },
  client_name: {
    kind: 'name',
    error: 'invalid_client_metadata',
    maxLength: 255,
    defaultValue: () => 'Dynamic client',
    setting: 'name',
  },
  token_endpoint_auth_method: {
    kind: 'auth_method',
    error: 'invalid_client_metadata',
    defaultValue: () => 'client_secret_basic',
    setting: 'token_endpoint_auth_method',
  },
  grant_types: {
    kind: 'grant_types',
    error: 'invalid_client_metadata',
    maxItems: 20,
    defaultValue: () => ['authorization_code'],
    setting: 'grant_types',
  },
  response_types: {
    kind: 'response_types',
    error: 'invalid_client_metadata',
    maxItems: 20,
    defaultValue: (given) =>
      given.grant_types?.some((grant) => grant === 'authorization_code' || grant === 'implicit')
        ? ['code']
        : [],
    setting: undefined,
  },
  application_type: {
    kind: 'application_type',
    error: 'invalid_client_metadata',
    defaultValue: () => 'web',
    setting: undefined,
  },
  post_logout_redirect_uris: {
    kind: 'logout_uris',
    error: 'invalid_client_metadata',
    maxItems: MAX_REDIRECT_URIS,
    maxLength: MAX_URI_LENGTH,
    setting: 'allowed_logout_urls',
  },
  logo_uri: {
    kind: 'web_uri',
    error: 'invalid_client_metadata',
    maxLength: MAX_URI_LENGTH,
    setting: 'logo_uri',
  },
  client_uri: {
    kind: 'web_uri',
    error: 'invalid_client_metadata',
    maxLength: MAX_URI_LENGTH,
    setting: undefined,
  },
  policy_uri: {
    kind: 'web_uri',
    error: 'invalid_client_metadata',
    maxLength: MAX_URI_LENGTH,
    setting: undefined,
  },
  tos_uri: {
    kind: 'web_uri',
    error: 'invalid_client_metadata',
    maxLength: MAX_URI_LENGTH,
    setting: undefined,
  },
  contacts: {
    kind: 'contacts',
    error: 'invalid_client_metadata',
    maxItems: 100,
    maxLength: 320,
    setting: undefined,
  },
  scope: {
    kind: 'scope',
    error: 'invalid_client_metadata',
    maxLength: 4096,
    setting: undefined,
  },
  jwks: {
    kind: 'jwks',
    error: 'invalid_client_metadata',
    maxItems: 20,
    maxLength: 65_536,
    setting: undefined,
  },
  jwks_uri: {
    kind: 'https_uri',
    error: 'invalid_client_metadata',
    maxLength: MAX_URI_LENGTH,
    setting: undefined,
  },
  id_token_signed_response_alg: {
    kind: 'id_token_alg',
    error: 'invalid_client_metadata',
    // Becomes jwt_configuration.alg (to-settings.ts), not a top-level setting.
    setting: undefined,
  },
  token_endpoint_auth_signing_alg: {
    kind: 'auth_signing_alg',
    error: 'invalid_client_metadata',
    setting: undefined,
  },
  initiate_login_uri: {
    kind: 'https_uri',
    error: 'invalid_client_metadata',
    maxLength: MAX_URI_LENGTH,
    setting: 'initiate_login_uri',
  },
  default_max_age: {
    kind: 'max_age',
    error: 'invalid_client_metadata',
    // Also mirrored into client_metadata (to-settings.ts) for the authorization server.
    setting: undefined,
  },
  require_auth_time: {
    kind: 'boolean',
    error: 'invalid_client_metadata',
    setting: undefined,
  },
  subject_type: {
    kind: 'subject_type',
    error: 'invalid_client_metadata',
    setting: undefined,
  },
} satisfies Record<keyof RegistrationMetadata, MetadataFieldSpec>);

/** A recognised metadata field name. */
export type MetadataField = keyof RegistrationMetadata;

/** The recognised field names, in table order. */
export const METADATA_FIELDS = Object.freeze(Object.keys(REGISTRATION_METADATA) as MetadataField[]);

/**
 * Fields a registration response (RFC 7591 §3.2) carries that a client may not send in an
 * update (RFC 7592 §2.2).
 */
export const SERVER_ISSUED_FIELDS = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
] as const;
