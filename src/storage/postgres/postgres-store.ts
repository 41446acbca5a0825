/**
 * A store in PostgreSQL, for services that run on more than one instance.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Pool } from 'pg';
import { InvalidArgumentError, StoreCorruptError } from '../../errors.js';
import {
  checkCollection,
  checkId,
  checkWrite,
  describe,
  normaliseBatch,
  type CheckedWrite,
} from '../batch.js';
import { ChangeHub } from '../change-hub.js';
import { deepFreezeParsed } from '../json-value.js';
import type {
  ChangeListener,
  CollectionName,
  Store,
  StoredRecord,
  WriteOperation,
} from '../store.js';
import { ChangeFeed, FEED_HEARTBEAT_MS } from './change-feed.js';
import { Availability, warnAvailability, type StoreAvailabilityChange } from './availability.js';
import { commitError, unavailable } from './errors.js';
import { decodeKey, encodeKey } from './keys.js';
import { PostgresLogs } from './postgres-logs.js';
import { migrate, namesFor, type Names, type SchemaInfo } from './schema.js';
import type { StoreLogs } from '../log.js';

/** Options of {@link PostgresStore}: a connection string or a `pg` pool, and a schema. */
export type PostgresStoreOptions = (
  | {
      /** `postgres://user@host:5432/database`; the store creates and ends its own pool. */
      connectionString: string;
      /** Not with `connectionString`. */
      pool?: never;
    }
  | {
      /** A `pg` Pool the caller owns: the store never ends it. */
      pool: Pool;
      /** Not with `pool`. */
      connectionString?: never;
    }
) & {
  /**
   * The schema holding the store's tables (created if missing). Default: the first
   * schema of the connection's search path (usually `public`).
   */
  schema?: string;
  /**
   * How often the change feed checks its LISTEN connection, in milliseconds (default
   * 10,000). A connection that died silently is replaced within about this time plus a
   * deadline of 5 s, and the changes made meanwhile are then reported.
   */
  feedHeartbeatMs?: number;
  /**
   * Hears when the database becomes unreachable (the first failure of an outage) and when
   * it answers again (the first success after it), once each, however many operations
   * fail in between. Default: a process warning for each (`CLIENTELE_STORE_UNAVAILABLE`,
   * `CLIENTELE_STORE_AVAILABLE`).
   */
  onAvailabilityChange?: (change: StoreAvailabilityChange) => void;
};

/** Connection timeout of a pool the store creates, so a down database fails calls instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A {@link Store} in PostgreSQL (the `pg` driver, an optional peer dependency of
 * `clientele/postgres` only). Any number of processes and machines may share it.
 *
 * - **Tables** (`clientele_records`, `clientele_changes`, …, see docs/storage.md) are
 *   created by a versioned migration on first use; instances starting together migrate
 *   once (advisory lock).
 * - **Writes:** every `insert`, `replace`, `delete` and `commit` is one transaction and
 *   one round trip (a SQL function): version checks run on the locked rows, so a stale
 *   `expectedVersion` is a `ConflictError` and an update is never lost; a batch applies
 *   every operation or none. Commits are numbered by a store-wide revision.
 * - **Change feed:** `watch` LISTENs on one connection taken from the pool; every commit
 *   notifies in its own transaction. After that connection drops the store reconnects
 *   and reports what changed meanwhile from a change log (the last 100,000 revisions).
 * - **Failures:** a database that cannot be reached makes calls fail with
 *   `StoreUnavailableError` (never a hang beyond the pool's connection timeout); the
 *   store recovers by itself when the database comes back.
 * - Same value rules as `MemoryStore`: JSON values, returned deep-frozen; key order kept.
 *
 * @example
 * ```ts
 * import { Tenant } from 'clientele';
 * import { PostgresStore } from 'clientele/postgres';
 *
 * const store = new PostgresStore({ connectionString: process.env.DATABASE_URL! });
 * const tenant = await Tenant.create({ domain: 'auth.example.com', store });
 * // ... every instance of the service does the same, on the same database
 * await tenant.close(); // closes the store, which ends the pool it created
 * ```
 */
export class PostgresStore implements Store {
  /** The schema given in the options, if any. */
  readonly schema: string | undefined;
  /** Append-only logs in `clientele_log_entries`: an append is one `INSERT`. */
  readonly logs: StoreLogs;
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #names: Names;
  readonly #statements: { get: string; list: string; commit: string };
  readonly #hub: ChangeHub;
  readonly #heartbeatMs: number;
  readonly #availability: Availability;
  #ready: Promise<SchemaInfo> | undefined;
  #feed: ChangeFeed | undefined;
  #closed = false;

  /**
   * @param options - `{ connectionString }` or `{ pool }`, and optionally `schema`
   * @throws `InvalidArgumentError` for missing or malformed options
   */
  constructor(options: PostgresStoreOptions) {
    const given = (options ?? {}) as Partial<
      Record<
        'connectionString' | 'pool' | 'schema' | 'feedHeartbeatMs' | 'onAvailabilityChange',
        unknown
      >
    >;
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('', 'options must be { connectionString } or { pool }');
    }
    if ((given.connectionString === undefined) === (given.pool === undefined)) {
      throw new InvalidArgumentError(
        '',
        'options must have exactly one of connectionString and pool',
      );
    }
    if (
      given.schema !== undefined &&
      (typeof given.schema !== 'string' || !/^[^\0]{1,63}$/.test(given.schema))
    ) {
      throw new InvalidArgumentError(
        '/schema',
        '/schema must be a schema name of 1 to 63 characters',
      );
    }
    const heartbeat = given.feedHeartbeatMs ?? FEED_HEARTBEAT_MS;
    if (!Number.isSafeInteger(heartbeat) || (heartbeat as number) < 10) {
      throw new InvalidArgumentError(
        '/feedHeartbeatMs',
        '/feedHeartbeatMs must be a whole number of milliseconds, at least 10',
      );
    }
    this.#heartbeatMs = heartbeat as number;
    const onChange =
      given.onAvailabilityChange === undefined ? warnAvailability : given.onAvailabilityChange;
    if (typeof onChange !== 'function') {
      throw new InvalidArgumentError(
        '/onAvailabilityChange',
        '/onAvailabilityChange must be a function',
      );
    }
    this.#availability = new Availability(onChange as (change: StoreAvailabilityChange) => void);
    this.schema = given.schema;
    if (given.pool !== undefined) {
      const pool = given.pool as Partial<Pool> | null;
      if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
        throw new InvalidArgumentError('/pool', '/pool must be a pg Pool');
      }
      this.#pool = given.pool as Pool;
      this.#ownsPool = false;
    } else {
      if (typeof given.connectionString !== 'string' || given.connectionString === '') {
        throw new InvalidArgumentError(
          '/connectionString',
          '/connectionString must be a postgres:// URL',
        );
      }
      this.#pool = new pg.Pool({
        connectionString: given.connectionString,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        // TCP keepalive, so the kernel too notices a peer that vanished.
        keepAlive: true,
      });
      // An idle connection the server closed is discarded by the pool; without a listener
      // its 'error' event would crash the process.
      this.#pool.on('error', () => undefined);
      this.#ownsPool = true;
    }
    this.#names = namesFor(this.schema);
    this.logs = new PostgresLogs(this.#pool, this.#names, () => this.#prepare());
    const tag = statementTag(this.schema);
    this.#statements = {
      get: `clientele_get_${tag}`,
      list: `clientele_list_${tag}`,
      commit: `clientele_commit_${tag}`,
    };
    this.#hub = new ChangeHub(
      () => this.#startFeed(),
      () => {
        this.#feed?.stop();
        this.#feed = undefined;
      },
    );
  }

  /** The record, or `undefined` when there is none (one query). */
  async get<T = unknown>(
    collection: CollectionName,
    id: string,
  ): Promise<StoredRecord<T> | undefined> {
    const name = checkCollection(collection);
    checkId(id);
    await this.#prepare();
    let rows: { version: number; value: string }[];
    try {
      ({ rows } = await this.#pool.query<{ version: number; value: string }>({
        name: this.#statements.get,
        text: `SELECT version, value::text AS value FROM ${this.#names.records} WHERE collection = $1 AND id = $2`,
        values: [encodeKey(name), encodeKey(id)],
      }));
    } catch (error) {
      throw this.#availability.failed(unavailable(error, 'read'));
    }
    this.#availability.reached();
    const row = rows[0];
    return row && (this.#record(name, id, row.version, row.value) as StoredRecord<T>);
  }

  /** Every record of the collection, in insertion order (one query). */
  async list<T = unknown>(collection: CollectionName): Promise<StoredRecord<T>[]> {
    const name = checkCollection(collection);
    await this.#prepare();
    let rows: { id: string; version: number; value: string }[];
    try {
      ({ rows } = await this.#pool.query<{ id: string; version: number; value: string }>({
        name: this.#statements.list,
        text: `SELECT id, version, value::text AS value FROM ${this.#names.records} WHERE collection = $1 ORDER BY position`,
        values: [encodeKey(name)],
      }));
    } catch (error) {
      throw this.#availability.failed(unavailable(error, 'read'));
    }
    this.#availability.reached();
    return rows.map(
      (row) => this.#record(name, decodeKey(row.id), row.version, row.value) as StoredRecord<T>,
    );
  }

  /** Inserts a new record at version 1. `ConflictError` if the id exists. */
  async insert<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
  ): Promise<StoredRecord<T>> {
    const [written] = await this.#write([
      checkWrite({ op: 'insert', collection, id, value }, '', ''),
    ]);
    return written as StoredRecord<T>;
  }

  /**
   * Replaces a record if it is still at `expectedVersion`, returning it at the next version.
   * `ConflictError` on a stale version, `NotFoundError` when it does not exist.
   */
  async replace<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
    expectedVersion: number,
  ): Promise<StoredRecord<T>> {
    const write = checkWrite({ op: 'replace', collection, id, value, expectedVersion }, '', '');
    const [written] = await this.#write([write]);
    return written as StoredRecord<T>;
  }

  /** Deletes a record. `NotFoundError` when absent; `ConflictError` on a stale `expectedVersion`. */
  async delete(collection: CollectionName, id: string, expectedVersion?: number): Promise<void> {
    await this.#write([checkWrite({ op: 'delete', collection, id, expectedVersion }, '', '')]);
  }

  /**
   * Applies every operation or none, in one transaction and one round trip. Returns the
   * written records of inserts and replaces, in operation order.
   */
  async commit(operations: readonly WriteOperation[]): Promise<StoredRecord[]> {
    const writes = normaliseBatch(operations);
    return writes.length === 0 ? [] : this.#write(writes);
  }

  /**
   * Calls `listener` for every committed change of any record, by any instance on the
   * same schema, and returns a function that stops it. A change is reported when its
   * notification arrives (milliseconds after the commit). The first listener starts the feed (one pooled connection, LISTENing); it reports a
   * `{ reset: true }` once it is listening, because changes committed before then were
   * not seen. The last listener to leave releases the connection.
   */
  watch(listener: ChangeListener): () => void {
    if (typeof listener !== 'function') {
      throw new InvalidArgumentError('/listener', '/listener must be a function');
    }
    return this.#hub.add(listener);
  }

  /**
   * Stops the change feed and ends the pool if the store created it (a pool given in the
   * options is left open). Idempotent; the store cannot be used afterwards when it owned
   * the pool.
   */
  async close(): Promise<void> {
    this.#feed?.stop();
    this.#feed = undefined;
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.#pool.end();
  }

  /** Runs the migration once (again after a failure, so a database that was down is retried). */
  #prepare(): Promise<SchemaInfo> {
    this.#ready ??= (async () => {
      let client;
      try {
        client = await this.#pool.connect();
      } catch (error) {
        throw this.#availability.failed(unavailable(error, 'prepare'));
      }
      try {
        return await migrate(client, this.schema);
      } catch (error) {
        throw this.#availability.failed(unavailable(error, 'prepare'));
      } finally {
        client.release();
      }
    })();
    this.#ready.catch(() => {
      this.#ready = undefined;
    });
    return this.#ready;
  }

  #startFeed(): void {
    void this.#prepare().then(
      ({ channel }) => {
        // Closed while the migration ran: a feed started now would take a connection
        // from a pool that is ending (or one the caller is about to end).
        if (!this.#hub.active || this.#feed || this.#closed) return;
        this.#feed = new ChangeFeed(
          this.#pool,
          this.#names,
          channel,
          (changes) => this.#hub.emit(changes),
          this.#heartbeatMs,
          this.#availability,
        );
      },
      () => {
        // The database is unreachable: try again shortly while someone is listening.
        if (this.#hub.active && !this.#closed) setTimeout(() => this.#startFeed(), 250).unref();
      },
    );
  }

  async #write(writes: readonly CheckedWrite[]): Promise<StoredRecord[]> {
    await this.#prepare();
    const values = [
      writes.map((write) => write.op),
      writes.map((write) => encodeKey(write.collection)),
      writes.map((write) => encodeKey(write.id)),
      writes.map((write) => write.expectedVersion ?? null),
      writes.map((write) => (write.op === 'delete' ? null : JSON.stringify(write.value))),
    ];
    let result: { versions: number[] };
    try {
      const { rows } = await this.#pool.query<{ result: { versions: number[] } }>({
        name: this.#statements.commit,
        text: `SELECT ${this.#names.commit}($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[]) AS result`,
        values,
      });
      result = (rows[0] as { result: { versions: number[] } }).result;
    } catch (error) {
      throw this.#availability.failed(commitError(error, writes));
    }
    this.#availability.reached();
    const written: StoredRecord[] = [];
    writes.forEach((write, index) => {
      if (write.op === 'delete') return;
      written.push(
        Object.freeze({ id: write.id, version: result.versions[index] ?? 1, value: write.value }),
      );
    });
    return written;
  }

  #record(collection: string, id: string, version: number, text: string): StoredRecord {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new StoreCorruptError(
        `PostgresStore: ${describe(collection, id)} holds a value that is not JSON`,
        { cause: error },
      );
    }
    deepFreezeParsed(value);
    return Object.freeze({ id, version, value });
  }
}

/** A short tag naming a store's prepared statements (they differ by schema). */
function statementTag(schema: string | undefined): string {
  if (schema === undefined) return 'default';
  return createHash('sha256').update(schema).digest('hex').slice(0, 24);
}
