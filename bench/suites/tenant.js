// @ts-check
/**
 * The tenant facade: `clients.get` on 100 vs 100,000 clients (O(1)), `clients.create`
 * throughput early vs late in a run of 100,000 creates (O(1) amortised), and
 * `authenticateClient` (post and Basic) against one `createHmac` + `timingSafeEqual`.
 */
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MemoryStore, Tenant } from '../../dist/index.js';
import { atLeast, atMost, measure } from '../harness.js';

const LARGE = 100_000;

/** @param {number} count */
async function tenantWith(count) {
  const tenant = await Tenant.create({ domain: 'bench.example.com', store: new MemoryStore() });
  /** @type {string[]} */
  const ids = [];
  const started = performance.now();
  let lastThousand = 0;
  let firstThousand = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const client = await tenant.clients.create({
      name: `Client ${i}`,
      app_type: i % 2 ? 'spa' : 'regular_web',
      callbacks: [`https://app${i}.example.com/callback`],
    });
    const spent = performance.now() - t;
    if (i < 1000) firstThousand += spent;
    if (i >= count - 1000) lastThousand += spent;
    ids.push(client.client_id);
  }
  return { tenant, ids, total: performance.now() - started, firstThousand, lastThousand };
}

export default async function tenantBench() {
  const small = await tenantWith(100);
  const large = await tenantWith(LARGE);
  // The creates above warm the snapshot cache for the last ids only; pick ids spread over
  // the whole range so `get` reads the store and builds snapshots as it would cold.
  const pick = (/** @type {string[]} */ ids) =>
    Array.from({ length: 100 }, (_, i) => ids[Math.floor((i * ids.length) / 100)] ?? '');
  const smallIds = pick(small.ids);
  const largeIds = pick(large.ids);
  let n = 0;

  const post = await small.tenant.clients.create({ name: 'Post', app_type: 'regular_web' });
  const basic = await small.tenant.clients.create({
    name: 'Basic',
    app_type: 'regular_web',
    token_endpoint_auth_method: 'client_secret_basic',
  });
  const postBody = {
    grant_type: 'client_credentials',
    client_id: post.client_id,
    client_secret: post.client_secret,
  };
  const authorization = `Basic ${Buffer.from(`${basic.client_id}:${basic.client_secret}`).toString('base64')}`;
  const basicBody = { grant_type: 'client_credentials' };
  const hmacKey = randomBytes(32);
  const expected = createHmac('sha256', hmacKey).update(String(post.client_secret)).digest();

  const r = await measure(
    {
      'get 100': async () => {
        for (const id of smallIds) n += (await small.tenant.clients.get(id)).name.length;
      },
      'get 100k': async () => {
        for (const id of largeIds) n += (await large.tenant.clients.get(id)).name.length;
      },
    },
    { batch: 100 },
  );
  const auth = await measure({
    'auth post': () => small.tenant.authenticateClient({ body: postBody }),
    'auth basic': () => small.tenant.authenticateClient({ authorization, body: basicBody }),
    'hmac compare': () => {
      const digest = createHmac('sha256', hmacKey).update(String(post.client_secret)).digest();
      if (timingSafeEqual(digest, expected)) n++;
    },
  });
  await small.tenant.close();
  await large.tenant.close();
  if (n < 0) console.log(n);
  const of = (/** @type {Record<string, number>} */ results, /** @type {string} */ name) =>
    results[name] ?? NaN;
  return [
    atMost({
      line: 'Tenant.clients.get, 100,000 clients',
      ops: of(r, 'get 100k'),
      baseline: 'same, 100 clients',
      baselineOps: of(r, 'get 100'),
      atMost: 1.2,
    }),
    atMost({
      line: 'Tenant.clients.create, last 1,000 of 100,000',
      ops: 1000 / (large.lastThousand / 1000),
      baseline: 'first 1,000 of the same run',
      baselineOps: 1000 / (large.firstThousand / 1000),
      atMost: 1.2,
    }),
    atLeast({
      line: 'authenticateClient, client_secret_post (audited)',
      ops: of(auth, 'auth post'),
      baseline: 'createHmac + timingSafeEqual',
      baselineOps: of(auth, 'hmac compare'),
      atLeast: 0.3,
    }),
    atLeast({
      line: 'authenticateClient, client_secret_basic (audited)',
      ops: of(auth, 'auth basic'),
      baseline: 'createHmac + timingSafeEqual',
      baselineOps: of(auth, 'hmac compare'),
      atLeast: 0.3,
    }),
  ];
}
