/**
 * The client grants of an export: each validated with `validateGrantInput`, its scopes
 * checked against its API's with `grantScopeIssues` (rule `unknown_scope`, as
 * `tenant.apis.grant` reports them), plus what only the whole export can tell:
 *
 * - `unknown-client` (error), at `/client_id`: neither the name (what the Deploy CLI
 *   writes) nor the `client_id` of a client of the export.
 * - `unknown-api` (error), at `/audience`: not the `identifier` of an API of the export.
 *   Not checked when the export has no list of APIs at all (the Deploy CLI then leaves the
 *   tenant's APIs alone), nor for Auth0's Management API (`https://<tenant>/api/v2/`),
 *   which the Deploy CLI never exports and cannot configure.
 * - `duplicate-client-grant` (error), at `/audience` of a later grant for the same client
 *   and API: a client has one grant per API, in Auth0 as in the library. The default
 *   grant of third-party clients (`default_for`) counts as one more client.
 *
 * The `id` and `is_system` of a Management API dump are dropped first (see
 * `dump-fields.ts`); a system grant (`is_system: true`, Auth0's own) is validated but not
 * cross-checked, since the Deploy CLI never deploys one.
 *
 * @module
 */
import { grantClientIssue } from '../apis/grant-rules.js';
import { MANAGEMENT_API_IDENTIFIER } from '../apis/system-apis.js';
import { grantScopeIssues, validateGrantInput } from '../apis/validate-grant.js';
import { quote } from '../client/messages.js';
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
import { isRecord } from './pointer.js';
import { didYouMean, type ClientReferences, type KnownApi } from './references.js';
import type { LoadedEntry } from './types.js';

/**
 * The label of a grant in findings: `grant:<client_id> -> <audience>` (for a default
 * grant, `grant:<default_for> -> <audience>`), or `grant:(#N)` when either is missing.
 */
export function grantLabel(grant: LoadedEntry): string {
  const clientId = stringField(grant.raw, 'client_id') ?? stringField(grant.raw, 'default_for');
  const audience = stringField(grant.raw, 'audience');
  return clientId === undefined || audience === undefined
    ? `grant:(#${grant.position})`
    : `grant:${clientId} -> ${audience}`;
}

/**
 * Checks every client grant of one export against its clients and, when the export has a
 * list of APIs (`apis` defined, possibly empty), against its APIs.
 */
export function checkGrants(
  grants: readonly LoadedEntry[],
  clients: ClientReferences,
  apis: ReadonlyMap<string, KnownApi> | undefined,
  extra: ReadonlyMap<number, readonly ClientFinding[]> = new Map(),
): ClientReport[] {
  const firstForPair = new Map<string, LoadedEntry>();
  return grants.map((grant) => {
    const validation = validateGrantInput(withoutResponseFields('grant', grant.raw));
    const issues: ClientFinding[] = validation.ok ? [] : issueFindings(validation.issues);
    const references: ClientFinding[] = [];
    // Auth0's own grants (for its own clients) are never deployed: nothing to cross-check.
    if (isSystemEntry(grant.raw)) {
      return entryReport(grant, grantLabel(grant), withKeywordMarkers(grant.raw, issues));
    }

    const clientId = stringField(grant.raw, 'client_id');
    const client = clientId === undefined ? undefined : clients.byReference.get(clientId);
    const notAllowed =
      clientId === undefined || client === undefined
        ? undefined
        : grantClientIssue(clientId, clients.appTypes.get(client));
    if (notAllowed) {
      references.push({
        rule: notAllowed.code,
        severity: 'error',
        path: notAllowed.path,
        message: notAllowed.message,
      });
    }
    if (clientId !== undefined && client === undefined) {
      references.push({
        rule: 'unknown-client',
        severity: 'error',
        path: '/client_id',
        message: `client_id ${quote(clientId)} names no client of this export${didYouMean(clientId, clients.names, '; use the name (or client_id) of one of its clients')}`,
      });
    }

    const audience = stringField(grant.raw, 'audience');
    if (audience !== undefined && apis !== undefined) {
      references.push(...audienceFindings(grant.raw, audience, apis));
    }

    const defaultFor = stringField(grant.raw, 'default_for');
    const grantee =
      clientId === undefined
        ? defaultFor && `=${defaultFor}`
        : // The same client may be named by its name in one grant and its client_id in another.
          client === undefined
          ? `?${clientId}`
          : `#${client}`;
    if (grantee !== undefined && audience !== undefined) {
      const pair = `${grantee} ${audience}`;
      const first = firstForPair.get(pair);
      if (first) {
        references.push({
          rule: 'duplicate-client-grant',
          severity: 'error',
          path: '/audience',
          message: `audience ${quote(audience)} is already granted to ${clientId === undefined ? quote(defaultFor ?? '') : `client ${quote(clientId)}`} by grant #${first.position}${whereIs(first)}; a client has one grant per API: merge their scopes`,
        });
      } else {
        firstForPair.set(pair, grant);
      }
    }

    references.push(...(extra.get(grant.position) ?? []));
    return entryReport(
      grant,
      grantLabel(grant),
      withKeywordMarkers(grant.raw, addUnreported(issues, references)),
    );
  });
}

/** `unknown-api` for an audience the export does not define, else its `unknown_scope`s. */
function audienceFindings(
  raw: unknown,
  audience: string,
  apis: ReadonlyMap<string, KnownApi>,
): ClientFinding[] {
  const api = apis.get(audience);
  if (api === undefined) {
    if (MANAGEMENT_API_IDENTIFIER.test(audience)) return [];
    return [
      {
        rule: 'unknown-api',
        severity: 'error',
        path: '/audience',
        message: `audience ${quote(audience)} is not the identifier of an API of this export${didYouMean(audience, apis.keys(), '; use the identifier of one of its APIs')}`,
      },
    ];
  }
  const scope = isRecord(raw) ? raw['scope'] : undefined;
  // A scope list with a non-string entry fails validation; its indices would not hold.
  if (api.scopes === undefined || !Array.isArray(scope)) return [];
  if (!scope.every((value): value is string => typeof value === 'string')) return [];
  const defined = api.scopes.map((value) => ({ value }));
  return issueFindings(grantScopeIssues(scope, defined, audience));
}
