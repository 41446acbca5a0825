// @ts-check
/**
 * How cost grows with the work: allow-list length, number of clients, number of signing
 * keys and concurrency. Prints one small table per dimension (used in docs/performance.md).
 * Run with `npm run build && node bench/scaling.js`.
 */
import { performance } from 'node:perf_hooks';
import { MemoryStore, Tenant, createAllowList } from '../dist/index.js';
import { measure } from './harness.js';

const format = (/** @type {number} */ ops) => `${(1e9 / ops).toFixed(0)} ns`;

/** @param {string} title @param {string[]} header @param {string[][]} rows */
function table(title, header, rows) {
  console.log(`\n${title}\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

async function listLength() {
  const rows = [];
  for (const size of [5, 100, 1_000, 10_000]) {
    const entries = Array.from({ length: size - 2 }, (_, i) =>
      i % 2 ? `https://app${i}.example.com/callback` : `https://*.t${i}.example.org/callback`,
    );
    entries.push('https://app.example.com/callback', 'https://*.preview.example.com/callback');
    const list = createAllowList('callback', entries);
    const hits = ['HTTPS://APP.example.com/callback', 'https://pr-1.preview.example.com/callback'];
    const misses = [
      'https://evil.example.com/callback',
      'https://a.b.preview.example.com/callback',
    ];
    let n = 0;
    const r = await measure(
      {
        hit: () => hits.forEach((s) => (n += list.allows(s) ? 1 : 0)),
        miss: () => misses.forEach((s) => (n += list.allows(s) ? 1 : 0)),
      },
      { batch: 2 },
    );
    rows.push([String(size), format(r['hit'] ?? NaN), format(r['miss'] ?? NaN)]);
  }
  table(
    'Allow-list length (callback list, half wildcards)',
    ['entries', 'allows() hit', 'allows() miss'],
    rows,
  );
}

async function clientCount() {
  const rows = [];
  for (const count of [100, 10_000, 100_000]) {
    const tenant = await Tenant.create({ domain: 'bench.example.com', store: new MemoryStore() });
    /** @type {string[]} */
    const ids = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      ids.push(
        (
          await tenant.clients.create({
            name: `C${i}`,
            app_type: 'spa',
            callbacks: [`https://a${i}.example.com/cb`],
          })
        ).client_id,
      );
    }
    const createNs = ((performance.now() - started) * 1e6) / count;
    const sample = Array.from({ length: 100 }, (_, i) => ids[Math.floor((i * count) / 100)] ?? '');
    const r = await measure(
      {
        get: async () => {
          for (const id of sample) await tenant.clients.get(id);
        },
      },
      { batch: 100 },
    );
    const origin = await measure({
      any: () => tenant.clients.anyAllowsOrigin('https://a7.example.com'),
    });
    rows.push([
      count.toLocaleString('en'),
      `${createNs.toFixed(0)} ns`,
      format(r['get'] ?? NaN),
      format(origin['any'] ?? NaN),
    ]);
    await tenant.close();
  }
  table(
    'Number of clients (MemoryStore)',
    ['clients', 'clients.create (mean)', 'clients.get', 'anyAllowsOrigin (index built)'],
    rows,
  );
}

async function keyCount() {
  const rows = [];
  for (const keys of [1, 3, 10]) {
    const tenant = await Tenant.create({
      domain: 'bench.example.com',
      signingKeys: { algorithm: 'ES256' },
    });
    for (let i = 1; i < keys; i++) await tenant.rotateSigningKeys();
    const client = await tenant.clients.create({ name: 'Spa', app_type: 'spa' });
    await tenant.clients.update(client.client_id, { jwt_configuration: { alg: 'RS256' } });
    const token = await tenant.issueIdToken(client.client_id, { sub: 'u' });
    const jwks = await measure({ jwks: () => tenant.jwks() });
    const verify = await measure(
      {
        verify: () =>
          Promise.all(
            Array.from({ length: 16 }, () => tenant.verifyIdToken(token, client.client_id)),
          ),
      },
      { batch: 16 },
    );
    rows.push([String(keys), format(jwks['jwks'] ?? NaN), format(verify['verify'] ?? NaN)]);
    await tenant.close();
  }
  table(
    'Number of signing keys in the ring (ES256 rotations, RS256 token)',
    ['keys', 'jwks()', 'verifyIdToken (16 in flight, per token)'],
    rows,
  );
}

async function concurrency() {
  const rows = [];
  const tenant = await Tenant.create({ domain: 'bench.example.com' });
  const rs = await tenant.clients.create({ name: 'RS', app_type: 'spa' });
  const hs = await tenant.clients.create({
    name: 'HS',
    app_type: 'regular_web',
    jwt_configuration: { alg: 'HS256' },
  });
  await tenant.issueIdToken(rs.client_id, { sub: 'u' });
  for (const inFlight of [1, 8, 64]) {
    const batch = (/** @type {string} */ id) => () =>
      Promise.all(Array.from({ length: inFlight }, () => tenant.issueIdToken(id, { sub: 'u' })));
    const r = await measure(
      { rs: batch(rs.client_id), hs: batch(hs.client_id) },
      { batch: inFlight },
    );
    rows.push([
      String(inFlight),
      `${((r['rs'] ?? 0) / 1000).toFixed(1)} k/s`,
      `${((r['hs'] ?? 0) / 1000).toFixed(1)} k/s`,
    ]);
  }
  await tenant.close();
  table('Concurrency (issueIdToken throughput)', ['in flight', 'RS256', 'HS256'], rows);
}

await listLength();
await clientCount();
await keyCount();
await concurrency();
