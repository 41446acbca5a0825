/**
 * Validates and lints one client object, including one that fails validation.
 *
 * `lintClient` reads settings as written (comma-separated lists, unknown fields and
 * invalid entries included, which it skips), so the client is linted exactly as it is in
 * the file, valid or not: lint pointers then point into the file, rules that do not
 * depend on the app type still run when `app_type` is wrong, and `secret-in-config` sees
 * the `client_secret` that validation drops. A lint finding at the same pointer as a
 * validation issue is dropped (the issue already says what to fix there), except inside
 * a comma-separated URL list, where one pointer covers every entry.
 *
 * @module
 */
import type { Issue } from '../errors.js';
import { isRecord, pointerTokens } from './pointer.js';
import type { CheckSeverity } from './types.js';

/** A finding before it is attributed to a file and a client. */
export interface ClientFinding {
  /** Issue code or lint rule. */
  rule: string;
  /** How serious it is. */
  severity: CheckSeverity;
  /** JSON pointer into the client. */
  path: string;
  /** What is wrong. */
  message: string;
}

/** What {@link ClientChecker.validate} returns (the contract's `ValidationResult`). */
export type ValidationOutcome =
  | {
      /** Valid. */
      ok: true;
      /** The normalised settings. */
      value: unknown;
    }
  | {
      /** Invalid. */
      ok: false;
      /** Every problem, each at its JSON pointer. */
      issues: readonly Issue[];
    };

/**
 * The two library functions the check needs, as in the public API contract
 * (`validateClientSettings` and `lintClient`); injectable for tests.
 */
export interface ClientChecker {
  /** Validates full (not partial) client settings. */
  validate(input: unknown): ValidationOutcome;
  /** Lints client settings as written in the file. */
  lint(settings: unknown): readonly ClientFinding[];
}

/** URL lists; Auth0 also accepts each as one comma-separated string. */
const URL_LISTS: ReadonlySet<string> = new Set([
  'callbacks',
  'allowed_logout_urls',
  'allowed_origins',
  'web_origins',
]);

/** Validation issues (as `error` findings, rule = issue code) followed by lint findings. */
export function checkClientSettings(raw: unknown, checker: ClientChecker): ClientFinding[] {
  const validation = checker.validate(raw);
  const issues = validation.ok ? [] : validation.issues;
  const findings: ClientFinding[] = issues.map((issue) => ({
    rule: issue.code,
    severity: 'error',
    path: issue.path,
    message: issue.message,
  }));
  const reported = new Set(issues.map((issue) => issue.path));
  for (const finding of checker.lint(raw)) {
    if (reported.has(finding.path) && !isCommaList(raw, finding.path)) continue;
    findings.push({ ...finding });
  }
  return findings;
}

/** True when `path` is a URL list written as one comma-separated string. */
function isCommaList(raw: unknown, path: string): boolean {
  const tokens = pointerTokens(path);
  const [field] = tokens;
  return (
    tokens.length === 1 &&
    field !== undefined &&
    URL_LISTS.has(field) &&
    isRecord(raw) &&
    typeof raw[field] === 'string'
  );
}
