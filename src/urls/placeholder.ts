/**
 * Auth0 Organizations' `{organization_name}` placeholder: an http(s) entry may use it as
 * its whole leftmost host label (`https://{organization_name}.example.com/callback`), and
 * `allows(candidate, { organizationName })` puts the organization's name in its place.
 *
 * @see https://auth0.com/docs/manage-users/organizations/configure-organizations/use-org-name-authentication-api
 */
import type { RawUrl, UrlProblem } from './scan.js';
import { problem } from './scan.js';

/** The placeholder as written in an entry. */
export const ORGANIZATION_PLACEHOLDER = '{organization_name}';

/**
 * An organization name that can stand in the placeholder: an Auth0 organization name
 * (1–50 characters of `a-z0-9-_`) that is also a valid DNS label (no `_`, no `-` at
 * either end). Any other name matches nothing.
 */
const USABLE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

/**
 * Why the placeholder (or a brace) is where it must not be, or `undefined`. `raw` is the
 * scanned entry; `hasWildcard` whether it has a `*`.
 */
export function placeholderProblem(
  entry: string,
  raw: RawUrl,
  hasWildcard: boolean,
): UrlProblem | undefined {
  const first = entry.indexOf(ORGANIZATION_PLACEHOLDER);
  if (first === -1) {
    return raw.web && (raw.host.includes('{') || raw.host.includes('}')) ? misplaced() : undefined;
  }
  if (entry.includes(ORGANIZATION_PLACEHOLDER, first + 1)) {
    return problem('placeholder_count', `must not use ${ORGANIZATION_PLACEHOLDER} more than once`);
  }
  if (hasWildcard) {
    return problem(
      'placeholder_wildcard',
      `must not use ${ORGANIZATION_PLACEHOLDER} and a wildcard in the same entry`,
    );
  }
  if (!raw.web) {
    return problem(
      'placeholder_scheme',
      `may only use ${ORGANIZATION_PLACEHOLDER} in an http or https host`,
    );
  }
  if (!raw.host.startsWith(ORGANIZATION_PLACEHOLDER)) return misplaced();
  const rest = raw.host.slice(ORGANIZATION_PLACEHOLDER.length);
  if (rest === '' || rest === '.') {
    return problem(
      'placeholder_needs_domain',
      `must follow ${ORGANIZATION_PLACEHOLDER} with a domain (https://${ORGANIZATION_PLACEHOLDER}.example.com)`,
    );
  }
  if (!rest.startsWith('.') || rest.includes('{') || rest.includes('}')) return misplaced();
  return undefined;
}

function misplaced(): UrlProblem {
  return problem(
    'placeholder_position',
    `may only use ${ORGANIZATION_PLACEHOLDER} as the whole leftmost label of the host (https://${ORGANIZATION_PLACEHOLDER}.example.com/callback), and no other braces in the host`,
  );
}

/**
 * The organization name of an `allows()` context when it can stand in the placeholder,
 * otherwise `undefined`. Reads the context defensively: it comes from the caller, and
 * `allows()` never throws.
 */
export function usableOrganizationName(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  try {
    const name: unknown = (context as { organizationName?: unknown }).organizationName;
    return typeof name === 'string' && USABLE_NAME.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
