/**
 * A change-feed connection that dies silently (no error, no end: a failover or a NAT
 * dropping the flow) is noticed by the feed's heartbeat, replaced, and the changes made
 * meanwhile are reported. The silent death is real: the store talks to PostgreSQL through
 * a TCP relay that stops relaying without closing anything.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'clientele';
import { PostgresStore } from 'clientele/postgres';
import type { StoreChange } from '../../../src/storage/store.js';
import { AVAILABLE, DATABASE_URL, RUN, dropRunSchemas, newPool } from './database.js';

/** A TCP relay to the database whose current connections can be frozen. */
class Relay {
  readonly #pairs: [Socket, Socket][] = [];
  readonly server: Server;

  constructor(target: URL) {
    this.server = createServer((inbound) => {
      const outbound = connect(Number(target.port || 5432), target.hostname);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', close);
      outbound.on('error', close);
      this.#pairs.push([inbound, outbound]);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  /** Stops relaying on every connection open now, without closing any of them. */
  freeze(): number {
    for (const [inbound, outbound] of this.#pairs) {
      inbound.unpipe(outbound);
      outbound.unpipe(inbound);
      inbound.pause();
      outbound.pause();
    }
    return this.#pairs.length;
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) for (const socket of pair) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function until(condition: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PostgresStore options', () => {
  it.each([0, 5, 1.5, -1, '100', Number.NaN])('refuses feedHeartbeatMs %j', (value) => {
    expect(
      () =>
        new PostgresStore({
          connectionString: DATABASE_URL,
          feedHeartbeatMs: value as number,
        }),
    ).toThrow(InvalidArgumentError);
  });
});

describe.skipIf(!AVAILABLE)('PostgresStore change feed heartbeat', () => {
  const pool = newPool(1);
  const relay = new Relay(new URL(DATABASE_URL));
  const schema = `${RUN}_heartbeat`;
  let watched: PostgresStore;
  let writer: PostgresStore;

  beforeAll(async () => {
    const port = await relay.listen();
    const viaRelay = new URL(DATABASE_URL);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(port);
    watched = new PostgresStore({
      connectionString: viaRelay.href,
      schema,
      feedHeartbeatMs: 200,
    });
    writer = new PostgresStore({ connectionString: DATABASE_URL, schema });
  });

  afterAll(async () => {
    await watched?.close();
    await writer?.close();
    await relay.close();
    await dropRunSchemas(pool);
    await pool.end();
  });

  it('replaces a connection that stopped answering and reports what changed meanwhile', async () => {
    const seen: StoreChange[] = [];
    const stop = watched.watch?.((change) => seen.push(change));
    try {
      // The feed reports a reset when it first connects: from then on it is listening.
      await until(() => seen.some((change) => 'reset' in change), 'the feed to connect');
      await writer.insert('notes', 'before', { n: 1 });
      await until(
        () => seen.some((change) => 'id' in change && change.id === 'before'),
        'the first change',
      );
      expect(relay.freeze()).toBeGreaterThan(0);
      // Written while the watched store's feed connection is frozen: no notification
      // can reach it on that connection.
      await writer.insert('notes', 'during', { n: 2 });
      await writer.replace('notes', 'before', { n: 3 }, 1);
      await until(
        () => seen.some((change) => 'id' in change && change.id === 'during'),
        'the change made while frozen',
      );
      const after = seen.filter((change) => 'id' in change);
      expect(after).toContainEqual({ collection: 'notes', id: 'during', version: 1 });
      expect(after).toContainEqual({ collection: 'notes', id: 'before', version: 2 });
      // And the new connection carries live notifications again.
      await writer.insert('notes', 'after', { n: 4 });
      await until(
        () => seen.some((change) => 'id' in change && change.id === 'after'),
        'a change after the reconnection',
      );
    } finally {
      stop?.();
    }
  });
});
