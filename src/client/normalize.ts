/**
 * Normalisation: what validation changes in settings that are valid. Comma-separated URL
 * lists become arrays (before the schema runs, so limits count entries), names are
 * trimmed, the deprecated `cross_origin_auth` becomes `cross_origin_authentication`,
 * Auth0's read-only export fields are dropped, and in full mode the app type's defaults
 * are filled in. Normalising a normalised value changes nothing.
 */
import { capabilitiesOf, GRANT_TYPES, isAppType, type GrantType } from './app-types.js';
import { LIMITS, READ_ONLY_FIELDS } from './fields.js';
import { URL_LIST_FIELDS } from './settings.js';

/**
 * Splits Auth0's comma-separated string form of the URL lists into arrays, in place, and
 * returns the fields that were strings (their issues point at the field, since a string
 * has no entries to point into).
 */
export function splitCommaLists(settings: Record<string, unknown>): ReadonlySet<string> {
  let split: Set<string> | undefined;
  for (const field of URL_LIST_FIELDS) {
    const value = settings[field];
    if (typeof value !== 'string') continue;
    settings[field] = splitList(value);
    (split ??= new Set()).add(field);
  }
  return split ?? NONE;
}

const NONE: ReadonlySet<string> = new Set();

/** `"a, b,,c "` → `['a', 'b', 'c']`: entries trimmed, empty ones dropped. */
export function splitList(value: string): string[] {
  const entries: string[] = [];
  for (const part of value.split(',')) {
    const entry = part.trim();
    if (entry !== '') entries.push(entry);
  }
  return entries;
}

/**
 * Normalises schema-valid, rule-valid settings in place and returns them (see the module
 * comment). `settings` must be validation's private snapshot: it is modified.
 */
export function normalizeSettings(
  settings: Record<string, unknown>,
  partial: boolean,
): Record<string, unknown> {
  for (const field of READ_ONLY_FIELDS) {
    if (Object.hasOwn(settings, field)) Reflect.deleteProperty(settings, field);
  }
  if (typeof settings['name'] === 'string') settings['name'] = settings['name'].trim();
  if (Object.hasOwn(settings, 'cross_origin_auth')) {
    // Deprecated spelling; the current field wins when both are given.
    if (!Object.hasOwn(settings, 'cross_origin_authentication')) {
      settings['cross_origin_authentication'] = settings['cross_origin_auth'];
    }
    delete settings['cross_origin_auth'];
  }
  if (!partial) fillDefaults(settings);
  return settings;
}

/**
 * Fills in the app type's defaults (full mode; `app_type` is valid or absent by now). A
 * client that authenticates with `client_authentication_methods` gets no method default:
 * Auth0 sends `null` there.
 */
function fillDefaults(settings: Record<string, unknown>): void {
  const appType = settings['app_type'];
  const type = capabilitiesOf(isAppType(appType) ? appType : undefined);
  const otherMethods = settings['client_authentication_methods'] !== undefined;
  settings['token_endpoint_auth_method'] ??= otherMethods ? null : type.authMethods.default;
  const isPublic = settings['token_endpoint_auth_method'] === 'none';
  // A public regular_web client (PKCE) gets the defaults it can use: no secret-only grants.
  const usable = type.grantTypes.default.filter(
    (grant) => !(isPublic && GRANT_TYPES[grant].requiresSecret),
  );
  settings['grant_types'] ??= isStrictThirdParty(settings) ? strictDefaults(usable) : usable;
  const jwt = settings['jwt_configuration'] as Record<string, unknown> | undefined;
  if (jwt === undefined) {
    settings['jwt_configuration'] = { lifetime_in_seconds: LIMITS.lifetimeDefault, alg: 'RS256' };
  } else {
    jwt['lifetime_in_seconds'] ??= LIMITS.lifetimeDefault;
    jwt['alg'] ??= 'RS256';
  }
  settings['sso'] ??= false;
  settings['sso_disabled'] ??= false;
  settings['is_first_party'] ??= true;
}

/**
 * A third-party client in strict mode, which Auth0 creates with the authorization_code
 * and refresh_token grants only (a machine-to-machine one keeps client_credentials).
 *
 * @see https://auth0.com/docs/get-started/applications/third-party-applications/configure-third-party-applications
 */
function isStrictThirdParty(settings: Record<string, unknown>): boolean {
  return settings['is_first_party'] === false && settings['third_party_security_mode'] === 'strict';
}

function strictDefaults(grants: readonly GrantType[]): GrantType[] {
  const user = grants.filter(
    (grant) => grant === 'authorization_code' || grant === 'refresh_token',
  );
  return user.length > 0 ? user : grants.filter((grant) => grant === 'client_credentials');
}
