/**
 * A record in the `clients` collection that the Tenant did not write (another program on
 * the same store, a hand-edited file) or that is damaged is reported as a
 * StoreCorruptError naming the collection and the id, and never served as a Client.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore, StoreCorruptError, Tenant } from '../../src/index.js';
import { failure, snapshotOf } from './helpers.js';

async function tenantWith(records: Record<string, unknown>) {
  const store = new MemoryStore();
  const tenant = await Tenant.create({ domain: 'auth.example.com', store });
  const shop = await tenant.clients.create({
    name: 'Shop',
    app_type: 'spa',
    callbacks: ['https://shop.example.com/callback'],
    allowed_origins: ['https://shop.example.com'],
  });
  for (const [id, value] of Object.entries(records)) await store.insert('clients', id, value);
  return { store, tenant, shop };
}

function expectCorrupt(error: unknown, id: string, field?: string): void {
  expect(error).toBeInstanceOf(StoreCorruptError);
  const { code, message } = error as StoreCorruptError;
  expect(code).toBe('store_corrupt');
  expect(message).toContain('collection "clients"');
  expect(message).toContain(`"${id}"`);
  if (field !== undefined) expect(message).toContain(field);
}

describe('client records read back from the store', () => {
  it('serves what the Tenant wrote', async () => {
    const { tenant, shop } = await tenantWith({});
    expect((await tenant.clients.get(shop.client_id)).name).toBe('Shop');
    expect(await tenant.clients.anyAllowsOrigin('https://shop.example.com')).toBe(true);
    await tenant.close();
  });

  it('refuses a foreign record (the shape a README sample once wrote) on get, find and list', async () => {
    const { tenant } = await tenantWith({ abc: { name: 'My App' } });
    expectCorrupt(await failure(tenant.clients.get('abc')), 'abc', 'client_id');
    expectCorrupt(await failure(tenant.clients.find('abc')), 'abc');
    expectCorrupt(await failure(tenant.clients.list()), 'abc');
    expectCorrupt(await failure(tenant.clients.anyAllowsOrigin('https://x.example')), 'abc');
    await tenant.close();
  });

  it('refuses a record whose client_id is not its id', async () => {
    const { tenant, shop } = await tenantWith({});
    const { tenant: other, store } = await tenantWith({});
    await store.insert('clients', 'copied', {
      ...JSON.parse(JSON.stringify(shop)),
      client_id: shop.client_id,
    });
    expectCorrupt(await failure(other.clients.get('copied')), 'copied', 'client_id does not match');
    await Promise.all([tenant.close(), other.close()]);
  });

  it('refuses damaged fields, naming the field, and leaves the store as it was on update and delete', async () => {
    const damaged = {
      client_id: 'bad',
      name: 'Bad',
      app_type: 'spa',
      callbacks: 'https://shop.example.com/callback',
    };
    const { tenant, store } = await tenantWith({ bad: damaged });
    expectCorrupt(
      await failure(tenant.clients.get('bad')),
      'bad',
      'callbacks must be a list of strings',
    );
    const before = await snapshotOf(store);
    expectCorrupt(await failure(tenant.clients.update('bad', { name: 'Fixed?' })), 'bad');
    expectCorrupt(await failure(tenant.clients.delete('bad')), 'bad');
    expect(await snapshotOf(store)).toEqual(before);
    await tenant.close();
  });

  it('never serves a record that lacks a required field or has one of the wrong type', async () => {
    const { tenant, store, shop } = await tenantWith({});
    const written = (await store.get('clients', shop.client_id))!.value as Record<string, unknown>;
    const fields = [
      'client_id',
      'name',
      'app_type',
      'callbacks',
      'client_secret',
      'jwt_configuration',
    ];
    const wrong = fc.oneof(
      fc.constant(undefined),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { minLength: 1 }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), wrong, async (field, value) => {
        const id = `x${n++}`;
        const record: Record<string, unknown> = Object.fromEntries(
          Object.entries({ ...written, client_id: id }).filter(([key]) => key !== field),
        );
        if (value !== undefined) record[field] = value;
        // An absent optional field is fine (app_type too: Auth0's Default App has none);
        // anything else here must be refused.
        const acceptable = value === undefined && !['client_id', 'name'].includes(field);
        await store.insert('clients', id, record);
        const outcome = await tenant.clients.get(id).then(
          () => 'served',
          (error: unknown) => (error instanceof StoreCorruptError ? 'refused' : String(error)),
        );
        expect(outcome).toBe(acceptable ? 'served' : 'refused');
      }),
      { numRuns: 200 },
    );
    await tenant.close();
  });
});

describe('records of the other collections read back from the store', () => {
  const domain = 'auth.example.com';

  it('refuses a foreign API, grant or connection on get and list, naming collection and id', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({ domain, store });
    await store.insert('apis', 'api_x', { id: 'api_x', name: 'No identifier' });
    await store.insert('grants', 'cgr_x', { id: 'cgr_x', client_id: 'c', scope: 'read' });
    await store.insert('connections', 'con_x', { id: 'con_x', name: 'db', strategy: 'auth0' });
    const cases: [string, string, string, Promise<unknown>[]][] = [
      [
        'apis',
        'api_x',
        'identifier must be a string',
        [tenant.apis.get('api_x'), tenant.apis.list()],
      ],
      ['grants', 'cgr_x', 'audience must be a string', [tenant.apis.grants()]],
      [
        'connections',
        'con_x',
        'enabled_clients must be a list of strings',
        [tenant.connections.get('con_x'), tenant.connections.list()],
      ],
    ];
    for (const [collection, id, field, attempts] of cases) {
      for (const attempt of attempts) {
        const error = await failure(attempt);
        expect(error).toBeInstanceOf(StoreCorruptError);
        const { message } = error as StoreCorruptError;
        expect(message).toContain(`collection "${collection}"`);
        expect(message).toContain(`"${id}"`);
        expect(message).toContain(field);
      }
    }
    await tenant.close();
  });

  it('refuses a record whose id field is not its store id', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({ domain, store });
    const api = await tenant.apis.create({ identifier: 'https://api.example.com/', name: 'API' });
    const stored = (await store.get('apis', api.id))!;
    await store.insert('apis', 'api_copy', stored.value);
    const error = await failure(tenant.apis.get('api_copy'));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain('id does not match');
    await tenant.close();
  });

  it('refuses a damaged credentials record or key ring instead of authenticating or signing with it', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({ domain, store });
    const client = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
    await store.insert('client_credentials', client.client_id, { credentials: 'none' });
    const listed = await failure(tenant.clients.credentials(client.client_id));
    expect(listed).toBeInstanceOf(StoreCorruptError);
    expect((listed as Error).message).toContain('collection "client_credentials"');

    const other = new MemoryStore();
    await other.insert('keys', 'signing', { keys: { kid: 'not a list' } });
    const signer = await Tenant.create({ domain, store: other });
    const jwks = await failure(signer.jwks());
    expect(jwks).toBeInstanceOf(StoreCorruptError);
    expect((jwks as Error).message).toContain('collection "keys"');
    await Promise.all([tenant.close(), signer.close()]);
  });
});
