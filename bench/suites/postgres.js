// @ts-check
/**
 * PostgresStore (needs `DATABASE_URL`, default the local test database; skipped with one
 * line when it cannot be reached): `tenant.clients.get` on a Tenant over PostgresStore
 * (served from the tenant's cache, kept exact by the change feed) against the same on
 * MemoryStore; a single-record commit against a bare `INSERT … ON CONFLICT` through the
 * same pool; and the p99 time for one instance's write to reach another instance's
 * change feed (two stores, two pools). Works in a schema of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { MemoryStore, Tenant } from '../../dist/index.js';
import { PostgresStore } from '../../dist/postgres.js';
import { atLeast, measure } from '../harness.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROPAGATION_SAMPLES = 200;
const PROPAGATION_BOUND_MS = 100;

/** @param {pg.Pool} pool */
async function reachable(pool) {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch (error) {
    console.error(
      `postgres bench skipped: ${DATABASE_URL} is unreachable (${/** @type {Error} */ (error).message})`,
    );
    return false;
  }
}

/** @param {import('../../dist/index.js').Tenant} tenant */
async function sampleClient(tenant) {
  return tenant.clients.create({
    name: 'Bench',
    app_type: 'spa',
    callbacks: ['https://bench.example.com/callback'],
  });
}

export default async function postgresBench() {
  const schema = `clientele_bench_${randomBytes(4).toString('hex')}`;
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 4,
    connectionTimeoutMillis: 3000,
  });
  pool.on('error', () => undefined);
  const other = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 2,
    connectionTimeoutMillis: 3000,
  });
  other.on('error', () => undefined);
  try {
    if (!(await reachable(pool))) return [];
    const store = new PostgresStore({ pool, schema });
    const peer = new PostgresStore({ pool: other, schema });

    // clients.get: cached tenant vs MemoryStore tenant.
    const onPg = await Tenant.create({ domain: 'bench.example.com', store });
    const onMemory = await Tenant.create({ domain: 'bench.example.com', store: new MemoryStore() });
    const pgClient = await sampleClient(onPg);
    const memoryClient = await sampleClient(onMemory);
    await onPg.clients.get(pgClient.client_id);
    const gets = await measure(
      {
        postgres: () => onPg.clients.get(pgClient.client_id),
        memory: () => onMemory.clients.get(memoryClient.client_id),
      },
      { time: 900 },
    );

    // Single-record commit vs a bare upsert through the same pool.
    await pool.query(
      `CREATE TABLE "${schema}".bare (id text PRIMARY KEY, version integer NOT NULL, value json NOT NULL)`,
    );
    let version = (await store.insert('bench', 'r', { n: 0 })).version;
    let n = 0;
    const writes = await measure(
      {
        commit: async () => {
          const written = await store.commit([
            {
              op: 'replace',
              collection: 'bench',
              id: 'r',
              value: { n: ++n },
              expectedVersion: version,
            },
          ]);
          version = /** @type {{ version: number }} */ (written[0]).version;
        },
        upsert: () =>
          pool.query(
            `INSERT INTO "${schema}".bare (id, version, value) VALUES ($1, 1, $2::json)
              ON CONFLICT (id) DO UPDATE SET version = bare.version + 1, value = EXCLUDED.value`,
            ['r', JSON.stringify({ n: ++n })],
          ),
      },
      { time: 1500, warmupTime: 300 },
    );

    // Propagation: a write through `store`, seen by `peer`'s feed.
    /** @type {Map<string, (at: number) => void>} */
    const waiting = new Map();
    const stop = peer.watch((change) => {
      if ('reset' in change) return;
      waiting.get(change.id)?.(performance.now());
    });
    // Until the feed listens, a write may be covered by its first reset only: probe first.
    for (let probe = 0; ; probe++) {
      const id = `probe${probe}`;
      const seen = new Promise((resolve) => {
        waiting.set(id, resolve);
        setTimeout(() => resolve(undefined), 250);
      });
      await store.insert('propagation', id, {});
      if ((await seen) !== undefined) break;
    }
    /** @type {number[]} */
    const latencies = [];
    for (let sample = 0; sample < PROPAGATION_SAMPLES; sample++) {
      const id = `p${sample}`;
      const seen = new Promise((resolve) => {
        waiting.set(id, resolve);
        setTimeout(() => resolve(Infinity), 10_000);
      });
      const started = performance.now();
      await store.insert('propagation', id, { sample });
      const at = /** @type {number} */ (await seen);
      latencies.push(at - started);
    }
    stop();
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1] ?? Infinity;
    const p50 = latencies[latencies.length >> 1] ?? Infinity;
    await onPg.close();
    await onMemory.close();
    await peer.close();

    return [
      atLeast({
        line: 'tenant.clients.get on PostgresStore (local cache)',
        ops: gets.postgres ?? 0,
        baseline: 'tenant.clients.get on MemoryStore',
        baselineOps: gets.memory ?? 1,
        atLeast: 0.5,
      }),
      atLeast({
        line: 'PostgresStore single-record commit',
        ops: writes.commit ?? 0,
        baseline: 'bare INSERT ... ON CONFLICT, same pool',
        baselineOps: writes.upsert ?? 1,
        atLeast: 0.5,
      }),
      {
        line: `change propagation to another instance, p99 (p50 ${p50.toFixed(1)} ms)`,
        ops: 1000 / p99,
        baseline: `${PROPAGATION_BOUND_MS} ms bound`,
        baselineOps: 1000 / PROPAGATION_BOUND_MS,
        ratio: p99 / PROPAGATION_BOUND_MS,
        goal: `p99 <= ${PROPAGATION_BOUND_MS} ms (${p99.toFixed(1)} ms)`,
        met: p99 <= PROPAGATION_BOUND_MS,
      },
    ];
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await Promise.all([pool.end(), other.end()]);
  }
}
