/**
 * Client grants, behind `tenant.apis.grant`, `grants`, `findGrant`, `updateGrant` and
 * `revokeGrant`: which client may get client-credentials tokens for which API, with which
 * scopes. Every write validates first, writes one atomic store commit with optimistic
 * concurrency, and records an audit event; a failed operation leaves stored data exactly as
 * it was.
 *
 * "One grant per client and API" and "granted scopes are defined on the API" are checked
 * by reading the store, so grant writes go through the API registry's writes: the same
 * queue and the same guard record (`guards/apis`) as API writes, so a grant never races
 * an update that removes its scopes or the deletion of its API.
 */
import { grantClientIssue } from '../apis/grant-rules.js';
import { generateClientId } from '../client/credentials.js';
import { quote } from '../client/messages.js';
import type { Client } from '../client/client.js';
import { InvalidArgumentError, NotFoundError, type Issue } from '../errors.js';
import type { StoredRecord, WriteOperation } from '../storage/store.js';
import type { ApiRecord } from '../apis/api.js';
import {
  freezeGrant,
  withGrantFields,
  type ClientGrant,
  type ClientGrantAuth0Fields,
  type ClientGrantInput,
  type ClientGrantPatch,
  type ClientGrantQuery,
  type ClientGrantRecord,
} from '../apis/grant.js';
import { grantScopeIssues, validateGrantInput } from '../apis/validate-grant.js';
import type { ClientRegistry } from './clients.js';
import { audited, type TenantContext, type WriteOptions } from './context.js';
import {
  checkId,
  checkRef,
  fieldsOf,
  invalid,
  stringField,
  valid,
  type RegistryWrites,
} from './registry-kit.js';

const GRANTS = 'grants';
/** Most grant ids named in one message. */
const MAX_NAMED = 5;

/** The stored API with this identifier, or `undefined` (the API registry's lookup). */
export type FindApi = (identifier: string) => Promise<StoredRecord<ApiRecord> | undefined>;

/**
 * The client grants of a tenant. `ApiRegistry` owns one and delegates its grant methods
 * to it; their contracts are documented there.
 */
export class GrantRegistry {
  readonly #context: TenantContext;
  readonly #clients: ClientRegistry;
  readonly #writes: RegistryWrites;
  readonly #findApi: FindApi;

  /**
   * @param writes - the API registry's writes, so grant and API writes share one queue
   *   and one guard record
   * @param findApi - finds an API by identifier
   */
  constructor(
    context: TenantContext,
    clients: ClientRegistry,
    writes: RegistryWrites,
    findApi: FindApi,
  ) {
    this.#context = context;
    this.#clients = clients;
    this.#writes = writes;
    this.#findApi = findApi;
  }

  /** `tenant.apis.grant`, documented on `ApiRegistry`. */
  async grant(
    input: ClientGrantInput & ClientGrantAuth0Fields,
    options: WriteOptions = {},
  ): Promise<ClientGrant> {
    return audited(
      this.#context,
      {
        operation: 'create_client_grant',
        request: options.request,
        description: 'Create client grant',
        clientId: stringField(input, 'client_id'),
        details: { audience: stringField(input, 'audience') },
      },
      async () => {
        const request = valid(validateGrantInput(input), 'grant');
        if (request.client_id === undefined) {
          const message =
            'client_id is required: a tenant keeps grants per client (default grants for third-party clients, default_for, are not supported)';
          throw invalid([{ path: '/client_id', code: 'required', message }], 'grant');
        }
        return this.#writes.guarded(async (guard) => {
          const client = await this.#requireClient(request.client_id);
          const notAllowed = grantClientIssue(request.client_id, client.app_type);
          if (notAllowed) throw invalid([notAllowed], 'grant');
          const api = await this.#requireApiForGrant(request.audience, request.scope ?? []);
          const [existing] = await this.#records(
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
              'grant',
            );
          }
          const record = withGrantFields(
            {
              id: generateClientId({ prefix: 'cgr_' }),
              client_id: request.client_id,
              audience: api.identifier,
              scope: request.scope ?? [],
            },
            request,
          );
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

  /** `tenant.apis.updateGrant`, documented on `ApiRegistry`. */
  async updateGrant(
    grantId: string,
    patch: ClientGrantPatch,
    options: WriteOptions = {},
  ): Promise<ClientGrant> {
    checkId(grantId, '/grantId');
    return audited(
      this.#context,
      {
        operation: 'update_client_grant',
        request: options.request,
        description: 'Update client grant',
        details: { grant_id: grantId, fields: fieldsOf(patch) },
      },
      async () => {
        const changes = valid(validateGrantInput(patch, { partial: true }), 'grant');
        return this.#writes.guarded(async (guard) => {
          const stored = await this.#requireGrant(grantId);
          const scope = changes.scope ?? stored.value.scope;
          await this.#requireApiForGrant(stored.value.audience, scope);
          const record = withGrantFields({ ...stored.value, id: stored.id, scope }, changes);
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

  /** `tenant.apis.grants`, documented on `ApiRegistry`. */
  async grants(query: ClientGrantQuery): Promise<ClientGrant[]> {
    const { client_id: clientId, audience } = checkGrantQuery(query);
    const records = await this.#records(
      (grant) =>
        (clientId === undefined || grant.client_id === clientId) &&
        (audience === undefined || grant.audience === audience),
    );
    return records.map((record) => freezeGrant(record.value));
  }

  /** `tenant.apis.findGrant`, documented on `ApiRegistry`. */
  async findGrant(clientId: string, audience: string): Promise<ClientGrant | undefined> {
    checkId(clientId, '/clientId');
    checkRef(audience, '/audience');
    const [found] = await this.#records(
      (grant) => grant.client_id === clientId && grant.audience === audience,
    );
    return found && freezeGrant(found.value);
  }

  /** `tenant.apis.revokeGrant`, documented on `ApiRegistry`. */
  async revokeGrant(grantId: string, options: WriteOptions = {}): Promise<void> {
    checkId(grantId, '/grantId');
    await audited(
      this.#context,
      {
        operation: 'delete_client_grant',
        request: options.request,
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

  /**
   * The commit entries that delete every grant for the API `audience` (read now, each
   * expecting the version read), for deleting the API in the same commit.
   */
  async removalsFor(audience: string): Promise<WriteOperation[]> {
    const grants = await this.#records((grant) => grant.audience === audience);
    return grants.map((grant): WriteOperation => ({
      op: 'delete',
      collection: GRANTS,
      id: grant.id,
      expectedVersion: grant.version,
    }));
  }

  /** The issue refusing to remove scopes that grants use, or `undefined` when none do. */
  async scopesInUse(audience: string, removed: readonly string[]): Promise<Issue | undefined> {
    const gone = new Set(removed);
    const users = await this.#records(
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

  async #requireClient(clientId: string): Promise<Client> {
    const client = await this.#clients.find(clientId);
    if (!client) throw new NotFoundError(`client_id: client ${quote(clientId)} does not exist`);
    return client;
  }

  /** The API for a grant's audience, checking that it defines every scope. */
  async #requireApiForGrant(audience: string, scope: readonly string[]): Promise<ApiRecord> {
    const api = await this.#findApi(audience);
    if (!api) {
      throw new NotFoundError(`audience: no API has the identifier ${quote(audience)}`);
    }
    const issues = grantScopeIssues(scope, api.value.scopes, audience);
    if (issues.length > 0) throw invalid(issues, 'grant');
    return api.value;
  }

  async #requireGrant(grantId: string): Promise<StoredRecord<ClientGrantRecord>> {
    const stored = await this.#context.store.get<ClientGrantRecord>(GRANTS, grantId);
    if (!stored) throw new NotFoundError(`client grant ${quote(grantId)} does not exist`);
    return stored;
  }

  async #records(
    matches: (grant: ClientGrantRecord) => boolean,
  ): Promise<StoredRecord<ClientGrantRecord>[]> {
    const records = await this.#context.store.list<ClientGrantRecord>(GRANTS);
    return records.filter((record) => matches(record.value));
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
