/**
 * The APIs (resource servers) of an export: each validated with `validateApiInput`, and
 * an `identifier` used by an earlier API of the same export reported as
 * `duplicate-api-identifier`. Identifiers are compared exactly, as the library's registry
 * compares them (`tenant.apis.create` refuses a taken one) and as the Deploy CLI matches
 * APIs. Fields only Auth0 sets (`id`, `is_system` of a Management API dump) are dropped
 * first (see `dump-fields.ts`).
 *
 * @module
 */
import { quote } from '../client/messages.js';
import { managementApiIssue } from '../apis/system-apis.js';
import { validateApiInput } from '../apis/validate-api.js';
import { isSystemEntry, withoutResponseFields } from './dump-fields.js';
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
import type { LoadedEntry } from './types.js';

/**
 * The label of an API in findings: `api:<name>`; without a name (Auth0 accepts that),
 * `api:<identifier>`; without either, `api:(unnamed #N)`.
 */
export function apiLabel(api: LoadedEntry): string {
  const label =
    stringField(api.raw, 'name') ??
    stringField(api.raw, 'identifier') ??
    `(unnamed #${api.position})`;
  return `api:${label}`;
}

/** Checks every API of one export, in export order. */
export function checkApis(apis: readonly LoadedEntry[]): ClientReport[] {
  const firstWithIdentifier = new Map<string, LoadedEntry>();
  return apis.map((api) => {
    const validation = validateApiInput(withoutResponseFields('api', api.raw));
    const issues: ClientFinding[] = validation.ok ? [] : issueFindings(validation.issues);

    const duplicates: ClientFinding[] = [];
    const identifier = stringField(api.raw, 'identifier');
    // Auth0's own entries of a dump (is_system) are never deployed; any other entry that
    // names the Management API would change a system API.
    const system = isSystemEntry(api.raw)
      ? undefined
      : managementApiIssue(stringField(api.raw, 'name'), identifier);
    if (system) {
      duplicates.push({
        rule: 'system-api',
        severity: 'error',
        path: system.path,
        message: system.message,
      });
    }
    if (identifier !== undefined) {
      const first = firstWithIdentifier.get(identifier);
      if (first) {
        duplicates.push({
          rule: 'duplicate-api-identifier',
          severity: 'error',
          path: '/identifier',
          message: `identifier ${quote(identifier)} is also the identifier of API #${first.position}${whereIs(first)}; the Deploy CLI identifies APIs by identifier, so one would overwrite the other`,
        });
      } else {
        firstWithIdentifier.set(identifier, api);
      }
    }

    return entryReport(
      api,
      apiLabel(api),
      withKeywordMarkers(api.raw, addUnreported(issues, duplicates)),
      identifier === undefined ? {} : { detail: identifier },
    );
  });
}
