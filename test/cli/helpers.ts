import { fileURLToPath } from 'node:url';
import type { ClientChecker, ClientFinding } from '../../src/cli/client-check.js';
import type { Issue } from '../../src/errors.js';

/** Absolute path of a file under test/fixtures/cli. */
export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/cli/${relative}`, import.meta.url));
}

/** The fixtures directory, for running the CLI with relative paths. */
export const FIXTURES = fixture('.');

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A stand-in for the library's validator and linter, for tests of the CLI's own logic:
 * `name` and `app_type` are required, `app_type` must be one of the four, any property
 * starting with `bad` is an issue, an entry of a list containing "#" is an issue (at the
 * list's pointer when it was a comma-separated string), and lint, on the settings as
 * written, warns about every list entry containing "*" (likewise).
 */
export const fakeChecker: ClientChecker = {
  validate(input) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, issues: [{ path: '', code: 'invalid_type', message: 'not an object' }] };
    }
    const record = { ...(input as Record<string, unknown>) };
    const issues: Issue[] = [];
    if (typeof record['name'] !== 'string') {
      issues.push({ path: '/name', code: 'required', message: 'name is required' });
    }
    if (!['spa', 'native', 'regular_web', 'non_interactive'].includes(String(record['app_type']))) {
      issues.push({ path: '/app_type', code: 'invalid_app_type', message: 'app_type is invalid' });
    }
    for (const [key, value] of Object.entries(record)) {
      if (key.startsWith('bad')) {
        issues.push({ path: `/${key}`, code: 'unknown_property', message: `${key} is unknown` });
      }
      const fromString = typeof value === 'string' && key === 'callbacks';
      if (fromString) record[key] = value.split(',').map((entry) => entry.trim());
      const list = record[key];
      if (Array.isArray(list)) {
        list.forEach((entry, index) => {
          if (String(entry).includes('#')) {
            issues.push({
              // Like the library, a problem in a comma-separated string is reported at it.
              path: fromString ? `/${key}` : `/${key}/${index}`,
              code: 'invalid_url',
              message: `${key}/${index} has a fragment`,
            });
          }
        });
      }
    }
    return issues.length > 0 ? { ok: false, issues } : { ok: true, value: record };
  },
  lint(settings) {
    const findings: ClientFinding[] = [];
    if (typeof settings !== 'object' || settings === null) return findings;
    for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
      const entries = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry, index) => {
        if (String(entry).includes('*')) {
          findings.push({
            rule: 'wildcard',
            severity: 'warning',
            path: typeof value === 'string' ? `/${key}` : `/${key}/${index}`,
            message: `${key}/${index} is a wildcard`,
          });
        }
      });
    }
    return findings;
  },
};
