/**
 * `--format json`: one object, `{ findings, summary }`, in the shape DESIGN.md fixes.
 *
 * @module
 */
import type { CheckFinding, CheckSummary } from './types.js';

/** The JSON document `clientele check --format json` prints. */
export interface JsonReport {
  /** Every finding, in file, client and pointer order as checked. */
  findings: CheckFinding[];
  /** Totals. */
  summary: CheckSummary;
}

/** The JSON report as text (two-space indented, with a final newline). */
export function formatJson(findings: readonly CheckFinding[], summary: CheckSummary): string {
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
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
