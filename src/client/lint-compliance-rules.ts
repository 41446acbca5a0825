/**
 * Auth0's FAPI compliance levels (`compliance_level`) as lint rules: what each level asks
 * of the settings, from the table of `compliance-levels.ts`. Every finding is an `error`:
 * Auth0 refuses any authorization request of such a client unless the request and the
 * configuration comply with the level, so a client that breaks one does not work. What
 * concerns requests (PAR, PKCE S256, signed request objects and their times) is enforced
 * at `/authorize` and `/oauth/par` by `createProvider`; mTLS, which two levels need for
 * client authentication and two for sender-constraining, is not served by clientele, and
 * says so.
 *
 * @see https://auth0.com/docs/get-started/applications/configure-fapi-compliance
 */
import { complianceRules, type ComplianceRules } from './compliance-levels.js';
import type { LintContext } from './lint-context.js';
import type { CheckedLintRule, LintRuleId, RawFinding } from './lint-rules.js';
import { quote } from './messages.js';

const FAPI = 'https://auth0.com/docs/get-started/applications/configure-fapi-compliance';

/** `compliance_level "fapi1_adv_pkj_par" (FAPI 1.0 Advanced with private_key_jwt and PAR)` */
function levelOf(context: LintContext): string {
  const level = String(context.settings['compliance_level']);
  const rules = complianceRules(level) as ComplianceRules;
  return `compliance_level ${quote(level)} (${rules.profile})`;
}

/** A rule that speaks only about clients with a compliance level, with its rules at hand. */
function rule(
  id: LintRuleId,
  description: string,
  check: (context: LintContext, rules: ComplianceRules) => RawFinding[],
): CheckedLintRule {
  return {
    id,
    severity: 'error',
    description,
    see: FAPI,
    check: (context) => {
      const rules = complianceRules(context.settings['compliance_level']);
      return rules === undefined ? [] : check(context, rules);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The credential ids a `{ credentials: [{ id }] }` object lists. */
function credentialsOf(value: unknown): unknown[] {
  const list = isRecord(value) ? value['credentials'] : undefined;
  return Array.isArray(list) ? list : [];
}

/**
 * The compliance rules, in the order of Auth0's table.
 *
 * @internal
 */
export const COMPLIANCE_LINT_RULES: readonly CheckedLintRule[] = [
  rule(
    'compliance-par',
    'A FAPI compliance level requires Pushed Authorization Requests whatever require_pushed_authorization_requests says; false contradicts it.',
    (context) =>
      context.settings['require_pushed_authorization_requests'] === false
        ? [
            {
              path: '/require_pushed_authorization_requests',
              message: `require_pushed_authorization_requests is false, but ${levelOf(context)} requires PAR for every authorization request (Auth0: "Pushed Authorization Requests are required by the configured compliance level"); set it to true or leave it out`,
            },
          ]
        : [],
  ),
  rule(
    'compliance-pkce',
    'A FAPI compliance level requires the authorization code flow with PKCE (S256); the implicit grant returns tokens without it.',
    (context) =>
      context.grantTypes
        .filter(({ value }) => value === 'implicit')
        .map(({ index }) => ({
          path: `/grant_types/${index}`,
          message: `grant_types[${index}] "implicit": ${levelOf(context)} requires the authorization code flow with PKCE (S256) for every authorization request; remove it`,
        })),
  ),
  rule(
    'compliance-private-key-jwt',
    'A FAPI compliance level with private_key_jwt (fapi1_adv_pkj_par, fapi2_sp_pkj_mtls) requires the client to authenticate with private_key_jwt and a registered credential, never a secret.',
    (context, rules) => {
      if (rules.clientAuthentication !== 'private_key_jwt') return [];
      const found: RawFinding[] = [];
      const method = context.settings['token_endpoint_auth_method'];
      if (typeof method === 'string') {
        found.push({
          path: '/token_endpoint_auth_method',
          message: `token_endpoint_auth_method ${quote(method)}: ${levelOf(context)} requires private_key_jwt client authentication (Auth0: "Requires use of Private Key JWT for client authentication"); remove it and use client_authentication_methods.private_key_jwt`,
        });
      }
      const methods = context.settings['client_authentication_methods'];
      const keys = credentialsOf(isRecord(methods) ? methods['private_key_jwt'] : undefined);
      if (keys.length === 0) {
        found.push({
          path: '/client_authentication_methods/private_key_jwt/credentials',
          message: `client_authentication_methods.private_key_jwt.credentials is empty: ${levelOf(context)} requires private_key_jwt client authentication; add a credential and list it there`,
        });
      }
      return found;
    },
  ),
  rule(
    'compliance-mtls',
    'A FAPI compliance level that requires mTLS (client authentication, or sender-constrained tokens) cannot be served by clientele, which does not terminate TLS: such a client gets no token here.',
    (context, rules) => {
      const needs = [
        ...(rules.clientAuthentication === 'mtls' ? ['mTLS client authentication'] : []),
        ...(rules.mtlsSenderConstraining ? ['mTLS sender-constrained access tokens'] : []),
      ];
      return needs.length === 0
        ? []
        : [
            {
              path: '/compliance_level',
              message: `${levelOf(context)} requires ${needs.join(' and ')}, which clientele does not serve (it answers DPoP-bound tokens, RFC 9449, instead); this client cannot get tokens from createProvider`,
            },
          ];
    },
  ),
  rule(
    'compliance-exact-callbacks',
    'A FAPI compliance level forbids wildcards in Allowed Callback URLs.',
    (context) =>
      context.lists
        .filter((list) => list.field === 'callbacks')
        .flatMap((list) => list.entries)
        .filter((entry) => entry.pattern.wildcard !== undefined)
        .map((entry) => ({
          path: entry.path,
          message: `${entry.label} ${quote(entry.entry)} uses a wildcard: ${levelOf(context)} prevents wildcards in the client's allowed callbacks (Auth0); list each URL`,
        })),
  ),
  rule(
    'compliance-signed-requests',
    'A FAPI 1.0 compliance level requires signed request objects (JAR, PS256): the client needs a credential in signed_request_object.credentials.',
    (context, rules) => {
      if (!rules.signedRequests) return [];
      const jar = context.settings['signed_request_object'];
      if (credentialsOf(jar).length > 0) return [];
      return [
        {
          path: isRecord(jar) ? '/signed_request_object/credentials' : '/signed_request_object',
          message: `${levelOf(context)} requires signed request objects (JAR) signed with ${rules.signedRequests.algorithms.join(', ')} (Auth0: "Enforces the use of JAR"), but signed_request_object lists no credential; add a PS256 credential and list it in signed_request_object.credentials`,
        },
      ];
    },
  ),
  rule(
    'compliance-oidc-conformant',
    'A FAPI compliance level requires oidc_conformant to be true.',
    (context) =>
      context.settings['oidc_conformant'] === false
        ? [
            {
              path: '/oidc_conformant',
              message: `oidc_conformant is false: ${levelOf(context)} requires it to be true (Auth0: "Ensures the client has the oidc_conformant property set to true")`,
            },
          ]
        : [],
  ),
];
