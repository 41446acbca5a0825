/**
 * `PostgresStore.close()` (and `Tenant.close()` over it) returns in every state of the
 * change feed: listening, setting up its first connection, re-establishing LISTEN after
 * its connection was terminated, reading what changed meanwhile, and waiting to retry a
 * database it cannot reach. Before, a close while the feed's LISTEN was in flight never
 * returned: the feed's connection was never given back and the pool never finished
 * ending. The store talks to PostgreSQL through a TCP relay that can delay a statement on
 * its way to the server (as a server busy with it would) or refuse new connections; close()
 * must return before the delayed statement is passed on, and end every connection.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Tenant } from 'clientele';
import { PostgresStore } from 'clientele/postgres';
import pg from 'pg';
import {
  AVAILABLE,
  DATABASE_URL,
  RUN,
  dropRunSchemas,
  newPool,
  terminateFeeds,
} from './database.js';

/**
 * A relay to the database that can delay statements containing some text on their way to
 * the server (as a server busy with them would), or refuse new connections.
 */
class Relay {
  readonly server: Server;
  /** Open client-side sockets. */
  readonly open = new Set<Socket>();
  /** Statements delayed so far, and how many of them reached the server in the end. */
  readonly delayed: string[] = [];
  forwarded = 0;
  #delay: { text: string; ms: number } | undefined;
  #down = false;

  constructor(target: URL) {
    this.server = createServer((inbound) => {
      if (this.#down) {
        inbound.destroy();
        return;
      }
      this.open.add(inbound);
      const outbound = connect(Number(target.port || 5432), target.hostname);
      /** Chunks waiting for the delay to pass, or undefined while passing through. */
      let waiting: Buffer[] | undefined;
      inbound.on('data', (chunk: Buffer) => {
        const delay = this.#delay;
        if (waiting === undefined && delay && chunk.toString('latin1').includes(delay.text)) {
          this.delayed.push(delay.text);
          const queue: Buffer[] = [];
          waiting = queue;
          setTimeout(() => {
            waiting = undefined;
            if (outbound.destroyed) return;
            this.forwarded += 1;
            for (const held of queue) outbound.write(held);
          }, delay.ms).unref();
        }
        if (waiting) waiting.push(chunk);
        else outbound.write(chunk);
      });
      outbound.on('data', (chunk: Buffer) => inbound.write(chunk));
      const close = () => {
        this.open.delete(inbound);
        inbound.destroy();
        outbound.destroy();
      };
      for (const socket of [inbound, outbound]) {
        socket.on('error', close);
        socket.on('close', close);
      }
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const url = new URL(DATABASE_URL);
    url.hostname = '127.0.0.1';
    url.port = String((this.server.address() as { port: number }).port);
    return url.href;
  }

  /** Delays by `ms`, on every connection, the next statement containing `text` and what follows it. */
  delay(text: string, ms: number): void {
    this.#delay = { text, ms };
  }

  /** Refuses new connections (a database that is down, a stopped port). */
  goDown(): void {
    this.#down = true;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** How long the relay delays the statement the test is about. */
const DELAY_MS = 1_000;

async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Settles with `work`, or fails after `limitMs` naming `what` (a hang guard, not a speed goal). */
async function within<T>(work: Promise<T>, what: string, limitMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not return`)), limitMs);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(!AVAILABLE)('PostgresStore.close() in every state of the change feed', () => {
  const admin: pg.Pool = newPool(2);
  const relays: Relay[] = [];
  let count = 0;

  afterAll(async () => {
    for (const relay of relays) await relay.close();
    await dropRunSchemas(admin);
    await admin.end();
  });

  /** A store in a new schema, reaching the database through a new relay, and watched. */
  async function watchedStore() {
    const relay = new Relay(new URL(DATABASE_URL));
    relays.push(relay);
    const url = await relay.listen();
    const schema = `${RUN}_close_${++count}`;
    const store = new PostgresStore({ connectionString: url, schema });
    // Migrated before the feed starts, so only the feed's statements are delayed.
    await store.list('notes');
    const resets: number[] = [];
    const stop = store.watch?.((change) => {
      if ('reset' in change) resets.push(Date.now());
    });
    return { relay, schema, store, resets, stop };
  }

  it('while its first LISTEN is in flight', async () => {
    const relay = new Relay(new URL(DATABASE_URL));
    relays.push(relay);
    const url = await relay.listen();
    const store = new PostgresStore({ connectionString: url, schema: `${RUN}_close_first` });
    await store.list('notes');
    relay.delay('LISTEN', DELAY_MS);
    store.watch?.(() => undefined);
    await until(() => relay.delayed.length > 0, 'the LISTEN to be sent');
    await within(store.close(), 'close()');
    // It returned without waiting for the statement, whose connection it ended.
    expect(relay.forwarded).toBe(0);
    await until(() => relay.open.size === 0, 'every connection of the pool to be closed');
  });

  it.each(['SET application_name', 'LISTEN', 'SELECT revision FROM'])(
    'while re-establishing its connection after it was terminated (%s in flight)',
    async (statement) => {
      const { relay, schema, store, resets } = await watchedStore();
      await until(() => resets.length > 0, 'the feed to connect');
      relay.delay(statement, DELAY_MS);
      expect(await terminateFeeds(admin, schema)).toBe(1);
      await until(() => relay.delayed.length > 0, `the reconnection's ${statement} to be sent`);
      await within(store.close(), 'close()');
      expect(relay.forwarded).toBe(0);
      await until(() => relay.open.size === 0, 'every connection of the pool to be closed');
    },
  );

  it('while waiting to retry a database it cannot reach', async () => {
    const { relay, schema, store, resets } = await watchedStore();
    await until(() => resets.length > 0, 'the feed to connect');
    relay.goDown();
    expect(await terminateFeeds(admin, schema)).toBe(1);
    await until(() => relay.open.size === 0, 'the feed connection to go');
    // The feed now fails to connect and waits between attempts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await within(store.close(), 'close()');
  });

  it('with a pool the caller owns: the feed gives its connection back, so the pool ends', async () => {
    const relay = new Relay(new URL(DATABASE_URL));
    relays.push(relay);
    const url = await relay.listen();
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    pool.on('error', () => undefined);
    const store = new PostgresStore({ pool, schema: `${RUN}_close_owned` });
    await store.list('notes');
    relay.delay('LISTEN', DELAY_MS);
    store.watch?.(() => undefined);
    await until(() => relay.delayed.length > 0, 'the LISTEN to be sent');
    await within(store.close(), 'close()');
    expect(relay.forwarded).toBe(0);
    expect(pool.totalCount).toBe(0);
    await within(pool.end(), 'the caller’s pool.end()');
  });

  it('through Tenant.close(), while LISTEN is re-established', async () => {
    const relay = new Relay(new URL(DATABASE_URL));
    relays.push(relay);
    const url = await relay.listen();
    const schema = `${RUN}_close_tenant`;
    const store = new PostgresStore({ connectionString: url, schema });
    const tenant = await Tenant.create({ domain: 'id.example.com', store });
    await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    await until(() => relay.open.size > 1, 'the tenant’s feed to connect');
    relay.delay('LISTEN', DELAY_MS);
    expect(await terminateFeeds(admin, schema)).toBe(1);
    await until(() => relay.delayed.length > 0, 'the reconnection’s LISTEN to be sent');
    await within(tenant.close(), 'tenant.close()');
    expect(relay.forwarded).toBe(0);
    await until(() => relay.open.size === 0, 'every connection of the pool to be closed');
  });
});
