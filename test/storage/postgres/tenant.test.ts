/**
 * Tenants on PostgresStore: reads from the local cache (no query once warm), another
 * instance's changes honoured, the change feed cut from the server side, the database
 * going away under load and coming back.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Tenant, type StoreChange } from 'clientele';
import { PostgresStore } from 'clientele/postgres';
import {
  AVAILABLE,
  DATABASE_URL,
  RUN,
  dropRunSchemas,
  newPool,
  terminateAll,
  terminateFeeds,
} from './database.js';

/** A real pool whose `queries` counts the queries sent through it. */
function countingPool(config: pg.PoolConfig): pg.Pool & { queries: number } {
  const pool = Object.assign(new pg.Pool(config), { queries: 0 });
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    pool.queries++;
    return query(...args);
  };
  return pool;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - started;
}

describe.skipIf(!AVAILABLE)('Tenant on PostgresStore', () => {
  const admin = newPool(2);
  const pools: pg.Pool[] = [];
  const tenants: Tenant[] = [];
  let count = 0;

  /** Two tenants (two instances) on one new schema, each with its own pool. */
  async function pair(applicationName?: string) {
    const schema = `${RUN}_t${++count}`;
    const make = async (name: string) => {
      const pool = countingPool({
        connectionString: DATABASE_URL,
        max: 4,
        connectionTimeoutMillis: 2_000,
        ...(applicationName === undefined
          ? {}
          : { application_name: `${applicationName}-${name}` }),
      });
      pool.on('error', () => undefined);
      pools.push(pool);
      const store = new PostgresStore({ pool, schema });
      const tenant = await Tenant.create({ domain: `${name}.example.com`, store });
      tenants.push(tenant);
      return { pool, store, tenant };
    };
    const a = await make('a');
    const b = await make('b');
    return { schema, a, b };
  }

  afterAll(async () => {
    // Closing is idempotent: tenants a failed test left open release their feeds here.
    await Promise.all(tenants.map((tenant) => tenant.close()));
    await dropRunSchemas(admin);
    await Promise.all([admin, ...pools].map((pool) => pool.end()));
  });

  it('answers clients.get, allowsCallback and anyAllowsOrigin without a query once warm', async () => {
    const { a, b } = await pair();
    // What b's change feed has delivered (to b's Tenant too, which listened first).
    const delivered: StoreChange[] = [];
    const unwatch = b.store.watch((change) => delivered.push(change));
    const client = await a.tenant.clients.create({
      name: 'Shop',
      app_type: 'spa',
      callbacks: ['https://shop.example.com/cb'],
    });
    // Warm once b's feed is up and has brought the client's change: its first connection
    // resets the cache, and on a loaded machine that can come later than a read that
    // already finds the client.
    await eventually(
      async () =>
        delivered.some((change) => 'id' in change && change.id === client.client_id) &&
        (await b.tenant.clients.find(client.client_id)) !== undefined,
      'b sees the client, through its change feed',
    );
    unwatch();
    expect(await b.tenant.clients.anyAllowsOrigin('https://shop.example.com')).toBe(true);
    const before = b.pool.queries;
    for (let round = 0; round < 50; round++) {
      const found = await b.tenant.clients.get(client.client_id);
      expect(found.allowsCallback('https://shop.example.com/cb')).toBe(true);
      expect(await b.tenant.clients.anyAllowsOrigin('https://shop.example.com')).toBe(true);
      expect(await b.tenant.clients.anyAllowsOrigin('https://evil.example.com')).toBe(false);
    }
    expect(b.pool.queries).toBe(before);
    await Promise.all([a.tenant.close(), b.tenant.close()]);
  });

  it("honours another instance's update and delete, and its key rotation", async () => {
    const { a, b } = await pair();
    const client = await a.tenant.clients.create({
      name: 'Shop',
      app_type: 'spa',
      callbacks: ['https://old.example.com/cb'],
    });
    await eventually(
      async () => (await b.tenant.clients.find(client.client_id)) !== undefined,
      'create',
    );
    expect(await b.tenant.clients.anyAllowsOrigin('https://old.example.com')).toBe(true);
    await a.tenant.clients.update(client.client_id, { callbacks: ['https://new.example.com/cb'] });
    await eventually(
      async () =>
        (await b.tenant.clients.get(client.client_id)).allowsCallback(
          'https://new.example.com/cb',
        ) && (await b.tenant.clients.anyAllowsOrigin('https://new.example.com')),
      'update',
    );
    expect(
      (await b.tenant.clients.get(client.client_id)).allowsCallback('https://old.example.com/cb'),
    ).toBe(false);
    expect(await b.tenant.clients.anyAllowsOrigin('https://old.example.com')).toBe(false);

    const before = (await b.tenant.jwks()).keys.map((key) => key.kid);
    await a.tenant.rotateSigningKeys();
    await eventually(
      async () => (await b.tenant.jwks()).keys.length === before.length + 1,
      'rotation',
    );

    await a.tenant.clients.delete(client.client_id);
    await eventually(
      async () => (await b.tenant.clients.find(client.client_id)) === undefined,
      'delete',
    );
    expect(await b.tenant.clients.anyAllowsOrigin('https://new.example.com')).toBe(false);
    await Promise.all([a.tenant.close(), b.tenant.close()]);
  });

  it('catches up after its LISTEN connection is terminated: a write made meanwhile is visible', async () => {
    const { schema, a, b } = await pair();
    const client = await a.tenant.clients.create({
      name: 'Shop',
      app_type: 'spa',
      callbacks: ['https://before.example.com/cb'],
    });
    await eventually(
      async () => (await b.tenant.clients.find(client.client_id)) !== undefined,
      'create',
    );
    // Both tenants' feeds listen on the schema's channel; cut them all, then write at once.
    expect(await terminateFeeds(admin, schema)).toBeGreaterThanOrEqual(2);
    await a.tenant.clients.update(client.client_id, {
      callbacks: ['https://while-away.example.com/cb'],
    });
    await eventually(
      async () =>
        (await b.tenant.clients.get(client.client_id)).allowsCallback(
          'https://while-away.example.com/cb',
        ) && (await b.tenant.clients.anyAllowsOrigin('https://while-away.example.com')),
      'the write made while the feed was away',
    );
    await Promise.all([a.tenant.close(), b.tenant.close()]);
  });

  it('fails with StoreUnavailableError while the database is gone and recovers without a restart', async () => {
    // Restarting the shared cluster would disturb other test runs, so the outage is
    // simulated by terminating every connection of both instances, repeatedly, until
    // operations have failed.
    const name = `${RUN}-outage`.slice(0, 50);
    const { a, b } = await pair(name);
    const first = await a.tenant.clients.create({ name: 'Before', app_type: 'spa' });
    await eventually(
      async () => (await b.tenant.clients.find(first.client_id)) !== undefined,
      'create',
    );
    let stop = false;
    const failures: unknown[] = [];
    let successes = 0;
    const load = (async () => {
      for (let n = 0; !stop && n < 10_000; n++) {
        try {
          await a.tenant.clients.update(first.client_id, { description: `n${n}` });
          successes++;
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    // Keep cutting every connection until a few operations have failed (bounded).
    const deadline = Date.now() + 10_000;
    while (failures.length < 3 && Date.now() < deadline) {
      await terminateAll(admin, [`${name}-a`, `${name}-b`]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    stop = true;
    await load;
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toMatchObject({ name: 'StoreUnavailableError', code: 'store_unavailable' });
      expect(String((failure as Error).message)).toMatch(
        /PostgresStore: the database is unavailable/,
      );
    }
    // Back: writes succeed again and the other instance hears of them.
    const after = await a.tenant.clients.update(first.client_id, {
      callbacks: ['https://after.example.com/cb'],
    });
    expect(after.allowsCallback('https://after.example.com/cb')).toBe(true);
    await eventually(
      async () =>
        (await b.tenant.clients.get(first.client_id)).allowsCallback(
          'https://after.example.com/cb',
        ),
      'the write after the outage',
    );
    expect(successes + failures.length).toBeGreaterThan(0);
    await Promise.all([a.tenant.close(), b.tenant.close()]);
  });

  it('fails fast with StoreUnavailableError when nothing listens at the address', async () => {
    const store = new PostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    await expect(store.get('clients', 'x')).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/nothing was written/) as unknown,
    });
    await expect(store.insert('clients', 'x', {})).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    await store.close();
  });

  it('refuses malformed options with InvalidArgumentError', () => {
    const bad: unknown[] = [
      undefined,
      {},
      { connectionString: '' },
      { connectionString: 'postgres://x', pool: admin },
      { pool: {} },
      { pool: admin, schema: '' },
      { pool: admin, schema: 'x'.repeat(64) },
    ];
    for (const options of bad) {
      expect(() => new PostgresStore(options as never)).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }) as Error,
      );
    }
  });

  it('never ends a pool it was given, and ends the one it created', async () => {
    const pool = newPool(1);
    const given = new PostgresStore({ pool, schema: `${RUN}_given` });
    await given.insert('clients', 'x', {});
    await given.close();
    expect((await pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    await pool.end();
    const own = new PostgresStore({ connectionString: DATABASE_URL, schema: `${RUN}_given` });
    expect((await own.get('clients', 'x'))?.version).toBe(1);
    await own.close();
    await expect(own.get('clients', 'x')).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});
