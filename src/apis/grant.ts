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
 * `validateGrantInput` checks and `tenant.apis` stores with the grant. The tenant acts on
 * two of them when it issues client-credentials tokens: `allow_all_scopes` grants every
 * scope the API defines at that moment, and a grant whose `subject_type` is not `client`
 * allows no client-credentials token (it is for tokens issued to users).
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
export interface ClientGrant extends Readonly<
  Omit<ClientGrantAuth0Fields, 'authorization_details_types'>
> {
  /** Assigned by the tenant: `cgr_` and 32 random letters and digits. */
  readonly id: string;
  /** The client. */
  readonly client_id: string;
  /** The API identifier. */
  readonly audience: string;
  /** The granted scopes. */
  readonly scope: readonly string[];
  /** Types of `authorization_details` (RFC 9396) the grant allows. */
  readonly authorization_details_types?: readonly string[];
}

/** The names of {@link ClientGrantAuth0Fields}, in the order they are stored. */
export const GRANT_AUTH0_FIELDS = Object.freeze([
  'organization_usage',
  'allow_any_organization',
  'subject_type',
  'authorization_details_types',
  'allow_all_scopes',
] as const satisfies readonly (keyof ClientGrantAuth0Fields)[]);

/**
 * The stored record of a grant (collection `grants`, keyed by `id`).
 *
 * @internal
 */
export interface ClientGrantRecord extends ClientGrantAuth0Fields {
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
  const grant: Record<string, unknown> = {
    id: record.id,
    client_id: record.client_id,
    audience: record.audience,
    scope: Object.freeze(Array.isArray(record.scope) ? [...record.scope] : []),
  };
  for (const field of GRANT_AUTH0_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    grant[field] = Array.isArray(value) ? Object.freeze([...value]) : value;
  }
  return Object.freeze(grant) as unknown as ClientGrant;
}

/**
 * The Auth0 fields of `changes` applied to `record` (Auth0's PATCH: `null` removes a
 * field, `undefined` leaves it).
 *
 * @internal
 */
export function withGrantFields(
  record: ClientGrantRecord,
  changes: { readonly [Field in keyof ClientGrantAuth0Fields]?: unknown },
): ClientGrantRecord {
  const removed = new Set(GRANT_AUTH0_FIELDS.filter((field) => changes[field] === null));
  const next = Object.fromEntries(
    Object.entries(record).filter(([key]) => !removed.has(key as keyof ClientGrantAuth0Fields)),
  );
  for (const field of GRANT_AUTH0_FIELDS) {
    const value = changes[field];
    if (value !== undefined && value !== null) {
      next[field] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
  }
  return next as unknown as ClientGrantRecord;
}
