/**
 * The rules of Auth0's strict mode for third-party clients that only the whole export can
 * tell (the per-client ones are lint rules: `client/lint-third-party-rules.ts`). Each is an
 * `error` for a client in strict mode and a `warning` for one in permissive mode (or
 * without a mode), as the lint rules are:
 *
 * | rule | at | when |
 * |---|---|---|
 * | `third-party-needs-grant` | the client's `/is_first_party` | the export has client grants, and none for the client nor a default grant for third-party clients: a strict third-party client reaches no API without one, whatever the API's access policy |
 * | `third-party-system-api` | a grant's `/audience` | a grant of a third-party client for Auth0's Management API (or an API the export marks `is_system`) |
 * | `third-party-any-organization` | a grant's `/allow_any_organization` | `true` on a grant of a third-party client: each organization must be granted explicitly |
 *
 * @see https://auth0.com/docs/get-started/applications/third-party-applications/security-controls
 * @module
 */
import { thirdPartyMode, thirdPartySeverity } from '../client/lint-third-party-rules.js';
import { quote } from '../client/messages.js';
import type { ClientFinding } from './client-check.js';
import { isSystemEntry } from './dump-fields.js';
import { stringField } from './entry-report.js';
import { isRecord } from './pointer.js';
import type { LoadedTenant } from './types.js';

/** The extra findings, per 1-based position of a client and of a grant. */
export interface ThirdPartyFindings {
  /** Findings of clients by position. */
  readonly clients: ReadonlyMap<number, ClientFinding[]>;
  /** Findings of client grants by position. */
  readonly grants: ReadonlyMap<number, ClientFinding[]>;
}

/** The identifier of a tenant's Auth0 Management API: `https://<tenant domain>/api/v2/`. */
const MANAGEMENT_API = /^https:\/\/[^/?#]+\/api\/v2\/?$/;

/** Finds what the module comment lists. */
export function checkThirdParty(tenant: LoadedTenant): ThirdPartyFindings {
  const clients = new Map<number, ClientFinding[]>();
  const grants = new Map<number, ClientFinding[]>();
  const add = (map: Map<number, ClientFinding[]>, position: number, finding: ClientFinding) => {
    const list = map.get(position);
    if (list) list.push(finding);
    else map.set(position, [finding]);
  };

  // Third-party clients by every name a grant may use for them: name or client_id.
  const byReference = new Map<
    string,
    { position: number; mode: 'strict' | 'permissive' | 'unset' }
  >();
  for (const client of tenant.clients) {
    if (!isRecord(client.raw)) continue;
    const mode = thirdPartyMode(client.raw);
    if (mode === undefined) continue;
    for (const field of ['name', 'client_id']) {
      const reference = stringField(client.raw, field);
      if (reference !== undefined && !byReference.has(reference)) {
        byReference.set(reference, { position: client.position, mode });
      }
    }
  }
  if (byReference.size === 0) return { clients, grants };

  const systemApis = new Set(
    (tenant.apis ?? [])
      .filter((api) => isSystemEntry(api.raw))
      .map((api) => stringField(api.raw, 'identifier'))
      .filter((identifier) => identifier !== undefined),
  );
  const granted = new Set<number>();
  let defaultGrant = false;
  for (const grant of tenant.grants ?? []) {
    if (isSystemEntry(grant.raw) || !isRecord(grant.raw)) continue;
    if (stringField(grant.raw, 'default_for') === 'third_party_clients') defaultGrant = true;
    const clientId = stringField(grant.raw, 'client_id');
    const client = clientId === undefined ? undefined : byReference.get(clientId);
    if (client === undefined) continue;
    granted.add(client.position);
    const severity = thirdPartySeverity(client.mode);
    const strictly = client.mode === 'strict' ? 'in strict mode' : 'once in strict mode';
    const audience = stringField(grant.raw, 'audience');
    if (audience !== undefined && (MANAGEMENT_API.test(audience) || systemApis.has(audience))) {
      add(grants, grant.position, {
        rule: 'third-party-system-api',
        severity,
        path: '/audience',
        message: `audience ${quote(audience)} is a system API of Auth0, which a third-party client ${strictly} cannot be granted (Auth0: third-party applications cannot access system APIs such as the Management API); use a client of your own for it`,
      });
    }
    if (grant.raw['allow_any_organization'] === true) {
      add(grants, grant.position, {
        rule: 'third-party-any-organization',
        severity,
        path: '/allow_any_organization',
        message: `allow_any_organization is not available to a third-party client ${strictly} (Auth0: each organization is authorized through an explicit organization client grant); set it to false`,
      });
    }
  }

  // Without a list of grants the export says nothing about them (the Deploy CLI leaves them alone).
  if (tenant.grants !== undefined && !defaultGrant) {
    for (const client of tenant.clients) {
      if (!isRecord(client.raw) || granted.has(client.position)) continue;
      const mode = thirdPartyMode(client.raw);
      if (mode === undefined) continue;
      add(clients, client.position, {
        rule: 'third-party-needs-grant',
        severity: thirdPartySeverity(mode),
        path: '/is_first_party',
        message: `is_first_party is false and no client grant of this export is for this client, nor a default grant for third-party clients (default_for: "third_party_clients"): ${mode === 'strict' ? 'it reaches no API' : 'it reaches the APIs whose access policy allows it, but would reach none in strict mode'} (Auth0: third-party applications always require a client grant, whatever the API's access policy)`,
      });
    }
  }
  return { clients, grants };
}
