/**
 * The facts lint rules read, derived once per `lintClient` call from a defensive copy of
 * the settings, so every rule sees the same parsed URL entries and no rule can be
 * tripped by a hostile or half-valid object.
 */
import type { AllowListKind } from '../urls/kinds.js';
import type { UrlPattern } from '../urls/pattern.js';
import {
  APP_TYPES,
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
}

/** Everything a lint rule may read. */
export interface LintContext {
  /** The defensive copy of the settings (comma lists split). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The app type, when valid. */
  readonly appType: AppType | undefined;
  /** Its row of the app type table. */
  readonly type: AppTypeCapabilities | undefined;
  /** The method given or, when absent, the type's default. */
  readonly method: TokenEndpointAuthMethod | undefined;
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

  const appType = isAppType(settings['app_type']) ? settings['app_type'] : undefined;
  const type = appType === undefined ? undefined : APP_TYPES[appType];
  const givenMethod = settings['token_endpoint_auth_method'];
  const method = isAuthMethod(givenMethod) ? givenMethod : type?.authMethods.default;

  const lists: LintList[] = [];
  for (const field of URL_LIST_FIELDS) {
    const list = settings[field];
    if (!Array.isArray(list)) continue;
    const kind = URL_LIST_KINDS[field];
    const entries: LintEntry[] = [];
    list.forEach((entry: unknown, index) => {
      if (typeof entry !== 'string') return;
      const result = parsePattern(kind, entry);
      if (!result.ok) return;
      entries.push({
        index,
        entry,
        pattern: result.pattern,
        path: fromString.has(field) ? `/${field}` : `/${field}/${index}`,
        label: `${field}[${index}]`,
      });
    });
    lists.push({ field, kind, length: list.length, entries });
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

  return { settings, appType, type, method, lists, grantTypes, alg, lifetime };
}
