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
 *   and API: a client has one grant per API, in Auth0 as in the library.
 *
 * @module
 */
import { grantScopeIssues, validateGrantInput } from '../apis/validate-grant.js';
import { quote } from '../client/messages.js';
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
 * Auth0 client-grant fields that the Deploy CLI exports and the library's grants do not
 * model (`validateGrantInput` would call them unknown): not checked, so that a real
 * export is not refused for them.
 */
const AUTH0_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'subject_type',
  'authorization_details_types',
  'organization_usage',
  'allow_any_organization',
]);

/** The identifier of a tenant's Auth0 Management API: `https://<tenant domain>/api/v2/`. */
const MANAGEMENT_API = /^https:\/\/[^/?#]+\/api\/v2\/?$/;

/**
 * The label of a grant in findings: `grant:<client_id> -> <audience>`, or `grant:(#N)`
 * when either is missing.
 */
export function grantLabel(grant: LoadedEntry): string {
  const clientId = stringField(grant.raw, 'client_id');
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
): ClientReport[] {
  const firstForPair = new Map<string, LoadedEntry>();
  return grants.map((grant) => {
    const validation = validateGrantInput(withoutAuth0OnlyFields(grant.raw));
    const issues: ClientFinding[] = validation.ok ? [] : issueFindings(validation.issues);
    const references: ClientFinding[] = [];

    const clientId = stringField(grant.raw, 'client_id');
    const client = clientId === undefined ? undefined : clients.byReference.get(clientId);
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

    if (clientId !== undefined && audience !== undefined) {
      // The same client may be named by its name in one grant and its client_id in another.
      const pair = `${client === undefined ? `?${clientId}` : `#${client}`} ${audience}`;
      const first = firstForPair.get(pair);
      if (first) {
        references.push({
          rule: 'duplicate-client-grant',
          severity: 'error',
          path: '/audience',
          message: `audience ${quote(audience)} is already granted to client ${quote(clientId)} by grant #${first.position}${whereIs(first)}; a client has one grant per API: merge their scopes`,
        });
      } else {
        firstForPair.set(pair, grant);
      }
    }

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
    if (MANAGEMENT_API.test(audience)) return [];
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

function withoutAuth0OnlyFields(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !AUTH0_ONLY_FIELDS.has(key)));
}
