/**
 * Lint rules about Auth0's `{organization_name}` placeholder in URL lists
 * (`https://{organization_name}.example.com/callback`). Auth0 evaluates such an entry only
 * in an organization's context, and only for a client whose `organization_usage` is
 * `allow` or `require`; it advises against mixing placeholders and wildcards in one list.
 *
 * The rules read the entries as written (the placeholder is found by its literal text),
 * so they work whatever the URL parser makes of the entry.
 *
 * @see https://auth0.com/docs/manage-users/organizations/configure-organizations/use-org-name-authentication-api
 */
import type { LintContext, LintRawEntry } from './lint-context.js';
import type { CheckedLintRule } from './lint-rules.js';
import { quote } from './messages.js';

/** The placeholder Auth0 replaces with the organization's name. */
export const ORGANIZATION_PLACEHOLDER = '{organization_name}';

function hasPlaceholder(entry: LintRawEntry): boolean {
  return entry.entry.includes(ORGANIZATION_PLACEHOLDER);
}

/** A subdomain wildcard: a `*` in the host of an http(s) entry. */
function hasWildcard(entry: LintRawEntry): boolean {
  const match = /^https?:\/\/([^/?#]*)/i.exec(entry.entry);
  return match?.[1]?.includes('*') === true;
}

/** Every entry with a placeholder, with its list's field. */
function placeholders(context: LintContext): LintRawEntry[] {
  return context.lists.flatMap((list) => list.raw.filter(hasPlaceholder));
}

/**
 * The organization placeholder rules, with their checks.
 *
 * @internal
 */
export const ORGANIZATION_LINT_RULES: readonly CheckedLintRule[] = [
  {
    id: 'organization-placeholder-with-wildcard',
    severity: 'warning',
    description:
      'A URL list mixes {organization_name} placeholders and subdomain wildcards: Auth0 advises against it, since a wildcard can match what was meant for one organization.',
    see: 'https://auth0.com/docs/manage-users/organizations/configure-organizations/use-org-name-authentication-api',
    check: ({ lists }) =>
      lists.flatMap((list) => {
        const wildcards = list.raw.filter((entry) => hasWildcard(entry) && !hasPlaceholder(entry));
        if (wildcards.length === 0) return [];
        const others = wildcards.map((entry) => entry.label).join(', ');
        return list.raw.filter(hasPlaceholder).map((entry) => ({
          path: entry.path,
          message: `${entry.label} ${quote(entry.entry)} uses ${ORGANIZATION_PLACEHOLDER} in a list with wildcard entries (${others}); keep one or the other`,
        }));
      }),
  },
  {
    id: 'organization-placeholder-unused',
    severity: 'warning',
    description:
      'A URL list entry uses {organization_name}, but the client’s organization_usage is absent or deny: Auth0 never evaluates the entry, so it matches nothing.',
    see: 'https://auth0.com/docs/manage-users/organizations/configure-organizations/use-org-name-authentication-api',
    check: (context) => {
      const usage = context.settings['organization_usage'];
      if (usage === 'allow' || usage === 'require') return [];
      const why =
        usage === 'deny' ? 'organization_usage is "deny"' : 'organization_usage is not set';
      return placeholders(context).map((entry) => ({
        path: entry.path,
        message: `${entry.label} ${quote(entry.entry)} uses ${ORGANIZATION_PLACEHOLDER}, but ${why}, so it matches nothing; set organization_usage to "allow" or "require", or remove the entry`,
      }));
    },
  },
];
