/**
 * `tenant.clientIdMetadataDocuments`: Client ID Metadata Documents wired to the store and
 * the audit trail. A client id URL becomes an Auth0-shaped CIMD client (one per URL, found
 * through an index keyed by the URL's hash), created on first use (dynamic CIMD, when
 * enabled) or by the Management API (`register`), and refreshed when its document changes;
 * `preview` says what a document would become without storing anything. The fetching,
 * validating, caching and mapping are src/cimd/'s; this file only stores and audits.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/
 */
import { createHash } from 'node:crypto';
import type { Client, ClientRecord } from '../client/client.js';
import type { StoredCredential } from '../client/public-key-credential.js';
import type { ClientInput } from '../client/settings.js';
import { validateClientSettings } from '../client/validate.js';
import { DocumentCache } from '../cimd/cache.js';
import { checkClientIdUrl } from '../cimd/client-id-url.js';
import { fetchJwksDocument } from '../cimd/fetch.js';
import { loadClientMetadataDocument, type LoadedClientMetadataDocument } from '../cimd/load.js';
import {
  cimdClientInput,
  cimdMappedFields,
  type CimdCreatedBy,
  type CimdMappedClientFields,
} from '../cimd/map-client.js';
import { MAX_JWKS_BYTES, type CimdConfig } from '../cimd/options.js';
import {
  ClientMetadataDocumentError,
  ClienteleError,
  ConflictError,
  RegistrationError,
  ValidationError,
} from '../errors.js';
import { REGISTRATION_SETTINGS, updatedSettings } from '../registration/to-settings.js';
import type { StoredRecord, WriteOperation } from '../storage/store.js';
import type { ClientRegistry } from './clients.js';
import type { TenantContext } from './context.js';
import { credentialsFromJwks } from './credentials.js';

/** The store collection indexing CIMD clients by the hash of their URL. */
export const CIMD_COLLECTION = 'cimd_clients';

/** One CIMD client's index record. */
export interface CimdIndexRecord {
  /** The client id URL. */
  readonly external_client_id: string;
  /** The Auth0 client id of the client made of it. */
  readonly client_id: string;
  /** Who registered it. */
  readonly created_by: CimdCreatedBy;
  /** SHA-256 of what the document mapped to last time (settings and keys). */
  readonly digest: string;
  /** When the document was last applied (NumericDate). */
  readonly refreshed_at: number;
  /** When the client was last used at `/authorize` or `/oauth/token` (NumericDate). */
  readonly last_used_at: number;
}

/** Auth0's validation report of a document. */
export interface CimdValidationResult {
  /** Whether the document is valid. */
  valid: boolean;
  /** What is wrong, one sentence per problem (starting with the member). */
  violations: string[];
  /** Members that are ignored. */
  warnings: string[];
}

/** What `register` answers (Auth0's `RegisterCimdClientResponseContent`), and whether it created. */
export interface CimdRegistration {
  /** The Auth0 client id of the created or updated client. */
  client_id: string;
  /** What the document mapped to. */
  mapped_fields: CimdMappedClientFields;
  /** The validation report (valid, with its warnings). */
  validation: CimdValidationResult;
  /** True when the client was created (HTTP 201), false when updated (200). */
  created: boolean;
}

/** What `preview` answers (Auth0's `PreviewCimdMetadataResponseContent`). */
export interface CimdPreview {
  /** The client already registered with this URL, if any. */
  client_id?: string;
  /** Why the document could not be retrieved; then there is no validation. */
  errors?: string[];
  /** The validation report. */
  validation?: CimdValidationResult;
  /** What the document maps to, when it is valid. */
  mapped_fields?: CimdMappedClientFields;
}

/** A loaded document with its keys, as cached. */
interface Prepared {
  readonly loaded: LoadedClientMetadataDocument;
  readonly credentials: readonly StoredCredential[];
}

const CLIENTS = 'clients';
/** Writes of `last_used_at` per client are at least this far apart (seconds). */
const USE_RESOLUTION_SECONDS = 3_600;

/** Client ID Metadata Documents of one tenant. */
export class CimdService {
  readonly #context: TenantContext;
  readonly #config: CimdConfig;
  readonly #clients: ClientRegistry;
  readonly #cache: DocumentCache<Prepared>;

  /** @internal */
  constructor(context: TenantContext, config: CimdConfig, clients: ClientRegistry) {
    this.#context = context;
    this.#config = config;
    this.#clients = clients;
    this.#cache = new DocumentCache(config.cache, context.now);
  }

  /** Whether dynamic CIMD is on (`clientIdMetadataDocuments.enabled`). */
  get enabled(): boolean {
    return this.#config.enabled;
  }

  /**
   * The client a client id URL names at `/authorize` or `/oauth/token`. A client the
   * Management API registered is used as stored (Auth0 refreshes those only on request).
   * With dynamic CIMD enabled, the document is fetched (or taken from the cache within
   * its bounds) and the client created or refreshed from it, audited (`sapi`/`fapi`,
   * `details.operation` `cimd_register` / `cimd_refresh`). Undefined when the URL names
   * no client and dynamic CIMD is off.
   *
   * @throws {@link ClientMetadataDocumentError} when the document cannot be used.
   */
  async resolve(clientIdUrl: string): Promise<Client | undefined> {
    const index = await this.#index(clientIdUrl);
    const existing =
      index && (await this.#context.store.get<ClientRecord>(CLIENTS, index.value.client_id));
    if (existing && index && (index.value.created_by === 'admin' || !this.#config.enabled)) {
      await this.#noteUse(index);
      return this.#clients.snapshot(existing);
    }
    if (!this.#config.enabled) return undefined;
    const prepared = await this.#auditedFailure(clientIdUrl, 'cimd_fetch', () =>
      this.#cache.get(clientIdUrl, async () => {
        const value = await this.#prepare(clientIdUrl);
        return { value, headers: value.loaded.headers };
      }),
    );
    const { client } = await this.#upsert(prepared, 'client');
    return client;
  }

  /**
   * Registers or refreshes the CIMD client of a URL (Auth0's `POST
   * /clients/cimd/register`): the document is fetched now (never from the cache),
   * validated, and the client created (`created: true`) or updated, its credentials
   * replaced by the document's keys. Idempotent: the same document changes nothing.
   *
   * @throws {@link ClientMetadataDocumentError} when the URL or the document cannot be used.
   */
  async register(clientIdUrl: string): Promise<CimdRegistration> {
    this.#cache.forget(clientIdUrl);
    const prepared = await this.#auditedFailure(clientIdUrl, 'cimd_fetch', () =>
      this.#prepare(clientIdUrl),
    );
    const { client, created } = await this.#upsert(prepared, 'admin');
    return {
      client_id: client.client_id,
      mapped_fields: cimdMappedFields(prepared.loaded.document, prepared.credentials),
      validation: report(prepared.loaded),
      created,
    };
  }

  /**
   * What a document would become (Auth0's `POST /clients/cimd/preview`): fetched now,
   * validated and mapped; nothing is stored. A document that cannot be fetched gives
   * `errors`; an invalid one a validation report with its violations.
   */
  async preview(clientIdUrl: string): Promise<CimdPreview> {
    const index = await this.#index(clientIdUrl);
    const known = index ? { client_id: index.value.client_id } : {};
    try {
      const prepared = await this.#prepare(clientIdUrl);
      return {
        ...known,
        validation: report(prepared.loaded),
        mapped_fields: cimdMappedFields(prepared.loaded.document, prepared.credentials),
      };
    } catch (error) {
      if (error instanceof ClientMetadataDocumentError && error.code === 'cimd_invalid_document') {
        return {
          ...known,
          validation: {
            valid: false,
            violations: error.issues.map((issue) => issue.message),
            warnings: [],
          },
        };
      }
      if (error instanceof ClienteleError) return { ...known, errors: [error.message] };
      throw error;
    }
  }

  /** The client a URL names, if it was registered (no fetch). */
  async find(clientIdUrl: string): Promise<Client | undefined> {
    const index = await this.#index(clientIdUrl);
    const stored =
      index && (await this.#context.store.get<ClientRecord>(CLIENTS, index.value.client_id));
    return stored ? this.#clients.snapshot(stored) : undefined;
  }

  /** The document, validated, with its keys as credentials. */
  async #prepare(clientIdUrl: string): Promise<Prepared> {
    const loaded = await loadClientMetadataDocument(clientIdUrl, this.#config.fetch);
    const metadata = loaded.document.metadata;
    if (metadata.token_endpoint_auth_method !== 'private_key_jwt') {
      return { loaded, credentials: [] };
    }
    const jwks =
      metadata.jwks ??
      (await fetchJwksDocument(metadata.jwks_uri ?? '', {
        ...this.#config.fetch,
        maxBytes: MAX_JWKS_BYTES,
      }));
    try {
      const credentials = credentialsFromJwks(
        jwks,
        this.#context.now(),
        metadata.jwks === undefined ? 'jwks_uri' : 'jwks',
        metadata.token_endpoint_auth_signing_alg,
      );
      return { loaded, credentials };
    } catch (error) {
      if (!(error instanceof RegistrationError)) throw error;
      const path = metadata.jwks === undefined ? '/jwks_uri' : '/jwks';
      throw new ClientMetadataDocumentError('cimd_invalid_document', clientIdUrl, error.message, {
        issues: [{ path, code: 'invalid_keys', message: error.message }],
      });
    }
  }

  /** Creates, refreshes or keeps the client of a prepared document; audited when it writes. */
  async #upsert(
    prepared: Prepared,
    createdBy: CimdCreatedBy,
  ): Promise<{ client: Client; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#upsertOnce(prepared, createdBy);
      } catch (error) {
        // Two first uses at once: the other one inserted the index first; use its client.
        if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      }
    }
  }

  async #upsertOnce(
    prepared: Prepared,
    createdBy: CimdCreatedBy,
  ): Promise<{ client: Client; created: boolean }> {
    const { document } = prepared.loaded;
    const url = document.clientId;
    const index = await this.#index(url);
    const stored =
      index && (await this.#context.store.get<ClientRecord>(CLIENTS, index.value.client_id));
    // A client registered by an administrator stays theirs when it is used dynamically.
    const by: CimdCreatedBy = index?.value.created_by === 'admin' ? 'admin' : createdBy;
    const input = cimdClientInput(document, by, prepared.credentials);
    const digest = digestOf(input, prepared.credentials);
    if (stored && index && index.value.digest === digest && index.value.created_by === by) {
      return { client: this.#clients.snapshot(stored), created: false };
    }
    const operation = stored ? 'cimd_refresh' : 'cimd_register';
    return this.#auditedWrite(url, operation, by, async () => {
      const now = Math.floor(this.#context.now() / 1000);
      const settings = validateClientSettings(
        stored ? updatedSettings(keptSettings(stored.value), input) : input,
      );
      if (!settings.ok) throw new ValidationError(settings.issues, 'client');
      const clientId = stored?.value.client_id;
      const record: ClientRecord = clientId
        ? { ...settings.value, client_id: clientId }
        : this.#clients.buildRecord(settings.value, {});
      const entry: CimdIndexRecord = {
        external_client_id: url,
        client_id: record.client_id,
        created_by: by,
        digest,
        refreshed_at: now,
        last_used_at: now,
      };
      const operations: WriteOperation[] = [
        stored
          ? {
              op: 'replace',
              collection: CLIENTS,
              id: record.client_id,
              value: record,
              expectedVersion: stored.version,
            }
          : { op: 'insert', collection: CLIENTS, id: record.client_id, value: record },
        index
          ? {
              op: 'replace',
              collection: CIMD_COLLECTION,
              id: keyOf(url),
              value: entry,
              expectedVersion: index.version,
            }
          : { op: 'insert', collection: CIMD_COLLECTION, id: keyOf(url), value: entry },
        ...(await this.#clients.keys.replaceOperations(record.client_id, prepared.credentials)),
      ];
      const [written] = await this.#context.store.commit(operations);
      this.#clients.changed();
      return {
        client: this.#clients.snapshot(written as StoredRecord<ClientRecord>),
        created: !stored,
      };
    });
  }

  /** Records a use, at most once per {@link USE_RESOLUTION_SECONDS}; never fails the request. */
  async #noteUse(index: StoredRecord<CimdIndexRecord>): Promise<void> {
    const now = Math.floor(this.#context.now() / 1000);
    if (now - index.value.last_used_at < USE_RESOLUTION_SECONDS) return;
    try {
      await this.#context.store.replace<CimdIndexRecord>(
        CIMD_COLLECTION,
        index.id,
        { ...index.value, last_used_at: now },
        index.version,
      );
    } catch {
      // Another instance recorded the use first, or the store is busy: either is fine.
    }
  }

  async #index(url: string): Promise<StoredRecord<CimdIndexRecord> | undefined> {
    if (!checkClientIdUrl(url).ok) return undefined;
    return this.#context.store.get<CimdIndexRecord>(CIMD_COLLECTION, keyOf(url));
  }

  async #auditedWrite<T extends { client: Client }>(
    url: string,
    operation: 'cimd_register' | 'cimd_refresh',
    createdBy: CimdCreatedBy,
    write: () => Promise<T>,
  ): Promise<T> {
    const details = { operation, external_client_id: url, created_by: createdBy };
    try {
      const result = await write();
      this.#context.audit.record({
        type: 'sapi',
        description: operation === 'cimd_register' ? 'Register CIMD client' : 'Refresh CIMD client',
        client_id: result.client.client_id,
        client_name: result.client.name,
        details,
      });
      return result;
    } catch (error) {
      if (!(error instanceof ConflictError)) this.#recordFailure(url, operation, error);
      throw error;
    }
  }

  async #auditedFailure<T>(url: string, operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.#recordFailure(url, operation, error);
      throw error;
    }
  }

  #recordFailure(url: string, operation: string, error: unknown): void {
    this.#context.audit.record({
      type: 'fapi',
      description: 'Failed: Client ID Metadata Document',
      details: {
        operation,
        external_client_id: url.slice(0, 300),
        error: error instanceof ClienteleError ? error.code : 'internal_error',
        ...(error instanceof ClienteleError ? { reason: error.message } : {}),
        ...(error instanceof ClientMetadataDocumentError && error.issues.length > 0
          ? { issues: error.issues.slice(0, 20).map(({ path, code }) => ({ path, code })) }
          : {}),
      },
    });
  }
}

/** The index key of a URL: its SHA-256, so any URL makes a short, safe id. */
function keyOf(url: string): string {
  return createHash('sha256').update(url).digest('base64url');
}

/** What the document says, keys included, but not the credential ids made fresh each time. */
function digestOf(input: ClientInput, credentials: readonly StoredCredential[]): string {
  const { client_authentication_methods: _ids, ...settings } = input;
  const keys = credentials.map(({ kid, alg, jwk }) => ({ kid, alg, jwk }));
  return createHash('sha256')
    .update(JSON.stringify([settings, keys]))
    .digest('base64url');
}

/**
 * The settings a document owns: those registration owns (RFC 7592 updates replace them
 * all, and remove those the new metadata leaves out), and `jwks_uri`.
 */
const DOCUMENT_SETTINGS: ReadonlySet<string> = new Set<string>([
  ...REGISTRATION_SETTINGS,
  'jwks_uri',
]);

/** What an administrator set on the client that the document does not own. */
function keptSettings(record: ClientRecord): Record<string, unknown> {
  const { client_id: _id, client_secret: _secret, ...settings } = record;
  return Object.fromEntries(
    Object.entries(settings).filter(([name]) => !DOCUMENT_SETTINGS.has(name)),
  );
}

function report(loaded: LoadedClientMetadataDocument): CimdValidationResult {
  return { valid: true, violations: [], warnings: loaded.warnings.map((issue) => issue.message) };
}
