/**
 * APIs (Auth0 "resource servers"): what a client-credentials access token is issued for.
 * The types, the recognised fields and their limits, in one place.
 *
 * Besides the fields it interprets, an API carries Auth0's other resource-server fields
 * unchanged (`allow_offline_access`, `token_dialect`, `signing_secret`, …): each is listed
 * with its JSON type and size limit in `API_PASS_THROUGH_FIELDS`, type-checked on
 * input, stored, and returned deep-frozen. `signing_secret` is readable on a returned API
 * but shown as `[redacted]` by its `toJSON()` and `util.inspect`.
 *
 * @see https://auth0.com/docs/get-started/apis
 * @see https://auth0.com/docs/api/management/v2/resource-servers/post-resource-servers
 * @module
 */
import { inspect, type InspectOptionsStylized } from 'node:util';
import type { JsonObject, JsonValue } from '../client/settings.js';
import {
  frozenPassThrough,
  redactedPassThrough,
  type PassThroughRule,
  type PassThroughTable,
} from './pass-through.js';

/**
 * The algorithms an API's access tokens may be signed with: `RS256`, `PS256` and `ES256`
 * with the tenant's key of that algorithm; `HS256` (as Auth0 offers it) with the API's own
 * `signing_secret`, which the API then needs to verify its tokens.
 */
export type ApiSigningAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'HS256';

/** Every {@link ApiSigningAlgorithm}, in the order messages list them. */
export const API_SIGNING_ALGORITHMS: readonly ApiSigningAlgorithm[] = Object.freeze([
  'RS256',
  'PS256',
  'ES256',
  'HS256',
]);

/**
 * Shortest `signing_secret` (UTF-8 bytes) an `HS256` API may have: a key of at least the
 * hash size, as RFC 7518 §3.2 requires.
 */
export const HS256_MIN_SECRET_BYTES = 32;

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

const boolean: PassThroughRule = { types: ['boolean'] };
const lifetime: PassThroughRule = { types: ['integer'], minimum: 0, maximum: 2_592_000 };
const shortString = (...types: ('string' | 'null')[]): PassThroughRule => ({
  types,
  maxLength: 100,
});
const smallObject = (maxJsonLength: number, nullable = true): PassThroughRule => ({
  types: nullable ? ['object', 'null'] : ['object'],
  maxJsonLength,
});

/**
 * Auth0 resource-server fields the library stores without interpreting them: field → JSON
 * type and size limit (Auth0's where it documents one). Read-only fields of Auth0's
 * responses are accepted from exports, checked and dropped; `signing_secret` is a secret.
 * Any field neither here nor interpreted is `unknown_property`.
 *
 * @see https://auth0.com/docs/api/management/v2/resource-servers/get-resource-servers-by-id
 * @internal
 */
export const API_PASS_THROUGH_FIELDS: PassThroughTable = Object.freeze({
  allow_offline_access: boolean,
  allow_online_access: boolean,
  allow_online_access_with_ephemeral_sessions: boolean,
  skip_consent_for_verifiable_first_party_clients: boolean,
  enforce_policies: boolean,
  token_lifetime_for_web: lifetime,
  token_dialect: shortString('string'),
  consent_policy: shortString('string', 'null'),
  signing_secret: { types: ['string'], minLength: 16, maxLength: 1024, secret: true },
  token_encryption: smallObject(10_000),
  proof_of_possession: smallObject(1_000),
  subject_type_authorization: smallObject(1_000, false),
  authorization_details: { types: ['array', 'null'], maxItems: 100, maxJsonLength: 100_000 },
  authorization_policy: smallObject(2_000),

  // Read-only in Auth0: in its responses and in Deploy CLI exports, dropped here.
  is_system: {
    types: ['boolean'],
    readOnly:
      "is_system is read-only in Auth0 (it marks Auth0's own APIs) and cannot be given in a patch",
    refine: (value) =>
      value === true
        ? "must be false or absent: true marks Auth0's own system APIs (the Management API), which cannot be created"
        : undefined,
  },
  client_id: {
    types: ['string'],
    maxLength: 256,
    readOnly:
      'client_id is read-only in Auth0 (the client linked to the API) and cannot be given in a patch',
  },
} satisfies Record<string, PassThroughRule>);

/** One permission an API defines. */
export interface ApiScope {
  /** The scope token (`read:orders`): RFC 6749 NQCHAR, no spaces, 1–280 characters. */
  value: string;
  /** What it allows, for people (at most 500 characters). */
  description?: string;
}

/**
 * What `tenant.apis.create` accepts: the fields the library interprets, Auth0's other
 * resource-server fields (passed through unchanged, see {@link ApiSettings}), and the
 * read-only fields an Auth0 export may hold (`is_system`, `client_id`: checked and
 * dropped). An API exported by the Auth0 Deploy CLI or read from the Management API is a
 * valid input as it is, except for an `id` (assigned by the tenant).
 *
 * @example
 * ```ts
 * const input: ApiInput = {
 *   identifier: 'https://api.example.com/orders',
 *   name: 'Orders API',
 *   scopes: [{ value: 'read:orders', description: 'Read orders' }],
 *   allow_offline_access: true,
 * };
 * ```
 */
export interface ApiInput extends Partial<ApiSettings> {
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
  /**
   * Read-only in Auth0 ("an Auth0 system API"), present in its responses and exports:
   * `false` is accepted and dropped; `true` (the Management API) is refused. Not accepted
   * in a patch.
   */
  is_system?: boolean;
  /**
   * Read-only in Auth0: the client linked to the API (the Deploy CLI exports that client's
   * name). Accepted on create and dropped; not accepted in a patch.
   */
  client_id?: string;
}

/**
 * Validated API settings, with the defaults filled in, and the Auth0 fields the library
 * passes through unchanged when they were given (each type-checked, with a size limit).
 */
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
  /** Auth0: whether refresh tokens may be issued for this API. Passed through. */
  allow_offline_access?: boolean;
  /** Auth0: whether online refresh tokens may be issued for this API. Passed through. */
  allow_online_access?: boolean;
  /**
   * Auth0: whether online refresh tokens may be issued even with ephemeral sessions.
   * Passed through.
   */
  allow_online_access_with_ephemeral_sessions?: boolean;
  /** Auth0: skip user consent for verifiable first-party clients. Passed through. */
  skip_consent_for_verifiable_first_party_clients?: boolean;
  /** Auth0: whether RBAC authorization policies are enforced. Passed through. */
  enforce_policies?: boolean;
  /**
   * Auth0: access-token lifetime for browser flows (implicit, hybrid), an integer number of
   * seconds from 0 to 2592000. Passed through; the library's tokens use `token_lifetime`.
   */
  token_lifetime_for_web?: number;
  /**
   * Auth0: the access-token dialect (`access_token`, `access_token_authz`,
   * `rfc9068_profile`, `rfc9068_profile_authz`), at most 100 characters. Passed through.
   */
  token_dialect?: string;
  /**
   * Auth0: `transactional-authorization-with-mfa` or `null`, at most 100 characters.
   * Passed through.
   */
  consent_policy?: string | null;
  /**
   * Auth0: the secret for HS256 access tokens, 16–1024 characters. Passed through (the
   * library does not sign with it). A secret: readable here, `[redacted]` in `toJSON()`
   * and `util.inspect` of a returned API, never in audit events or error messages.
   */
  signing_secret?: string;
  /**
   * Auth0: JWE settings of access tokens (`{ format, encryption_key: { alg, pem, name?,
   * kid? } }`) or `null`; at most 10,000 characters of JSON. Passed through.
   */
  token_encryption?: JsonObject | null;
  /**
   * Auth0: proof-of-possession settings (`{ mechanism: 'mtls' | 'dpop', required }`) or
   * `null`; at most 1,000 characters of JSON. Passed through.
   */
  proof_of_possession?: JsonObject | null;
  /**
   * Auth0: which subjects may be authorized (`{ user?: { policy }, client?: { policy } }`);
   * at most 1,000 characters of JSON. Passed through.
   */
  subject_type_authorization?: JsonObject;
  /**
   * Auth0: the rich authorization request types (RFC 9396) the API accepts, or `null`; at
   * most 100 entries and 100,000 characters of JSON. Passed through.
   */
  authorization_details?: JsonValue[] | null;
  /**
   * Auth0: the authorization policy applied (`{ policy_id }`) or `null`; at most 2,000
   * characters of JSON. Passed through.
   */
  authorization_policy?: JsonObject | null;
}

/** A validated patch: only the fields given (the identifier cannot change). */
export type ApiPatch = Partial<Omit<ApiSettings, 'identifier'>>;

/**
 * One API as `tenant.apis` returns it: a frozen copy of the stored record, the Auth0
 * fields passed through included (frozen at every level). `JSON.stringify` and
 * `util.inspect` show `signing_secret` as `[redacted]`; a copy made by spreading the object
 * keeps it readable and is the caller's to protect.
 *
 * @example
 * ```ts
 * const api = await tenant.apis.get('https://api.example.com/orders');
 * api.token_lifetime; // 86400
 * api.scopes.map((scope) => scope.value); // ['read:orders']
 * JSON.stringify(api); // … "signing_secret":"[redacted]" … (when it has one)
 * ```
 */
export interface Api extends Readonly<Omit<ApiSettings, 'scopes'>> {
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
  /** A plain, mutable copy of the API with `signing_secret` replaced by `[redacted]`. */
  toJSON(): Omit<Api, 'toJSON'>;
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
 * entry and pass-through fields deep-copied, so nothing returned shares state with the
 * store. Its non-enumerable `toJSON` and `util.inspect` hooks redact `signing_secret`.
 *
 * @internal
 */
export function freezeApi(record: ApiRecord): Api {
  const known = frozenApis.get(record);
  if (known !== undefined) return known;
  const api = buildApi(record);
  // A stored record is frozen, so its Api never changes: build it once per record.
  if (Object.isFrozen(record)) frozenApis.set(record, api);
  return api;
}

/** The Api of each frozen record already seen (stores hand out the same frozen record). */
const frozenApis = new WeakMap<ApiRecord, Api>();

function buildApi(record: ApiRecord): Api {
  const scopes = (Array.isArray(record.scopes) ? record.scopes : []).map((scope) =>
    Object.freeze(
      scope.description === undefined
        ? { value: scope.value }
        : { value: scope.value, description: scope.description },
    ),
  );
  const api = {
    id: record.id,
    identifier: record.identifier,
    name: record.name,
    scopes: Object.freeze(scopes),
    token_lifetime: record.token_lifetime,
    signing_alg: record.signing_alg,
    ...frozenPassThrough(record, API_PASS_THROUGH_FIELDS),
  };
  Object.defineProperties(api, API_HOOKS);
  return Object.freeze(api) as unknown as Api;
}

/** Plain data of an API: `structuredClone` of its fields, `signing_secret` redacted. */
function apiJson(this: Api): Omit<Api, 'toJSON'> {
  return {
    id: this.id,
    identifier: this.identifier,
    name: this.name,
    scopes: structuredClone(this.scopes),
    token_lifetime: this.token_lifetime,
    signing_alg: this.signing_alg,
    ...redactedPassThrough(this, API_PASS_THROUGH_FIELDS),
  };
}

/** The same two non-enumerable hooks on every returned API. */
const API_HOOKS: PropertyDescriptorMap = {
  toJSON: { value: apiJson },
  [inspect.custom]: {
    value(this: Api, depth: number, options: InspectOptionsStylized, nested: typeof inspect) {
      if (depth < 0) return options.stylize('[Api]', 'special');
      const inner = { ...options, depth: options.depth === null ? null : (options.depth ?? 2) - 1 };
      return nested(apiJson.call(this), inner);
    },
  },
};
