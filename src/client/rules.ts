/**
 * The per-app-type rules a JSON Schema cannot express, as a table of checks. Each check
 * reads the facts in a {@link RuleContext} (derived once from the settings and the
 * {@link APP_TYPES} table) and returns the issues it finds, each at the pointer of the
 * value to change.
 *
 * @see https://auth0.com/docs/get-started/applications/confidential-and-public-applications
 */
import type { Issue } from '../errors.js';
import {
  APP_TYPES,
  GRANT_TYPES,
  isAppType,
  isAuthMethod,
  isGrantType,
  type AppType,
  type AppTypeCapabilities,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './app-types.js';
import { labelOf, oneOf, quote } from './messages.js';

/** The facts the rules read, from settings already checked by the schema. */
export interface RuleContext {
  /** The app type, when valid. */
  readonly appType: AppType | undefined;
  /** Its row of {@link APP_TYPES}. */
  readonly type: AppTypeCapabilities | undefined;
  /** The method as given, when valid. */
  readonly method: TokenEndpointAuthMethod | undefined;
  /**
   * Whether the client is public: from the app type when it decides (`spa` always,
   * `non_interactive` never), else from the method given or, in full mode, the type's
   * default. `undefined` when not known (partial mode).
   */
  readonly isPublic: boolean | undefined;
  /** Why the client is public, for messages (`token_endpoint_auth_method "none"`). */
  readonly publicBecause: string;
  /** Valid grant types as given, with their index. */
  readonly grantTypes: readonly { readonly index: number; readonly value: GrantType }[];
  /** `jwt_configuration.alg` as given, when a string. */
  readonly alg: string | undefined;
}

/**
 * Derives the {@link RuleContext} from schema-checked settings. In partial mode nothing is
 * defaulted: a fact that depends on an absent field stays unknown.
 */
export function ruleContext(settings: Record<string, unknown>, partial: boolean): RuleContext {
  const appType = isAppType(settings['app_type']) ? settings['app_type'] : undefined;
  const type = appType === undefined ? undefined : APP_TYPES[appType];
  const method = isAuthMethod(settings['token_endpoint_auth_method'])
    ? settings['token_endpoint_auth_method']
    : undefined;

  let isPublic: boolean | undefined;
  let publicBecause = '';
  if (type?.public === 'always') {
    isPublic = true;
    publicBecause = `a ${String(appType)} client is always public`;
  } else if (type?.public === 'never') {
    isPublic = false;
  } else if (method !== undefined) {
    isPublic = method === 'none';
    publicBecause = 'token_endpoint_auth_method is "none"';
  } else if (type !== undefined && !partial) {
    isPublic = type.authMethods.default === 'none';
    publicBecause = `a ${String(appType)} client is public by default (token_endpoint_auth_method "none")`;
  }

  const grantTypes: { index: number; value: GrantType }[] = [];
  const given = settings['grant_types'];
  if (Array.isArray(given)) {
    given.forEach((value: unknown, index) => {
      if (isGrantType(value)) grantTypes.push({ index, value });
    });
  }

  const jwt = settings['jwt_configuration'];
  const alg =
    typeof jwt === 'object' &&
    jwt !== null &&
    typeof (jwt as Record<string, unknown>)['alg'] === 'string'
      ? ((jwt as Record<string, unknown>)['alg'] as string)
      : undefined;

  return { appType, type, method, isPublic, publicBecause, grantTypes, alg };
}

/** One per-type rule. */
export interface SettingsRule {
  /** Stable issue code. */
  readonly code: string;
  /** What the rule enforces, for docs and tests. */
  readonly description: string;
  /** The issues found (none when the rule holds or its facts are unknown). */
  readonly check: (context: RuleContext) => Issue[];
}

/** The per-type rules, in the order their issues are reported. */
export const SETTINGS_RULES: readonly SettingsRule[] = [
  {
    code: 'auth_method_not_allowed',
    description:
      'token_endpoint_auth_method must be one the app type allows (spa: none; non_interactive: not none)',
    check: ({ type, appType, method }) => {
      if (!type || method === undefined || type.authMethods.allowed.includes(method)) return [];
      const path = '/token_endpoint_auth_method';
      const allowed = oneOf(type.authMethods.allowed.map((m) => `"${m}"`));
      return [
        {
          path,
          code: 'auth_method_not_allowed',
          message: `${labelOf(path)} must be ${allowed} for a ${String(appType)} client: ${type.authMethods.why} (got "${method}")`,
        },
      ];
    },
  },
  {
    code: 'hs256_requires_secret',
    description:
      'jwt_configuration.alg HS256 signs with the client secret, so a public client cannot use it',
    check: ({ isPublic, publicBecause, alg }) => {
      if (isPublic !== true || alg !== 'HS256') return [];
      const path = '/jwt_configuration/alg';
      return [
        {
          path,
          code: 'hs256_requires_secret',
          message: `${labelOf(path)} "HS256" signs with the client secret, and this client has none (${publicBecause}); use RS256 or make the client confidential`,
        },
      ];
    },
  },
  {
    code: 'grant_type_requires_secret',
    description:
      'client_credentials (and CIBA) need a client secret, so a public client cannot use them',
    check: ({ isPublic, publicBecause, grantTypes }) => {
      if (isPublic !== true) return [];
      return grantTypes
        .filter(({ value }) => GRANT_TYPES[value].requiresSecret)
        .map(({ index, value }) => {
          const path = `/grant_types/${index}`;
          return {
            path,
            code: 'grant_type_requires_secret',
            message: `${labelOf(path)} ${quote(value)} needs a client secret, and this client has none (${publicBecause}); remove it or make the client confidential`,
          };
        });
    },
  },
  {
    code: 'grant_type_not_allowed',
    description: 'each grant type must be allowed for the app type',
    check: ({ type, appType, isPublic, grantTypes }) => {
      if (!type) return [];
      return (
        grantTypes
          .filter(({ value }) => !type.grantTypes.allowed.includes(value))
          // A public client's secret-only grants are already reported, more precisely.
          .filter(({ value }) => !(isPublic === true && GRANT_TYPES[value].requiresSecret))
          .map(({ index, value }) => {
            const path = `/grant_types/${index}`;
            return {
              path,
              code: 'grant_type_not_allowed',
              message: `${labelOf(path)} ${quote(value)} is not allowed for a ${String(appType)} client; remove it`,
            };
          })
      );
    },
  },
];

/** Runs every rule of {@link SETTINGS_RULES}. */
export function checkRules(context: RuleContext): Issue[] {
  const issues: Issue[] = [];
  for (const rule of SETTINGS_RULES) {
    for (const issue of rule.check(context)) issues.push(issue);
  }
  return issues;
}
