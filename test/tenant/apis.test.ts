import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  FileStore,
  InvalidArgumentError,
  MemoryStore,
  NotFoundError,
  Tenant,
  ValidationError,
  memorySink,
  type Store,
} from '../../src/index.js';
import { failure, pathsAndCodes, snapshotOf, wrapStore } from './helpers.js';

const ORDERS = 'https://api.example.com/orders';
const BILLING = 'urn:example:billing';

async function setup(store: Store = new MemoryStore()) {
  const sink = memorySink();
  const tenant = await Tenant.create({ domain: 'acme.example.com', store, auditSinks: [sink] });
  const worker = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
  const other = await tenant.clients.create({ name: 'Other', app_type: 'non_interactive' });
  const orders = await tenant.apis.create({
    identifier: ORDERS,
    name: 'Orders',
    scopes: [{ value: 'read:orders', description: 'Read orders' }, { value: 'write:orders' }],
  });
  return { tenant, sink, store, worker, other, orders };
}

describe('tenant.apis: APIs', () => {
  it('creates an API with an id and Auth0 defaults, returned frozen', async () => {
    const { orders } = await setup();
    expect(orders).toEqual({
      id: expect.stringMatching(/^api_[A-Za-z0-9]{32}$/),
      identifier: ORDERS,
      name: 'Orders',
      scopes: [{ value: 'read:orders', description: 'Read orders' }, { value: 'write:orders' }],
      token_lifetime: 86400,
      signing_alg: 'RS256',
    });
    expect(Object.isFrozen(orders)).toBe(true);
    expect(Object.isFrozen(orders.scopes)).toBe(true);
    expect(Object.isFrozen(orders.scopes[0])).toBe(true);
    expect(() => {
      (orders as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('hands out one frozen Api per stored version, and a new one after a change', async () => {
    const { tenant, orders } = await setup();
    const a = await tenant.apis.get(ORDERS);
    expect(await tenant.apis.getByAudience(ORDERS)).toBe(a);
    expect(a).toEqual(orders);
    const updated = await tenant.apis.update(ORDERS, { token_lifetime: 600 });
    const b = await tenant.apis.get(ORDERS);
    expect(b).not.toBe(a);
    expect(b).toEqual(updated);
    expect([a.token_lifetime, b.token_lifetime]).toEqual([86400, 600]);
  });

  it('gets by id or identifier, finds, lists in creation order', async () => {
    const { tenant, orders } = await setup();
    const billing = await tenant.apis.create({
      identifier: BILLING,
      name: 'Billing',
      token_lifetime: 600,
      signing_alg: 'PS256',
    });
    expect(await tenant.apis.get(orders.id)).toEqual(orders);
    expect(await tenant.apis.get(ORDERS)).toEqual(orders);
    expect(await tenant.apis.get(BILLING)).toEqual(billing);
    expect(await tenant.apis.find('https://nope')).toBeUndefined();
    expect(await tenant.apis.find('api_' + 'x'.repeat(32))).toBeUndefined();
    expect((await tenant.apis.list()).map((api) => api.identifier)).toEqual([ORDERS, BILLING]);
    await expect(tenant.apis.get('https://nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(tenant.apis.get('https://nope')).rejects.toThrow(
      'API "https://nope" does not exist (no API has this id or identifier)',
    );
  });

  it('finds an API by audience only by identifier', async () => {
    const { tenant, orders } = await setup();
    expect(await tenant.apis.getByAudience(ORDERS)).toEqual(orders);
    expect(await tenant.apis.getByAudience(orders.id)).toBeUndefined();
  });

  it.each([[''], [42], [null], ['x'.repeat(601)], [{ identifier: ORDERS }]])(
    'refuses the reference %j with InvalidArgumentError',
    async (ref) => {
      const { tenant } = await setup();
      await expect(tenant.apis.get(ref as string)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(tenant.apis.getByAudience(ref as string)).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(tenant.apis.update(ref as string, {})).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(tenant.apis.delete(ref as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    },
  );

  it('refuses an invalid API with every issue (kind api) and writes nothing', async () => {
    const { tenant, store } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.apis.create({
        identifier: ' spaced',
        name: '<b>',
        scopes: [{ value: 'a b' }],
        token_lifetime: 0,
        signing_alg: 'hs256',
        extra: true,
      } as never),
    );
    expect((error as ValidationError).code).toBe('invalid_client_metadata');
    expect((error as ValidationError).kind).toBe('api');
    expect(pathsAndCodes(error)).toEqual([
      ['/extra', 'unknown_property'],
      ['/identifier', 'invalid_format'],
      ['/name', 'invalid_format'],
      ['/scopes/0/value', 'invalid_format'],
      ['/token_lifetime', 'out_of_range'],
      ['/signing_alg', 'invalid_value'],
    ]);
    expect(await snapshotOf(store)).toEqual(before);
  });

  it.each([null, undefined, 'api', [], 7])('refuses the input %j', async (input) => {
    const { tenant, store } = await setup();
    const before = await snapshotOf(store);
    expect(pathsAndCodes(await failure(tenant.apis.create(input as never)))).toEqual([
      ['', 'invalid_type'],
    ]);
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('refuses hostile patches and grants with typed errors and writes nothing', async () => {
    const { tenant, store, worker } = await setup();
    const before = await snapshotOf(store);
    for (const patch of [null, 'name', [], 1]) {
      expect(pathsAndCodes(await failure(tenant.apis.update(ORDERS, patch as never)))).toEqual([
        ['', 'invalid_type'],
      ]);
    }
    const huge = await failure(
      tenant.apis.grant({
        client_id: worker.client_id,
        audience: ORDERS,
        scope: new Array<string>(3_000_000),
      }),
    );
    expect(pathsAndCodes(huge)).toEqual([['/scope', 'too_many_items']]);
    const wrong = await failure(
      tenant.apis.grant({ client_id: [], audience: {}, scope: [null, 2] } as never),
    );
    expect(pathsAndCodes(wrong)).toEqual([
      ['/client_id', 'invalid_type'],
      ['/audience', 'invalid_type'],
      ['/scope/0', 'invalid_type'],
      ['/scope/1', 'invalid_type'],
    ]);
    await expect(tenant.apis.findGrant(worker.client_id, '' as string)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(tenant.apis.updateGrant(null as never, {})).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('refuses a second API with the same identifier', async () => {
    const { tenant, store, orders } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(tenant.apis.create({ identifier: ORDERS, name: 'Again' }));
    expect(pathsAndCodes(error)).toEqual([['/identifier', 'already_exists']]);
    expect((error as Error).message).toContain(orders.id);
    expect(await snapshotOf(store)).toEqual(before);
    // Identifiers are compared exactly: another case is another audience.
    await tenant.apis.create({ identifier: ORDERS.toUpperCase(), name: 'Upper' });
  });

  it('updates with a partial patch; the identifier cannot change', async () => {
    const { tenant, orders } = await setup();
    const updated = await tenant.apis.update(ORDERS, { name: 'Orders v2', token_lifetime: 3600 });
    expect(updated).toEqual({ ...orders, name: 'Orders v2', token_lifetime: 3600 });
    expect(await tenant.apis.get(orders.id)).toEqual(updated);
    const byId = await tenant.apis.update(orders.id, { scopes: [{ value: 'read:orders' }] });
    expect(byId.scopes).toEqual([{ value: 'read:orders' }]);

    const error = await failure(tenant.apis.update(ORDERS, { identifier: 'https://other' }));
    expect(pathsAndCodes(error)).toEqual([['/identifier', 'read_only']]);
    await expect(tenant.apis.update('https://nope', { name: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('refuses to remove a scope that a grant uses, naming the grant, and changes nothing', async () => {
    const { tenant, store, worker } = await setup();
    const grant = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['write:orders'],
    });
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.apis.update(ORDERS, { scopes: [{ value: 'read:orders' }], name: 'Renamed' }),
    );
    expect(pathsAndCodes(error)).toEqual([['/scopes', 'scope_in_use']]);
    expect((error as ValidationError).issues[0]?.message).toBe(
      `scopes: "write:orders" is granted by ${grant.id} (client ${worker.client_id}); update or revoke those grants first`,
    );
    expect(await snapshotOf(store)).toEqual(before);

    // Removing a scope nobody uses, or keeping the used one, is fine.
    await tenant.apis.update(ORDERS, { scopes: [{ value: 'write:orders', description: 'W' }] });
    await tenant.apis.updateGrant(grant.id, { scope: [] });
    expect((await tenant.apis.update(ORDERS, { scopes: [] })).scopes).toEqual([]);
  });

  it('deletes an API and its grants in one commit, leaving other grants alone', async () => {
    const { tenant, store, worker, other } = await setup();
    await tenant.apis.create({ identifier: BILLING, name: 'Billing', scopes: [{ value: 'pay' }] });
    await tenant.apis.grant({ client_id: worker.client_id, audience: ORDERS, scope: [] });
    await tenant.apis.grant({
      client_id: other.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
    });
    const kept = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: BILLING,
      scope: ['pay'],
    });
    const commits: number[] = [];
    const spied = wrapStore(store, {
      commit: (ops) => {
        commits.push(ops.length);
        return store.commit(ops);
      },
    });
    const second = await Tenant.create({ domain: 'acme.example.com', store: spied });
    await second.apis.delete(ORDERS);
    expect(commits).toEqual([4]); // the API, two grants, the guard
    expect(await tenant.apis.find(ORDERS)).toBeUndefined();
    expect(await tenant.apis.grants()).toEqual([kept]);
    await expect(tenant.apis.delete(ORDERS)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('leaves everything as it was when the delete commit fails', async () => {
    const base = new MemoryStore();
    let failing = false;
    const store = wrapStore(base, {
      commit: (ops) => (failing ? Promise.reject(new Error('disk full')) : base.commit(ops)),
    });
    const { tenant, worker, sink } = await setup(store);
    await tenant.apis.grant({ client_id: worker.client_id, audience: ORDERS, scope: [] });
    const before = await snapshotOf(base);
    failing = true;
    await expect(tenant.apis.delete(ORDERS)).rejects.toThrow('disk full');
    expect(await snapshotOf(base)).toEqual(before);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      details: { operation: 'delete_api', error: 'internal_error' },
    });
  });

  it('creates one API when many writers race for the same identifier', async () => {
    const store = new MemoryStore();
    const tenants = await Promise.all(
      [1, 2, 3].map(() => Tenant.create({ domain: 'acme.example.com', store })),
    );
    const attempts = tenants.flatMap((tenant) =>
      Array.from({ length: 5 }, (_, i) =>
        tenant.apis.create({ identifier: 'https://race', name: `Racer ${i}` }),
      ),
    );
    const results = await Promise.allSettled(attempts);
    const created = results.filter((result) => result.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        const reason: unknown = result.reason;
        const isDuplicate =
          reason instanceof ValidationError && reason.issues[0]?.code === 'already_exists';
        expect(isDuplicate || reason instanceof ConflictError).toBe(true);
      }
    }
    expect((await store.list('apis')).length).toBe(1);
  });

  it('queues the writes of one tenant, so parallel creates all succeed', async () => {
    const { tenant } = await setup();
    const made = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        tenant.apis.create({ identifier: `https://api/${i}`, name: `API ${i}` }),
      ),
    );
    expect(new Set(made.map((api) => api.id)).size).toBe(30);
    expect((await tenant.apis.list()).length).toBe(31);
  });

  it('retries a write that lost a race with another process', async () => {
    const base = new MemoryStore();
    let raced = false;
    const store = wrapStore(base, {
      commit: async (ops) => {
        if (!raced && ops.some((op) => op.collection === 'apis' && op.op === 'replace')) {
          raced = true;
          // Another writer bumps the guard between our read and our commit.
          const guard = await base.get('guards', 'apis');
          await base.replace('guards', 'apis', guard!.value, guard!.version);
        }
        return base.commit(ops);
      },
    });
    const { tenant } = await setup(store);
    expect((await tenant.apis.update(ORDERS, { name: 'After race' })).name).toBe('After race');
    expect(raced).toBe(true);
  });

  it('returns copies: changing what it returned changes nothing stored', async () => {
    const { tenant, orders } = await setup();
    const list = await tenant.apis.list();
    list.pop();
    expect(await tenant.apis.list()).toHaveLength(1);
    expect(() => (orders.scopes as { value: string }[]).push({ value: 'x' })).toThrow(TypeError);
    expect((await tenant.apis.get(ORDERS)).scopes).toHaveLength(2);
  });
});

describe('tenant.apis: client grants', () => {
  it('grants a client scopes on an API, one grant per client and API', async () => {
    const { tenant, worker } = await setup();
    const grant = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
    });
    expect(grant).toEqual({
      id: expect.stringMatching(/^cgr_[A-Za-z0-9]{32}$/),
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
    });
    expect(Object.isFrozen(grant) && Object.isFrozen(grant.scope)).toBe(true);
    expect(await tenant.apis.findGrant(worker.client_id, ORDERS)).toEqual(grant);

    const error = await failure(
      tenant.apis.grant({ client_id: worker.client_id, audience: ORDERS, scope: [] }),
    );
    expect(pathsAndCodes(error)).toEqual([['/audience', 'already_granted']]);
    expect((error as Error).message).toContain(grant.id);
  });

  it('refuses a client or an API that does not exist with NotFoundError', async () => {
    const { tenant, store, worker } = await setup();
    const before = await snapshotOf(store);
    const noClient = await failure(
      tenant.apis.grant({ client_id: 'nope', audience: ORDERS, scope: [] }),
    );
    expect(noClient).toBeInstanceOf(NotFoundError);
    expect((noClient as Error).message).toBe('client_id: client "nope" does not exist');
    const noApi = await failure(
      tenant.apis.grant({ client_id: worker.client_id, audience: 'https://nope', scope: [] }),
    );
    expect(noApi).toBeInstanceOf(NotFoundError);
    expect((noApi as Error).message).toBe('audience: no API has the identifier "https://nope"');
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('refuses scopes the API does not define, at their index', async () => {
    const { tenant, store, worker } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.apis.grant({
        client_id: worker.client_id,
        audience: ORDERS,
        scope: ['read:orders', 'admin', 'delete:orders'],
      }),
    );
    expect(pathsAndCodes(error)).toEqual([
      ['/scope/1', 'unknown_scope'],
      ['/scope/2', 'unknown_scope'],
    ]);
    expect(await snapshotOf(store)).toEqual(before);
  });

  it.each([
    [
      {},
      [
        ['/client_id', 'required'],
        ['/audience', 'required'],
      ],
    ],
    [{ client_id: 'a', audience: ORDERS, scope: 'read:orders' }, [['/scope', 'invalid_type']]],
    [{ client_id: 'a', audience: ORDERS, scope: ['x', 'x'] }, [['/scope/1', 'duplicate']]],
    [{ client_id: 'a', audience: ORDERS, scope: [], id: 'cgr_1' }, [['/id', 'read_only']]],
    [null, [['', 'invalid_type']]],
  ])('refuses the malformed grant %j before reading anything', async (input, expected) => {
    const { tenant } = await setup();
    expect(pathsAndCodes(await failure(tenant.apis.grant(input as never)))).toEqual(expected);
  });

  it('lists grants, filtered by client and by API', async () => {
    const { tenant, worker, other } = await setup();
    await tenant.apis.create({ identifier: BILLING, name: 'Billing' });
    const a = await tenant.apis.grant({ client_id: worker.client_id, audience: ORDERS, scope: [] });
    const b = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: BILLING,
      scope: [],
    });
    const c = await tenant.apis.grant({ client_id: other.client_id, audience: ORDERS, scope: [] });
    expect(await tenant.apis.grants()).toEqual([a, b, c]);
    expect(await tenant.apis.grants({ client_id: worker.client_id })).toEqual([a, b]);
    expect(await tenant.apis.grants({ audience: ORDERS })).toEqual([a, c]);
    expect(await tenant.apis.grants({ client_id: other.client_id, audience: BILLING })).toEqual([]);
    expect(await tenant.apis.grants({ client_id: 'nobody' })).toEqual([]);
    await expect(tenant.apis.grants(null as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(tenant.apis.grants({ client_id: 3 } as never)).rejects.toThrow(
      /query\/client_id must be a non-empty string/,
    );
  });

  it('updates the scopes of a grant, within what the API defines', async () => {
    const { tenant, store, worker } = await setup();
    const grant = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: [],
    });
    const updated = await tenant.apis.updateGrant(grant.id, {
      scope: ['read:orders', 'write:orders'],
    });
    expect(updated).toEqual({ ...grant, scope: ['read:orders', 'write:orders'] });
    const before = await snapshotOf(store);
    expect(
      pathsAndCodes(await failure(tenant.apis.updateGrant(grant.id, { scope: ['nope'] }))),
    ).toEqual([['/scope/0', 'unknown_scope']]);
    expect(
      pathsAndCodes(
        await failure(tenant.apis.updateGrant(grant.id, { audience: BILLING } as never)),
      ),
    ).toEqual([['/audience', 'read_only']]);
    expect(await snapshotOf(store)).toEqual(before);
    await expect(tenant.apis.updateGrant('cgr_nope', { scope: [] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('revokes a grant', async () => {
    const { tenant, worker } = await setup();
    const grant = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: [],
    });
    await tenant.apis.revokeGrant(grant.id);
    expect(await tenant.apis.findGrant(worker.client_id, ORDERS)).toBeUndefined();
    await expect(tenant.apis.revokeGrant(grant.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(tenant.apis.revokeGrant('' as string)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('deleting a client deletes its grants, end to end', async () => {
    const { tenant, worker, other } = await setup();
    await tenant.apis.create({ identifier: BILLING, name: 'Billing' });
    await tenant.apis.grant({ client_id: worker.client_id, audience: ORDERS, scope: [] });
    await tenant.apis.grant({ client_id: worker.client_id, audience: BILLING, scope: [] });
    const kept = await tenant.apis.grant({
      client_id: other.client_id,
      audience: ORDERS,
      scope: [],
    });
    await tenant.clients.delete(worker.client_id);
    expect(await tenant.apis.grants()).toEqual([kept]);
    expect(await tenant.apis.findGrant(worker.client_id, ORDERS)).toBeUndefined();
    // The id is free again for nothing: a grant for the deleted client is refused.
    await expect(
      tenant.apis.grant({ client_id: worker.client_id, audience: ORDERS, scope: [] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("gives the token issuer the API's lifetime and the granted scopes", async () => {
    const { tenant, worker } = await setup();
    await tenant.apis.update(ORDERS, { token_lifetime: 600 });
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
    });
    const token = await tenant.issueAccessToken(worker.client_id, { audience: ORDERS });
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read:orders' });
  });
});

describe('tenant.apis: audit', () => {
  it('records sapi for every write with operation names, and fapi with the error', async () => {
    const { tenant, sink, worker } = await setup();
    const grant = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
    });
    await tenant.apis.updateGrant(grant.id, { scope: [] });
    await tenant.apis.update(ORDERS, { name: 'Orders 2' });
    await tenant.apis.revokeGrant(grant.id);
    await tenant.apis.delete(ORDERS);
    await tenant.apis
      .grant({ client_id: 'nope', audience: ORDERS, scope: [] })
      .catch(() => undefined);
    await tenant.apis.create({ identifier: '', name: 'x' }).catch(() => undefined);
    await tenant.audit.flush();
    const events = sink.events.filter((event) => event.details['operation'] !== 'create_client');
    expect(events.map((event) => [event.type, event.details['operation']])).toEqual([
      ['sapi', 'create_api'],
      ['sapi', 'create_client_grant'],
      ['sapi', 'update_client_grant'],
      ['sapi', 'update_api'],
      ['sapi', 'delete_client_grant'],
      ['sapi', 'delete_api'],
      ['fapi', 'create_client_grant'],
      ['fapi', 'create_api'],
    ]);
    expect(events[1]).toMatchObject({
      client_id: worker.client_id,
      client_name: 'Worker',
      details: { grant_id: grant.id, audience: ORDERS, scope: ['read:orders'] },
    });
    expect(events[5]?.details).toMatchObject({ identifier: ORDERS, grants_deleted: 0 });
    expect(events[6]?.details).toMatchObject({ error: 'not_found' });
    expect(events[7]?.details).toMatchObject({
      error: 'invalid_client_metadata',
      kind: 'api',
      issues: [{ path: '/identifier', code: 'blank' }],
    });
    expect(JSON.stringify(sink.events)).not.toContain(worker.client_secret);
  });
});

describe('tenant.apis: Auth0 resource servers as the Deploy CLI exports them', () => {
  const { resourceServers: EXPORTED } = JSON.parse(
    readFileSync(new URL('../fixtures/auth0-resource-servers.json', import.meta.url), 'utf8'),
  ) as { resourceServers: Record<string, unknown>[] };
  const SECRETS = EXPORTED.map((entry) => entry['signing_secret'] as string);

  /** What a created API holds: the entry without Auth0's read-only fields, plus an id. */
  function expectedFrom(entry: Record<string, unknown>, id: string): Record<string, unknown> {
    const { is_system: _system, client_id: _client, ...kept } = entry;
    return { id, ...kept };
  }

  async function importAll(store: Store = new MemoryStore()) {
    const sink = memorySink();
    const tenant = await Tenant.create({ domain: 'acme.example.com', store, auditSinks: [sink] });
    const apis = [];
    for (const entry of EXPORTED) apis.push(await tenant.apis.create(entry as never));
    return { tenant, sink, apis };
  }

  it('creates every entry unchanged, dropping only the read-only is_system and client_id', async () => {
    expect(EXPORTED.length).toBeGreaterThanOrEqual(4);
    const { apis } = await importAll();
    apis.forEach((api, i) => {
      const entry = EXPORTED[i] ?? {};
      expect({ ...api }).toEqual(expectedFrom(entry, api.id));
      expect(api.signing_secret).toBe(entry['signing_secret']);
    });
    expect(apis[0]).not.toHaveProperty('is_system');
    expect(apis[3]).not.toHaveProperty('client_id');
    expect(apis[3]?.token_encryption).toBeNull();
  });

  it('round-trips: read back, reloaded from a file, and re-created from what it returned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clientele-apis-'));
    try {
      const file = join(dir, 'tenant.json');
      const { apis } = await importAll(new FileStore(file));
      const reopened = await Tenant.create({
        domain: 'acme.example.com',
        store: new FileStore(file),
      });
      expect((await reopened.apis.list()).map((api) => ({ ...api }))).toEqual(
        apis.map((api) => ({ ...api })),
      );
      const fresh = await Tenant.create({ domain: 'acme.example.com' });
      for (const api of apis) {
        const { id: _id, ...input } = api;
        const again = await fresh.apis.create(input as never);
        expect({ ...again, id: api.id }).toEqual({ ...api });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns pass-through values frozen at every level, sharing nothing with the store', async () => {
    const { tenant, apis } = await importAll();
    const payments = apis[1]!;
    expect(Object.isFrozen(payments.token_encryption)).toBe(true);
    expect(
      Object.isFrozen((payments.token_encryption as Record<string, unknown>)['encryption_key']),
    ).toBe(true);
    expect(Object.isFrozen(payments.authorization_details)).toBe(true);
    expect(Object.isFrozen(payments.authorization_details?.[0])).toBe(true);
    expect(() => (payments.authorization_details as unknown[]).push({ type: 'x' })).toThrow(
      TypeError,
    );
    expect((await tenant.apis.get(payments.id)).authorization_details).toHaveLength(2);
  });

  it('updates pass-through fields with a patch, each replaced as a whole', async () => {
    const { tenant, apis } = await importAll();
    const orders = apis[0]!;
    const updated = await tenant.apis.update(orders.id, {
      allow_offline_access: false,
      token_dialect: 'rfc9068_profile',
      subject_type_authorization: { client: { policy: 'deny_all' } },
    });
    expect({ ...updated }).toEqual({
      ...orders,
      allow_offline_access: false,
      token_dialect: 'rfc9068_profile',
      subject_type_authorization: { client: { policy: 'deny_all' } },
    });
    const error = await failure(
      tenant.apis.update(orders.id, { is_system: false, token_lifetime_for_web: '1h' } as never),
    );
    expect(pathsAndCodes(error)).toEqual([
      ['/is_system', 'read_only'],
      ['/token_lifetime_for_web', 'invalid_type'],
    ]);
  });

  it('refuses a wrong type at its pointer and writes nothing', async () => {
    const { tenant } = await setup();
    const error = await failure(
      tenant.apis.create({
        identifier: 'https://api.acme.example/x',
        name: 'X',
        allow_offline_access: 'yes',
        authorization_details: { type: 'payment' },
        is_system: true,
        unknown_field: 1,
      } as never),
    );
    expect(pathsAndCodes(error)).toEqual([
      ['/unknown_field', 'unknown_property'],
      ['/allow_offline_access', 'invalid_type'],
      ['/authorization_details', 'invalid_type'],
      ['/is_system', 'invalid_value'],
    ]);
    expect((error as ValidationError).issues[0]?.message).toBe(
      'unknown_field is not a known property: use identifier, name, scopes, token_lifetime or signing_alg',
    );
    expect(await tenant.apis.find('https://api.acme.example/x')).toBeUndefined();
  });

  it('keeps signing_secret readable but out of JSON, util.inspect, errors and audit events', async () => {
    const { tenant, sink, apis } = await importAll();
    const orders = apis[0]!;
    await tenant.apis.update(orders.id, { signing_secret: 'rotated-secret-0123456789abcdef' });
    const shortSecret = 'too-short-secret';
    const refused = await failure(
      tenant.apis.update(orders.id, { signing_secret: shortSecret.slice(0, 15) }),
    );
    await tenant.apis.delete(apis[2]!.id);
    await tenant.audit.flush();

    const printed = [
      JSON.stringify(orders),
      JSON.stringify(await tenant.apis.list()),
      JSON.stringify({ nested: [await tenant.apis.get(orders.id)] }),
      inspect(orders, { depth: 10 }),
      inspect(await tenant.apis.list(), { depth: null }),
      inspect({ api: apis[1] }, { depth: 0 }),
      (refused as Error).message,
      JSON.stringify(sink.events),
      inspect(sink.events, { depth: null }),
    ];
    for (const text of printed) {
      for (const secret of [
        ...SECRETS,
        'rotated-secret-0123456789abcdef',
        shortSecret.slice(0, 15),
      ]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(JSON.parse(JSON.stringify(orders))).toEqual({
      ...expectedFrom(EXPORTED[0] ?? {}, orders.id),
      signing_secret: '[redacted]',
    });
    expect(inspect(orders)).toContain("signing_secret: '[redacted]'");
    expect((await tenant.apis.get(orders.id)).signing_secret).toBe(
      'rotated-secret-0123456789abcdef',
    );
    // An API without a secret prints as it is.
    const plain = await tenant.apis.create({ identifier: 'urn:plain', name: 'Plain' });
    expect(JSON.parse(JSON.stringify(plain))).toEqual({ ...plain });
    expect(sink.events.map((event) => event.details['operation'])).toContain('update_api');
  });
});

describe('docs/tenant.md: the tenant section (moved there from the README)', () => {
  it('runs the examples as written and gets what their comments say', async () => {
    const readme = readFileSync(new URL('../../docs/tenant.md', import.meta.url), 'utf8');
    const start = readme.indexOf('## Tenant: clients, APIs, connections');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toHaveLength(2);
    // Each block is a complete module of its own (test/readme runs them on the built
    // package); here they run on the sources, with what they define exported to check.
    const dir = mkdtempSync(join(tmpdir(), 'clientele-readme-'));
    const exported = ['audit, total, rotated, worker, token', 'available, google, grantsLeft'];
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const modules: Record<string, unknown>[] = [];
      for (const [index, block] of blocks.entries()) {
        const file = join(dir, `tenant-section-${index}.ts`);
        writeFileSync(file, `${block}\nexport { ${exported[index]} };\n`);
        modules.push((await import(file)) as Record<string, unknown>);
      }
      const example = { ...modules[0], ...modules[1] };
      expect(example['total']).toBe(1);
      expect(example['token']).toMatchObject({ expires_in: 3600, scope: 'read:orders' });
      expect(log).toHaveBeenCalledWith('/scope/0');
      expect(example['available']).toEqual([
        'Username-Password-Authentication (database)',
        'google (social)',
      ]);
      const printed = JSON.stringify(example['google']);
      expect(printed).toContain('"client_secret":"[redacted]"');
      expect(printed).not.toContain('google-client-secret');
      expect(example['grantsLeft']).toEqual([]);
      const events = (example['audit'] as { events: { details: Record<string, unknown> }[] })
        .events;
      expect(JSON.stringify(events)).not.toContain('google-client-secret');
      expect(JSON.stringify(events)).not.toContain(
        (example['rotated'] as { client_secret: string }).client_secret,
      );
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
