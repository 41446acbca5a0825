/**
 * Registration hygiene: clients that registered themselves (Dynamic Client Registration)
 * or were made from a Client ID Metadata Document on first use (dynamic CIMD) and have not
 * been used for `deleteUnusedRegisteredClientsAfter` seconds are deleted, so a tenant that
 * MCP clients register with by the thousand does not keep every one-off client forever.
 *
 * Use is what the provider reports (`noteUse`: `/authorize`, and client authentication at
 * the token, revocation and introspection endpoints), written to the `client_usage`
 * collection at most once per client per {@link USE_RESOLUTION_SECONDS} by each process,
 * so the hot paths pay a map lookup. A sweep runs at most once per
 * {@link SWEEP_INTERVAL_SECONDS} of tenant time (or on request), deletes at most
 * {@link SWEEP_BATCH} clients, each through `tenant.clients.delete` (connections, grants,
 * registration and credentials go with it; audited `delete_client`), and records one
 * `sapi` event (`operation: 'sweep_unused_clients'`) naming them. Clients an administrator
 * created or registered (Management API, `clients.create`) are never swept.
 */
import type { Client } from '../client/client.js';
import { NotFoundError } from '../errors.js';
import { REGISTRATION_COLLECTION, type RegistrationRecord } from '../registration/record.js';
import type { StoredRecord } from '../storage/store.js';
import { CIMD_COLLECTION, type CimdIndexRecord } from './cimd.js';
import type { ClientRegistry } from './clients.js';
import type { TenantContext } from './context.js';

/** The collection of last uses: id = client id. */
export const CLIENT_USAGE_COLLECTION = 'client_usage';
/** A use is written at most this often per client and process (seconds). */
export const USE_RESOLUTION_SECONDS = 3_600;
/** Seconds between two automatic sweeps of one tenant instance. */
export const SWEEP_INTERVAL_SECONDS = 3_600;
/** Most clients one sweep deletes. */
export const SWEEP_BATCH = 100;
/** Most clients remembered as recently noted (the oldest are forgotten first). */
const NOTED_LIMIT = 10_000;

/** One client's last use. */
export interface ClientUsageRecord {
  /** NumericDate of the last use reported. */
  readonly last_used_at: number;
}

/** What a sweep did. */
export interface SweepResult {
  /** The clients deleted. */
  readonly deleted: readonly string[];
}

/** Deletes clients that registered themselves and then went unused. */
export class ClientHygiene {
  readonly #context: TenantContext;
  readonly #clients: ClientRegistry;
  readonly #unusedSeconds: number | undefined;
  readonly #noted = new Map<string, number>();
  #lastSweep = Number.NEGATIVE_INFINITY;

  /** @internal */
  constructor(context: TenantContext, clients: ClientRegistry, unusedSeconds: number | undefined) {
    this.#context = context;
    this.#clients = clients;
    this.#unusedSeconds = unusedSeconds;
  }

  /**
   * Records that a client was used now. Cheap for the hot paths: first-party clients are
   * skipped at once, and a third-party client is written at most once an hour per
   * process. Never throws; the write is not awaited by callers that do not want to wait.
   */
  async noteUse(client: Client): Promise<void> {
    if (this.#unusedSeconds === undefined || client.is_first_party !== false) return;
    const now = this.#seconds();
    const last = this.#noted.get(client.client_id);
    if (last !== undefined && now - last < USE_RESOLUTION_SECONDS) return;
    this.#noted.delete(client.client_id);
    if (this.#noted.size >= NOTED_LIMIT) {
      const oldest = this.#noted.keys().next();
      if (oldest.done !== true) this.#noted.delete(oldest.value);
    }
    this.#noted.set(client.client_id, now);
    try {
      const store = this.#context.store;
      const stored = await store.get<ClientUsageRecord>(CLIENT_USAGE_COLLECTION, client.client_id);
      const value: ClientUsageRecord = { last_used_at: now };
      if (stored) {
        await store.replace(CLIENT_USAGE_COLLECTION, client.client_id, value, stored.version);
      } else {
        await store.insert(CLIENT_USAGE_COLLECTION, client.client_id, value);
      }
    } catch {
      // Another instance wrote the use first, or the store is busy: either is fine.
    }
    // The request that happens to start a sweep does not wait for it.
    void this.maybeSweep();
  }

  /** Sweeps when the last sweep of this instance is older than the interval. Never throws. */
  async maybeSweep(): Promise<void> {
    if (this.#unusedSeconds === undefined) return;
    const now = this.#seconds();
    if (now - this.#lastSweep < SWEEP_INTERVAL_SECONDS) return;
    this.#lastSweep = now;
    try {
      await this.sweep();
    } catch {
      this.#lastSweep = Number.NEGATIVE_INFINITY; // retried next time
    }
  }

  /**
   * Deletes up to 100 clients registered by DCR or made by dynamic CIMD
   * whose last use (or registration, when never used) is older than the configured time.
   * Does nothing when the tenant has no `deleteUnusedRegisteredClientsAfter`.
   */
  async sweep(): Promise<SweepResult> {
    const unused = this.#unusedSeconds;
    if (unused === undefined) return { deleted: [] };
    const now = this.#seconds();
    const store = this.#context.store;
    const candidates: { clientId: string; since: number; index?: string }[] = [];
    for (const record of await store.list<RegistrationRecord>(REGISTRATION_COLLECTION)) {
      candidates.push({
        clientId: record.value.client_id,
        since: record.value.client_id_issued_at,
      });
    }
    for (const record of await store.list<CimdIndexRecord>(CIMD_COLLECTION)) {
      if (record.value.created_by !== 'client') continue;
      candidates.push({
        clientId: record.value.client_id,
        since: Math.max(record.value.refreshed_at, record.value.last_used_at),
        index: record.id,
      });
    }
    const deleted: string[] = [];
    for (const candidate of candidates) {
      if (deleted.length >= SWEEP_BATCH) break;
      if (now - candidate.since < unused) continue;
      const usage = await store.get<ClientUsageRecord>(CLIENT_USAGE_COLLECTION, candidate.clientId);
      if (usage && now - usage.value.last_used_at < unused) continue;
      try {
        await this.#clients.delete(candidate.clientId);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
      await removeIfPresent(store, CLIENT_USAGE_COLLECTION, usage);
      if (candidate.index !== undefined) {
        await removeIfPresent(
          store,
          CIMD_COLLECTION,
          await store.get(CIMD_COLLECTION, candidate.index),
        );
      }
      this.#noted.delete(candidate.clientId);
      deleted.push(candidate.clientId);
    }
    if (deleted.length > 0) {
      this.#context.audit.record({
        type: 'sapi',
        description: 'Delete unused registered clients',
        details: {
          operation: 'sweep_unused_clients',
          unused_seconds: unused,
          deleted: deleted.length,
          client_ids: deleted.slice(0, SWEEP_BATCH),
        },
      });
    }
    return { deleted };
  }

  #seconds(): number {
    return Math.floor(this.#context.now() / 1000);
  }
}

async function removeIfPresent(
  store: TenantContext['store'],
  collection: string,
  record: StoredRecord | undefined,
): Promise<void> {
  if (!record) return;
  try {
    await store.delete(collection, record.id, record.version);
  } catch {
    // Gone already, or written again meanwhile: the next sweep looks again.
  }
}
