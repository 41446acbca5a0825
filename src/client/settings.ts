/**
 * The shape of a client's settings, with Auth0's Management API v2 field names, so a real
 * Auth0 client object or Deploy CLI export entry is a valid input as it is.
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-clients
 */
import type { AllowListKind } from '../urls/kinds.js';
import type { AppType, GrantType, TokenEndpointAuthMethod, UrlListSetting } from './app-types.js';

/** Any JSON value: what pass-through settings may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  /** Any JSON value. */
  [key: string]: JsonValue;
}

/** Algorithms Auth0 signs a client's id_tokens with. */
export type JwtAlgorithm = 'RS256' | 'HS256' | 'PS256' | 'RS512';

/** How the client's id_tokens are signed and for how long they are valid. */
export interface JwtConfiguration {
  /** id_token lifetime in seconds, 1 to 2592000 (30 days); default 36000 (10 hours). */
  lifetime_in_seconds: number;
  /**
   * Signing algorithm; default `RS256`. `HS256` signs with the client secret, so it needs a
   * confidential client.
   */
  alg: JwtAlgorithm;
  /** The client secret is base64url-encoded: decode it before using it as the HS256 key. */
  secret_encoded?: boolean;
  /** Auth0's legacy per-client scope configuration, passed through unchanged. */
  scopes?: JsonObject;
}

/** Auth0 addon names accepted as keys of `addons`. */
export type AddonName =
  | 'aws'
  | 'azure_blob'
  | 'azure_sb'
  | 'rms'
  | 'mscrm'
  | 'slack'
  | 'sentry'
  | 'box'
  | 'cloudbees'
  | 'concur'
  | 'dropbox'
  | 'echosign'
  | 'egnyte'
  | 'firebase'
  | 'newrelic'
  | 'office365'
  | 'salesforce'
  | 'salesforce_api'
  | 'salesforce_sandbox_api'
  | 'samlp'
  | 'layer'
  | 'sap_api'
  | 'sharepoint'
  | 'springcm'
  | 'wams'
  | 'wsfed'
  | 'zendesk'
  | 'zoom'
  | 'sso_integration'
  | 'oag';

/** Addon configurations by addon name; each value is the addon's own settings object. */
export type ClientAddons = Partial<Record<AddonName, JsonObject>>;

/** Auth0 refresh token settings (passed through; members type-checked). */
export interface RefreshTokenSettings {
  /** `rotating` issues a new refresh token on every use. */
  rotation_type?: 'rotating' | 'non-rotating';
  /** `expiring` refresh tokens have an absolute lifetime. */
  expiration_type?: 'expiring' | 'non-expiring';
  /** Seconds a rotated refresh token stays usable. */
  leeway?: number;
  /** Absolute lifetime in seconds. */
  token_lifetime?: number;
  /** Ignore `token_lifetime`. */
  infinite_token_lifetime?: boolean;
  /** Inactivity lifetime in seconds. */
  idle_token_lifetime?: number;
  /** Ignore `idle_token_lifetime`. */
  infinite_idle_token_lifetime?: boolean;
  /** Other Auth0 members (`policies`, ...), passed through. */
  [member: string]: unknown;
}

/** Native app identity for Android App Links and iOS Universal Links (passed through). */
export interface MobileSettings {
  /** Android app identity. */
  android?: {
    /** Package name (`com.example.app`). */
    app_package_name?: string;
    /** SHA-256 fingerprints of the signing certificates. */
    sha256_cert_fingerprints?: string[];
    /** Other members, passed through. */
    [member: string]: unknown;
  };
  /** iOS app identity. */
  ios?: {
    /** Apple team id. */
    team_id?: string;
    /** Bundle identifier (`com.example.app`). */
    app_bundle_identifier?: string;
    /** Other members, passed through. */
    [member: string]: unknown;
  };
  /** Other platforms, passed through. */
  [platform: string]: unknown;
}

/** One provider's native social login switch (passed through). */
export interface NativeSocialLoginProvider {
  /** Native login with this provider is on. */
  enabled?: boolean;
  /** Other members, passed through. */
  [member: string]: unknown;
}

/** Native social login switches (passed through). */
export interface NativeSocialLogin {
  /** Sign in with Apple natively. */
  apple?: NativeSocialLoginProvider;
  /** Facebook native login. */
  facebook?: NativeSocialLoginProvider;
  /** Google native login. */
  google?: NativeSocialLoginProvider;
  /** Other providers, passed through. */
  [provider: string]: unknown;
}

/** The key Auth0 encrypts SAML assertions and similar payloads with (passed through). */
export interface EncryptionKey {
  /** Public key, PEM. */
  pub?: string;
  /** Certificate, PEM. */
  cert?: string;
  /** Certificate subject. */
  subject?: string;
  /** Other members, passed through. */
  [member: string]: unknown;
}

/**
 * Auth0 client fields the library does not interpret: type-checked and passed through
 * unchanged. The first group is the list DESIGN.md names; the second holds newer Auth0
 * fields found in current Management API responses (see docs/client-settings.md).
 */
export interface PassThroughSettings {
  /** Auth0 "OIDC Conformant" switch. */
  oidc_conformant?: boolean;
  /** Allow cross-origin authentication (embedded login). Input may use the deprecated `cross_origin_auth`. */
  cross_origin_authentication?: boolean;
  /** URL of the page that verifies cross-origin authentication. */
  cross_origin_loc?: string;
  /** Use the custom login page. */
  custom_login_page_on?: boolean;
  /** Custom login page HTML. */
  custom_login_page?: string;
  /** Custom login page HTML for previews. */
  custom_login_page_preview?: string;
  /** WS-Federation form template HTML. */
  form_template?: string;
  /** SAML/WS-Fed audiences and realms. */
  client_aliases?: string[];
  /** Clients allowed to make delegation requests. */
  allowed_clients?: string[];
  /** Native social login switches. */
  native_social_login?: NativeSocialLogin;
  /** Refresh token settings. */
  refresh_token?: RefreshTokenSettings;
  /** Logo URL (150×150 recommended). */
  logo_uri?: string;
  /** Third-party initiated login URI (https). */
  initiate_login_uri?: string;
  /** Whether users log in through an organization (`{organization_name}` needs allow or require). */
  organization_usage?: 'deny' | 'allow' | 'require';
  /** What happens when an organization is required but not given. */
  organization_require_behavior?: 'no_prompt' | 'pre_login_prompt' | 'post_login_prompt';
  /** Native app identity for app links. */
  mobile?: MobileSettings;
  /** Trust the `auth0-forwarded-for` header at the token endpoint. */
  is_token_endpoint_ip_header_trusted?: boolean;
  /** Skip the confirmation prompt for non-verifiable callback URIs. */
  skip_non_verifiable_callback_uri_confirmation_prompt?: boolean;
  /** Compliance level (FAPI profiles). */
  compliance_level?:
    | 'none'
    | 'fapi1_adv_pkj_par'
    | 'fapi1_adv_mtls_par'
    | 'fapi2_sp_pkj_mtls'
    | 'fapi2_sp_mtls_mtls';
  /** Require Pushed Authorization Requests (RFC 9126). */
  require_pushed_authorization_requests?: boolean;
  /** Encryption key. */
  encryption_key?: EncryptionKey;

  /** OIDC back-channel logout settings. */
  oidc_logout?: JsonObject;
  /** Deprecated name of `oidc_logout`, passed through as given. */
  oidc_backchannel_logout?: JsonObject;
  /** Native-to-web session transfer settings. */
  session_transfer?: JsonObject;
  /** Default organization for flows without one. */
  default_organization?: JsonObject;
  /** How users find their organization on the login prompt (`email`, `organization_name`). */
  organization_discovery_methods?: ('email' | 'organization_name')[];
  /** Require proof-of-possession (DPoP or mTLS) tokens. */
  require_proof_of_possession?: boolean;
  /** JWT-secured authorization request settings. */
  signed_request_object?: JsonObject;
  /** Token exchange settings. */
  token_exchange?: JsonObject;
  /** Lifetime of a pushed authorization request URI, in seconds. */
  par_request_expiry?: number;
  /** Client credentials quota. */
  token_quota?: JsonObject;
  /** Okta OIN express configuration. */
  express_configuration?: JsonObject;
  /** B2B integration configuration. */
  b2b_integration_configuration?: JsonObject;
  /** CIBA notification channels. */
  async_approval_notification_channels?: string[];
  /** Sign in with FedCM (browser federated credentials). */
  fedcm_login?: JsonObject;
  /** The API (resource server identifier) this client is linked to. */
  resource_server_identifier?: string;
  /** Identity assertion authorization grant settings. */
  identity_assertion_authorization_grant?: JsonObject;
  /** Anonymous session settings. */
  anonymous_sessions?: JsonObject;
  /** Token Vault privileged access settings. */
  token_vault_privileged_access?: JsonObject;
  /** My Organization API settings. */
  my_organization_configuration?: JsonObject;
  /** Security mode of a third-party client. */
  third_party_security_mode?: 'strict' | 'permissive';
  /** Redirection policy. */
  redirection_policy?: 'allow_always' | 'open_redirect_protection';
  /** Client ID Metadata Document URL of a CIMD client. */
  external_client_id?: string;
  /** How an externally registered client was registered. */
  external_metadata_type?: 'cimd' | 'dcr';
  /** Who registered an externally registered client. */
  external_metadata_created_by?: 'admin' | 'client';
  /** JWKS URL of a CIMD client using private_key_jwt. */
  jwks_uri?: string;
}

/** One credential of a `client_authentication_methods` method: an id, or a new key. */
export interface ClientCredentialRef {
  /** The id of an existing credential. */
  id?: string;
  /** `public_key`, `x509_cert`, ... for a new credential. */
  credential_type?: string;
  /** Other members (pem, alg, kid, name, ...), passed through. */
  [member: string]: JsonValue | undefined;
}

/**
 * Auth0's client authentication methods beyond secrets; a client that has them gets no
 * `token_endpoint_auth_method` default.
 */
export interface ClientAuthenticationMethods {
  /** Signed JWT assertions (RFC 7523). */
  private_key_jwt?: {
    /** The credentials the client proves. */
    credentials: ClientCredentialRef[];
  };
  /** mTLS with a CA-issued certificate (RFC 8705). */
  tls_client_auth?: {
    /** The certificates the client presents. */
    credentials: ClientCredentialRef[];
  };
  /** mTLS with a self-signed certificate (RFC 8705). */
  self_signed_tls_client_auth?: {
    /** The certificates the client presents. */
    credentials: ClientCredentialRef[];
  };
}

/**
 * A client's settings as validation returns them (normalised): URL lists are arrays, the
 * app type's defaults are filled in and Auth0's read-only export fields are gone.
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-clients
 */
export interface ClientSettings extends PassThroughSettings {
  /** Display name, 1–255 characters after trimming (stored trimmed), no `<` or `>`. */
  name: string;
  /** Free text, at most 140 characters. */
  description?: string;
  /**
   * The application type; decides the defaults and what lint expects. Absent on Auth0's
   * Default App and on many clients created through the Management API.
   */
  app_type?: AppType;
  /** Allowed `redirect_uri` values (at most 100 patterns). */
  callbacks?: string[];
  /** Allowed logout `returnTo` values (at most 100 patterns). */
  allowed_logout_urls?: string[];
  /** Extra CORS origins; the callbacks' origins are always allowed too (at most 100). */
  allowed_origins?: string[];
  /** Origins for web_message response mode and cross-origin authentication (at most 100). */
  web_origins?: string[];
  /**
   * How the client authenticates at the token endpoint; default from the app type. `null`
   * when the client authenticates with `client_authentication_methods` instead.
   */
  token_endpoint_auth_method: TokenEndpointAuthMethod | null;
  /** Client authentication with keys or certificates (private_key_jwt, mTLS). */
  client_authentication_methods?: ClientAuthenticationMethods;
  /** Grant types the client may use; default from the app type. */
  grant_types: GrantType[];
  /** id_token signing and lifetime. */
  jwt_configuration: JwtConfiguration;
  /** Use Auth0 instead of the IdP to do Single Sign On; default false. */
  sso: boolean;
  /** Disable Single Sign On; default false. */
  sso_disabled: boolean;
  /** First-party (trusted) client; default true. */
  is_first_party: boolean;
  /** Up to 10 string values, keys and values at most 255 characters. */
  client_metadata?: Record<string, string>;
  /** Auth0 addon configurations. */
  addons?: ClientAddons;
}

/**
 * Fields of an Auth0 Management API client object or Deploy CLI export that describe the
 * tenant's copy rather than settings. Accepted on input and dropped from the value.
 */
export interface ReadOnlyExportFields {
  /** The client's id in the exporting tenant (this library assigns its own). */
  client_id?: string;
  /** The client's secret in the exporting tenant; dropped (see docs/client-settings.md). */
  client_secret?: string | undefined;
  /** Tenant name. */
  tenant?: string;
  /** True for Auth0's "All Applications" pseudo-client. */
  global?: boolean;
  /** Auth0 internal flag. */
  callback_url_template?: boolean;
  /** The tenant's signing certificates. */
  signing_keys?: JsonValue;
  /** Dashboard owners of the global client. */
  owners?: string[];
  /** Auth0 internal flag found in old exports. */
  encrypted?: boolean;
  /** Auth0 internal field found in old exports. */
  config_route?: string;
  /** When the client was created in the exporting tenant. */
  created_at?: string;
  /** When the client was last updated in the exporting tenant. */
  updated_at?: string;
}

/**
 * The fields of {@link ClientInput}, before `null` is allowed on the optional ones.
 */
export interface ClientInputFields
  extends
    Omit<
      ClientSettings,
      | 'token_endpoint_auth_method'
      | 'grant_types'
      | 'jwt_configuration'
      | 'sso'
      | 'sso_disabled'
      | 'is_first_party'
      | 'callbacks'
      | 'allowed_logout_urls'
      | 'allowed_origins'
      | 'web_origins'
    >,
    ReadOnlyExportFields {
  /** Allowed `redirect_uri` values: an array, or one comma-separated string. */
  callbacks?: string[] | string;
  /** Allowed logout URLs: an array, or one comma-separated string. */
  allowed_logout_urls?: string[] | string;
  /** Extra CORS origins: an array, or one comma-separated string. */
  allowed_origins?: string[] | string;
  /** Web origins: an array, or one comma-separated string. */
  web_origins?: string[] | string;
  /** Default from the app type (none when `client_authentication_methods` is given). */
  token_endpoint_auth_method?: TokenEndpointAuthMethod;
  /** Default from the app type. */
  grant_types?: GrantType[];
  /** Missing members get their defaults (36000 seconds, RS256). */
  jwt_configuration?: Partial<JwtConfiguration>;
  /** Default false. */
  sso?: boolean;
  /** Default false. */
  sso_disabled?: boolean;
  /** Default true. */
  is_first_party?: boolean;
  /** Deprecated Auth0 name of `cross_origin_authentication`; mapped to it. */
  cross_origin_auth?: boolean;
}

/**
 * What `validateClientSettings` accepts and `Tenant.clients.create` takes: the settings,
 * with the app type's defaults optional, URL lists also as Auth0's comma-separated
 * strings, the deprecated `cross_origin_auth`, and Auth0's read-only export fields. Every
 * optional field may be `null`: absent on create, "remove it" in an update.
 */
export type ClientInput = {
  [Field in keyof ClientInputFields]: Field extends 'name'
    ? ClientInputFields[Field]
    : ClientInputFields[Field] | null;
};

/** Settings fields that hold URL allow-lists (and accept Auth0's comma-separated form). */
export const URL_LIST_FIELDS: readonly UrlListSetting[] = [
  'callbacks',
  'allowed_logout_urls',
  'allowed_origins',
  'web_origins',
];

/** The allow-list kind each URL list setting holds. */
export const URL_LIST_KINDS: Readonly<Record<UrlListSetting, AllowListKind>> = {
  callbacks: 'callback',
  allowed_logout_urls: 'logout',
  allowed_origins: 'origin',
  web_origins: 'origin',
};
