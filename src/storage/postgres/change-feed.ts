/**
 * PostgresStore's change feed: one LISTEN connection taken from the pool, turning
 * notifications into {@link StoreChange}s, and catching up from the change log when a
 * notification was missed (the connection dropped and came back, or a payload was too
 * big to carry the changes).
 *
 * Revisions are gapless and notifications arrive in revision order, so the feed knows
 * exactly which revisions it has reported. On every (re)connection it first LISTENs,
 * then reads the log from the last revision it reported: nothing committed meanwhile is
 * lost. The first connection, and a reconnection after the log was pruned past that
 * revision, report a {@link ChangeFeedReset} instead.
 *
 * A connection can also die silently (a failover, a NAT or load balancer dropping an idle
 * flow): no error, no `end`, just no more notifications. So the feed sends a heartbeat
 * (reading the current revision) every `heartbeatMs`, and every query it makes has a
 * deadline; a connection that misses it is dropped and replaced, and the new one catches
 * up. The heartbeat also catches up when a notification was lost for any other reason.
 *
 * @internal
 * @module
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { RecordChange, StoreChange } from '../store.js';
import type { Availability } from './availability.js';
import { unavailable } from './errors.js';
import { decodeKey, quoteIdent } from './keys.js';
import type { Names } from './schema.js';

/** First and longest wait between reconnection attempts (ms). */
const RETRY_MIN_MS = 25;
const RETRY_MAX_MS = 1_000;

/** Default interval of the heartbeat on the LISTEN connection (ms). */
export const FEED_HEARTBEAT_MS = 10_000;

/** Longest wait for any query of the feed before its connection counts as dead (ms). */
const QUERY_DEADLINE_MS = 5_000;

interface Payload {
  r: number;
  c?: string[];
  i?: string[];
  v?: number[];
}

/** A running feed; `stop()` releases its connection. */
export class ChangeFeed {
  readonly #pool: Pool;
  readonly #names: Names;
  readonly #channel: string;
  readonly #emit: (changes: readonly StoreChange[]) => void;
  #client: PoolClient | undefined;
  /**
   * The connection being set up (SET, LISTEN, the first read), until it is `#client` or
   * given up: `stop()` must end it too, or the pool it came from never finishes ending.
   */
  #settingUp: PoolClient | undefined;
  /** The last revision reported; undefined before the first connection. */
  #seen: number | undefined;
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;
  #connecting = false;
  #retryMs = RETRY_MIN_MS;
  #timer: NodeJS.Timeout | undefined;
  /** Notifications that arrived while catching up, handled afterwards. */
  #pending: Payload[] | undefined;
  readonly #heartbeat: NodeJS.Timeout;
  /** Told whether the feed's connections reach the database. */
  readonly #availability: Availability | undefined;

  constructor(
    pool: Pool,
    names: Names,
    channel: string,
    emit: (changes: readonly StoreChange[]) => void,
    heartbeatMs = FEED_HEARTBEAT_MS,
    availability?: Availability,
  ) {
    this.#pool = pool;
    this.#availability = availability;
    this.#names = names;
    this.#channel = channel;
    this.#emit = emit;
    this.#heartbeat = setInterval(() => this.#beat(), heartbeatMs);
    this.#heartbeat.unref();
    void this.#connect();
  }

  /** True while the LISTEN connection is up and caught up. */
  get live(): boolean {
    return this.#client !== undefined && this.#pending === undefined;
  }

  /**
   * Stops listening and ends the feed's connection at once, in whatever state it is
   * (listening, being set up, waiting to reconnect): a query in flight on it fails, and
   * nothing the feed holds keeps its pool from ending. A connection still being opened is
   * ended as soon as the pool hands it over.
   */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const client of new Set([this.#client, this.#settingUp])) {
      if (client) this.#end(client);
    }
    this.#client = undefined;
    this.#settingUp = undefined;
  }

  /** Ends `client` rather than returning it: a connection that LISTENed serves no queries. */
  #end(client: PoolClient): void {
    client.removeAllListeners('notification');
    try {
      client.release(true);
    } catch {
      // Already released after an earlier error event.
    }
  }

  async #connect(): Promise<void> {
    if (this.#stopped || this.#connecting) return;
    this.#connecting = true;
    let client: PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      if (this.#stopped) {
        client.release(true);
        return;
      }
      const connected = client;
      this.#settingUp = connected;
      connected.on('error', () => this.#lost(connected));
      connected.on('end', () => this.#lost(connected));
      this.#pending = [];
      connected.on('notification', (message) => {
        if (message.channel !== this.#channel || message.payload === undefined) return;
        const payload = JSON.parse(message.payload) as Payload;
        if (this.#pending) this.#pending.push(payload);
        else this.#queue(() => this.#handle(connected, payload));
      });
      // Named, so operators (and tests) can tell the feed's connection in pg_stat_activity.
      await this.#query(connected, `SET application_name = 'clientele feed ${this.#channel}'`);
      await this.#query(connected, `LISTEN ${quoteIdent(this.#channel)}`);
      if (this.#stopped) return;
      this.#client = connected;
      const current = await this.#currentRevision(connected);
      if (this.#stopped) return;
      if (this.#seen === undefined) {
        this.#seen = current;
        this.#emit([{ reset: true }]);
      } else {
        await this.#catchUp(connected, current);
      }
      const pending = this.#pending;
      this.#pending = undefined;
      for (const payload of pending) this.#queue(() => this.#handle(connected, payload));
      this.#retryMs = RETRY_MIN_MS;
      this.#availability?.reached();
    } catch (error) {
      this.#pending = undefined;
      this.#connecting = false;
      if (client) this.#lost(client);
      else {
        // No connection at all: the database is down or refuses (not a stop of ours).
        if (!this.#stopped) this.#availability?.failed(unavailable(error, 'read'));
        this.#retry();
      }
    } finally {
      this.#connecting = false;
      if (this.#settingUp === client) this.#settingUp = undefined;
    }
  }

  #lost(client: PoolClient): void {
    if (this.#client !== client && this.#client !== undefined) return;
    if (this.#client === client) {
      this.#client = undefined;
      // Tasks still waiting on the dead connection time out on their own; what comes next
      // must not queue behind them.
      this.#chain = Promise.resolve();
    }
    this.#end(client);
    this.#retry();
  }

  #retry(): void {
    if (this.#stopped || this.#timer || this.#connecting) return;
    const wait = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, wait);
    this.#timer.unref();
  }

  /** Checks the connection, and catches up if a notification went missing. */
  #beat(): void {
    const client = this.#client;
    if (!client || this.#pending !== undefined) return;
    this.#queue(async () => {
      if (this.#client !== client) return;
      await this.#catchUp(client, await this.#currentRevision(client));
    });
  }

  /** A query with a deadline: past it, the connection is dropped and the query fails. */
  async #query<R extends QueryResultRow>(
    client: PoolClient,
    text: string,
    values?: unknown[],
  ): Promise<R[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.#lost(client);
        reject(new Error('change feed query timed out'));
      }, QUERY_DEADLINE_MS);
    });
    try {
      const result = await Promise.race([client.query<R>(text, values), deadline]);
      return result.rows;
    } finally {
      clearTimeout(timer);
    }
  }

  #queue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch(() => {
      // The connection failed while reading the log; its error handler reconnects, and
      // the reconnection catches up from the last revision reported.
    });
  }

  async #handle(client: PoolClient, payload: Payload): Promise<void> {
    const seen = this.#seen ?? 0;
    if (payload.r <= seen) return;
    if (payload.r === seen + 1 && payload.c && payload.i && payload.v) {
      const { c, i, v } = payload;
      this.#seen = payload.r;
      this.#emit(c.map((collection, n) => change(collection, i[n] ?? '', v[n] ?? 0)));
      return;
    }
    await this.#catchUp(client, payload.r);
  }

  /** Reports every change after the last reported revision up to `until`, from the log. */
  async #catchUp(client: PoolClient, until: number): Promise<void> {
    const from = this.#seen ?? 0;
    if (until <= from) return;
    const rows = await this.#query<{
      revision: string;
      collection: string;
      id: string;
      version: number;
    }>(
      client,
      `SELECT revision, collection, id, version FROM ${this.#names.changes}
        WHERE revision > $1 AND revision <= $2 ORDER BY revision`,
      [from, until],
    );
    const first = rows[0];
    if (!first || Number(first.revision) !== from + 1) {
      // Pruned past what this feed reported: it cannot say what changed.
      this.#seen = until;
      this.#emit([{ reset: true }]);
      return;
    }
    this.#seen = until;
    this.#emit(rows.map((row) => change(row.collection, row.id, row.version)));
  }

  async #currentRevision(client: PoolClient): Promise<number> {
    const rows = await this.#query<{ revision: string }>(
      client,
      `SELECT revision FROM ${this.#names.revision}`,
    );
    return Number(rows[0]?.revision ?? 0);
  }
}

function change(collection: string, id: string, version: number): RecordChange {
  return { collection: decodeKey(collection), id: decodeKey(id), version };
}
