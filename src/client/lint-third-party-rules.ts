/**
 * Auth0's rules for third-party applications (`is_first_party: false`) in strict mode
 * (`third_party_security_mode: "strict"`, the "enhanced security controls"), as lint
 * rules: what a third-party client may not use there. A strict client that breaks one is
 * refused or does not work, so the finding is an `error`; a client in permissive mode (or
 * without a mode) still works, and the same finding is a `warning` that says what would
 * break in strict mode, which Auth0 makes the default for new third-party applications on
 * October 23, 2026. First-party clients are not concerned.
 *
 * PKCE, which strict mode requires of every authorization code flow, is a property of
 * requests, not of settings: `createProvider` enforces it at `/authorize`. The rules that
 * need the whole tenant (a client grant for API access, no system APIs, no
 * `allow_any_organization`) are checked by `clientele check` (`cli/third-party-check.ts`).
 *
 * @see https://auth0.com/docs/get-started/applications/third-party-applications/security-controls
 * @see https://auth0.com/docs/get-started/applications/third-party-applications/permissive-mode
 */
import type { LintContext } from './lint-context.js';
import type { CheckedLintRule, Severity } from './lint-rules.js';
import { labelOf, quote } from './messages.js';

const CONTROLS =
  'https://auth0.com/docs/get-started/applications/third-party-applications/security-controls';

/** The grant types a strict third-party client may use. */
const STRICT_GRANT_TYPES: ReadonlySet<string> = new Set([
  'authorization_code',
  'refresh_token',
  'client_credentials',
]);

/** The app types a strict third-party client may have. */
const STRICT_APP_TYPES: ReadonlySet<string> = new Set([
  'regular_web',
  'spa',
  'native',
  'non_interactive',
]);

/** The URL lists that must hold exact URLs (no wildcard subdomains). */
const EXACT_URL_LISTS: ReadonlySet<string> = new Set([
  'callbacks',
  'allowed_origins',
  'web_origins',
]);

/**
 * A third-party client's mode, or `undefined` when the rules do not concern it: a
 * first-party client, or one of Auth0's SSO integrations (`app_type` `slack`,
 * `salesforce`, …, which Auth0 creates as third parties) not in strict mode: strict mode
 * is for OAuth applications, and such an integration never becomes one.
 */
export function thirdPartyMode(
  settings: Readonly<Record<string, unknown>>,
): 'strict' | 'permissive' | 'unset' | undefined {
  if (settings['is_first_party'] !== false) return undefined;
  const mode = settings['third_party_security_mode'];
  if (mode === 'strict') return mode;
  const type = settings['app_type'];
  if (typeof type === 'string' && !STRICT_APP_TYPES.has(type)) return undefined;
  return mode === 'permissive' ? mode : 'unset';
}

/** `error` for a strict client, `warning` for a permissive one (or one without a mode). */
export function thirdPartySeverity(mode: 'strict' | 'permissive' | 'unset'): Severity {
  return mode === 'strict' ? 'error' : 'warning';
}

/**
 * The end of a message: for a strict client, that Auth0 refuses it; for a permissive one,
 * that a strict client would not work with it.
 */
function verdict(mode: 'strict' | 'permissive' | 'unset', rule: string): string {
  return mode === 'strict'
    ? `third-party clients in strict mode cannot use it (Auth0: ${rule})`
    : `it works in ${mode === 'unset' ? 'permissive mode (no third_party_security_mode)' : 'permissive mode'}, but not on a strict third-party client (Auth0: ${rule})`;
}

interface Found {
  readonly path: string;
  readonly message: string;
  readonly severity: Severity;
}

/** A rule that speaks only about third-party clients, with their mode at hand. */
function rule(
  id: CheckedLintRule['id'],
  description: string,
  anchor: string,
  check: (context: LintContext, mode: 'strict' | 'permissive' | 'unset') => Found[],
): CheckedLintRule {
  return {
    id,
    severity: 'error',
    description: `${description} An error on a strict third-party client, a warning on a permissive one.`,
    see: anchor === '' ? CONTROLS : `${CONTROLS}#${anchor}`,
    check: (context) => {
      const mode = thirdPartyMode(context.settings);
      return mode === undefined ? [] : check(context, mode);
    },
  };
}

function at(
  path: string,
  what: string,
  mode: 'strict' | 'permissive' | 'unset',
  why: string,
): Found {
  return { path, message: `${what}: ${verdict(mode, why)}`, severity: thirdPartySeverity(mode) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Each restriction of strict mode that settings can show, in the order of Auth0's page.
 *
 * @internal
 */
export const THIRD_PARTY_LINT_RULES: readonly CheckedLintRule[] = [
  rule(
    'third-party-grant-type',
    'A third-party client in strict mode may only use the authorization_code, refresh_token and client_credentials grants (no implicit, password, device code or CIBA).',
    '',
    ({ grantTypes }, mode) =>
      grantTypes
        .filter(({ value }) => !STRICT_GRANT_TYPES.has(value))
        .map(({ index, value }) =>
          at(
            `/grant_types/${index}`,
            `${labelOf(`/grant_types/${index}`)} ${quote(value)}`,
            mode,
            'only authorization_code, refresh_token and client_credentials; remove it',
          ),
        ),
  ),
  rule(
    'third-party-app-type',
    'A third-party client in strict mode is a regular_web, spa, native or non_interactive application.',
    'restricted-client-configuration',
    ({ settings }, mode) => {
      const type = settings['app_type'];
      if (typeof type !== 'string' || STRICT_APP_TYPES.has(type)) return [];
      return [
        at(
          '/app_type',
          `app_type ${quote(type)}`,
          mode,
          'app_type must be regular_web, spa, native or non_interactive',
        ),
      ];
    },
  ),
  rule(
    'third-party-signing-alg',
    'A third-party client in strict mode signs with RS256 only (HS256 is not supported).',
    'restricted-client-configuration',
    ({ alg }, mode) =>
      alg === undefined || alg === 'RS256'
        ? []
        : [
            at(
              '/jwt_configuration/alg',
              `jwt_configuration.alg ${quote(alg)}`,
              mode,
              'jwt_configuration.alg must be RS256',
            ),
          ],
  ),
  rule(
    'third-party-auth-method',
    'A third-party client in strict mode authenticates with a secret or private_key_jwt, never mTLS.',
    'restricted-client-configuration',
    ({ settings }, mode) => {
      const methods = settings['client_authentication_methods'];
      if (!isRecord(methods)) return [];
      return ['tls_client_auth', 'self_signed_tls_client_auth']
        .filter((method) => methods[method] !== undefined && methods[method] !== null)
        .map((method) =>
          at(
            `/client_authentication_methods/${method}`,
            `client_authentication_methods.${method}`,
            mode,
            'private_key_jwt only, no mTLS',
          ),
        );
    },
  ),
  rule(
    'third-party-exact-urls',
    'Callback URLs, allowed origins and web origins of a third-party client in strict mode are exact URLs: no wildcard subdomains.',
    'features-not-supported',
    ({ lists }, mode) =>
      lists
        .filter((list) => EXACT_URL_LISTS.has(list.field))
        .flatMap((list) => list.entries)
        .filter((entry) => entry.pattern.wildcard !== undefined)
        .map((entry) =>
          at(
            entry.path,
            `${entry.label} ${quote(entry.entry)} uses a wildcard`,
            mode,
            'wildcard subdomains are not supported; list each URL',
          ),
        ),
  ),
  rule(
    'third-party-refresh-token',
    'Refresh tokens of a third-party client in strict mode expire: no non-expiring tokens, no infinite lifetimes.',
    'refresh-token-settings',
    ({ settings }, mode) => {
      const refresh = settings['refresh_token'];
      if (!isRecord(refresh)) return [];
      const found: Found[] = [];
      const why =
        'refresh tokens must expire; set expiration_type "expiring" with finite lifetimes';
      if (refresh['expiration_type'] === 'non-expiring') {
        found.push(
          at(
            '/refresh_token/expiration_type',
            'refresh_token.expiration_type "non-expiring"',
            mode,
            why,
          ),
        );
      }
      for (const field of ['infinite_token_lifetime', 'infinite_idle_token_lifetime']) {
        if (refresh[field] === true) {
          found.push(at(`/refresh_token/${field}`, `refresh_token.${field} true`, mode, why));
        }
      }
      return found;
    },
  ),
  rule(
    'third-party-unsupported-feature',
    'A feature third-party clients in strict mode do not support: logout URLs, back-channel logout, cross-origin authentication, SAML or WS-Fed addons, pushed authorization requests (PAR), signed request objects (JAR).',
    'features-not-supported',
    ({ settings }, mode) => {
      const found: Found[] = [];
      const logout = settings['allowed_logout_urls'];
      if (Array.isArray(logout) && logout.length > 0) {
        found.push(
          at(
            '/allowed_logout_urls',
            'allowed_logout_urls',
            mode,
            'logout endpoints are not supported; revoke tokens with POST /oauth/revoke',
          ),
        );
      }
      // The older name counts when the current one is not given (as delivery reads them).
      const logoutField =
        (settings['oidc_logout'] ?? undefined) === undefined
          ? 'oidc_backchannel_logout'
          : 'oidc_logout';
      const oidcLogout = settings[logoutField];
      const backchannel = isRecord(oidcLogout) ? oidcLogout['backchannel_logout_urls'] : undefined;
      if (Array.isArray(backchannel) && backchannel.length > 0) {
        found.push(
          at(
            `/${logoutField}/backchannel_logout_urls`,
            `${logoutField}.backchannel_logout_urls`,
            mode,
            'back-channel logout is not supported',
          ),
        );
      }
      // The deprecated spelling counts when the current one is not given (as validation maps it).
      const crossOrigin =
        settings['cross_origin_authentication'] === undefined
          ? 'cross_origin_auth'
          : 'cross_origin_authentication';
      if (settings[crossOrigin] === true) {
        found.push(
          at(
            `/${crossOrigin}`,
            `${crossOrigin} true`,
            mode,
            'cross-origin authentication is not supported',
          ),
        );
      }
      const addons = settings['addons'];
      for (const addon of ['samlp', 'wsfed']) {
        if (isRecord(addons) && isRecord(addons[addon])) {
          found.push(
            at(`/addons/${addon}`, `addons.${addon}`, mode, 'SAML and WS-Fed are not supported'),
          );
        }
      }
      if (settings['require_pushed_authorization_requests'] === true) {
        found.push(
          at(
            '/require_pushed_authorization_requests',
            'require_pushed_authorization_requests true',
            mode,
            'PAR is not supported',
          ),
        );
      }
      const jar = settings['signed_request_object'];
      if (isRecord(jar) && jar['required'] === true) {
        found.push(
          at(
            '/signed_request_object/required',
            'signed_request_object.required true',
            mode,
            'the request parameter (JAR) is not supported',
          ),
        );
      }
      return found;
    },
  ),
];
