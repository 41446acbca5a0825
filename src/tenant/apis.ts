/**
 * `tenant.apis`: APIs (resource servers) and client grants. Every write validates first,
 * writes one atomic store commit with optimistic concurrency, and records an audit event;
 * a failed operation leaves stored data exactly as it was.
 *
 * Uniqueness (one API per identifier, one grant per client and API) and "granted scopes
 * are defined on the API" are checked by reading the store, so every write of this
 * registry also bumps the guard record `guards/apis` read *before* those checks, and is
 * queued behind the registry's other writes (see `tenant/registry-kit.ts`).
 */
import { generateClientId } from '../client/credentials.js';
import { quote } from '../client/messages.js';
import type { Client } from '../client/client.js';
import { InvalidArgumentError, NotFoundError, type Issue } from '../errors.js';
import type { StoredRecord, WriteOperation } from '../storage/store.js';
import { freezeApi, type Api, type ApiInput, type ApiRecord } from '../apis/api.js';
import {
  freezeGrant,
  type ClientGrant,
  type ClientGrantInput,
  type ClientGrantPatch,
  type ClientGrantQuery,
  type ClientGrantRecord,
} from '../apis/grant.js';
import { validateApiInput } from '../apis/validate-api.js';
import { grantScopeIssues, validateGrantInput } from '../apis/validate-grant.js';
import type { ClientRegistry } from './clients.js';
import { audited, type TenantContext } from './context.js';
import {
  INVALID_BODY,
  MAX_ID_LENGTH,
  RegistryWrites,
  checkId,
  checkRef,
  fieldsOf,
  invalid,
  stringField,
  valid,
} from './registry-kit.js';

const APIS = 'apis';
const GRANTS = 'grants';
/** Most grant ids named in one message. */
const MAX_NAMED = 5;

/** The API registry behind `tenant.apis`: APIs (resource servers) and client grants. */
export class ApiRegistry {
  readonly #context: TenantContext;
  readonly #clients: ClientRegistry;
  readonly #writes: RegistryWrites;

  /** @internal */
  constructor(context: TenantContext, clients: ClientRegistry) {
    this.#context = context;
    this.#clients = clients;
    this.#writes = new RegistryWrites(context.store, APIS);
  }

  /**
   * Validates `input`, assigns an id (`api_…`) and stores the API. The identifier must not
   * be used by another API.
   *
   * @throws {@link ValidationError} (code `invalid_body`) listing every problem at JSON
   *   pointers into `input`; an identifier already in use is `already_exists` at
   *   `/identifier`.
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
  async create(input: ApiInput): Promise<Api> {
    return audited(
      this.#context,
      {
        operation: 'create_api',
        description: 'Create API',
        details: { identifier: stringField(input, 'identifier') },
      },
      async () => {
        const settings = valid(validateApiInput(input), INVALID_BODY);
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
              INVALID_BODY,
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
   * Applies a partial patch: each field given replaces the stored one (`scopes` as a whole
   * list). The identifier cannot change. Removing a scope that a client grant uses is
   * refused (`scope_in_use` at `/scopes`, naming the grants): update or revoke those
   * grants first, so no client loses a permission by surprise.
   *
   * @throws {@link NotFoundError} for an unknown API; {@link ValidationError} (code
   *   `invalid_body`) for an invalid patch.
   * @example
   * ```ts
   * await tenant.apis.update('https://api.example.com/orders', { token_lifetime: 3600 });
   * ```
   */
  async update(idOrIdentifier: string, patch: Partial<ApiInput>): Promise<Api> {
    checkRef(idOrIdentifier, '/idOrIdentifier');
    return audited(
      this.#context,
      {
        operation: 'update_api',
        description: 'Update API',
        details: { api: idOrIdentifier, fields: fieldsOf(patch) },
      },
      async () => {
        const changes = valid(validateApiInput(patch, { partial: true }), INVALID_BODY);
        return this.#writes.guarded(async (guard) => {
          const stored = await this.#requireRecord(idOrIdentifier);
          if (changes.scopes) {
            const kept = new Set(changes.scopes.map((scope) => scope.value));
            const removed = stored.value.scopes.filter((scope) => !kept.has(scope.value));
            if (removed.length > 0) {
              const issue = await this.#scopesInUse(
                stored.value.identifier,
                removed.map((s) => s.value),
              );
              if (issue) throw invalid([issue], INVALID_BODY);
            }
          }
          const record: ApiRecord = { ...stored.value, ...changes, id: stored.id };
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
   * @throws {@link NotFoundError} for an unknown API.
   * @example
   * ```ts
   * await tenant.apis.delete('https://api.example.com/orders');
   * ```
   */
  async delete(idOrIdentifier: string): Promise<void> {
    checkRef(idOrIdentifier, '/idOrIdentifier');
    await audited(
      this.#context,
      { operation: 'delete_api', description: 'Delete API', details: { api: idOrIdentifier } },
      () =>
        this.#writes.guarded(async (guard) => {
          const stored = await this.#requireRecord(idOrIdentifier);
          const grants = await this.#grantRecords(
            (grant) => grant.audience === stored.value.identifier,
          );
          await this.#context.store.commit([
            { op: 'delete', collection: APIS, id: stored.id, expectedVersion: stored.version },
            ...grants.map((grant): WriteOperation => ({
              op: 'delete',
              collection: GRANTS,
              id: grant.id,
              expectedVersion: grant.version,
            })),
            guard,
          ]);
          return { api: stored.value, grants: grants.length };
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
   * use {@link ApiRegistry.updateGrant} to change its scopes).
   *
   * @throws {@link NotFoundError} when the client or the API (by identifier) does not
   *   exist; {@link ValidationError} (code `invalid_body`) for a malformed input, scopes the
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
  async grant(input: ClientGrantInput): Promise<ClientGrant> {
    return audited(
      this.#context,
      {
        operation: 'create_client_grant',
        description: 'Create client grant',
        clientId: stringField(input, 'client_id'),
        details: { audience: stringField(input, 'audience') },
      },
      async () => {
        const request = valid(validateGrantInput(input), INVALID_BODY);
        return this.#writes.guarded(async (guard) => {
          const client = await this.#requireClient(request.client_id);
          const api = await this.#requireApiForGrant(request.audience, request.scope);
          const [existing] = await this.#grantRecords(
            (grant) => grant.client_id === request.client_id && grant.audience === request.audience,
          );
          if (existing) {
            throw invalid(
              [
                {
                  path: '/audience',
                  code: 'already_granted',
                  message: `audience ${quote(request.audience)} is already granted to client ${request.client_id} (${existing.id}); use updateGrant to change its scopes`,
                },
              ],
              INVALID_BODY,
            );
          }
          const record: ClientGrantRecord = {
            id: generateClientId({ prefix: 'cgr_' }),
            client_id: request.client_id,
            audience: api.identifier,
            scope: request.scope,
          };
          await this.#context.store.commit([
            { op: 'insert', collection: GRANTS, id: record.id, value: record },
            guard,
          ]);
          return { grant: freezeGrant(record), client };
        });
      },
      ({ grant, client }) => ({
        clientName: client.name,
        details: { grant_id: grant.id, audience: grant.audience, scope: [...grant.scope] },
      }),
    ).then(({ grant }) => grant);
  }

  /**
   * Replaces the scopes of a client grant (each must be defined on its API).
   *
   * @throws {@link NotFoundError} for an unknown grant (or an API deleted behind the
   *   registry's back); {@link ValidationError} (code `invalid_body`) for a malformed patch
   *   or undefined scopes.
   * @example
   * ```ts
   * await tenant.apis.updateGrant(grant.id, { scope: ['read:orders', 'write:orders'] });
   * ```
   */
  async updateGrant(grantId: string, patch: ClientGrantPatch): Promise<ClientGrant> {
    checkId(grantId, '/grantId');
    return audited(
      this.#context,
      {
        operation: 'update_client_grant',
        description: 'Update client grant',
        details: { grant_id: grantId, fields: fieldsOf(patch) },
      },
      async () => {
        const changes = valid(validateGrantInput(patch, { partial: true }), INVALID_BODY);
        return this.#writes.guarded(async (guard) => {
          const stored = await this.#requireGrant(grantId);
          const scope = changes.scope ?? stored.value.scope;
          await this.#requireApiForGrant(stored.value.audience, scope);
          const record: ClientGrantRecord = { ...stored.value, id: stored.id, scope };
          await this.#context.store.commit([
            {
              op: 'replace',
              collection: GRANTS,
              id: stored.id,
              value: record,
              expectedVersion: stored.version,
            },
            guard,
          ]);
          return freezeGrant(record);
        });
      },
      (grant) => ({
        clientId: grant.client_id,
        details: { grant_id: grant.id, audience: grant.audience, scope: [...grant.scope] },
      }),
    );
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
    const { client_id: clientId, audience } = checkGrantQuery(query);
    const records = await this.#grantRecords(
      (grant) =>
        (clientId === undefined || grant.client_id === clientId) &&
        (audience === undefined || grant.audience === audience),
    );
    return records.map((record) => freezeGrant(record.value));
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
    checkId(clientId, '/clientId');
    checkRef(audience, '/audience');
    const [found] = await this.#grantRecords(
      (grant) => grant.client_id === clientId && grant.audience === audience,
    );
    return found && freezeGrant(found.value);
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
  async revokeGrant(grantId: string): Promise<void> {
    checkId(grantId, '/grantId');
    await audited(
      this.#context,
      {
        operation: 'delete_client_grant',
        description: 'Delete client grant',
        details: { grant_id: grantId },
      },
      () =>
        // Only removes: no uniqueness or scope rule can break, so no guard is needed.
        this.#writes.queued(async () => {
          const stored = await this.#requireGrant(grantId);
          await this.#context.store.delete(GRANTS, stored.id, stored.version);
          return stored.value;
        }),
      (grant) => ({
        clientId: grant.client_id,
        details: { grant_id: grant.id, audience: grant.audience },
      }),
    );
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

  async #requireRecord(ref: string): Promise<StoredRecord<ApiRecord>> {
    const stored = await this.#findRecord(ref);
    if (!stored) throw notFoundApi(ref);
    return stored;
  }

  async #requireClient(clientId: string): Promise<Client> {
    const client = await this.#clients.find(clientId);
    if (!client) throw new NotFoundError(`client_id: client ${quote(clientId)} does not exist`);
    return client;
  }

  /** The API for a grant's audience, checking that it defines every scope. */
  async #requireApiForGrant(audience: string, scope: readonly string[]): Promise<ApiRecord> {
    const api = await this.#findByIdentifier(audience);
    if (!api) {
      throw new NotFoundError(`audience: no API has the identifier ${quote(audience)}`);
    }
    const issues = grantScopeIssues(scope, api.value.scopes, audience);
    if (issues.length > 0) throw invalid(issues, INVALID_BODY);
    return api.value;
  }

  async #requireGrant(grantId: string): Promise<StoredRecord<ClientGrantRecord>> {
    const stored = await this.#context.store.get<ClientGrantRecord>(GRANTS, grantId);
    if (!stored) throw new NotFoundError(`client grant ${quote(grantId)} does not exist`);
    return stored;
  }

  async #grantRecords(
    matches: (grant: ClientGrantRecord) => boolean,
  ): Promise<StoredRecord<ClientGrantRecord>[]> {
    const records = await this.#context.store.list<ClientGrantRecord>(GRANTS);
    return records.filter((record) => matches(record.value));
  }

  /** The issue refusing to remove scopes that grants use, or `undefined` when none do. */
  async #scopesInUse(audience: string, removed: readonly string[]): Promise<Issue | undefined> {
    const gone = new Set(removed);
    const users = await this.#grantRecords(
      (grant) => grant.audience === audience && grant.scope.some((scope) => gone.has(scope)),
    );
    if (users.length === 0) return undefined;
    const used = removed.filter((scope) =>
      users.some((grant) => grant.value.scope.includes(scope)),
    );
    const named = users
      .slice(0, MAX_NAMED)
      .map((grant) => `${grant.id} (client ${grant.value.client_id})`);
    const more = users.length > MAX_NAMED ? ` and ${users.length - MAX_NAMED} more` : '';
    return {
      path: '/scopes',
      code: 'scope_in_use',
      message: `scopes: ${used.map(quote).join(', ')} ${used.length === 1 ? 'is' : 'are'} granted by ${named.join(', ')}${more}; update or revoke those grants first`,
    };
  }
}

function checkGrantQuery(query: unknown): ClientGrantQuery {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new InvalidArgumentError('/query', 'query must be an object');
  }
  const { client_id: clientId, audience } = query as Record<string, unknown>;
  if (clientId !== undefined) checkId(clientId, '/query/client_id');
  if (audience !== undefined) checkRef(audience, '/query/audience');
  return {
    ...(clientId === undefined ? {} : { client_id: clientId }),
    ...(audience === undefined ? {} : { audience }),
  };
}

function notFoundApi(ref: string): NotFoundError {
  return new NotFoundError(`API ${quote(ref)} does not exist (no API has this id or identifier)`);
}
