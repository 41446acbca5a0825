/**
 * The lint rules, in one table: id, severity, what the rule looks for, where it comes
 * from, and the check. `lintClient` runs them in table order.
 *
 * Lint answers "does this client work, and is it safe?" about settings Auth0 would
 * accept. The per-type rules, whose findings are errors, are in `lint-type-rules.ts`; the
 * organization placeholder rules in `lint-organization-rules.ts`; `lint.ts` runs all.
 */
import { isEnvelope } from '../lib/secret-box.js';
import { GRANT_TYPES, isGrantType } from './app-types.js';
import type { LintContext, LintEntry } from './lint-context.js';
import { labelOf, quote } from './messages.js';
import { LIMITS } from './schema.js';

/**
 * How much a finding matters: `error` means the client does not work as configured (a
 * `Tenant` refuses it by default, `clientele check` fails); `warning` and `info` are
 * advice.
 */
export type Severity = 'error' | 'warning' | 'info';

/** The ids of the built-in lint rules. */
export type LintRuleId =
  | 'auth-method-not-allowed'
  | 'hs256-requires-secret'
  | 'grant-type-requires-secret'
  | 'grant-type-not-allowed'
  | 'missing-app-type'
  | 'organization-placeholder-with-wildcard'
  | 'organization-placeholder-unused'
  | 'url-never-matched'
  | 'wildcard-url'
  | 'insecure-http'
  | 'loopback-on-web-client'
  | 'secret-on-device'
  | 'hs256-on-device'
  | 'long-id-token-lifetime'
  | 'inapplicable-setting'
  | 'duplicate-entry'
  | 'callback-query'
  | 'private-scheme-without-dot'
  | 'origin-with-path'
  | 'password-grant'
  | 'legacy-grant'
  | 'secret-in-config'
  | 'third-party-grant-type'
  | 'third-party-app-type'
  | 'third-party-signing-alg'
  | 'third-party-auth-method'
  | 'third-party-exact-urls'
  | 'third-party-refresh-token'
  | 'third-party-unsupported-feature'
  | 'compliance-par'
  | 'compliance-pkce'
  | 'compliance-private-key-jwt'
  | 'compliance-mtls'
  | 'compliance-exact-callbacks'
  | 'compliance-signed-requests'
  | 'compliance-oidc-conformant';

/** A lint rule as documented: what `LINT_RULES` lists. */
export interface LintRule {
  /** Stable id, used as `Finding.rule`. */
  readonly id: LintRuleId;
  /** Severity of its findings (the most severe, for a rule whose findings differ). */
  readonly severity: Severity;
  /** What the rule looks for and why it matters. */
  readonly description: string;
  /** Where the advice comes from (RFC section or Auth0 document). */
  readonly see: string;
}

/**
 * What a check returns: where and what; the rule supplies id and severity, unless the
 * finding carries its own (the third-party rules: an error in strict mode, a warning in
 * permissive mode).
 */
export interface RawFinding {
  readonly path: string;
  readonly message: string;
  readonly severity?: Severity;
}

/** A rule with its check (internal). */
export interface CheckedLintRule extends LintRule {
  /** Finds the rule's findings (none when the facts it needs are absent). */
  readonly check: (context: LintContext) => readonly RawFinding[];
}

const LOOPBACK_IPV4 = /^127(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`: names that reach this machine. */
function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    LOOPBACK_IPV4.test(host)
  );
}

function isWeb(entry: LintEntry): boolean {
  return entry.pattern.scheme === 'http' || entry.pattern.scheme === 'https';
}

/** Every valid entry of every list, with its list's field and kind. */
function* allEntries(context: LintContext) {
  for (const list of context.lists) {
    for (const entry of list.entries) yield { list, entry };
  }
}

function at(entry: LintEntry, rest: string): RawFinding {
  return { path: entry.path, message: `${entry.label} ${quote(entry.entry)} ${rest}` };
}

/** Two entries that match exactly the same URLs. */
function duplicateKey(entry: LintEntry): string {
  const { wildcard, key } = entry.pattern;
  return wildcard ? `${wildcard.prefix}*${wildcard.suffix} ${key}` : key;
}

/**
 * The lint rules, with their checks.
 *
 * @internal
 */
export const CHECKED_LINT_RULES: readonly CheckedLintRule[] = [
  {
    id: 'wildcard-url',
    severity: 'warning',
    description:
      'A URL list entry uses a subdomain wildcard: every matching subdomain, including one taken over or created later, can receive codes and tokens or make CORS requests.',
    see: 'https://auth0.com/docs/get-started/applications/wildcards-for-subdomains',
    check: (context) =>
      [...allEntries(context)]
        .filter(({ entry }) => entry.pattern.wildcard !== undefined)
        .map(({ entry }) =>
          at(
            entry,
            `uses a wildcard: any subdomain matching ${entry.pattern.host} is allowed; list the hosts you control instead`,
          ),
        ),
  },
  {
    id: 'insecure-http',
    severity: 'warning',
    description:
      'A URL list entry uses http on a host other than localhost or a loopback address: codes, tokens and cookies travel unencrypted.',
    see: 'https://www.rfc-editor.org/rfc/rfc9700#section-2.6 (RFC 6749 §3.1.2.1: TLS for redirect endpoints)',
    check: (context) =>
      [...allEntries(context)]
        .filter(
          ({ entry }) => entry.pattern.scheme === 'http' && !isLoopbackHost(entry.pattern.host),
        )
        .map(({ entry }) => at(entry, 'uses http on a public host; use https')),
  },
  {
    id: 'loopback-on-web-client',
    severity: 'warning',
    description:
      'A spa or regular_web client allows localhost or a loopback address: usually a development URL left in a production client, letting any local process receive codes and tokens.',
    see: 'https://www.rfc-editor.org/rfc/rfc8252#section-8.3 (loopback redirects are for native apps)',
    check: ({ type, clientKind, lists }) => {
      if (!type || type.loopbackRedirects) return [];
      return lists
        .filter((list) => type.urlLists.includes(list.field))
        .flatMap((list) => list.entries)
        .filter((entry) => isWeb(entry) && isLoopbackHost(entry.pattern.host))
        .map((entry) =>
          at(
            entry,
            `points at this machine on ${clientKind}; keep development URLs in a separate development client`,
          ),
        );
    },
  },
  {
    id: 'secret-on-device',
    severity: 'warning',
    description:
      'A native app (or spa) uses a client secret method: every installed copy carries the secret, so it authenticates nothing. Use "none" with PKCE.',
    see: 'https://www.rfc-editor.org/rfc/rfc8252#section-8.5',
    check: ({ type, clientKind, method }) => {
      if (!type?.runsOnUserDevice || method === undefined || method === 'none') return [];
      // A method the type does not allow at all is the error of auth-method-not-allowed.
      if (!type.authMethods.allowed.includes(method)) return [];
      const path = '/token_endpoint_auth_method';
      return [
        {
          path,
          message: `${labelOf(path)} is "${method}" on ${clientKind}: a secret shipped to users' devices is not secret (RFC 8252 §8.5); use "none" with PKCE`,
        },
      ];
    },
  },
  {
    id: 'hs256-on-device',
    severity: 'warning',
    description:
      'A native app or spa signs id_tokens with HS256: the key is the client secret, which every copy of the app holds, so anyone can forge id_tokens. Use RS256.',
    see: 'https://auth0.com/docs/get-started/applications/signing-algorithms',
    check: ({ type, clientKind, alg, isPublic }) => {
      // On a public client HS256 cannot work at all: hs256-requires-secret's error.
      if (!type?.runsOnUserDevice || alg !== 'HS256' || isPublic === true) return [];
      const path = '/jwt_configuration/alg';
      return [
        {
          path,
          message: `${labelOf(path)} is "HS256" on ${clientKind}: the signing key is a secret shared with every user's device, so id_tokens can be forged; use RS256`,
        },
      ];
    },
  },
  {
    id: 'long-id-token-lifetime',
    severity: 'warning',
    description: `id_tokens live longer than ${LIMITS.lifetimeDefault / 3600} hours (Auth0's default): a leaked id_token stays usable longer than a session needs.`,
    see: 'https://auth0.com/docs/secure/tokens/id-tokens/update-id-token-lifetime',
    check: ({ lifetime }) => {
      if (lifetime === undefined || lifetime <= LIMITS.lifetimeDefault) return [];
      const path = '/jwt_configuration/lifetime_in_seconds';
      const hours = Math.round((lifetime / 3600) * 10) / 10;
      return [
        {
          path,
          message: `${labelOf(path)} is ${lifetime} (${hours} hours); keep id_tokens at ${LIMITS.lifetimeDefault} seconds (10 hours) or less`,
        },
      ];
    },
  },
  {
    id: 'inapplicable-setting',
    severity: 'info',
    description:
      'A setting does nothing for the app type (often left over from a change of app_type): URL lists on a non_interactive client, grant types the type cannot use. It is kept but inert.',
    see: 'https://auth0.com/docs/get-started/applications/application-grant-types',
    check: ({ type, clientKind, lists, grantTypes }) => {
      if (!type) return [];
      const findings: RawFinding[] = [];
      for (const list of lists) {
        if (list.length === 0 || type.urlLists.includes(list.field)) continue;
        const path = `/${list.field}`;
        findings.push({
          path,
          message: `${labelOf(path)} does nothing for ${clientKind} (no user is redirected); it is kept but inert, remove it`,
        });
      }
      for (const { index, value } of grantTypes) {
        if (!isGrantType(value) || !type.grantTypes.inert.includes(value)) continue;
        const path = `/grant_types/${index}`;
        findings.push({
          path,
          message: `${labelOf(path)} ${quote(value)} does nothing for ${clientKind}; it is kept but inert, remove it`,
        });
      }
      return findings;
    },
  },
  {
    id: 'duplicate-entry',
    severity: 'warning',
    description:
      'Two entries of a URL list match exactly the same URLs (after normalisation: case, default port, the parts the list compares), or a grant type is listed twice.',
    see: 'docs/client-settings.md',
    check: ({ lists, grantTypes }) => {
      const findings: RawFinding[] = [];
      for (const list of lists) {
        const first = new Map<string, LintEntry>();
        for (const entry of list.entries) {
          const key = duplicateKey(entry);
          const earlier = first.get(key);
          if (earlier) {
            findings.push(
              at(
                entry,
                `matches the same URLs as ${earlier.label} ${quote(earlier.entry)}; remove one`,
              ),
            );
          } else {
            first.set(key, entry);
          }
        }
      }
      const seen = new Map<string, number>();
      for (const { index, value } of grantTypes) {
        const earlier = seen.get(value);
        if (earlier === undefined) {
          seen.set(value, index);
          continue;
        }
        const path = `/grant_types/${index}`;
        findings.push({
          path,
          message: `${labelOf(path)} ${quote(value)} repeats grant_types[${earlier}]; remove one`,
        });
      }
      return findings;
    },
  },
  {
    id: 'callback-query',
    severity: 'warning',
    description:
      'A callback URL has a query string: every redirect_uri must then carry exactly that query. Per-request data belongs in the state parameter.',
    see: 'https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3',
    check: ({ lists }) =>
      lists
        .filter((list) => list.field === 'callbacks')
        .flatMap((list) => list.entries)
        .filter((entry) => entry.pattern.query !== undefined)
        .map((entry) =>
          at(
            entry,
            'has a query string; redirect_uri values must repeat it exactly, so pass per-request data in state instead',
          ),
        ),
  },
  {
    id: 'private-scheme-without-dot',
    severity: 'warning',
    description:
      'A private-use URI scheme is not a reverse domain name (myapp: rather than com.example.myapp:): another app on the device can register the same scheme and receive the redirect.',
    see: 'https://www.rfc-editor.org/rfc/rfc8252#section-7.1',
    check: ({ lists }) =>
      lists
        .flatMap((list) => list.entries)
        .filter((entry) => !isWeb(entry) && !entry.pattern.scheme.includes('.'))
        .map((entry) =>
          at(
            entry,
            `uses the private-use scheme "${entry.pattern.scheme}:" without a dot; use a reverse domain name you own, such as com.example.app:`,
          ),
        ),
  },
  {
    id: 'origin-with-path',
    severity: 'warning',
    description:
      'An origin entry has a path or query: only its scheme, host and port are used, so the rest suggests a restriction that does not exist.',
    see: 'https://www.rfc-editor.org/rfc/rfc6454#section-6.2 (an origin has no path)',
    check: ({ lists }) =>
      lists
        .filter((list) => list.kind === 'origin')
        .flatMap((list) => list.entries)
        .filter((entry) => entry.pattern.path !== '/' || entry.pattern.query !== undefined)
        .map((entry) =>
          at(
            entry,
            `has a path or query, which is ignored: only the origin ${quote(entry.pattern.normalized)} is allowed; write just the origin`,
          ),
        ),
  },
  {
    id: 'password-grant',
    severity: 'warning',
    description:
      'The client may use the resource owner password grant: the app sees the user’s password, and MFA, federation and phishing protection are bypassed.',
    see: 'https://www.rfc-editor.org/rfc/rfc9700#section-2.4',
    check: ({ grantTypes }) =>
      grantTypes
        .filter(({ value }) => isGrantType(value) && GRANT_TYPES[value].password)
        .filter(({ value }) => isGrantType(value) && !GRANT_TYPES[value].legacy)
        .map(({ index, value }) => {
          const path = `/grant_types/${index}`;
          return {
            path,
            message: `${labelOf(path)} ${quote(value)} lets the app handle users' passwords (RFC 9700 §2.4: must not be used); use authorization_code with PKCE`,
          };
        }),
  },
  {
    id: 'legacy-grant',
    severity: 'warning',
    description:
      'The client keeps an Auth0 legacy grant type, which Auth0 supports only for old tenants.',
    see: 'https://auth0.com/docs/get-started/applications/application-grant-types',
    check: ({ grantTypes }) =>
      grantTypes
        .filter(({ value }) => isGrantType(value) && GRANT_TYPES[value].legacy)
        .map(({ index, value }) => {
          const path = `/grant_types/${index}`;
          return {
            path,
            message: `${labelOf(path)} ${quote(value)} is an Auth0 legacy grant; remove it`,
          };
        }),
  },
  {
    id: 'secret-in-config',
    severity: 'warning',
    description:
      'The configuration holds a client_secret (as Auth0 exports do): it is ignored on import, and a secret kept in a file or repository should be treated as leaked. A secret a Tenant encrypted with its secretsKey (enc:v1:…) is not plain text and is not reported.',
    see: 'docs/client-settings.md',
    check: ({ settings }) => {
      const secret = settings['client_secret'];
      if (typeof secret !== 'string' || secret === '' || isEnvelope(secret)) return [];
      return [
        {
          path: '/client_secret',
          message:
            'client_secret is stored in this configuration; remove it (it is ignored on import) and rotate the secret',
        },
      ];
    },
  },
];
