/**
 * Turns loaded tenant exports into findings: every client is validated and linted
 * (see `client-check.ts`), and a few checks that need the whole export or the raw file
 * are added:
 *
 * - `unresolved-keyword` (error): a `##KEY##` or `@@KEY@@` marker is still in a value,
 *   so the file checked is not what the Deploy CLI would deploy. Other findings at the
 *   same pointer are dropped: the marker is their cause.
 * - `duplicate-client-name` (error): two clients of one export share a `name`. The
 *   Deploy CLI identifies clients by name, so one would overwrite the other.
 *
 * A client's findings are listed errors first, then warnings, then info.
 *
 * @module
 */
import { labelOf } from '../client/messages.js';
import { checkClientSettings, type ClientChecker, type ClientFinding } from './client-check.js';
import { findMarkersInValue } from './keywords.js';
import { isRecord } from './pointer.js';
import type {
  CheckFinding,
  CheckSeverity,
  CheckSummary,
  LoadedClient,
  LoadedTenant,
} from './types.js';

/** A finding with the source line the human output shows (not part of the JSON output). */
export interface LocatedFinding extends CheckFinding {
  /** 1-based line in `file`, when known. */
  line?: number;
}

/** The findings for one client, in the order the client appears in its export. */
export interface ClientReport {
  /** The client's display name (`name`, or `(unnamed #N)`). */
  client: string;
  /** The file the client was read from. */
  file: string;
  /** Its `app_type` when it is a string, for the human output's heading. */
  appType?: string;
  /** Its findings: errors first, then warnings, then info. */
  findings: LocatedFinding[];
}

/** The clients of one export. */
export interface ExportReport {
  /** The export's path as given (a file, or the directory of a directory export). */
  source: string;
  /** Its clients in export order. */
  clients: ClientReport[];
}

/** The display name of a client: its `name`, or `(unnamed #N)` when it has none. */
export function clientLabel(client: LoadedClient): string {
  const name = isRecord(client.raw) ? client.raw['name'] : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name : `(unnamed #${client.position})`;
}

/** Checks every client of one export. */
export function checkTenant(tenant: LoadedTenant, checker: ClientChecker): ExportReport {
  const reports: ClientReport[] = [];
  const firstWithName = new Map<string, LoadedClient>();
  for (const client of tenant.clients) {
    const label = clientLabel(client);
    const raw = isRecord(client.raw) ? client.raw : undefined;
    const findings: ClientFinding[] = [];

    const markers = findMarkersInValue(client.raw);
    const markerPaths = new Set(markers.map((hit) => hit.path));
    for (const hit of markers) {
      findings.push({
        rule: 'unresolved-keyword',
        severity: 'error',
        path: hit.path,
        message: `${labelOf(hit.path)} holds the keyword ${hit.markers.join(', ')}, which was not replaced; give it a value with --keywords <file.json>`,
      });
    }
    for (const finding of checkClientSettings(client.raw, checker)) {
      if (!markerPaths.has(finding.path)) findings.push(finding);
    }

    const name = raw?.['name'];
    if (typeof name === 'string' && name.trim() !== '') {
      const first = firstWithName.get(name);
      if (first) {
        findings.push({
          rule: 'duplicate-client-name',
          severity: 'error',
          path: '/name',
          message: `name ${JSON.stringify(name)} is also the name of client #${first.position}${where(first)}; the Deploy CLI identifies clients by name, so one would overwrite the other`,
        });
      } else {
        firstWithName.set(name, client);
      }
    }

    const appType = raw?.['app_type'];
    reports.push({
      client: label,
      file: client.file,
      ...(typeof appType === 'string' ? { appType } : {}),
      findings: bySeverity(findings).map((finding) => locate(finding, client, label)),
    });
  }
  return { source: tenant.source, clients: reports };
}

/** Totals over the reports (`files` counts exports). */
export function summarise(exports: readonly ExportReport[]): CheckSummary {
  let clients = 0;
  let errors = 0;
  let warnings = 0;
  for (const exported of exports) {
    for (const report of exported.clients) {
      clients += 1;
      for (const finding of report.findings) {
        if (finding.severity === 'error') errors += 1;
        else if (finding.severity === 'warning') warnings += 1;
      }
    }
  }
  return { files: exports.length, clients, errors, warnings };
}

function locate(finding: ClientFinding, client: LoadedClient, label: string): LocatedFinding {
  const line = client.lineOf(finding.path);
  return {
    file: client.file,
    client: label,
    rule: finding.rule,
    severity: finding.severity,
    path: finding.path,
    message: finding.message,
    ...(line === undefined ? {} : { line }),
  };
}

function where(client: LoadedClient): string {
  const line = client.lineOf('');
  return line === undefined ? ` (${client.file})` : ` (${client.file}:${line})`;
}

const SEVERITY_ORDER: Readonly<Record<CheckSeverity, number>> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; the order of each severity is kept. */
function bySeverity(findings: readonly ClientFinding[]): ClientFinding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
