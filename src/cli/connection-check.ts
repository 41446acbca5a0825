/**
 * The connections of an export: each validated with `validateConnectionInput` (without
 * the `id` of a Management API dump, see `dump-fields.ts`), plus what only the whole
 * export can tell:
 *
 * - `unknown-client` (error), at `/enabled_clients/<i>`: the entry is neither the name
 *   (what the Deploy CLI writes) nor the `client_id` of a client of the export.
 * - `duplicate-connection-name` (error), at `/name` of every later connection whose name
 *   an earlier one has, whatever their case: the library's registry and Auth0 keep
 *   connection names unique that way.
 *
 * @module
 */
import { quote } from '../client/messages.js';
import { validateConnectionInput } from '../connections/validate-connection.js';
import { withoutResponseFields } from './dump-fields.js';
import type { ClientReport } from './types.js';
import type { ClientFinding } from './client-check.js';
import {
  addUnreported,
  entryReport,
  issueFindings,
  stringField,
  whereIs,
  withKeywordMarkers,
} from './entry-report.js';
import { isRecord } from './pointer.js';
import { didYouMean, type ClientReferences } from './references.js';
import type { LoadedEntry } from './types.js';

/**
 * The label of a connection in findings: `connection:<name>`, or
 * `connection:(unnamed #N)` without a name.
 */
export function connectionLabel(connection: LoadedEntry): string {
  return `connection:${stringField(connection.raw, 'name') ?? `(unnamed #${connection.position})`}`;
}

/** Checks every connection of one export against the export's clients. */
export function checkConnections(
  connections: readonly LoadedEntry[],
  clients: ClientReferences,
): ClientReport[] {
  const firstWithName = new Map<string, LoadedEntry>();
  return connections.map((connection) => {
    const validation = validateConnectionInput(withoutResponseFields('connection', connection.raw));
    const issues: ClientFinding[] = [
      ...(connection.findings ?? []),
      ...(validation.ok ? [] : issueFindings(validation.issues)),
    ];
    const references = unknownClients(connection.raw, clients);

    const name = stringField(connection.raw, 'name');
    if (name !== undefined) {
      const first = firstWithName.get(name.toLowerCase());
      if (first) {
        const firstName = stringField(first.raw, 'name') ?? '';
        const same =
          firstName === name ? 'is also the name' : `matches the name ${quote(firstName)}`;
        references.push({
          rule: 'duplicate-connection-name',
          severity: 'error',
          path: '/name',
          message: `name ${quote(name)} ${same} of connection #${first.position}${whereIs(first)}; connection names are unique per tenant, whatever their case`,
        });
      } else {
        firstWithName.set(name.toLowerCase(), connection);
      }
    }

    const strategy = stringField(connection.raw, 'strategy');
    return entryReport(
      connection,
      connectionLabel(connection),
      withKeywordMarkers(connection.raw, addUnreported(issues, references)),
      strategy === undefined ? {} : { detail: strategy },
    );
  });
}

/** `unknown-client` for every string of `enabled_clients` that names no client. */
function unknownClients(raw: unknown, clients: ClientReferences): ClientFinding[] {
  const enabled = isRecord(raw) ? raw['enabled_clients'] : undefined;
  if (!Array.isArray(enabled)) return [];
  const findings: ClientFinding[] = [];
  enabled.forEach((reference: unknown, index) => {
    if (typeof reference !== 'string' || reference === '') return;
    if (clients.byReference.has(reference)) return;
    findings.push({
      rule: 'unknown-client',
      severity: 'error',
      path: `/enabled_clients/${index}`,
      message: `enabled_clients[${index}] ${quote(reference)} names no client of this export${didYouMean(reference, clients.names, '; use the name (or client_id) of one of its clients')}`,
    });
  });
  return findings;
}
