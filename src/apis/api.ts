/**
 * APIs (Auth0 "resource servers"): what a client-credentials access token is issued for.
 * The types, the recognised fields and their limits, in one place.
 *
 * @see https://auth0.com/docs/get-started/apis
 * @module
 */

/**
 * The algorithms an API's access tokens may be signed with (by the tenant's key of that
 * algorithm). Auth0's `HS256` for APIs is not offered: it needs a per-API shared secret.
 */
export type ApiSigningAlgorithm = 'RS256' | 'PS256' | 'ES256';

/** Every {@link ApiSigningAlgorithm}, in the order messages list them. */
export const API_SIGNING_ALGORITHMS: readonly ApiSigningAlgorithm[] = Object.freeze([
  'RS256',
  'PS256',
  'ES256',
]);

/**
 * Limits of API fields. Auth0's where Auth0 documents one (identifier 600, name 200, scope
 * value 280, description 500, lifetime 30 days); `scopes` is the library's own bound.
 */
export const API_LIMITS = Object.freeze({
  /** Longest `identifier` (the audience), in characters. */
  identifierLength: 600,
  /** Longest `name`, in characters after trimming. */
  nameLength: 200,
  /** Most entries in `scopes`. */
  scopes: 1000,
  /** Longest scope `value`. */
  scopeValueLength: 280,
  /** Longest scope `description`. */
  scopeDescriptionLength: 500,
  /** Shortest `token_lifetime`, in seconds. */
  minTokenLifetime: 1,
  /** Longest `token_lifetime`, in seconds (30 days). */
  maxTokenLifetime: 2_592_000,
});

/** Defaults filled in on create. */
export const API_DEFAULTS = Object.freeze({
  /** Access-token lifetime: 24 hours, as Auth0. */
  token_lifetime: 86_400,
  /** Signing algorithm, as Auth0. */
  signing_alg: 'RS256' as ApiSigningAlgorithm,
});

/** One permission an API defines. */
export interface ApiScope {
  /** The scope token (`read:orders`): RFC 6749 NQCHAR, no spaces, 1–280 characters. */
  value: string;
  /** What it allows, for people (at most 500 characters). */
  description?: string;
}

/**
 * What `tenant.apis.create` accepts.
 *
 * @example
 * ```ts
 * const input: ApiInput = {
 *   identifier: 'https://api.example.com/orders',
 *   name: 'Orders API',
 *   scopes: [{ value: 'read:orders', description: 'Read orders' }],
 * };
 * ```
 */
export interface ApiInput {
  /**
   * The audience clients ask tokens for (`aud` of the token). Usually an absolute URI,
   * but, as in Auth0, any string of 1–600 characters without control characters or
   * surrounding whitespace. Cannot be changed after create.
   */
  identifier: string;
  /** A friendly name: 1–200 characters after trimming, without `<` or `>`. */
  name: string;
  /** The permissions this API defines. Values are unique. Default none. */
  scopes?: ApiScope[];
  /** Lifetime of access tokens for this API, in seconds: 1–2592000. Default 86400. */
  token_lifetime?: number;
  /** Algorithm of its access tokens. Default `RS256`. */
  signing_alg?: ApiSigningAlgorithm;
}

/** Validated API settings, with the defaults filled in. */
export interface ApiSettings {
  /** The audience. */
  identifier: string;
  /** The name, trimmed. */
  name: string;
  /** The permissions, in the order given. */
  scopes: ApiScope[];
  /** Access-token lifetime in seconds. */
  token_lifetime: number;
  /** Access-token signing algorithm. */
  signing_alg: ApiSigningAlgorithm;
}

/** A validated patch: only the fields given (the identifier cannot change). */
export type ApiPatch = Partial<Omit<ApiSettings, 'identifier'>>;

/**
 * One API as `tenant.apis` returns it: a frozen copy of the stored record.
 *
 * @example
 * ```ts
 * const api = await tenant.apis.get('https://api.example.com/orders');
 * api.token_lifetime; // 86400
 * api.scopes.map((scope) => scope.value); // ['read:orders']
 * ```
 */
export interface Api {
  /** Assigned by the tenant: `api_` and 32 random letters and digits. */
  readonly id: string;
  /** The audience. */
  readonly identifier: string;
  /** The friendly name. */
  readonly name: string;
  /** The permissions it defines. */
  readonly scopes: readonly Readonly<ApiScope>[];
  /** Access-token lifetime in seconds. */
  readonly token_lifetime: number;
  /** Access-token signing algorithm. */
  readonly signing_alg: ApiSigningAlgorithm;
}

/**
 * The stored record of an API (collection `apis`, keyed by `id`).
 *
 * @internal
 */
export type ApiRecord = ApiSettings & {
  /** The record id. */
  id: string;
};

/**
 * A frozen copy of a stored API record: only the known fields, scopes copied entry by
 * entry, so nothing returned shares state with the store.
 *
 * @internal
 */
export function freezeApi(record: ApiRecord): Api {
  const scopes = (Array.isArray(record.scopes) ? record.scopes : []).map((scope) =>
    Object.freeze(
      scope.description === undefined
        ? { value: scope.value }
        : { value: scope.value, description: scope.description },
    ),
  );
  return Object.freeze({
    id: record.id,
    identifier: record.identifier,
    name: record.name,
    scopes: Object.freeze(scopes),
    token_lifetime: record.token_lifetime,
    signing_alg: record.signing_alg,
  });
}
