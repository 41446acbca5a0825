/**
 * The four application types and the grant types, as tables. Validation, lint and
 * `Client` snapshots read these tables instead of branching on `app_type`, so what each
 * type may do reads at a glance and changes in one place.
 *
 * @see https://auth0.com/docs/get-started/applications
 * @see https://auth0.com/docs/get-started/applications/application-grant-types
 */
import { deepFreeze } from '../lib/deep-freeze.js';

/**
 * Auth0's application types (`app_type`): the four documented types, which have per-type
 * rules, and Auth0's other types (SSO integrations, resource servers, ...), which share
 * the defaults of a client without a type.
 *
 * @see https://auth0.com/docs/get-started/applications
 */
export type AppType = DocumentedAppType | OtherAppType;

/** The four documented application types, each with its own defaults and rules. */
export type DocumentedAppType = 'native' | 'spa' | 'regular_web' | 'non_interactive';

/** Auth0's other application types (the SDK's `ClientAppTypeEnum`, and `b2b_integration`). */
export type OtherAppType =
  | 'resource_server'
  | 'express_configuration'
  | 'b2b_integration'
  | 'sso_integration'
  | 'oag'
  | 'rms'
  | 'box'
  | 'cloudbees'
  | 'concur'
  | 'dropbox'
  | 'mscrm'
  | 'echosign'
  | 'egnyte'
  | 'newrelic'
  | 'office365'
  | 'salesforce'
  | 'sentry'
  | 'sharepoint'
  | 'slack'
  | 'springcm'
  | 'zendesk'
  | 'zoom';

/**
 * How a client authenticates at the token endpoint. `none` makes it a **public** client
 * (no secret); the other two make it **confidential**.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2 (token_endpoint_auth_method)
 */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';

/**
 * Auth0's grant type values: the specification grants, Auth0's extension grants and the
 * legacy grants older tenants still carry.
 *
 * @see https://auth0.com/docs/get-started/applications/application-grant-types
 */
export type GrantType =
  | 'authorization_code'
  | 'implicit'
  | 'refresh_token'
  | 'client_credentials'
  | 'password'
  | 'urn:ietf:params:oauth:grant-type:device_code'
  | 'urn:openid:params:grant-type:ciba'
  | 'urn:ietf:params:oauth:grant-type:token-exchange'
  | 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token'
  | 'http://auth0.com/oauth/grant-type/password-realm'
  | 'http://auth0.com/oauth/grant-type/mfa-oob'
  | 'http://auth0.com/oauth/grant-type/mfa-otp'
  | 'http://auth0.com/oauth/grant-type/mfa-recovery-code'
  | 'http://auth0.com/oauth/grant-type/passwordless/otp'
  | 'http://auth0.com/oauth/legacy/grant-type/ro'
  | 'http://auth0.com/oauth/legacy/grant-type/ro/jwt-bearer'
  | 'http://auth0.com/oauth/legacy/grant-type/delegation/refresh_token'
  | 'http://auth0.com/oauth/legacy/grant-type/delegation/id_token'
  | 'http://auth0.com/oauth/legacy/grant-type/access_token';

/** What a grant type needs, independent of the app type. */
export interface GrantTypeInfo {
  /** The client authenticates with a secret to use it, so a public client cannot. */
  readonly requiresSecret: boolean;
  /** An Auth0 legacy grant: accepted so old exports validate, flagged by lint. */
  readonly legacy: boolean;
  /** The grant sends the user's password through the client (RFC 9700 §2.4 forbids it). */
  readonly password: boolean;
}

const grant = (info: Partial<GrantTypeInfo> = {}): GrantTypeInfo => ({
  requiresSecret: false,
  legacy: false,
  password: false,
  ...info,
});

/**
 * Every grant type Auth0 knows, with what it needs. The keys are the accepted values of
 * `grant_types`.
 */
export const GRANT_TYPES: Readonly<Record<GrantType, GrantTypeInfo>> = {
  authorization_code: grant(),
  implicit: grant(),
  refresh_token: grant(),
  client_credentials: grant({ requiresSecret: true }),
  password: grant({ password: true }),
  'urn:ietf:params:oauth:grant-type:device_code': grant(),
  'urn:openid:params:grant-type:ciba': grant({ requiresSecret: true }),
  'urn:ietf:params:oauth:grant-type:token-exchange': grant(),
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token': grant(),
  'http://auth0.com/oauth/grant-type/password-realm': grant({ password: true }),
  'http://auth0.com/oauth/grant-type/mfa-oob': grant(),
  'http://auth0.com/oauth/grant-type/mfa-otp': grant(),
  'http://auth0.com/oauth/grant-type/mfa-recovery-code': grant(),
  'http://auth0.com/oauth/grant-type/passwordless/otp': grant(),
  'http://auth0.com/oauth/legacy/grant-type/ro': grant({ legacy: true, password: true }),
  'http://auth0.com/oauth/legacy/grant-type/ro/jwt-bearer': grant({ legacy: true }),
  'http://auth0.com/oauth/legacy/grant-type/delegation/refresh_token': grant({ legacy: true }),
  'http://auth0.com/oauth/legacy/grant-type/delegation/id_token': grant({ legacy: true }),
  'http://auth0.com/oauth/legacy/grant-type/access_token': grant({ legacy: true }),
};

/** Every {@link GrantType}, in table order. */
export const GRANT_TYPE_VALUES = Object.freeze(Object.keys(GRANT_TYPES) as GrantType[]);

/** The URL allow-list settings of a client. */
export type UrlListSetting =
  'callbacks' | 'allowed_logout_urls' | 'allowed_origins' | 'web_origins';

/** What one application type is, may do and gets by default. */
export interface AppTypeCapabilities {
  /** One line for people: what kind of application this is. */
  readonly description: string;
  /**
   * Whether clients of this type are public (no secret): `always` (method must be
   * `none`), `never` (must use a secret method), `default` (public unless a secret method
   * is chosen) or `optional` (confidential unless `none` is chosen).
   */
  readonly public: 'always' | 'never' | 'default' | 'optional';
  /** Token endpoint authentication methods. */
  readonly authMethods: {
    /** Methods validation accepts for this type. */
    readonly allowed: readonly TokenEndpointAuthMethod[];
    /** Filled in when `token_endpoint_auth_method` is absent. */
    readonly default: TokenEndpointAuthMethod;
    /** Why other methods are refused, for the validation message. */
    readonly why: string;
  };
  /** Grant types. */
  readonly grantTypes: {
    /** Grant types validation accepts for this type. */
    readonly allowed: readonly GrantType[];
    /** Filled in when `grant_types` is absent. */
    readonly default: readonly GrantType[];
    /**
     * Allowed (old Auth0 exports carry them) but doing nothing for this type; lint reports
     * them as settings that do not apply.
     */
    readonly inert: readonly GrantType[];
  };
  /**
   * The app runs on the user's device or in the browser, so anything it holds (a client
   * secret, an HS256 key) is readable by its users (RFC 8252 §8.5).
   */
  readonly runsOnUserDevice: boolean;
  /** URL lists that mean something for this type; the others are kept but inert. */
  readonly urlLists: readonly UrlListSetting[];
  /**
   * Loopback redirect URIs match on any port (RFC 8252 §7.3), and `localhost` entries are
   * expected rather than a leftover from development.
   */
  readonly loopbackRedirects: boolean;
}

const ALL_URL_LISTS: readonly UrlListSetting[] = [
  'callbacks',
  'allowed_logout_urls',
  'allowed_origins',
  'web_origins',
];

const USER_GRANTS: readonly GrantType[] = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'password',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
  'http://auth0.com/oauth/grant-type/password-realm',
  'http://auth0.com/oauth/grant-type/mfa-oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-recovery-code',
  'http://auth0.com/oauth/grant-type/passwordless/otp',
];

const LEGACY_GRANTS = GRANT_TYPE_VALUES.filter((name) => GRANT_TYPES[name].legacy);
const DEVICE_CODE: GrantType = 'urn:ietf:params:oauth:grant-type:device_code';
const CIBA: GrantType = 'urn:openid:params:grant-type:ciba';
const INTERACTIVE_DEFAULT: readonly GrantType[] = [
  'authorization_code',
  'implicit',
  'refresh_token',
];

const DOCUMENTED: Readonly<Record<DocumentedAppType, AppTypeCapabilities>> = {
  native: {
    description: 'Native app (mobile or desktop) running on the user’s device',
    public: 'default',
    authMethods: {
      allowed: ['none', 'client_secret_post', 'client_secret_basic'],
      default: 'none',
      why: 'a native app is public by default; a secret method is allowed but lint warns (RFC 8252 §8.5)',
    },
    grantTypes: {
      allowed: [...USER_GRANTS, DEVICE_CODE, 'client_credentials', ...LEGACY_GRANTS],
      default: INTERACTIVE_DEFAULT,
      inert: ['client_credentials'],
    },
    runsOnUserDevice: true,
    urlLists: ALL_URL_LISTS,
    loopbackRedirects: true,
  },
  spa: {
    description: 'Single-page app running in the browser',
    public: 'always',
    authMethods: {
      allowed: ['none'],
      default: 'none',
      why: 'a single-page app runs in the browser and cannot keep a secret',
    },
    grantTypes: {
      allowed: [...USER_GRANTS, ...LEGACY_GRANTS],
      default: INTERACTIVE_DEFAULT,
      inert: [],
    },
    runsOnUserDevice: true,
    urlLists: ALL_URL_LISTS,
    loopbackRedirects: false,
  },
  regular_web: {
    description: 'Server-side web application',
    public: 'optional',
    authMethods: {
      allowed: ['client_secret_post', 'client_secret_basic', 'none'],
      default: 'client_secret_post',
      why: 'a regular web app may use a secret method or none (PKCE)',
    },
    grantTypes: {
      allowed: [...USER_GRANTS, 'client_credentials', CIBA, ...LEGACY_GRANTS],
      default: [...INTERACTIVE_DEFAULT, 'client_credentials'],
      inert: [],
    },
    runsOnUserDevice: false,
    urlLists: ALL_URL_LISTS,
    loopbackRedirects: false,
  },
  non_interactive: {
    description: 'Machine-to-machine client (a service, daemon or CLI without a user)',
    public: 'never',
    authMethods: {
      allowed: ['client_secret_post', 'client_secret_basic'],
      default: 'client_secret_post',
      why: 'a machine-to-machine client authenticates with its secret; use client_secret_post or client_secret_basic',
    },
    grantTypes: {
      allowed: [...USER_GRANTS, 'client_credentials', CIBA, ...LEGACY_GRANTS],
      default: ['client_credentials'],
      inert: ['authorization_code', 'implicit', 'refresh_token'],
    },
    runsOnUserDevice: false,
    urlLists: [],
    loopbackRedirects: false,
  },
};

/**
 * What a client without `app_type`, or of one of Auth0's other types, is: confidential
 * unless `none` is chosen, with every grant and URL list (DESIGN.md's client-types table).
 */
export const UNTYPED: AppTypeCapabilities = deepFreeze({
  description: 'A client without a documented app type (Auth0 Default App, SSO integrations, ...)',
  public: 'optional',
  authMethods: {
    allowed: ['client_secret_post', 'client_secret_basic', 'none'],
    default: 'client_secret_post',
    why: 'a client without a documented app type may use a secret method or none',
  },
  grantTypes: {
    allowed: GRANT_TYPE_VALUES,
    default: [...INTERACTIVE_DEFAULT, 'client_credentials'],
    inert: [],
  },
  runsOnUserDevice: false,
  urlLists: ALL_URL_LISTS,
  loopbackRedirects: false,
});

/** Auth0's other app types, in the order of DESIGN.md's `AppType`. */
export const OTHER_APP_TYPES: readonly OtherAppType[] = Object.freeze([
  'resource_server',
  'express_configuration',
  'b2b_integration',
  'sso_integration',
  'oag',
  'rms',
  'box',
  'cloudbees',
  'concur',
  'dropbox',
  'mscrm',
  'echosign',
  'egnyte',
  'newrelic',
  'office365',
  'salesforce',
  'sentry',
  'sharepoint',
  'slack',
  'springcm',
  'zendesk',
  'zoom',
]);

/**
 * Every application type: public or confidential, allowed and default
 * `token_endpoint_auth_method`, allowed and default `grant_types`, and the facts lint and
 * `Client` snapshots need. The four documented types have their own rows; Auth0's other
 * types share {@link UNTYPED}'s. What a type does not allow is a lint error, not a
 * validation issue (Auth0 stores such clients).
 *
 * @example
 * ```ts
 * APP_TYPES.spa.authMethods.allowed; // ['none']
 * APP_TYPES.non_interactive.grantTypes.default; // ['client_credentials']
 * APP_TYPES.sso_integration.authMethods.default; // 'client_secret_post'
 * ```
 * @see https://auth0.com/docs/get-started/applications/confidential-and-public-applications
 * @see https://auth0.com/docs/get-started/applications/application-grant-types (Auth0 grant types mapping)
 */
export const APP_TYPES: Readonly<Record<AppType, AppTypeCapabilities>> = deepFreeze({
  ...DOCUMENTED,
  ...(Object.fromEntries(OTHER_APP_TYPES.map((name) => [name, UNTYPED])) as Record<
    OtherAppType,
    AppTypeCapabilities
  >),
});

/** The row of an app type; {@link UNTYPED} for a client without one. */
export function capabilitiesOf(appType: AppType | undefined): AppTypeCapabilities {
  return appType === undefined ? UNTYPED : APP_TYPES[appType];
}

/** Every {@link AppType}, in table order. */
export const APP_TYPE_VALUES = Object.freeze(Object.keys(APP_TYPES) as AppType[]);

/** True when `value` is an {@link AppType}. */
export function isAppType(value: unknown): value is AppType {
  return typeof value === 'string' && Object.hasOwn(APP_TYPES, value);
}

/** True when `value` is a {@link TokenEndpointAuthMethod}. */
export function isAuthMethod(value: unknown): value is TokenEndpointAuthMethod {
  return value === 'none' || value === 'client_secret_post' || value === 'client_secret_basic';
}

/** True when `value` is a {@link GrantType}. */
export function isGrantType(value: unknown): value is GrantType {
  return typeof value === 'string' && Object.hasOwn(GRANT_TYPES, value);
}
