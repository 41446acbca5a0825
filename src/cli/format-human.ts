/**
 * The human output: one block per tenant export, one heading per client, then per API,
 * connection and client grant (with `ok` when it has no findings), one line per finding
 * with its severity, rule, pointer and `file:line`, then the message indented below it,
 * and a summary line (which counts clients, as the JSON summary does).
 *
 * ```text
 * examples/tenant.yaml
 *   Storefront (spa)
 *     warning  wildcard-url  /callbacks/1  examples/tenant.yaml:31
 *       callbacks[1] "https://*.example.com/cb" uses a wildcard; …
 *   Billing worker (non_interactive): ok
 *   api:Orders API (https://api.example.com/orders): ok
 *   connection:google-oauth2 (google-oauth2)
 *     error    unknown-client  /enabled_clients/1  examples/tenant.yaml:52
 *       enabled_clients[1] "Storefrnt" names no client of this export; did you mean "Storefront"?
 *   grant:Billing worker -> https://api.example.com/orders: ok
 *
 * 2 clients in 1 file: 1 error, 1 warning
 * ```
 *
 * Text from the files (names, pointers, messages quoting values) is printed with control
 * and bidi characters escaped, so a tenant file cannot rewrite the terminal or CI log.
 *
 * @module
 */
import type { Palette } from './ansi.js';
import { entryReports } from './check.js';
import { printable } from './text.js';
import type { CheckSeverity, CheckSummary, ExportReport, LocatedFinding } from './types.js';

/** Renders the human output. */
export function formatHuman(
  exports: readonly ExportReport[],
  summary: CheckSummary,
  colours: Palette,
): string {
  const lines: string[] = [];
  let infos = 0;
  for (const exported of exports) {
    lines.push(colours.bold(printable(exported.source)));
    if (exported.clients.length === 0) lines.push(`  ${colours.dim('(no clients)')}`);
    for (const report of entryReports(exported)) {
      const detail = report.appType ?? report.detail;
      const heading = printable(detail ? `${report.client} (${detail})` : report.client);
      if (report.findings.length === 0) {
        lines.push(`  ${heading}: ${colours.green('ok')}`);
        continue;
      }
      lines.push(`  ${colours.bold(heading)}`);
      for (const finding of report.findings) {
        if (finding.severity === 'info') infos += 1;
        lines.push(`    ${findingLine(finding, colours)}`);
        lines.push(`      ${printable(finding.message)}`);
      }
    }
    lines.push('');
  }
  lines.push(summaryLine(summary, infos, colours));
  return `${lines.join('\n')}\n`;
}

function findingLine(finding: LocatedFinding, colours: Palette): string {
  const severity = paint(finding.severity, finding.severity.padEnd(7), colours);
  const path = finding.path === '' ? '(client)' : printable(finding.path);
  const file = printable(finding.file);
  const where = finding.line === undefined ? file : `${file}:${finding.line}`;
  return `${severity}  ${printable(finding.rule)}  ${colours.dim(path)}  ${colours.dim(where)}`;
}

function paint(severity: CheckSeverity, text: string, colours: Palette): string {
  if (severity === 'error') return colours.red(text);
  if (severity === 'warning') return colours.yellow(text);
  return colours.cyan(text);
}

/** The summary line: `2 clients in 1 file: 1 error, 1 warning` (info counted when any). */
export function summaryText(summary: CheckSummary, infos: number): string {
  const counted = [
    plural(summary.errors, 'error'),
    plural(summary.warnings, 'warning'),
    ...(infos > 0 ? [`${infos} info`] : []),
  ].join(', ');
  const checked = `${plural(summary.clients, 'client')} in ${plural(summary.files, 'file')}`;
  return `${checked}: ${counted}`;
}

function summaryLine(summary: CheckSummary, infos: number, colours: Palette): string {
  const text = summaryText(summary, infos);
  if (summary.errors > 0) return colours.red(text);
  if (summary.warnings > 0) return colours.yellow(text);
  return colours.green(text);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
