/**
 * The lint rule for URL entries Auth0 accepts and the allow lists never match (see
 * `url-hardening.ts`).
 */
import type { CheckedLintRule } from './lint-rules.js';
import { quote } from './messages.js';
import { parsePattern } from './pattern-cache.js';
import { isHardeningOnly } from './url-hardening.js';

/**
 * The URL rules, with their checks.
 *
 * @internal
 */
export const URL_LINT_RULES: readonly CheckedLintRule[] = [
  {
    id: 'url-never-matched',
    severity: 'error',
    description:
      'A URL list entry that Auth0 accepts but that is unsafe to compare (an IDN deviation character such as ß in the host, or a scheme an operating system or browser reserves, such as ms-app:): the allow lists never match it.',
    see: 'https://www.unicode.org/reports/tr46/#Deviations',
    check: ({ lists }) =>
      lists.flatMap((list) =>
        list.raw.flatMap((entry) => {
          const result = parsePattern(list.kind, entry.entry);
          if (result.ok || !isHardeningOnly(list.kind, entry.entry, result)) return [];
          return [
            {
              path: entry.path,
              message: `${entry.label} ${quote(entry.entry)} ${result.reason}; Auth0 accepts it, but this library never matches it (fail closed)`,
            },
          ];
        }),
      ),
  },
];
