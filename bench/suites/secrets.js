// @ts-check
/**
 * Secrets at rest: `authenticateClient` and `clients.get` on a tenant whose store holds
 * encrypted secrets (`secretsKey`) against the same on a plain tenant, both on MemoryStore.
 * A secret is decrypted once per stored record version, not per call, so the two should
 * cost the same; the goal leaves room for noise only.
 */
import { randomBytes } from 'node:crypto';
import { MemoryStore, Tenant } from '../../dist/index.js';
import { atLeast, measure } from '../harness.js';

/** @param {Uint8Array | undefined} secretsKey */
async function tenantWith(secretsKey) {
  const tenant = await Tenant.create({
    domain: 'bench.example.com',
    store: new MemoryStore(),
    ...(secretsKey === undefined ? {} : { secretsKey }),
  });
  const ids = [];
  for (let i = 0; i < 100; i++) {
    const client = await tenant.clients.create({ name: `Worker ${i}`, app_type: 'regular_web' });
    ids.push(client.client_id);
  }
  const post = await tenant.clients.create({ name: 'Post', app_type: 'regular_web' });
  const body = {
    grant_type: 'client_credentials',
    client_id: post.client_id,
    client_secret: post.client_secret,
  };
  return { tenant, ids, body };
}

export default async function secretsBench() {
  const plain = await tenantWith(undefined);
  const sealed = await tenantWith(randomBytes(32));
  let n = 0;
  const r = await measure({
    'auth plain': () => plain.tenant.authenticateClient({ body: plain.body }),
    'auth sealed': () => sealed.tenant.authenticateClient({ body: sealed.body }),
  });
  const g = await measure(
    {
      'get plain': async () => {
        for (const id of plain.ids) n += (await plain.tenant.clients.get(id)).name.length;
      },
      'get sealed': async () => {
        for (const id of sealed.ids) n += (await sealed.tenant.clients.get(id)).name.length;
      },
    },
    { batch: 100 },
  );
  await Promise.all([plain.tenant.close(), sealed.tenant.close()]);
  if (n < 0) console.log(n);
  const of = (/** @type {Record<string, number>} */ results, /** @type {string} */ name) =>
    results[name] ?? NaN;
  return [
    atLeast({
      line: 'authenticateClient (post), encrypted store (secretsKey)',
      ops: of(r, 'auth sealed'),
      baseline: 'same, plain store',
      baselineOps: of(r, 'auth plain'),
      atLeast: 0.85,
    }),
    atLeast({
      line: 'Tenant.clients.get, encrypted store (secretsKey)',
      ops: of(g, 'get sealed'),
      baseline: 'same, plain store',
      baselineOps: of(g, 'get plain'),
      atLeast: 0.85,
    }),
  ];
}
