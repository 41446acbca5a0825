/**
 * `--format json`: one object, `{ findings, summary, failures }`: the findings and summary
 * in the shape DESIGN.md fixes, and the inputs that could not be checked at all.
 *
 * @module
 */
import type { CheckFinding, CheckSummary, LoadFailure } from './types.js';

/** An input `clientele check` could not check (it also exits 2 then). */
export interface JsonFailure {
  /** The path or pattern as given. */
  file: string;
  /** Why, on one line (the line stderr shows after the path). */
  message: string;
}

/** The JSON document `clientele check --format json` prints. */
export interface JsonReport {
  /** Every finding, in file, client and pointer order as checked. */
  findings: CheckFinding[];
  /** Totals. */
  summary: CheckSummary;
  /** Inputs that could not be read, parsed or recognised as a tenant export; `[]` when none. */
  failures: JsonFailure[];
}

/** The JSON report as text (two-space indented, with a final newline). */
export function formatJson(
  findings: readonly CheckFinding[],
  summary: CheckSummary,
  failures: readonly LoadFailure[] = [],
): string {
  const report: JsonReport = {
    // Built field by field so nothing else (such as a source line) leaks into the shape.
    findings: findings.map(({ file, client, rule, severity, path, message }) => ({
      file,
      client,
      rule,
      severity,
      path,
      message,
    })),
    summary: {
      files: summary.files,
      clients: summary.clients,
      errors: summary.errors,
      warnings: summary.warnings,
    },
    failures: failures.map(({ file, reason }) => ({ file, message: reason })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
