/**
 * Client grants: which client may get client-credentials tokens for which API, with which
 * scopes. One grant per (client, API).
 *
 * @see https://auth0.com/docs/get-started/applications/application-access-to-apis-client-credentials
 * @module
 */

/**
 * What `tenant.apis.grant` accepts.
 *
 * @example
 * ```ts
 * const input: ClientGrantInput = {
 *   client_id: worker.client_id,
 *   audience: 'https://api.example.com/orders',
 *   scope: ['read:orders'],
 * };
 * ```
 */
export interface ClientGrantInput {
  /** The client that may get tokens. */
  client_id: string;
  /** The `identifier` of the API the tokens are for. */
  audience: string;
  /** The scopes it may get: each defined on the API, no duplicates; may be empty. */
  scope: string[];
}

/** What `tenant.apis.updateGrant` accepts: the new scope list. */
export interface ClientGrantPatch {
  /** Replaces the granted scopes. */
  scope?: string[];
}

/** Filter of `tenant.apis.grants`; both given means both must match. */
export interface ClientGrantQuery {
  /** Only this client's grants. */
  client_id?: string;
  /** Only grants for this API identifier. */
  audience?: string;
}

/**
 * One client grant as `tenant.apis` returns it: a frozen copy of the stored record.
 *
 * @example
 * ```ts
 * const grant = await tenant.apis.findGrant(clientId, 'https://api.example.com/orders');
 * grant?.scope; // ['read:orders']
 * ```
 */
export interface ClientGrant {
  /** Assigned by the tenant: `cgr_` and 32 random letters and digits. */
  readonly id: string;
  /** The client. */
  readonly client_id: string;
  /** The API identifier. */
  readonly audience: string;
  /** The granted scopes. */
  readonly scope: readonly string[];
}

/**
 * The stored record of a grant (collection `grants`, keyed by `id`).
 *
 * @internal
 */
export interface ClientGrantRecord {
  /** The record id. */
  id: string;
  /** The client. */
  client_id: string;
  /** The API identifier. */
  audience: string;
  /** The granted scopes. */
  scope: string[];
}

/**
 * A frozen copy of a stored grant record.
 *
 * @internal
 */
export function freezeGrant(record: ClientGrantRecord): ClientGrant {
  return Object.freeze({
    id: record.id,
    client_id: record.client_id,
    audience: record.audience,
    scope: Object.freeze(Array.isArray(record.scope) ? [...record.scope] : []),
  });
}
