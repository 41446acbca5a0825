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

/** Auth0's `default_for` values: the group of clients a default grant applies to. */
export const GRANT_DEFAULT_FOR = Object.freeze(['third_party_clients'] as const);
/** Auth0's `subject_type` values: who the tokens a grant allows are for. */
export const GRANT_SUBJECT_TYPES = Object.freeze(['client', 'user', 'anonymous_user'] as const);
/** Auth0's `organization_usage` values of a grant. */
export const GRANT_ORGANIZATION_USAGES = Object.freeze(['deny', 'allow', 'require'] as const);

/**
 * Auth0's other client-grant fields (the SDK's `CreateClientGrantRequestContent`), which
 * `validateGrantInput` checks and passes through; `tenant.apis` keeps only the client, the
 * API and the scopes.
 */
export interface ClientGrantAuth0Fields {
  /** Whether organizations may be used with the grant. */
  organization_usage?: (typeof GRANT_ORGANIZATION_USAGES)[number];
  /** Any organization may be used with the grant (else only those it is assigned to). */
  allow_any_organization?: boolean;
  /** Who the tokens are for: the client itself (default), a user, or an anonymous user. */
  subject_type?: (typeof GRANT_SUBJECT_TYPES)[number];
  /** Types of `authorization_details` (RFC 9396) the grant allows. */
  authorization_details_types?: string[];
  /** Every scope the API defines is allowed, now and later. */
  allow_all_scopes?: boolean;
}

/**
 * A valid client grant as Auth0 accepts it: for one client (`client_id`), or the default
 * grant of every third-party client (`default_for`, without `client_id`).
 */
export type ClientGrantSettings =
  | (ClientGrantInput &
      ClientGrantAuth0Fields & {
        /** Absent: the grant is for the one client `client_id` names. */
        default_for?: undefined;
      })
  | (ClientGrantAuth0Fields & {
      /** Applies the grant to every third-party client that has no grant of its own. */
      default_for: (typeof GRANT_DEFAULT_FOR)[number];
      /** Absent: the grant is for a group of clients. */
      client_id?: undefined;
      /** The `identifier` of the API. */
      audience: string;
      /** The scopes; may be empty. */
      scope: string[];
    });

/**
 * What `tenant.apis.updateGrant` accepts: the new scope list, and Auth0's other updatable
 * grant fields, where `null` removes the field (Auth0's PATCH semantics).
 */
export interface ClientGrantPatch {
  /** Replaces the granted scopes (`null`, accepted on input, means none). */
  scope?: string[];
  /** Whether organizations may be used with the grant; `null` removes it. */
  organization_usage?: (typeof GRANT_ORGANIZATION_USAGES)[number] | null;
  /** Any organization may be used with the grant; `null` removes it. */
  allow_any_organization?: boolean | null;
  /** Types of `authorization_details` the grant allows. */
  authorization_details_types?: string[];
  /** Every scope the API defines is allowed; `null` removes it. */
  allow_all_scopes?: boolean | null;
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
