/**
 * The facts lint rules read, derived once per `lintClient` call from a defensive copy of
 * the settings, so every rule sees the same parsed URL entries and no rule can be
 * tripped by a hostile or half-valid object.
 */
import type { AllowListKind } from '../urls/kinds.js';
import type { UrlPattern } from '../urls/pattern.js';
import {
  capabilitiesOf,
  isAppType,
  isAuthMethod,
  type AppType,
  type AppTypeCapabilities,
  type TokenEndpointAuthMethod,
  type UrlListSetting,
} from './app-types.js';
import { plainSettings } from './client.js';
import { jsonSnapshot } from './json-snapshot.js';
import { splitCommaLists } from './normalize.js';
import { parsePattern } from './pattern-cache.js';
import { URL_LIST_FIELDS, URL_LIST_KINDS } from './settings.js';

/** One valid entry of a URL list. */
export interface LintEntry {
  /** Position in the list. */
  readonly index: number;
  /** The entry as written. */
  readonly entry: string;
  /** The parsed entry. */
  readonly pattern: UrlPattern;
  /** JSON pointer of the entry (of the list, when it was one comma-separated string). */
  readonly path: string;
  /** `callbacks[2]`, for messages. */
  readonly label: string;
}

/** One string entry of a URL list, valid or not. */
export interface LintRawEntry {
  /** Position in the list. */
  readonly index: number;
  /** The entry as written. */
  readonly entry: string;
  /** JSON pointer of the entry (of the list, when it was one comma-separated string). */
  readonly path: string;
  /** `callbacks[2]`, for messages. */
  readonly label: string;
}

/** One URL list setting with its valid entries (invalid ones are validation's business). */
export interface LintList {
  /** The setting. */
  readonly field: UrlListSetting;
  /** The allow-list kind it holds. */
  readonly kind: AllowListKind;
  /** Number of entries, valid or not. */
  readonly length: number;
  /** The valid entries. */
  readonly entries: readonly LintEntry[];
  /** Every string entry, valid or not (placeholder rules read the text). */
  readonly raw: readonly LintRawEntry[];
}

/** Everything a lint rule may read. */
export interface LintContext {
  /** The defensive copy of the settings (comma lists split). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The app type, when valid. */
  readonly appType: AppType | undefined;
  /**
   * Its row of the app type table ({@link UNTYPED} when `app_type` is absent);
   * `undefined` when `app_type` is not a valid type.
   */
  readonly type: AppTypeCapabilities | undefined;
  /** `a spa client`, `a client without app_type`: how messages name the client's kind. */
  readonly clientKind: string;
  /**
   * The method given or, when absent, the type's default; `undefined` when the client
   * authenticates with `client_authentication_methods` (no default applies).
   */
  readonly method: TokenEndpointAuthMethod | undefined;
  /**
   * Whether the client is public: from the app type when it decides (`spa` always,
   * `non_interactive` never), else from the method. `undefined` when not known.
   */
  readonly isPublic: boolean | undefined;
  /** Why the client is public, for messages (`token_endpoint_auth_method is "none"`). */
  readonly publicBecause: string;
  /** The URL lists present, in field order. */
  readonly lists: readonly LintList[];
  /** String entries of `grant_types` with their index. */
  readonly grantTypes: readonly { readonly index: number; readonly value: string }[];
  /** `jwt_configuration.alg`, when a string. */
  readonly alg: string | undefined;
  /** `jwt_configuration.lifetime_in_seconds`, when a number. */
  readonly lifetime: number | undefined;
}

/** Builds the {@link LintContext}; `undefined` when the input is not an object. */
export function lintContext(input: unknown): LintContext | undefined {
  const { value } = jsonSnapshot(plainSettings(input));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const settings = value as Record<string, unknown>;
  const fromString = splitCommaLists(settings);

  const givenType = settings['app_type'];
  const appType = isAppType(givenType) ? givenType : undefined;
  const type =
    givenType === undefined || appType !== undefined ? capabilitiesOf(appType) : undefined;
  const clientKind = appType === undefined ? 'a client without app_type' : `a ${appType} client`;
  const givenMethod = settings['token_endpoint_auth_method'];
  const otherMethods = isRecord(settings['client_authentication_methods']);
  const method = isAuthMethod(givenMethod)
    ? givenMethod
    : otherMethods
      ? undefined
      : type?.authMethods.default;
  const { isPublic, publicBecause } = publicness(type, appType, method, isAuthMethod(givenMethod));

  const lists: LintList[] = [];
  for (const field of URL_LIST_FIELDS) {
    const list = settings[field];
    if (!Array.isArray(list)) continue;
    const kind = URL_LIST_KINDS[field];
    const entries: LintEntry[] = [];
    const raw: LintRawEntry[] = [];
    list.forEach((entry: unknown, index) => {
      if (typeof entry !== 'string') return;
      const path = fromString.has(field) ? `/${field}` : `/${field}/${index}`;
      const label = `${field}[${index}]`;
      raw.push({ index, entry, path, label });
      const result = parsePattern(kind, entry);
      if (result.ok) entries.push({ index, entry, pattern: result.pattern, path, label });
    });
    lists.push({ field, kind, length: list.length, entries, raw });
  }

  const grantTypes: { index: number; value: string }[] = [];
  const grants = settings['grant_types'];
  if (Array.isArray(grants)) {
    grants.forEach((grant: unknown, index) => {
      if (typeof grant === 'string') grantTypes.push({ index, value: grant });
    });
  }

  const jwt = settings['jwt_configuration'];
  const jwtRecord =
    typeof jwt === 'object' && jwt !== null ? (jwt as Record<string, unknown>) : undefined;
  const alg = typeof jwtRecord?.['alg'] === 'string' ? jwtRecord['alg'] : undefined;
  const lifetime =
    typeof jwtRecord?.['lifetime_in_seconds'] === 'number'
      ? jwtRecord['lifetime_in_seconds']
      : undefined;

  return {
    settings,
    appType,
    type,
    clientKind,
    method,
    isPublic,
    publicBecause,
    lists,
    grantTypes,
    alg,
    lifetime,
  };
}

/** Public or confidential, and why (the wording of the type rules' messages). */
function publicness(
  type: AppTypeCapabilities | undefined,
  appType: AppType | undefined,
  method: TokenEndpointAuthMethod | undefined,
  given: boolean,
): { isPublic: boolean | undefined; publicBecause: string } {
  if (type?.public === 'always') {
    return { isPublic: true, publicBecause: `a ${String(appType)} client is always public` };
  }
  if (type?.public === 'never') return { isPublic: false, publicBecause: '' };
  if (method === undefined) return { isPublic: undefined, publicBecause: '' };
  if (given)
    return { isPublic: method === 'none', publicBecause: 'token_endpoint_auth_method is "none"' };
  return {
    isPublic: method === 'none',
    publicBecause: `${appType === undefined ? 'a client without app_type' : `a ${appType} client`} is public by default (token_endpoint_auth_method "none")`,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
