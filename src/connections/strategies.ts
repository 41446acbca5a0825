/**
 * Auth0 connection strategies and the category each belongs to, in one table. Validation,
 * the `category` of a returned connection and the error listing valid strategies all read
 * it, so a strategy is added in one place.
 *
 * @see https://auth0.com/docs/authenticate/identity-providers
 * @see https://auth0.com/docs/authenticate/enterprise-connections (enterprise `strategy` values)
 * @module
 */

/**
 * What kind of identity source a connection is:
 * - `database`: users and passwords kept by the tenant (`auth0`);
 * - `social`: a consumer identity provider (Google, GitHub, Apple, …) or a custom OAuth
 *   1/2 provider;
 * - `enterprise`: an organisation's federated identity provider (SAML, OIDC, Entra ID,
 *   Okta, AD/LDAP, …);
 * - `passwordless`: one-time codes or links by email or SMS.
 */
export type ConnectionCategory = 'database' | 'social' | 'enterprise' | 'passwordless';

/** The strategy table; see {@link CONNECTION_STRATEGIES}. */
const STRATEGY_TABLE = Object.freeze({
  auth0: 'database',

  email: 'passwordless',
  sms: 'passwordless',

  ad: 'enterprise',
  adfs: 'enterprise',
  'auth0-adldap': 'enterprise',
  'auth0-oidc': 'enterprise',
  custom: 'enterprise',
  'google-apps': 'enterprise',
  ip: 'enterprise',
  office365: 'enterprise',
  oidc: 'enterprise',
  okta: 'enterprise',
  pingfederate: 'enterprise',
  samlp: 'enterprise',
  sharepoint: 'enterprise',
  waad: 'enterprise',

  amazon: 'social',
  aol: 'social',
  apple: 'social',
  baidu: 'social',
  bitbucket: 'social',
  bitly: 'social',
  box: 'social',
  daccount: 'social',
  dropbox: 'social',
  dwolla: 'social',
  evernote: 'social',
  'evernote-sandbox': 'social',
  exact: 'social',
  facebook: 'social',
  fitbit: 'social',
  flickr: 'social',
  github: 'social',
  'google-oauth2': 'social',
  instagram: 'social',
  line: 'social',
  linkedin: 'social',
  miicard: 'social',
  oauth1: 'social',
  oauth2: 'social',
  paypal: 'social',
  'paypal-sandbox': 'social',
  planningcenter: 'social',
  renren: 'social',
  salesforce: 'social',
  'salesforce-community': 'social',
  'salesforce-sandbox': 'social',
  shop: 'social',
  shopify: 'social',
  soundcloud: 'social',
  thecity: 'social',
  'thecity-sandbox': 'social',
  thirtysevensignals: 'social',
  twitter: 'social',
  untappd: 'social',
  vkontakte: 'social',
  weibo: 'social',
  windowslive: 'social',
  wordpress: 'social',
  yahoo: 'social',
  yammer: 'social',
  yandex: 'social',
} as const satisfies Readonly<Record<string, ConnectionCategory>>);

/**
 * An Auth0 connection strategy the library knows (a key of {@link CONNECTION_STRATEGIES}).
 *
 * @useDeclaredType
 */
export type ConnectionStrategy = keyof typeof STRATEGY_TABLE;

/**
 * Every Auth0 `strategy` value the library accepts, with its category. Taken from the
 * Management API's strategy enumeration and Auth0's list of enterprise strategy values;
 * `auth0-oidc` (another Auth0 tenant as identity provider) and `custom` (Auth0's legacy
 * custom enterprise connection) are classed as enterprise, `oauth1`/`oauth2` (custom
 * social connections) as social. Strategies are case-sensitive, as in Auth0.
 */
export const CONNECTION_STRATEGIES: Readonly<Record<ConnectionStrategy, ConnectionCategory>> =
  STRATEGY_TABLE;

/** Strategies named when an unknown one is refused: one or two of each category. */
export const EXAMPLE_STRATEGIES: readonly ConnectionStrategy[] = Object.freeze([
  'auth0',
  'google-oauth2',
  'github',
  'apple',
  'samlp',
  'oidc',
  'waad',
  'email',
  'sms',
]);

/**
 * True when `value` is a strategy of {@link CONNECTION_STRATEGIES}.
 *
 * @example
 * ```ts
 * isConnectionStrategy('google-oauth2'); // true
 * isConnectionStrategy('Google-OAuth2'); // false: strategies are case-sensitive
 * ```
 */
export function isConnectionStrategy(value: unknown): value is ConnectionStrategy {
  return typeof value === 'string' && Object.hasOwn(CONNECTION_STRATEGIES, value);
}

/**
 * The category of a strategy, or `undefined` for a strategy the library does not know.
 *
 * @example
 * ```ts
 * connectionCategory('auth0');  // 'database'
 * connectionCategory('github'); // 'social'
 * connectionCategory('samlp');  // 'enterprise'
 * connectionCategory('email');  // 'passwordless'
 * ```
 */
export function connectionCategory(strategy: string): ConnectionCategory | undefined {
  return isConnectionStrategy(strategy) ? CONNECTION_STRATEGIES[strategy] : undefined;
}
