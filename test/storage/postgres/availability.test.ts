/**
 * PostgresStore reports an outage once when it starts and once when it ends, however many
 * operations fail in between (the example server logs exactly these two lines). The store
 * reaches PostgreSQL through a TCP relay that is stopped (connections cut, port refusing)
 * and started again on the same port.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, StoreUnavailableError } from 'clientele';
import { PostgresStore, type StoreAvailabilityChange } from 'clientele/postgres';
import { AVAILABLE, DATABASE_URL, RUN, dropRunSchemas, newPool } from './database.js';

class Relay {
  #server: Server | undefined;
  readonly #open = new Set<Socket>();
  port = 0;

  async start(): Promise<string> {
    const target = new URL(DATABASE_URL);
    const server = createServer((inbound) => {
      const outbound = connect(Number(target.port || 5432), target.hostname);
      this.#open.add(inbound).add(outbound);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      const close = () => {
        for (const socket of [inbound, outbound]) {
          socket.destroy();
          this.#open.delete(socket);
        }
      };
      for (const socket of [inbound, outbound]) {
        socket.on('error', close);
        socket.on('close', close);
      }
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
    const url = new URL(DATABASE_URL);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.href;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#open) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('PostgresStore onAvailabilityChange option', () => {
  it.each([null, 'log', 1])('refuses %j', (value) => {
    expect(
      () =>
        new PostgresStore({
          connectionString: DATABASE_URL,
          onAvailabilityChange: value as unknown as () => void,
        }),
    ).toThrow(InvalidArgumentError);
  });
});

describe.skipIf(!AVAILABLE)('PostgresStore availability', () => {
  const admin = newPool(1);
  const relays: Relay[] = [];

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await dropRunSchemas(admin);
    await admin.end();
  });

  it('reports the start and the end of an outage once each, whatever failed in between', async () => {
    const relay = new Relay();
    relays.push(relay);
    const changes: StoreAvailabilityChange[] = [];
    const store = new PostgresStore({
      connectionString: await relay.start(),
      schema: `${RUN}_availability`,
      onAvailabilityChange: (change) => changes.push(change),
    });
    await store.insert('notes', 'a', { n: 1 });
    expect(changes).toEqual([]);
    await relay.stop();
    for (let i = 0; i < 20; i++) {
      await expect(store.get('notes', 'a')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.insert('notes', `b${i}`, { n: i })).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
    }
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      available: false,
      error: expect.any(StoreUnavailableError),
    });
    await relay.start();
    let record;
    for (let attempt = 0; attempt < 100 && !record; attempt++) {
      record = await store.get('notes', 'a').catch(() => undefined);
    }
    expect(record?.value).toEqual({ n: 1 });
    expect(changes).toHaveLength(2);
    expect(changes[1]).toMatchObject({ available: true, unavailableForMs: expect.any(Number) });
    // A conflict is an answer from a database that is there: no change.
    await expect(store.insert('notes', 'a', { n: 2 })).rejects.toThrow(/already exists/);
    expect(changes).toHaveLength(2);
    await store.close();
  });

  it('warns once when the database goes and once when it is back, by default', async () => {
    const relay = new Relay();
    relays.push(relay);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if (/PostgresStore/.test(warning.message)) warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const store = new PostgresStore({
        connectionString: await relay.start(),
        schema: `${RUN}_availability_default`,
      });
      await store.list('notes');
      await relay.stop();
      for (let i = 0; i < 10; i++) await store.list('notes').catch(() => undefined);
      await relay.start();
      for (let attempt = 0; attempt < 100; attempt++) {
        if (
          await store.list('notes').then(
            () => true,
            () => false,
          )
        )
          break;
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => (warning as Error & { code?: string }).code)).toEqual([
        'CLIENTELE_STORE_UNAVAILABLE',
        'CLIENTELE_STORE_AVAILABLE',
      ]);
      await store.close();
    } finally {
      process.off('warning', onWarning);
    }
  });
});
