/**
 * `tenant.connections`: connections and the clients they are enabled for. Every write
 * validates first, writes one atomic store change with optimistic concurrency, and records
 * an audit event without the connection's `options` (they may hold secrets); a failed
 * operation leaves stored data exactly as it was.
 *
 * Name uniqueness is checked by reading the store, so creates and renames also bump the
 * guard record `guards/connections` read before the check (see `tenant/registry-kit.ts`).
 */
import { generateClientId } from '../client/credentials.js';
import { quote } from '../client/messages.js';
import { NotFoundError } from '../errors.js';
import type { StoredRecord } from '../storage/store.js';
import {
  createConnection,
  type Connection,
  type ConnectionInput,
  type ConnectionRecord,
} from '../connections/connection.js';
import { storedConnectionIssues, strategyIssues } from '../connections/strategy-rules.js';
import { validateConnectionInput } from '../connections/validate-connection.js';
import type { ClientRegistry } from './clients.js';
import { audited, type TenantContext, type WriteOptions } from './context.js';
import { RegistryWrites, checkId, fieldsOf, invalid, stringField, valid } from './registry-kit.js';

const CONNECTIONS = 'connections';

/** The connection registry behind `tenant.connections`. */
export class ConnectionRegistry {
  readonly #context: TenantContext;
  readonly #clients: ClientRegistry;
  readonly #writes: RegistryWrites;

  /** @internal */
  constructor(context: TenantContext, clients: ClientRegistry) {
    this.#context = context;
    this.#clients = clients;
    this.#writes = new RegistryWrites(context.store, CONNECTIONS);
  }

  /**
   * Validates `input`, assigns an id (`con_…`) and stores the connection. The name must be
   * free (compared without regard to case) and every enabled client must exist. Auth0's
   * connection fields the library does not interpret (`display_name`, `realms`,
   * `metadata`, … see {@link ConnectionSettings}) are type-checked and kept unchanged; the
   * read-only `provisioning_ticket_url` of an export is dropped. A Deploy CLI export names
   * `enabled_clients` by client name: map them to this tenant's client ids first.
   *
   * @throws {@link ValidationError} (kind `connection`) listing every problem at JSON
   *   pointers into `input` (a taken name is `already_exists` at `/name`);
   *   {@link NotFoundError} naming enabled client ids that do not exist.
   * @example
   * ```ts
   * const google = await tenant.connections.create({
   *   name: 'google',
   *   strategy: 'google-oauth2',
   *   enabled_clients: [spa.client_id],
   *   options: { client_id: 'google-app-id', client_secret: process.env.GOOGLE_SECRET },
   * });
   * google.category; // 'social'
   * ```
   */
  async create(input: ConnectionInput, options: WriteOptions = {}): Promise<Connection> {
    return audited(
      this.#context,
      {
        operation: 'create_connection',
        request: options.request,
        description: 'Create connection',
        details: { name: stringField(input, 'name'), strategy: stringField(input, 'strategy') },
      },
      async () => {
        const settings = valid(validateConnectionInput(input), 'connection');
        return this.#writes.guarded(async (guard) => {
          await this.#requireFreeName(settings.name, undefined);
          await this.#requireClients(settings.enabled_clients, [], '/enabled_clients');
          const record: ConnectionRecord = {
            id: generateClientId({ prefix: 'con_' }),
            ...settings,
          };
          await this.#context.store.commit([
            { op: 'insert', collection: CONNECTIONS, id: record.id, value: record },
            guard,
          ]);
          return createConnection(record);
        });
      },
      (connection) => ({ details: describe(connection) }),
    );
  }

  /**
   * The connection with this id.
   *
   * @throws {@link NotFoundError} when there is none.
   */
  async get(id: string): Promise<Connection> {
    const found = await this.find(id);
    if (!found) throw notFoundConnection(id);
    return found;
  }

  /** The connection with this id, or `undefined`. */
  async find(id: string): Promise<Connection | undefined> {
    checkId(id, '/id');
    const stored = await this.#context.store.get<ConnectionRecord>(CONNECTIONS, id);
    return stored && createConnection(stored.value);
  }

  /** The connection with this name (compared without regard to case), or `undefined`. */
  async findByName(name: string): Promise<Connection | undefined> {
    checkId(name, '/name');
    const stored = await this.#byName(name);
    return stored && createConnection(stored.value);
  }

  /** Every connection, in creation order. */
  async list(): Promise<Connection[]> {
    const records = await this.#context.store.list<ConnectionRecord>(CONNECTIONS);
    return records.map((record) => createConnection(record.value));
  }

  /**
   * The connections enabled for a client, in creation order.
   *
   * @throws {@link NotFoundError} when the client does not exist.
   * @example
   * ```ts
   * const names = (await tenant.connections.forClient(spa.client_id)).map((c) => c.name);
   * ```
   */
  async forClient(clientId: string): Promise<Connection[]> {
    checkId(clientId, '/clientId');
    await this.#requireClients([clientId], [], '/clientId');
    const records = await this.#context.store.list<ConnectionRecord>(CONNECTIONS);
    return records
      .filter((record) => (record.value.enabled_clients ?? []).includes(clientId))
      .map((record) => createConnection(record.value));
  }

  /**
   * Applies a partial patch: each field given replaces the stored one (`options`,
   * `enabled_clients` and every Auth0 field passed through as a whole, as Auth0's PATCH
   * does). The strategy and `provisioning_ticket_url` cannot be given; a new name must be
   * free; newly enabled clients must exist.
   *
   * @throws {@link NotFoundError} for an unknown connection or newly enabled clients that
   *   do not exist; {@link ValidationError} (kind `connection`) for an invalid patch.
   * @example
   * ```ts
   * await tenant.connections.update(google.id, { options: { client_id: 'new-id', client_secret: 'new-secret' } });
   * ```
   */
  async update(
    id: string,
    patch: Partial<ConnectionInput>,
    options: WriteOptions = {},
  ): Promise<Connection> {
    checkId(id, '/id');
    return audited(
      this.#context,
      {
        operation: 'update_connection',
        request: options.request,
        description: 'Update connection',
        details: { connection_id: id, fields: fieldsOf(patch) },
      },
      async () => {
        const changes = valid(validateConnectionInput(patch, { partial: true }), 'connection');
        return this.#writes.guarded(async (guard) => {
          const stored = await this.#require(id);
          // Auth0's PATCH replaces options whole: the stored strategy's rules apply to
          // what the patch gives, and some stored values cannot change.
          const patchJson = changes as unknown as Record<string, unknown>;
          const storedJson = stored.value as unknown as Record<string, unknown>;
          const ruleIssues = [
            ...strategyIssues(stored.value.strategy, patchJson, true),
            ...storedConnectionIssues(storedJson, patchJson),
          ];
          if (ruleIssues.length > 0) throw invalid(ruleIssues, 'connection');
          if (changes.name !== undefined) await this.#requireFreeName(changes.name, id);
          if (changes.enabled_clients) {
            await this.#requireClients(
              changes.enabled_clients,
              stored.value.enabled_clients,
              '/enabled_clients',
            );
          }
          const record: ConnectionRecord = { ...stored.value, ...changes, id: stored.id };
          await this.#context.store.commit([
            {
              op: 'replace',
              collection: CONNECTIONS,
              id: stored.id,
              value: record,
              expectedVersion: stored.version,
            },
            guard,
          ]);
          return createConnection(record);
        });
      },
      (connection) => ({ details: { ...describe(connection), fields: fieldsOf(patch) } }),
    );
  }

  /**
   * Deletes the connection. Clients that used it simply no longer have it.
   *
   * @throws {@link NotFoundError} for an unknown id.
   */
  async delete(id: string, options: WriteOptions = {}): Promise<void> {
    checkId(id, '/id');
    await audited(
      this.#context,
      {
        operation: 'delete_connection',
        request: options.request,
        description: 'Delete connection',
        details: { connection_id: id },
      },
      () =>
        this.#writes.queued(async () => {
          const stored = await this.#require(id);
          await this.#context.store.delete(CONNECTIONS, stored.id, stored.version);
          return createConnection(stored.value);
        }),
      (connection) => ({ details: describe(connection) }),
    );
  }

  /**
   * Enables the connection for a client (nothing changes when it already is).
   *
   * @throws {@link NotFoundError} when the connection or the client does not exist.
   * @example
   * ```ts
   * await tenant.connections.enableClient(google.id, backOffice.client_id);
   * ```
   */
  async enableClient(
    connectionId: string,
    clientId: string,
    options: WriteOptions = {},
  ): Promise<Connection> {
    return this.#toggle('enable_client', connectionId, clientId, true, options);
  }

  /**
   * Disables the connection for a client (nothing changes when it is not enabled). The
   * client need not exist any more, so a stale id can always be removed.
   *
   * @throws {@link NotFoundError} when the connection does not exist.
   * @example
   * ```ts
   * await tenant.connections.disableClient(google.id, backOffice.client_id);
   * ```
   */
  async disableClient(
    connectionId: string,
    clientId: string,
    options: WriteOptions = {},
  ): Promise<Connection> {
    return this.#toggle('disable_client', connectionId, clientId, false, options);
  }

  async #toggle(
    operation: 'enable_client' | 'disable_client',
    connectionId: string,
    clientId: string,
    enable: boolean,
    options: WriteOptions,
  ): Promise<Connection> {
    checkId(connectionId, '/connectionId');
    checkId(clientId, '/clientId');
    return audited(
      this.#context,
      {
        operation,
        request: options.request,
        description: enable ? 'Enable connection for client' : 'Disable connection for client',
        clientId,
        details: { connection_id: connectionId },
      },
      () =>
        this.#writes.queued(async () => {
          const stored = await this.#require(connectionId);
          const client = enable ? await this.#clients.find(clientId) : undefined;
          if (enable && !client) throw notFoundClients([clientId], '/clientId');
          const enabled = stored.value.enabled_clients;
          const has = enabled.includes(clientId);
          if (has === enable) {
            return { connection: createConnection(stored.value), client, changed: false };
          }
          const record: ConnectionRecord = {
            ...stored.value,
            enabled_clients: enable
              ? [...enabled, clientId]
              : enabled.filter((c) => c !== clientId),
          };
          await this.#context.store.replace(CONNECTIONS, stored.id, record, stored.version);
          return { connection: createConnection(record), client, changed: true };
        }),
      ({ connection, client, changed }) => ({
        ...(client ? { clientName: client.name } : {}),
        details: { ...describe(connection), changed },
      }),
    ).then(({ connection }) => connection);
  }

  async #require(id: string): Promise<StoredRecord<ConnectionRecord>> {
    const stored = await this.#context.store.get<ConnectionRecord>(CONNECTIONS, id);
    if (!stored) throw notFoundConnection(id);
    return stored;
  }

  /** A scan: connections are few (see docs/tenant.md). */
  async #byName(name: string): Promise<StoredRecord<ConnectionRecord> | undefined> {
    const wanted = name.toLowerCase();
    const records = await this.#context.store.list<ConnectionRecord>(CONNECTIONS);
    return records.find((record) => record.value.name.toLowerCase() === wanted);
  }

  async #requireFreeName(name: string, ownId: string | undefined): Promise<void> {
    const taken = await this.#byName(name);
    if (!taken || taken.id === ownId) return;
    throw invalid(
      [
        {
          path: '/name',
          code: 'already_exists',
          message: `name ${quote(name)} is already used by connection ${taken.id} (${quote(taken.value.name)}); names are unique per tenant, whatever their case`,
        },
      ],
      'connection',
    );
  }

  /** Every id of `ids` not in `known` must be an existing client. */
  async #requireClients(
    ids: readonly string[],
    known: readonly string[],
    pointer: string,
  ): Promise<void> {
    const missing: string[] = [];
    for (const id of ids) {
      if (known.includes(id)) continue;
      if (!(await this.#clients.find(id))) missing.push(id);
    }
    if (missing.length > 0) throw notFoundClients(missing, pointer, ids);
  }
}

function notFoundConnection(id: string): NotFoundError {
  return new NotFoundError(`connection ${quote(id)} does not exist`);
}

function notFoundClients(
  missing: readonly string[],
  pointer: string,
  all: readonly string[] = missing,
): NotFoundError {
  const named = missing
    .slice(0, 5)
    .map((id) =>
      pointer === '/clientId' ? quote(id) : `${quote(id)} (enabled_clients[${all.indexOf(id)}])`,
    );
  const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
  const noun = missing.length === 1 ? 'client does' : 'clients do';
  return new NotFoundError(`${pointer.slice(1)}: ${noun} not exist: ${named.join(', ')}${more}`);
}

/** What audit details say about a connection: never its options. */
function describe(connection: Connection): Record<string, unknown> {
  return {
    connection_id: connection.id,
    name: connection.name,
    strategy: connection.strategy,
    enabled_clients: connection.enabled_clients.length,
  };
}
