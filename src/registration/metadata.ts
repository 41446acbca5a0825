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
import type { JsonObject } from '../client/settings.js';
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
  | 'jwks';

/** Client settings a metadata field becomes (`undefined`: kept in the registration record). */
export type MappedSetting =
  | 'callbacks'
  | 'allowed_logout_urls'
  | 'name'
  | 'token_endpoint_auth_method'
  | 'grant_types'
  | 'logo_uri';

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

/** The token endpoint authentication methods a registered client may use. */
export const REGISTRATION_AUTH_METHODS: readonly RegistrationAuthMethod[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

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
