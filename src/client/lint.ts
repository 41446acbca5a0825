/**
 * `lintClient`: security and hygiene advice about client settings, one finding per
 * problem, each at the JSON pointer of the value to change.
 */
import { COMPLIANCE_LINT_RULES } from './lint-compliance-rules.js';
import { lintContext } from './lint-context.js';
import { ORGANIZATION_LINT_RULES } from './lint-organization-rules.js';
import {
  CHECKED_LINT_RULES,
  type CheckedLintRule,
  type LintRule,
  type LintRuleId,
  type Severity,
} from './lint-rules.js';
import { THIRD_PARTY_LINT_RULES } from './lint-third-party-rules.js';
import { TYPE_LINT_RULES } from './lint-type-rules.js';
import { URL_LINT_RULES } from './lint-url-rules.js';
import type { ClientInput } from './settings.js';

/** One piece of lint advice. */
export interface Finding {
  /** The rule's id (see {@link LINT_RULES}). */
  rule: LintRuleId;
  /** How much it matters. */
  severity: Severity;
  /** JSON pointer into the linted settings (`/callbacks/2`). */
  path: string;
  /** What is wrong and what to do, starting with the field. */
  message: string;
}

/** Every rule, in the order findings are reported: the per-type errors first. */
const ALL_RULES: readonly CheckedLintRule[] = [
  ...TYPE_LINT_RULES,
  ...CHECKED_LINT_RULES,
  ...ORGANIZATION_LINT_RULES,
  ...URL_LINT_RULES,
  ...THIRD_PARTY_LINT_RULES,
  ...COMPLIANCE_LINT_RULES,
];

/**
 * The lint rules: id, severity, description and source of each.
 *
 * @example
 * ```ts
 * for (const rule of LINT_RULES) console.log(rule.id, rule.severity, rule.description);
 * ```
 */
export const LINT_RULES: readonly LintRule[] = Object.freeze(
  ALL_RULES.map(({ id, severity, description, see }) =>
    Object.freeze({ id, severity, description, see }),
  ),
);

/**
 * Lints client settings: does the client work, and is it safe? Errors for what breaks
 * the client for its app type (a spa with a secret method, `none` on a machine-to-machine
 * client, HS256 or client_credentials on a public client: Auth0 stores these, so
 * validation accepts them); warnings for wildcards, plain http, loopback URLs on web clients, secrets on
 * devices, HS256 on devices, long id_token lifetimes, settings that do not apply to the
 * app type, duplicate entries, callbacks with a query, private-use schemes without a dot,
 * origins with a path, password and legacy grants, secrets kept in configuration and
 * `{organization_name}` placeholders that match nothing; info for a client without
 * `app_type` and settings that do not apply to the type. For a third-party client
 * (`is_first_party: false`), Auth0's strict-mode restrictions (grant types, app types,
 * RS256, no mTLS, exact URLs, expiring refresh tokens, unsupported features): errors when
 * `third_party_security_mode` is `strict`, warnings when it is permissive or not given.
 * For a client with a FAPI `compliance_level`, what the level asks of its settings
 * (private_key_jwt, no wildcard callbacks, a key for signed request objects, OIDC
 * conformance, PAR not switched off, no implicit grant), and that its mTLS parts are not
 * served: errors, with Auth0's reason.
 *
 * Meant for settings that {@link validateClientSettings} accepted (its `value`, or a
 * `Client`), but it reads any input defensively (comma-separated lists, unknown fields,
 * invalid entries, which it skips) and never throws.
 *
 * @param settings - client settings, normalised or as written
 * @returns the findings, rule by rule in {@link LINT_RULES} order
 * @example
 * ```ts
 * const findings = lintClient({
 *   name: 'Storefront',
 *   app_type: 'spa',
 *   token_endpoint_auth_method: 'client_secret_post',
 *   callbacks: ['https://*.example.com/callback', 'http://localhost:3000/callback'],
 * });
 * // [{ rule: 'auth-method-not-allowed', severity: 'error', path: '/token_endpoint_auth_method', message: '…' },
 * //  { rule: 'wildcard-url', severity: 'warning', path: '/callbacks/0', message: '…' },
 * //  { rule: 'loopback-on-web-client', severity: 'warning', path: '/callbacks/1', message: '…' }]
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700 (OAuth 2.0 Security Best Current Practice)
 * @see https://www.rfc-editor.org/rfc/rfc8252 (OAuth 2.0 for Native Apps)
 */
export function lintClient(settings: Readonly<Partial<ClientInput>>): Finding[] {
  const context = lintContext(settings);
  if (!context) return [];
  const findings: Finding[] = [];
  for (const rule of ALL_RULES) {
    let found;
    try {
      found = rule.check(context);
    } catch {
      // A rule only reads the defensive copy; this guards against a bug in one rule
      // silencing all the others.
      continue;
    }
    for (const { path, message, severity } of found) {
      findings.push({ rule: rule.id, severity: severity ?? rule.severity, path, message });
    }
  }
  return findings;
}
