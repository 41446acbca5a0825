/**
 * The per-app-type lint rules: what makes a client broken for its type (a spa with a
 * secret, a machine-to-machine client without one, HS256 or client_credentials on a
 * public client). Auth0 stores such clients, so validation accepts them; these rules
 * report them with severity `error`, at the pointer of the value to change. A `Tenant`
 * refuses them on create and update unless it was created with `lintErrors: 'accept'`.
 *
 * Also here: the `info` finding for a client without `app_type`.
 *
 * @see https://auth0.com/docs/get-started/applications/confidential-and-public-applications
 */
import { GRANT_TYPES, isGrantType, type GrantType } from './app-types.js';
import type { LintContext } from './lint-context.js';
import type { CheckedLintRule } from './lint-rules.js';
import { labelOf, oneOf, quote } from './messages.js';

/** Valid grant types with their index. */
function validGrants(context: LintContext): { index: number; value: GrantType }[] {
  const grants: { index: number; value: GrantType }[] = [];
  for (const { index, value } of context.grantTypes) {
    if (isGrantType(value)) grants.push({ index, value });
  }
  return grants;
}

/**
 * The per-type rules, with their checks, in the order their findings are reported.
 *
 * @internal
 */
export const TYPE_LINT_RULES: readonly CheckedLintRule[] = [
  {
    id: 'auth-method-not-allowed',
    severity: 'error',
    description:
      'token_endpoint_auth_method is one the app type cannot use: a spa cannot keep a secret (use none), a machine-to-machine client authenticates with its secret (not none).',
    see: 'https://auth0.com/docs/get-started/applications/confidential-and-public-applications',
    check: ({ type, clientKind, settings }) => {
      const method = settings['token_endpoint_auth_method'];
      if (!type || typeof method !== 'string') return [];
      if ((type.authMethods.allowed as readonly string[]).includes(method)) return [];
      if (!['none', 'client_secret_post', 'client_secret_basic'].includes(method)) return [];
      const path = '/token_endpoint_auth_method';
      const allowed = oneOf(type.authMethods.allowed.map((m) => `"${m}"`));
      return [
        {
          path,
          message: `${labelOf(path)} must be ${allowed} for ${clientKind}: ${type.authMethods.why} (got "${method}")`,
        },
      ];
    },
  },
  {
    id: 'hs256-requires-secret',
    severity: 'error',
    description:
      'jwt_configuration.alg HS256 signs with the client secret, and a public client has none: its id_tokens cannot be signed or verified.',
    see: 'https://auth0.com/docs/get-started/applications/signing-algorithms',
    check: ({ isPublic, publicBecause, alg }) => {
      if (isPublic !== true || alg !== 'HS256') return [];
      const path = '/jwt_configuration/alg';
      return [
        {
          path,
          message: `${labelOf(path)} "HS256" signs with the client secret, and this client has none (${publicBecause}); use RS256 or make the client confidential`,
        },
      ];
    },
  },
  {
    id: 'grant-type-requires-secret',
    severity: 'error',
    description:
      'client_credentials (and CIBA) authenticate with a client secret, so a public client cannot use them.',
    see: 'https://auth0.com/docs/get-started/applications/application-grant-types',
    check: (context) => {
      if (context.isPublic !== true) return [];
      return validGrants(context)
        .filter(({ value }) => GRANT_TYPES[value].requiresSecret)
        .map(({ index, value }) => {
          const path = `/grant_types/${index}`;
          return {
            path,
            message: `${labelOf(path)} ${quote(value)} needs a client secret, and this client has none (${context.publicBecause}); remove it or make the client confidential`,
          };
        });
    },
  },
  {
    id: 'grant-type-not-allowed',
    severity: 'error',
    description: 'A grant type the app type cannot use (a password grant on a native app…).',
    see: 'https://auth0.com/docs/get-started/applications/application-grant-types',
    check: (context) => {
      const { type, clientKind, isPublic } = context;
      if (!type) return [];
      return (
        validGrants(context)
          .filter(({ value }) => !type.grantTypes.allowed.includes(value))
          // A public client's secret-only grants are already reported, more precisely.
          .filter(({ value }) => !(isPublic === true && GRANT_TYPES[value].requiresSecret))
          .map(({ index, value }) => {
            const path = `/grant_types/${index}`;
            return {
              path,
              message: `${labelOf(path)} ${quote(value)} is not allowed for ${clientKind}; remove it`,
            };
          })
      );
    },
  },
  {
    id: 'missing-app-type',
    severity: 'info',
    description:
      'The client has no app_type (as Auth0’s Default App): it gets the defaults of a confidential web client and no per-type checks. Set the type it is.',
    see: 'https://auth0.com/docs/get-started/applications',
    check: ({ settings }) => {
      if (settings['app_type'] !== undefined) return [];
      return [
        {
          path: '/app_type',
          message:
            'app_type is not set: the client gets the defaults of a confidential web client and no per-type checks; set native, spa, regular_web or non_interactive',
        },
      ];
    },
  },
];
