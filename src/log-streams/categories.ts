/**
 * Auth0's log stream event filters: each category and the log type codes it holds, as
 * Auth0's "Log Stream Filters" page lists them, for the codes clientele emits and the
 * neighbours of the same families. A code in no category is `other`. One table; a stream's
 * filter predicate is compiled from it once.
 *
 * @see https://auth0.com/docs/customize/log-streams/event-filters
 * @module
 */

/** A category of Auth0's log stream filters (`auth.login.fail`, `management.success`, …). */
export type LogStreamCategory =
  | 'auth.login.fail'
  | 'auth.login.notification'
  | 'auth.login.success'
  | 'auth.logout.fail'
  | 'auth.logout.success'
  | 'auth.signup.fail'
  | 'auth.signup.success'
  | 'auth.silent_auth.fail'
  | 'auth.silent_auth.success'
  | 'auth.token_exchange.fail'
  | 'auth.token_exchange.success'
  | 'management.fail'
  | 'management.success'
  | 'scim.event'
  | 'system.notification'
  | 'user.fail'
  | 'user.notification'
  | 'user.success'
  | 'actions'
  | 'other';

/**
 * The log type codes of each category. `other` lists none: it holds every code that is in
 * no other category.
 */
export const LOG_STREAM_CATEGORIES: Readonly<Record<LogStreamCategory, readonly string[]>> =
  Object.freeze({
    'auth.login.fail': ['f', 'fc', 'fco', 'fcoa', 'fens', 'fp', 'fu'],
    'auth.login.notification': ['w'],
    'auth.login.success': ['s', 'scoa', 'sens'],
    'auth.logout.fail': ['flo', 'oidc_backchannel_logout_failed'],
    'auth.logout.success': ['slo', 'oidc_backchannel_logout_succeeded'],
    'auth.signup.fail': ['fs'],
    'auth.signup.success': ['ss'],
    'auth.silent_auth.fail': ['fsa'],
    'auth.silent_auth.success': ['ssa'],
    'auth.token_exchange.fail': [
      'feacft',
      'feccft',
      'fede',
      'feoobft',
      'feotpft',
      'fepft',
      'fepotpft',
      'fercft',
      'fertft',
      'ferrt',
    ],
    'auth.token_exchange.success': [
      'seacft',
      'seccft',
      'sede',
      'seoobft',
      'seotpft',
      'sepft',
      'sercft',
      'sertft',
    ],
    'management.fail': ['fapi'],
    'management.success': ['sapi', 'mgmt_api_read'],
    'scim.event': [],
    'system.notification': ['api_limit', 'depnote', 'limit_delegation', 'limit_mu', 'limit_wc'],
    'user.fail': ['fce', 'fcp', 'fcpn', 'fcpr', 'fcu', 'fdu', 'fv', 'fvr'],
    'user.notification': ['cls', 'cs', 'pwd_leak'],
    'user.success': ['sce', 'scp', 'scpn', 'scpr', 'scu', 'sdu', 'srrt', 'sv', 'svr'],
    actions: ['actions_execution_failed'],
    other: [],
  });

/** Every {@link LogStreamCategory}, in the order messages list them. */
export const LOG_STREAM_CATEGORY_NAMES = Object.freeze(
  Object.keys(LOG_STREAM_CATEGORIES),
) as readonly LogStreamCategory[];

/** The category of each listed code. */
const CATEGORY_OF: ReadonlyMap<string, LogStreamCategory> = new Map(
  LOG_STREAM_CATEGORY_NAMES.flatMap((category) =>
    LOG_STREAM_CATEGORIES[category].map((code) => [code, category] as const),
  ),
);

/** The category of a log type code (`other` for a code no category lists). */
export function categoryOf(type: string): LogStreamCategory {
  return CATEGORY_OF.get(type) ?? 'other';
}

/** True when `name` is one of Auth0's categories. */
export function isLogStreamCategory(name: unknown): name is LogStreamCategory {
  return typeof name === 'string' && Object.hasOwn(LOG_STREAM_CATEGORIES, name);
}

/**
 * Whether a stream with these filters delivers an event of each type: every type when
 * there are none (Auth0: "if omitted or empty, all events will be delivered").
 */
export function filterPredicate(
  filters: readonly { readonly name: string }[] | undefined,
): (type: string) => boolean {
  if (filters === undefined || filters.length === 0) return () => true;
  const wanted = new Set(filters.map((filter) => filter.name));
  return (type) => wanted.has(categoryOf(type));
}
