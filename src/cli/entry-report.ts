/**
 * What every entry of an export (client, API, connection, client grant) goes through once
 * its checks have spoken: keyword markers left in it are reported instead of what they
 * break, findings are ordered by severity and located in the file.
 *
 * @module
 */
import { labelOf } from '../client/messages.js';
import type { Issue } from '../errors.js';
import type { ClientFinding } from './client-check.js';
import { findMarkersInValue } from './keywords.js';
import type { CheckSeverity, ClientReport, LoadedEntry, LocatedFinding } from './types.js';

/**
 * `unresolved-keyword` errors for the `##KEY##` and `@@KEY@@` markers still in `raw`,
 * followed by `findings` except those at a marker's pointer: the marker is their cause.
 */
export function withKeywordMarkers(
  raw: unknown,
  findings: readonly ClientFinding[],
): ClientFinding[] {
  const markers = findMarkersInValue(raw);
  const markerPaths = new Set(markers.map((hit) => hit.path));
  return [
    ...markers.map((hit): ClientFinding => ({
      rule: 'unresolved-keyword',
      severity: 'error',
      path: hit.path,
      message: `${labelOf(hit.path)} holds the keyword ${hit.markers.join(', ')}, which was not replaced; give it a value with --keywords <file.json>`,
    })),
    ...findings.filter((finding) => !markerPaths.has(finding.path)),
  ];
}

/** Validation issues as findings: severity `error`, rule = the issue's code exactly. */
export function issueFindings(issues: readonly Issue[]): ClientFinding[] {
  return issues.map((issue) => ({
    rule: issue.code,
    severity: 'error',
    path: issue.path,
    message: issue.message,
  }));
}

/**
 * `checked` followed by the findings of `extra` whose pointer none of `checked` uses: a
 * cross-reference finding where validation already reported a problem would only repeat it.
 */
export function addUnreported(
  checked: readonly ClientFinding[],
  extra: readonly ClientFinding[],
): ClientFinding[] {
  const reported = new Set(checked.map((finding) => finding.path));
  return [...checked, ...extra.filter((finding) => !reported.has(finding.path))];
}

/** The report of one entry: its findings errors first, each with its file and line. */
export function entryReport(
  entry: LoadedEntry,
  label: string,
  findings: readonly ClientFinding[],
  heading: Pick<ClientReport, 'appType' | 'detail'> = {},
): ClientReport {
  return {
    client: label,
    file: entry.file,
    ...heading,
    findings: bySeverity(findings).map((finding) => locate(finding, entry, label)),
  };
}

/** ` (file:line)` of an entry, for messages that point at another entry. */
export function whereIs(entry: LoadedEntry): string {
  const line = entry.lineOf('');
  return line === undefined ? ` (${entry.file})` : ` (${entry.file}:${line})`;
}

/** A field of an entry when it is a non-blank string. */
export function stringField(raw: unknown, field: string): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const value = (raw as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function locate(finding: ClientFinding, entry: LoadedEntry, label: string): LocatedFinding {
  const position = entry.positionOf?.(finding.path);
  const line = position?.line ?? entry.lineOf(finding.path);
  return {
    file: entry.file,
    client: label,
    rule: finding.rule,
    severity: finding.severity,
    path: finding.path,
    message: finding.message,
    ...(line === undefined ? {} : { line }),
    ...(position === undefined ? {} : { column: position.column }),
  };
}

const SEVERITY_ORDER: Readonly<Record<CheckSeverity, number>> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; the order of each severity is kept. */
function bySeverity(findings: readonly ClientFinding[]): ClientFinding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
