/**
 * `tenant.apis`: APIs (resource servers), and the client grants that `tenant/grants.ts`
 * keeps behind the same object. Every write validates first, writes one atomic store
 * commit with optimistic concurrency, and records an audit event; a failed operation
 * leaves stored data exactly as it was.
 *
 * Uniqueness (one API per identifier, one grant per client and API) and "granted scopes
 * are defined on the API" are checked by reading the store, so every write of this
 * registry, grant writes included, also bumps the guard record `guards/apis` read
 * *before* those checks, and is queued behind the registry's other writes (see
 * `tenant/registry-kit.ts`).
 */
import { generateClientId } from '../client/credentials.js';
import { quote } from '../client/messages.js';
import { NotFoundError } from '../errors.js';
import type { StoredRecord } from '../storage/store.js';
import { freezeApi, type Api, type ApiInput, type ApiRecord } from '../apis/api.js';
import type {
  ClientGrant,
  ClientGrantAuth0Fields,
  ClientGrantInput,
  ClientGrantPatch,
  ClientGrantQuery,
} from '../apis/grant.js';
import { hs256SecretIssue, validateApiInput } from '../apis/validate-api.js';
import {
  managementApiIdentifier,
  systemApiCreateIssues,
  systemApiDeleteIssue,
  systemApiUpdateIssues,
} from '../apis/system-apis.js';
import type { ClientRegistry } from './clients.js';
import { audited, type TenantContext, type WriteOptions } from './context.js';
import { GrantRegistry } from './grants.js';
import {
  MAX_ID_LENGTH,
  RegistryWrites,
  checkRef,
  fieldsOf,
  invalid,
  stringField,
  valid,
} from './registry-kit.js';

const APIS = 'apis';

/** The API registry behind `tenant.apis`: APIs (resource servers) and client grants. */
export class ApiRegistry {
  readonly #context: TenantContext;
  readonly #writes: RegistryWrites;
  readonly #grants: GrantRegistry;

  /** @internal */
  constructor(context: TenantContext, clients: ClientRegistry) {
    this.#context = context;
    this.#writes = new RegistryWrites(context.store, APIS);
    this.#grants = new GrantRegistry(context, clients, this.#writes, (identifier) =>
      this.#findByIdentifier(identifier),
    );
  }

  /**
   * Validates `input`, assigns an id (`api_…`) and stores the API. The identifier must not
   * be used by another API. An API exported by the Auth0 Deploy CLI (or read from the
   * Management API, without its `id`) is accepted as it is: Auth0's fields the library does
   * not interpret are type-checked and kept unchanged (see {@link ApiSettings}), and the
   * read-only `is_system` and `client_id` are dropped. `signing_secret` never reaches the
   * audit trail and is `[redacted]` when the returned API is printed or serialised.
   *
   * @throws {@link ValidationError} (kind `api`) listing every problem at JSON
   *   pointers into `input`; an identifier already in use is `already_exists` at
   *   `/identifier`; the tenant's Management API (`{issuer}api/v2/`, a system API) under
   *   any name but `Auth0 Management API` is `system_api` at `/name`.
   * @example
   * ```ts
   * const orders = await tenant.apis.create({
   *   identifier: 'https://api.example.com/orders',
   *   name: 'Orders API',
   *   scopes: [{ value: 'read:orders', description: 'Read orders' }, { value: 'write:orders' }],
   * });
   * orders.token_lifetime; // 86400
   * orders.signing_alg; // 'RS256'
   * ```
   */
  async create(input: ApiInput, options: WriteOptions = {}): Promise<Api> {
    return audited(
      this.#context,
      {
        operation: 'create_api',
        request: options.request,
        description: 'Create API',
        details: { identifier: stringField(input, 'identifier') },
      },
      async () => {
        const settings = valid(validateApiInput(input), 'api');
        if (this.#isSystem(settings.identifier)) {
          const issues = systemApiCreateIssues(settings);
          if (issues.length > 0) throw invalid(issues, 'api');
        }
        return this.#writes.guarded(async (guard) => {
          const taken = await this.#findRecord(settings.identifier);
          if (taken) {
            throw invalid(
              [
                {
                  path: '/identifier',
                  code: 'already_exists',
                  message: `identifier ${quote(settings.identifier)} is already used by API ${taken.id}`,
                },
              ],
              'api',
            );
          }
          const record: ApiRecord = { id: generateClientId({ prefix: 'api_' }), ...settings };
          await this.#context.store.commit([
            { op: 'insert', collection: APIS, id: record.id, value: record },
            guard,
          ]);
          return freezeApi(record);
        });
      },
      (api) => ({ details: { api_id: api.id, identifier: api.identifier } }),
    );
  }

  /**
   * The API with this id or identifier.
   *
   * @throws {@link NotFoundError} when there is none.
   * @example
   * ```ts
   * const api = await tenant.apis.get('https://api.example.com/orders');
   * ```
   */
  async get(idOrIdentifier: string): Promise<Api> {
    const found = await this.find(idOrIdentifier);
    if (!found) throw notFoundApi(idOrIdentifier);
    return found;
  }

  /** The API with this id or identifier, or `undefined`. */
  async find(idOrIdentifier: string): Promise<Api | undefined> {
    checkRef(idOrIdentifier, '/idOrIdentifier');
    const stored = await this.#findRecord(idOrIdentifier);
    return stored && freezeApi(stored.value);
  }

  /**
   * The API whose identifier is `audience` (ids are not accepted here), or `undefined`.
   * The token issuer calls it for `issueAccessToken(clientId, { audience })` to read the
   * API's `token_lifetime` and `signing_alg`.
   *
   * @example
   * ```ts
   * const api = await tenant.apis.getByAudience('https://api.example.com/orders');
   * api?.token_lifetime; // 86400
   * ```
   */
  async getByAudience(audience: string): Promise<Api | undefined> {
    checkRef(audience, '/audience');
    const stored = await this.#findByIdentifier(audience);
    return stored && freezeApi(stored.value);
  }

  /** Every API, in creation order. */
  async list(): Promise<Api[]> {
    const records = await this.#context.store.list<ApiRecord>(APIS);
    return records.map((record) => freezeApi(record.value));
  }

  /**
   * Applies a partial patch: each field given replaces the stored one (`scopes` and every
   * Auth0 field passed through as a whole). The identifier, `is_system` and `client_id`
   * cannot be given. Removing a scope that a client grant uses is
   * refused (`scope_in_use` at `/scopes`, naming the grants): update or revoke those
   * grants first, so no client loses a permission by surprise.
   *
   * @throws {@link NotFoundError} for an unknown API; {@link ValidationError} (kind
   *   `api`) for an invalid patch. On the tenant's Management API (a system API) only what
   *   Auth0 lets change is accepted (`token_lifetime`, `proof_of_possession`,
   *   `skip_consent_for_verifiable_first_party_clients`, `subject_type_authorization`,
   *   `authorization_policy`, and new scopes); anything else is `system_api` at its pointer.
   * @example
   * ```ts
   * await tenant.apis.update('https://api.example.com/orders', { token_lifetime: 3600 });
   * ```
   */
  async update(
    idOrIdentifier: string,
    patch: Partial<ApiInput>,
    options: WriteOptions = {},
  ): Promise<Api> {
    checkRef(idOrIdentifier, '/idOrIdentifier');
    return audited(
      this.#context,
      {
        operation: 'update_api',
        request: options.request,
        description: 'Update API',
        details: { api: idOrIdentifier, fields: fieldsOf(patch) },
      },
      async () => {
        const changes = valid(validateApiInput(patch, { partial: true }), 'api');
        return this.#writes.guarded(async (guard) => {
          const stored = await this.#requireRecord(idOrIdentifier);
          if (this.#isSystem(stored.value.identifier)) {
            const issues = systemApiUpdateIssues(changes, stored.value);
            if (issues.length > 0) throw invalid(issues, 'api');
          }
          if (changes.scopes) {
            const kept = new Set(changes.scopes.map((scope) => scope.value));
            const removed = stored.value.scopes.filter((scope) => !kept.has(scope.value));
            if (removed.length > 0) {
              const issue = await this.#grants.scopesInUse(
                stored.value.identifier,
                removed.map((s) => s.value),
              );
              if (issue) throw invalid([issue], 'api');
            }
          }
          const record: ApiRecord = { ...stored.value, ...changes, id: stored.id };
          const secretIssue = hs256SecretIssue(record);
          if (secretIssue) throw invalid([secretIssue], 'api');
          await this.#context.store.commit([
            {
              op: 'replace',
              collection: APIS,
              id: stored.id,
              value: record,
              expectedVersion: stored.version,
            },
            guard,
          ]);
          return freezeApi(record);
        });
      },
      (api) => ({
        details: { api_id: api.id, identifier: api.identifier, fields: fieldsOf(patch) },
      }),
    );
  }

  /**
   * Deletes the API and every client grant for it, in one atomic store commit.
   *
   * @throws {@link NotFoundError} for an unknown API; {@link ValidationError} (kind `api`,
   *   `system_api`) for the tenant's Management API, which Auth0 never deletes.
   * @example
   * ```ts
   * await tenant.apis.delete('https://api.example.com/orders');
   * ```
   */
  async delete(idOrIdentifier: string, options: WriteOptions = {}): Promise<void> {
    checkRef(idOrIdentifier, '/idOrIdentifier');
    await audited(
      this.#context,
      {
        operation: 'delete_api',
        description: 'Delete API',
        details: { api: idOrIdentifier },
        request: options.request,
      },
      () =>
        this.#writes.guarded(async (guard) => {
          const stored = await this.#requireRecord(idOrIdentifier);
          if (this.#isSystem(stored.value.identifier)) {
            throw invalid([systemApiDeleteIssue()], 'api');
          }
          const removals = await this.#grants.removalsFor(stored.value.identifier);
          await this.#context.store.commit([
            { op: 'delete', collection: APIS, id: stored.id, expectedVersion: stored.version },
            ...removals,
            guard,
          ]);
          return { api: stored.value, grants: removals.length };
        }),
      ({ api, grants }) => ({
        details: { api_id: api.id, identifier: api.identifier, grants_deleted: grants },
      }),
    );
  }

  /**
   * Lets a client get client-credentials tokens for an API with the given scopes. The
   * client and the API must exist, every scope must be defined on the API, and the client
   * must not already have a grant for that API (one grant per client and API, as Auth0:
   * use {@link ApiRegistry.updateGrant} to change its scopes). Auth0's other grant fields
   * ({@link ClientGrantAuth0Fields}) are stored with it; `allow_all_scopes` grants every
   * scope the API defines, and a `subject_type` other than `client` allows no
   * client-credentials token.
   *
   * @throws {@link NotFoundError} when the client or the API (by identifier) does not
   *   exist; {@link ValidationError} (kind `api`) for a malformed input, scopes the
   *   API does not define (`unknown_scope` at `/scope/<i>`) or an existing grant
   *   (`already_granted` at `/audience`).
   * @example
   * ```ts
   * const grant = await tenant.apis.grant({
   *   client_id: worker.client_id,
   *   audience: 'https://api.example.com/orders',
   *   scope: ['read:orders'],
   * });
   * grant.id; // 'cgr_…'
   * ```
   */
  async grant(
    input: ClientGrantInput & ClientGrantAuth0Fields,
    options: WriteOptions = {},
  ): Promise<ClientGrant> {
    return this.#grants.grant(input, options);
  }

  /**
   * Replaces the scopes of a client grant (each must be defined on its API).
   *
   * @throws {@link NotFoundError} for an unknown grant (or an API deleted behind the
   *   registry's back); {@link ValidationError} (kind `api`) for a malformed patch
   *   or undefined scopes.
   * @example
   * ```ts
   * await tenant.apis.updateGrant(grant.id, { scope: ['read:orders', 'write:orders'] });
   * ```
   */
  async updateGrant(
    grantId: string,
    patch: ClientGrantPatch,
    options: WriteOptions = {},
  ): Promise<ClientGrant> {
    return this.#grants.updateGrant(grantId, patch, options);
  }

  /**
   * Client grants, in creation order, optionally only a client's or only an API's. A
   * `client_id` or `audience` that matches nothing gives `[]` (a filter, not a lookup).
   *
   * @example
   * ```ts
   * const grants = await tenant.apis.grants({ client_id: worker.client_id });
   * ```
   */
  async grants(query: ClientGrantQuery = {}): Promise<ClientGrant[]> {
    return this.#grants.grants(query);
  }

  /**
   * The grant that lets `clientId` get tokens for the API `audience` (an identifier), or
   * `undefined`. The token issuer calls it for `issueAccessToken`.
   *
   * @example
   * ```ts
   * const grant = await tenant.apis.findGrant(clientId, 'https://api.example.com/orders');
   * if (!grant) throw new UnauthorizedClientError('no grant for this audience');
   * ```
   */
  async findGrant(clientId: string, audience: string): Promise<ClientGrant | undefined> {
    return this.#grants.findGrant(clientId, audience);
  }

  /**
   * Deletes a client grant; the client can no longer get tokens for that API.
   *
   * @throws {@link NotFoundError} for an unknown grant id.
   * @example
   * ```ts
   * await tenant.apis.revokeGrant(grant.id);
   * ```
   */
  async revokeGrant(grantId: string, options: WriteOptions = {}): Promise<void> {
    return this.#grants.revokeGrant(grantId, options);
  }

  async #findRecord(ref: string): Promise<StoredRecord<ApiRecord> | undefined> {
    if (ref.startsWith('api_') && ref.length <= MAX_ID_LENGTH) {
      const byId = await this.#context.store.get<ApiRecord>(APIS, ref);
      if (byId) return byId;
    }
    return this.#findByIdentifier(ref);
  }

  /**
   * A scan: APIs are few (Auth0 tenants have tens, rarely hundreds), the store interface
   * has no secondary index, and an in-memory index would go stale when another process
   * writes the same FileStore. See docs/tenant.md for the measurement.
   */
  async #findByIdentifier(identifier: string): Promise<StoredRecord<ApiRecord> | undefined> {
    const records = await this.#context.store.list<ApiRecord>(APIS);
    return records.find((record) => record.value.identifier === identifier);
  }

  /** Whether `identifier` is the tenant's Management API, a system API (Auth0's rules). */
  #isSystem(identifier: string): boolean {
    return identifier === managementApiIdentifier(this.#context.issuer);
  }

  async #requireRecord(ref: string): Promise<StoredRecord<ApiRecord>> {
    const stored = await this.#findRecord(ref);
    if (!stored) throw notFoundApi(ref);
    return stored;
  }
}

function notFoundApi(ref: string): NotFoundError {
  return new NotFoundError(`API ${quote(ref)} does not exist (no API has this id or identifier)`);
}
