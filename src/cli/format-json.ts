/**
 * `--format json`: one object, `{ findings, summary, failures }`: the findings and summary
 * in the shape DESIGN.md fixes, each finding with its `line` and `column` in the file
 * (`null` when they cannot be told), and the inputs that could not be checked at all.
 *
 * @module
 */
import type { CheckFinding, CheckSummary, LoadFailure, LocatedFinding } from './types.js';

/** A finding as the JSON output shows it. */
export interface JsonFinding extends CheckFinding {
  /** 1-based line in `file`, or `null` when it cannot be told. */
  line: number | null;
  /** 1-based column in `file` (UTF-16 code units), or `null` when it cannot be told. */
  column: number | null;
}

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
  findings: JsonFinding[];
  /** Totals. */
  summary: CheckSummary;
  /** Inputs that could not be read, parsed or recognised as a tenant export; `[]` when none. */
  failures: JsonFailure[];
}

/** The JSON report as text (two-space indented, with a final newline). */
export function formatJson(
  findings: readonly LocatedFinding[],
  summary: CheckSummary,
  failures: readonly LoadFailure[] = [],
): string {
  const report: JsonReport = {
    // Built field by field so nothing else leaks into the shape.
    findings: findings.map(({ file, client, rule, severity, path, message, line, column }) => ({
      file,
      client,
      rule,
      severity,
      path,
      message,
      line: line ?? null,
      column: column ?? null,
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
