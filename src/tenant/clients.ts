/**
 * `tenant.clients`: the client registry. Every write validates first, assigns ids and
 * secrets, writes through the store with optimistic concurrency and records an audit
 * event; a failed operation leaves stored data exactly as it was.
 */
import type { AppType } from '../client/app-types.js';
import { capabilitiesOf, isAppType } from '../client/app-types.js';
import { createClient, isConfidential, type Client, type ClientRecord } from '../client/client.js';
import { generateClientId, generateClientSecret } from '../client/credentials.js';
import type { ClientInput, ClientSettings } from '../client/settings.js';
import { lintClient } from '../client/lint.js';
import { validateClientSettings, type ClientSettingsPatch } from '../client/validate.js';
import type {
  ClientCredential,
  ClientCredentialInput,
  ClientCredentialPatch,
} from '../client/public-key-credential.js';
import { InvalidArgumentError, NotFoundError, type Issue } from '../errors.js';
import type { StoredRecord, WriteOperation } from '../storage/store.js';
import { audited, type TenantContext, type WriteOptions } from './context.js';
import { checkOverlap, CredentialRegistry, unknownCredentialIssues } from './credentials.js';
import { OriginIndex } from './origin-index.js';
import { checkId, fieldsOf, invalid, retrying, stringField, valid } from './registry-kit.js';

/** Query of {@link ClientRegistry.list}. */
export interface ClientListQuery {
  /** Only clients of this app type. */
  appType?: AppType;
  /** Zero-based page number; needs `perPage`. Default 0. */
  page?: number;
  /** Clients per page, 1 to 100. Without it, every matching client is returned. */
  perPage?: number;
}

/** A page of clients and how many match in all. */
export interface ClientList {
  /** The clients of the requested page, in creation order. */
  clients: Client[];
  /** How many clients match the query, across all pages. */
  total: number;
}

/** Options of {@link ClientRegistry.rotateSecret}. */
export interface RotateSecretOptions extends WriteOptions {
  /**
   * Keep the replaced secret valid for token-endpoint authentication for this many
   * seconds (1 to 2592000, 30 days), so running instances can switch without downtime.
   * Without it the old secret stops working at once, and any earlier one still in its
   * window ends too.
   */
  previousSecretValidFor?: number;
}

/** Options for creating a client on behalf of another part of the library. */
export interface CreateClientOptions extends WriteOptions {
  /** Prefix of the generated `client_id` (Dynamic Client Registration may use one). */
  idPrefix?: string;
}

const COLLECTION = 'clients';
const MAX_PER_PAGE = 100;
/** Longest client name kept in audit details (names are at most 255). */
const MAX_NAME_LENGTH = 255;
const SNAPSHOT_CACHE_SIZE = 10_000;

/** The client registry behind `tenant.clients`. */
export class ClientRegistry {
  readonly #context: TenantContext;
  /** Snapshots by client id and the record version they were built from. */
  readonly #snapshots = new Map<string, { version: number; client: Client }>();
  /** Snapshots by the (frozen, hence unchanging) stored record they were built from. */
  readonly #byRecord = new WeakMap<StoredRecord<ClientRecord>, Client>();
  readonly #origins: OriginIndex;
  /** Public-key credentials and previous secrets. @internal */
  readonly keys: CredentialRegistry;
  readonly #unwatch: (() => void) | undefined;

  /** @internal */
  constructor(context: TenantContext) {
    this.#context = context;
    this.keys = new CredentialRegistry(context);
    const { store } = context;
    // The context's store checks every record read for the shape the Tenant wrote.
    this.#origins = new OriginIndex(
      async () => (await store.list<ClientRecord>(COLLECTION)).map((record) => record.value),
      context.now,
      store.watch ? Infinity : undefined,
    );
    // With a change feed the index is dropped exactly when some client changes, by
    // anyone; without one it is rebuilt after a bounded age.
    this.#unwatch = store.watch?.call(store, (change) => {
      if ('reset' in change || change.collection === COLLECTION) this.#origins.invalidate();
    });
  }

  /** Stops following the store's change feed. @internal */
  dispose(): void {
    this.#unwatch?.();
  }

  /**
   * True when any client of the tenant accepts `origin` for CORS (its `allowed_origins`
   * or the origin of one of its callbacks). For answering a preflight (`OPTIONS`), which
   * names no client; check the actual request against the authenticated client's
   * `allowsOrigin`. Served from a tenant-wide index, so it never scans all clients per
   * call; on a store with a change feed (every built-in store) the index is rebuilt when
   * any instance changes a client, otherwise after this process writes one and at most
   * every 5 seconds.
   *
   * @example
   * ```ts
   * if (request.method === 'OPTIONS' && (await tenant.clients.anyAllowsOrigin(origin))) {
   *   response.setHeader('Access-Control-Allow-Origin', origin);
   * }
   * ```
   */
  async anyAllowsOrigin(origin: string): Promise<boolean> {
    if (typeof origin !== 'string') return false;
    return this.#origins.allows(origin);
  }

  /**
   * Validates `input`, assigns a `client_id` (and a `client_secret` for a confidential
   * client) and stores the client. `client_id`/`client_secret` in the input (as in an
   * Auth0 export) are ignored: ids and secrets are always generated.
   *
   * @throws {@link ValidationError} listing every problem, at JSON pointers into `input`;
   *   also, unless the tenant accepts them (`lintErrors: 'accept'`), the lint errors of
   *   the settings (a spa with a secret method), each with the rule id as its `code`.
   * @example
   * ```ts
   * const client = await tenant.clients.create({ name: 'Shop', app_type: 'spa', callbacks: ['https://shop.example.com/cb'] });
   * client.client_id; // 32 characters
   * ```
   */
  async create(input: ClientInput, options: WriteOptions = {}): Promise<Client> {
    return this.createWith(input, { request: options.request });
  }

  /** {@link ClientRegistry.create} with options for other registries. @internal */
  async createWith(input: unknown, options: CreateClientOptions): Promise<Client> {
    const name = stringField(input, 'name', MAX_NAME_LENGTH);
    return audited(
      this.#context,
      {
        operation: 'create_client',
        description: 'Create client',
        clientName: name,
        request: options.request,
      },
      async () => {
        const settings = valid(validateClientSettings(input), 'client');
        const unknown = unknownCredentialIssues(settings, new Set());
        if (unknown) throw unknown;
        this.#checkLint(settings);
        const record = this.buildRecord(settings, options);
        const stored = await this.#context.store.insert<ClientRecord>(
          COLLECTION,
          record.client_id,
          record,
        );
        this.changed();
        return this.snapshot(stored);
      },
      identify,
    );
  }

  /**
   * The client with this id.
   *
   * @throws {@link NotFoundError} when there is none.
   */
  async get(clientId: string): Promise<Client> {
    const client = await this.find(clientId);
    if (!client) throw new NotFoundError(`client ${JSON.stringify(clientId)} does not exist`);
    return client;
  }

  /** The client with this id, or `undefined`. */
  async find(clientId: string): Promise<Client | undefined> {
    checkId(clientId, '/clientId');
    const stored = await this.#context.store.get<ClientRecord>(COLLECTION, clientId);
    return stored && this.snapshot(stored);
  }

  /**
   * Clients in creation order, optionally of one app type, optionally one page at a time.
   *
   * @example
   * ```ts
   * const { clients, total } = await tenant.clients.list({ appType: 'spa', page: 0, perPage: 50 });
   * ```
   */
  async list(query: ClientListQuery = {}): Promise<ClientList> {
    const { appType, page, perPage } = checkQuery(query);
    const records = await this.#context.store.list<ClientRecord>(COLLECTION);
    const matching =
      appType === undefined ? records : records.filter((r) => r.value.app_type === appType);
    const slice =
      perPage === undefined ? matching : matching.slice(page * perPage, (page + 1) * perPage);
    return { clients: slice.map((record) => this.snapshot(record)), total: matching.length };
  }

  /**
   * Applies a partial patch with Auth0's PATCH semantics. Top-level fields replace the
   * stored ones; `jwt_configuration`, `client_metadata` and `addons` are merged member by
   * member; `null` removes a field (or a member). The merged settings are validated (and,
   * unless the tenant accepts them, checked for lint errors) as a whole. Switching
   * to `none` removes the secret; switching from `none` to a secret method generates one.
   * Changing `app_type` alone also brings the method and grant types the new type needs
   * (a `regular_web` client made `spa` becomes public and loses `client_credentials`).
   *
   * @throws {@link NotFoundError} for an unknown id; {@link ValidationError} when the
   *   patch or the merged result is invalid (pointers into the patch where possible).
   */
  async update(
    clientId: string,
    patch: Partial<ClientInput>,
    options: WriteOptions = {},
  ): Promise<Client> {
    checkId(clientId, '/clientId');
    return audited(
      this.#context,
      {
        operation: 'update_client',
        request: options.request,
        description: 'Update client',
        clientId,
        details: { fields: fieldsOf(patch) },
      },
      () =>
        retrying(async () => {
          const changes = valid(
            validateClientSettings(patch, { partial: true }),
            'client',
            readOnlyIssues(patch),
          );
          const stored = await this.#require(clientId);
          const { client_id: _id, client_secret: secret, ...current } = stored.value;
          const merged = valid(validateClientSettings(mergeSettings(current, changes)), 'client');
          this.#checkLint(merged);
          const record = withSecret({ ...merged, client_id: clientId }, secret);
          const unknown = unknownCredentialIssues(record, await this.#heldCredentialIds(clientId));
          if (unknown) throw unknown;
          const written = await this.#context.store.replace<ClientRecord>(
            COLLECTION,
            clientId,
            record,
            stored.version,
          );
          this.changed();
          return this.snapshot(written);
        }),
      identify,
    );
  }

  /**
   * Deletes the client, removes it from every connection's `enabled_clients` and deletes
   * its client grants and registration, in one atomic store commit. Irreversible.
   *
   * @throws {@link NotFoundError} for an unknown id.
   */
  async delete(clientId: string, options: WriteOptions = {}): Promise<void> {
    checkId(clientId, '/clientId');
    await audited(
      this.#context,
      {
        operation: 'delete_client',
        description: 'Delete client',
        clientId,
        request: options.request,
      },
      () =>
        retrying(async () => {
          const stored = await this.#require(clientId);
          await this.#context.store.commit([
            { op: 'delete', collection: COLLECTION, id: clientId, expectedVersion: stored.version },
            ...(await this.#detachOperations(clientId)),
            ...(await this.keys.deleteOperations(clientId)),
          ]);
          this.forget(clientId);
          return stored.value.name;
        }),
      (name) => ({ clientName: name }),
    );
  }

  /**
   * Replaces the secret of a confidential client. By default the old secret stops working
   * at once; with `previousSecretValidFor` it keeps authenticating at the token endpoint
   * (Basic, post and `client_secret_jwt`) for that many seconds, so a fleet can roll the
   * new secret out without downtime. There is one previous secret at a time: a rotation
   * replaces it, and a plain rotation ends it. HS256 id tokens are always signed with the
   * current secret. The client and the previous secret change in one atomic commit.
   *
   * @throws {@link NotFoundError} for an unknown id; {@link InvalidArgumentError} for a
   *   public client, which has no secret, or an overlap outside 1 to 2592000 seconds.
   * @example
   * ```ts
   * const rotated = await tenant.clients.rotateSecret(clientId, { previousSecretValidFor: 3600 });
   * // deploy rotated.client_secret within the hour; the old secret works until then
   * ```
   */
  async rotateSecret(clientId: string, options: RotateSecretOptions = {}): Promise<Client> {
    checkId(clientId, '/clientId');
    const overlap = readRotateOptions(options);
    return audited(
      this.#context,
      {
        operation: 'rotate_secret',
        request: options.request,
        description: 'Rotate client secret',
        clientId,
        details: { previous_secret_valid_for: overlap ?? 0 },
      },
      () =>
        retrying(async () => {
          const stored = await this.#require(clientId);
          if (!isConfidential(stored.value)) {
            throw new InvalidArgumentError(
              '/clientId',
              `client ${clientId} is public (token_endpoint_auth_method none) and has no secret to rotate`,
            );
          }
          const old = stored.value.client_secret;
          const previous =
            overlap === undefined || old === undefined
              ? undefined
              : { secret: old, expires_at: this.#context.now() + overlap * 1000 };
          const record = { ...stored.value, client_secret: generateClientSecret() };
          const [written] = await this.#context.store.commit([
            {
              op: 'replace',
              collection: COLLECTION,
              id: clientId,
              value: record,
              expectedVersion: stored.version,
            },
            ...(await this.keys.previousSecretOperation(clientId, previous)),
          ]);
          return this.snapshot(written as StoredRecord<ClientRecord>);
        }),
      identify,
    );
  }

  /**
   * The client's `public_key` credentials, in Auth0's Management API shape
   * (`GET /api/v2/clients/{id}/credentials`); never the key itself.
   *
   * @throws {@link NotFoundError} for an unknown client.
   * @example
   * ```ts
   * const credentials = await tenant.clients.credentials(clientId); // [{ id: 'cred_…', kid, alg, … }]
   * ```
   */
  credentials(clientId: string): Promise<ClientCredential[]> {
    return this.keys.list(clientId);
  }

  /**
   * Adds a public key the client proves with a signed JWT (`private_key_jwt`). It
   * authenticates once the client lists it in
   * `client_authentication_methods.private_key_jwt.credentials`, as in Auth0. The key type
   * must suit `alg` (RSA of at least 2048 bits for RS256/RS384/PS256, P-256 for ES256);
   * private key material is refused and never echoed. `kid` defaults to the key's RFC 7638
   * thumbprint. Audited (`sapi`/`fapi`).
   *
   * @throws {@link ValidationError} (kind `credential`) naming each problem;
   *   {@link NotFoundError} for an unknown client.
   * @example
   * ```ts
   * const credential = await tenant.clients.addCredential(clientId, {
   *   credential_type: 'public_key',
   *   pem: publicKeyPem,
   *   alg: 'RS256',
   *   name: 'worker 2026',
   * });
   * await tenant.clients.update(clientId, {
   *   client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id }] } },
   * });
   * ```
   * @see https://auth0.com/docs/api/management/v2/clients/post-credentials
   */
  addCredential(
    clientId: string,
    input: ClientCredentialInput,
    options: WriteOptions = {},
  ): Promise<ClientCredential> {
    return this.keys.add(clientId, input, options);
  }

  /**
   * Renames a credential or changes its expiry (`expires_at: null` removes it). An expired
   * credential authenticates nothing. Audited.
   *
   * @throws {@link ValidationError} for other fields or bad values; {@link NotFoundError}
   *   for an unknown client or credential.
   */
  updateCredential(
    clientId: string,
    credentialId: string,
    patch: ClientCredentialPatch,
    options: WriteOptions = {},
  ): Promise<ClientCredential> {
    return this.keys.update(clientId, credentialId, patch, options);
  }

  /**
   * Deletes a credential and removes it from the client's
   * `client_authentication_methods`, in one atomic commit; it authenticates nothing from
   * then on. Audited.
   *
   * @throws {@link NotFoundError} for an unknown client or credential.
   */
  async deleteCredential(
    clientId: string,
    credentialId: string,
    options: WriteOptions = {},
  ): Promise<void> {
    await this.keys.delete(clientId, credentialId, options);
    this.#snapshots.delete(clientId);
  }

  /**
   * The stored record for validated settings: a new id, and a secret when confidential.
   * @internal
   */
  buildRecord(settings: ClientSettings, options: CreateClientOptions): ClientRecord {
    const clientId = generateClientId(
      options.idPrefix === undefined ? {} : { prefix: options.idPrefix },
    );
    return withSecret({ ...settings, client_id: clientId }, undefined);
  }

  /** The (cached) snapshot of a stored record. @internal */
  snapshot(stored: StoredRecord<ClientRecord>): Client {
    // Stores that hand out the same frozen record until it changes (both built-in ones do)
    // are answered by identity, without a second lookup by id.
    const same = this.#byRecord.get(stored);
    if (same) return same;
    const cached = this.#snapshots.get(stored.id);
    if (cached?.version === stored.version) return cached.client;
    // A version this process has not seen: the settings changed, so may the origins.
    if (cached) this.#origins.invalidate();
    const client = createClient(stored.value);
    if (!cached && this.#snapshots.size >= SNAPSHOT_CACHE_SIZE) {
      const oldest = this.#snapshots.keys().next().value;
      if (oldest !== undefined) this.#snapshots.delete(oldest);
    }
    this.#snapshots.set(stored.id, { version: stored.version, client });
    if (Object.isFrozen(stored)) this.#byRecord.set(stored, client);
    return client;
  }

  /** Drops what this process caches about a client after it was deleted. @internal */
  forget(clientId: string): void {
    this.#snapshots.delete(clientId);
    this.#origins.invalidate();
  }

  /** Tells the registry that another part of the tenant wrote a client. @internal */
  changed(): void {
    this.#origins.invalidate();
  }

  /** Store operations that remove every reference to a client. @internal */
  async #detachOperations(clientId: string): Promise<WriteOperation[]> {
    const { store } = this.#context;
    const operations: WriteOperation[] = [];
    for (const connection of await store.list<{ enabled_clients?: string[] }>('connections')) {
      const enabled = connection.value.enabled_clients ?? [];
      if (!enabled.includes(clientId)) continue;
      operations.push({
        op: 'replace',
        collection: 'connections',
        id: connection.id,
        value: { ...connection.value, enabled_clients: enabled.filter((id) => id !== clientId) },
        expectedVersion: connection.version,
      });
    }
    for (const grant of await store.list<{ client_id: string }>('grants')) {
      if (grant.value.client_id === clientId) {
        operations.push({
          op: 'delete',
          collection: 'grants',
          id: grant.id,
          expectedVersion: grant.version,
        });
      }
    }
    const registration = await store.get<{ token_hash?: unknown }>('registrations', clientId);
    if (registration) {
      operations.push({
        op: 'delete',
        collection: 'registrations',
        id: clientId,
        expectedVersion: registration.version,
      });
      // The index that finds a registration access token's client (RFC 7592 §2.1).
      const hash = registration.value.token_hash;
      const index =
        typeof hash === 'string' && hash !== ''
          ? await store.get('registration_tokens', hash)
          : undefined;
      if (index) {
        operations.push({
          op: 'delete',
          collection: 'registration_tokens',
          id: index.id,
          expectedVersion: index.version,
        });
      }
    }
    return operations;
  }

  /**
   * Throws a {@link ValidationError} listing the lint errors of `settings`, unless the
   * tenant accepts them: an identity server must not hold a client that cannot work.
   */
  #checkLint(settings: ClientSettings): void {
    if (this.#context.lintErrors === 'accept') return;
    const errors = lintClient(settings).filter((finding) => finding.severity === 'error');
    if (errors.length === 0) return;
    throw invalid(
      errors.map(({ path, rule, message }) => ({ path, code: rule, message })),
      'client',
    );
  }

  async #heldCredentialIds(clientId: string): Promise<Set<string>> {
    return new Set((await this.keys.list(clientId)).map((credential) => credential.id));
  }

  async #require(clientId: string): Promise<StoredRecord<ClientRecord>> {
    const stored = await this.#context.store.get<ClientRecord>(COLLECTION, clientId);
    if (!stored) throw new NotFoundError(`client ${JSON.stringify(clientId)} does not exist`);
    return stored;
  }
}

function readRotateOptions(options: unknown): number | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('/options', 'options must be an object');
  }
  const { previousSecretValidFor } = options as RotateSecretOptions;
  return previousSecretValidFor === undefined ? undefined : checkOverlap(previousSecretValidFor);
}

function identify(client: Client): { clientId: string; clientName: string } {
  return { clientId: client.client_id, clientName: client.name };
}

/** Keeps, generates or drops the secret so it matches the auth method. */
function withSecret(record: ClientRecord, secret: string | undefined): ClientRecord {
  const { client_secret: _ignored, ...rest } = record;
  if (!isConfidential(record)) return rest;
  return { ...rest, client_secret: secret ?? generateClientSecret() };
}

/** Objects a patch merges member by member (a `null` member removes it). */
const MERGED_OBJECTS = ['jwt_configuration', 'client_metadata', 'addons'] as const;

/**
 * The stored settings with a validated patch applied, Auth0's way: fields replace,
 * {@link MERGED_OBJECTS} merge, `null` removes. Validate the result in full mode.
 */
function mergeSettings(
  current: ClientSettings,
  patch: ClientSettingsPatch,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(followAppType(current, patch))) {
    if (value === null) Reflect.deleteProperty(merged, field);
    else merged[field] = value;
  }
  for (const field of MERGED_OBJECTS) {
    const changes = patch[field];
    const before = current[field];
    if (!isObject(changes) || !isObject(before)) continue;
    const combined: Record<string, unknown> = { ...before };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) Reflect.deleteProperty(combined, key);
      else combined[key] = value;
    }
    merged[field] = combined;
  }
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A patch that changes `app_type` without saying how the client authenticates or which
 * grants it uses gets what the new type requires, as Auth0's dashboard does: a method the
 * new type refuses becomes its default (`spa` → `none`, so the secret goes), and grant
 * types it refuses are dropped (the type's defaults when none are left). It only ever
 * narrows grants; the signing algorithm is never changed behind the caller's back.
 */
function followAppType(current: ClientSettings, patch: ClientSettingsPatch): ClientSettingsPatch {
  const next = patch.app_type;
  if (next === undefined || next === null || next === current.app_type || !isAppType(next)) {
    return patch;
  }
  const type = capabilitiesOf(next);
  const adapted: ClientSettingsPatch = { ...patch };
  const currentMethod = current.token_endpoint_auth_method;
  if (
    patch.token_endpoint_auth_method === undefined &&
    currentMethod !== null &&
    !type.authMethods.allowed.includes(currentMethod)
  ) {
    adapted.token_endpoint_auth_method = type.authMethods.default;
  }
  const method = adapted.token_endpoint_auth_method ?? currentMethod;
  if (patch.grant_types === undefined) {
    const kept = current.grant_types.filter(
      (grant) =>
        type.grantTypes.allowed.includes(grant) &&
        !(method === 'none' && grant === 'client_credentials'),
    );
    if (kept.length !== current.grant_types.length) {
      adapted.grant_types = kept.length > 0 ? kept : [...type.grantTypes.default];
    }
  }
  return adapted;
}

function readOnlyIssues(patch: unknown): Issue[] {
  if (typeof patch !== 'object' || patch === null) return [];
  const issues: Issue[] = [];
  if (Object.hasOwn(patch, 'client_id')) {
    issues.push({ path: '/client_id', code: 'read_only', message: 'client_id cannot be changed' });
  }
  if (Object.hasOwn(patch, 'client_secret')) {
    issues.push({
      path: '/client_secret',
      code: 'read_only',
      message: 'client_secret cannot be set; use rotateSecret() to replace it',
    });
  }
  return issues;
}

function checkQuery(query: unknown): {
  appType: AppType | undefined;
  page: number;
  perPage: number | undefined;
} {
  if (typeof query !== 'object' || query === null)
    throw new InvalidArgumentError('/query', 'query must be an object');
  const { appType, page, perPage } = query as ClientListQuery;
  if (appType !== undefined && !isAppType(appType)) {
    throw new InvalidArgumentError(
      '/query/appType',
      'appType must be an Auth0 app type (native, spa, regular_web, non_interactive, ...)',
    );
  }
  if (page !== undefined && !(Number.isSafeInteger(page) && page >= 0)) {
    throw new InvalidArgumentError('/query/page', 'page must be an integer ≥ 0');
  }
  if (
    perPage !== undefined &&
    !(Number.isSafeInteger(perPage) && perPage >= 1 && perPage <= MAX_PER_PAGE)
  ) {
    throw new InvalidArgumentError(
      '/query/perPage',
      `perPage must be an integer from 1 to ${MAX_PER_PAGE}`,
    );
  }
  if (page !== undefined && page > 0 && perPage === undefined) {
    throw new InvalidArgumentError('/query/perPage', 'perPage is required with page');
  }
  return { appType, page: page ?? 0, perPage };
}
