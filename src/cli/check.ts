/**
 * Turns loaded tenant exports into findings: every client is validated and linted
 * (see `client-check.ts`), every API, connection and client grant validated and checked
 * against the rest of the export (`api-check.ts`, `connection-check.ts`,
 * `grant-check.ts`), and a few checks that need the whole export or the raw file are
 * added:
 *
 * - `unresolved-keyword` (error): a `##KEY##` or `@@KEY@@` marker is still in a value,
 *   so the file checked is not what the Deploy CLI would deploy. Other findings at the
 *   same pointer are dropped: the marker is their cause.
 * - `duplicate-client-name` (error): two clients of one export share a `name`. The
 *   Deploy CLI identifies clients by name, so one would overwrite the other.
 * - `missing-file` (error): a file the entry names (a custom login page, an email
 *   template, a database script) cannot be read; found by the loader
 *   (`loaders/file-references.ts`).
 *
 * The findings of an entry are listed errors first, then warnings, then info.
 *
 * @module
 */
import { checkApis } from './api-check.js';
import { checkClientSettings, type ClientChecker, type ClientFinding } from './client-check.js';
import { checkConnections } from './connection-check.js';
import { entryReport, stringField, whereIs, withKeywordMarkers } from './entry-report.js';
import { checkGrants } from './grant-check.js';
import { checkThirdParty } from './third-party-check.js';
import { apiReferences, clientReferences } from './references.js';
import type {
  CheckSummary,
  ClientReport,
  ExportReport,
  LoadedClient,
  LoadedTenant,
} from './types.js';

/** The display name of a client: its `name`, or `(unnamed #N)` when it has none. */
export function clientLabel(client: LoadedClient): string {
  return stringField(client.raw, 'name') ?? `(unnamed #${client.position})`;
}

/** Checks every client, API, connection and client grant of one export. */
export function checkTenant(tenant: LoadedTenant, checker: ClientChecker): ExportReport {
  const thirdParty = checkThirdParty(tenant);
  const report: ExportReport = {
    source: tenant.source,
    clients: checkClients(tenant.clients, checker, thirdParty.clients),
  };
  const clients = clientReferences(tenant.clients);
  if (tenant.apis) report.apis = checkApis(tenant.apis);
  if (tenant.connections) report.connections = checkConnections(tenant.connections, clients);
  if (tenant.grants) {
    const apis = tenant.apis && apiReferences(tenant.apis);
    report.grants = checkGrants(tenant.grants, clients, apis, thirdParty.grants);
  }
  return report;
}

/** Every report of an export: clients, then APIs, connections and client grants. */
export function entryReports(exported: ExportReport): ClientReport[] {
  return [
    ...exported.clients,
    ...(exported.apis ?? []),
    ...(exported.connections ?? []),
    ...(exported.grants ?? []),
  ];
}

/**
 * Totals over the reports: `files` counts exports, `clients` clients only; `errors` and
 * `warnings` count the findings of every entry.
 */
export function summarise(exports: readonly ExportReport[]): CheckSummary {
  let clients = 0;
  let errors = 0;
  let warnings = 0;
  for (const exported of exports) {
    clients += exported.clients.length;
    for (const report of entryReports(exported)) {
      for (const finding of report.findings) {
        if (finding.severity === 'error') errors += 1;
        else if (finding.severity === 'warning') warnings += 1;
      }
    }
  }
  return { files: exports.length, clients, errors, warnings };
}

function checkClients(
  clients: readonly LoadedClient[],
  checker: ClientChecker,
  extra: ReadonlyMap<number, readonly ClientFinding[]>,
): ClientReport[] {
  const firstWithName = new Map<string, LoadedClient>();
  return clients.map((client) => {
    const findings: ClientFinding[] = withKeywordMarkers(client.raw, [
      ...(client.findings ?? []),
      ...checkClientSettings(client.raw, checker),
      ...(extra.get(client.position) ?? []),
    ]);

    const name = stringField(client.raw, 'name');
    if (name !== undefined) {
      const first = firstWithName.get(name);
      if (first) {
        findings.push({
          rule: 'duplicate-client-name',
          severity: 'error',
          path: '/name',
          message: `name ${JSON.stringify(name)} is also the name of client #${first.position}${whereIs(first)}; the Deploy CLI identifies clients by name, so one would overwrite the other`,
        });
      } else {
        firstWithName.set(name, client);
      }
    }

    const appType = stringField(client.raw, 'app_type');
    return entryReport(
      client,
      clientLabel(client),
      findings,
      appType === undefined ? {} : { appType },
    );
  });
}
