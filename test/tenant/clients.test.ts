import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidArgumentError,
  MemoryStore,
  NotFoundError,
  Tenant,
  ValidationError,
  memorySink,
  type Store,
} from '../../src/index.js';
import { snapshotOf, wrapStore } from './helpers.js';

async function setup(store: Store = new MemoryStore()) {
  const sink = memorySink();
  const tenant = await Tenant.create({ domain: 'acme.example.com', store, auditSinks: [sink] });
  return { tenant, sink, store };
}

describe('tenant.clients', () => {
  it('creates a confidential client with an id, a secret and the type defaults', async () => {
    const { tenant } = await setup();
    const client = await tenant.clients.create({ name: 'Back Office', app_type: 'regular_web' });
    expect(client.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(client.token_endpoint_auth_method).toBe('client_secret_post');
    expect(client.jwt_configuration).toEqual({ lifetime_in_seconds: 36000, alg: 'RS256' });
    expect(JSON.stringify(client)).not.toContain(client.client_secret);
    expect(inspect(client, { depth: 10 })).not.toContain(client.client_secret);
    expect((await tenant.clients.get(client.client_id)).client_secret).toBe(client.client_secret);
  });

  it('creates a public client without a secret and ignores ids and secrets in the input', async () => {
    const { tenant } = await setup();
    const client = await tenant.clients.create({
      name: 'Shop',
      app_type: 'spa',
      client_id: 'chosen',
      client_secret: 'chosen-secret',
    } as never);
    expect(client.client_id).not.toBe('chosen');
    expect(client.client_secret).toBeUndefined();
  });

  it('refuses invalid settings with every issue and writes nothing', async () => {
    const { tenant, store, sink } = await setup();
    const before = await snapshotOf(store);
    const error = await tenant.clients
      .create({ name: '', app_type: 'web', callbacks: ['https://*.com/cb'] } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['/name', '/app_type', '/callbacks/0']),
    );
    expect(await snapshotOf(store)).toEqual(before);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      details: { operation: 'create_client', error: 'invalid_client_metadata' },
    });
  });

  it('gets, finds and refuses unknown or malformed ids', async () => {
    const { tenant } = await setup();
    await expect(tenant.clients.get('nope')).rejects.toBeInstanceOf(NotFoundError);
    expect(await tenant.clients.find('nope')).toBeUndefined();
    await expect(tenant.clients.get('' as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(tenant.clients.find(42 as never)).rejects.toThrow(
      /clientId must be a non-empty string/,
    );
  });

  it('lists in creation order, filtered by app type and paged, with the total', async () => {
    const { tenant } = await setup();
    const made = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        await tenant.clients.create({ name: `App ${i}`, app_type: i % 2 ? 'spa' : 'native' }),
      );
    }
    const all = await tenant.clients.list();
    expect(all.total).toBe(7);
    expect(all.clients.map((c) => c.name)).toEqual(made.map((c) => c.name));
    const spas = await tenant.clients.list({ appType: 'spa', page: 1, perPage: 2 });
    expect(spas.total).toBe(3);
    expect(spas.clients.map((c) => c.name)).toEqual(['App 5']);
    await expect(tenant.clients.list({ perPage: 101 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(tenant.clients.list({ appType: 'web' as never })).rejects.toThrow(/appType/);
    await expect(tenant.clients.list({ page: -1, perPage: 5 })).rejects.toThrow(/page/);
  });

  it('updates with a partial patch, merging jwt_configuration, validating the result', async () => {
    const { tenant } = await setup();
    const client = await tenant.clients.create({
      name: 'Web',
      app_type: 'regular_web',
      jwt_configuration: { lifetime_in_seconds: 600 },
    });
    const updated = await tenant.clients.update(client.client_id, {
      jwt_configuration: { alg: 'HS256' },
      description: 'back office',
    });
    expect(updated.jwt_configuration).toEqual({ lifetime_in_seconds: 600, alg: 'HS256' });
    expect(updated.description).toBe('back office');
    expect(updated.client_secret).toBe(client.client_secret);

    const error = await tenant.clients
      .update(client.client_id, { token_endpoint_auth_method: 'none' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toContain(
      '/jwt_configuration/alg',
    );
    expect((await tenant.clients.get(client.client_id)).token_endpoint_auth_method).toBe(
      'client_secret_post',
    );
  });

  it('adds or removes the secret when the client changes between public and confidential', async () => {
    const { tenant } = await setup();
    const web = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    const publicWeb = await tenant.clients.update(web.client_id, {
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
    });
    expect(publicWeb.client_secret).toBeUndefined();
    const again = await tenant.clients.update(web.client_id, {
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(again.client_secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(again.client_secret).not.toBe(web.client_secret);
  });

  it('refuses to change client_id or client_secret through update', async () => {
    const { tenant } = await setup();
    const web = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    const error = await tenant.clients
      .update(web.client_id, { client_id: 'x', client_secret: 'y' } as never)
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
      ['/client_id', 'read_only'],
      ['/client_secret', 'read_only'],
    ]);
    expect(JSON.stringify(error)).not.toContain(web.client_secret);
  });

  it('rotates the secret of a confidential client only', async () => {
    const { tenant } = await setup();
    const web = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    const rotated = await tenant.clients.rotateSecret(web.client_id);
    expect(rotated.client_secret).not.toBe(web.client_secret);
    expect((await tenant.clients.get(web.client_id)).client_secret).toBe(rotated.client_secret);
    const spa = await tenant.clients.create({ name: 'Spa', app_type: 'spa' });
    await expect(tenant.clients.rotateSecret(spa.client_id)).rejects.toThrow(/public/);
  });

  it('deletes a client with its grants, connection links and registration, atomically', async () => {
    const { tenant, store } = await setup();
    const keep = await tenant.clients.create({ name: 'Keep', app_type: 'spa' });
    const gone = await tenant.clients.create({ name: 'Gone', app_type: 'non_interactive' });
    await store.insert('connections', 'con_1', {
      id: 'con_1',
      name: 'db',
      strategy: 'auth0',
      enabled_clients: [keep.client_id, gone.client_id],
      options: {},
    });
    await store.insert('grants', 'cgr_1', {
      id: 'cgr_1',
      client_id: gone.client_id,
      audience: 'https://api',
      scope: [],
    });
    await store.insert('grants', 'cgr_2', {
      id: 'cgr_2',
      client_id: keep.client_id,
      audience: 'https://api',
      scope: [],
    });
    await store.insert('registrations', gone.client_id, { token_hash: 'x' });
    await tenant.clients.delete(gone.client_id);
    expect(await tenant.clients.find(gone.client_id)).toBeUndefined();
    expect(
      (await store.get<{ enabled_clients: string[] }>('connections', 'con_1'))?.value
        .enabled_clients,
    ).toEqual([keep.client_id]);
    expect((await store.list('grants')).map((g) => g.id)).toEqual(['cgr_2']);
    expect(await store.get('registrations', gone.client_id)).toBeUndefined();
    await expect(tenant.clients.delete(gone.client_id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('retries a patch that lost a race instead of overwriting the other write', async () => {
    const base = new MemoryStore();
    let raced = false;
    const store = wrapStore(base, {
      replace: async (collection, id, value, version) => {
        if (!raced && collection === 'clients') {
          raced = true;
          const current = await base.get<Record<string, unknown>>(collection, id);
          await base.replace(
            collection,
            id,
            { ...current!.value, description: 'concurrent' },
            version,
          );
        }
        return base.replace(collection, id, value, version);
      },
    });
    const { tenant } = await setup(store);
    const client = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    const updated = await tenant.clients.update(client.client_id, { name: 'Renamed' });
    expect(updated.name).toBe('Renamed');
    expect(updated.description).toBe('concurrent');
  });

  it('surfaces a conflict that keeps happening', async () => {
    const base = new MemoryStore();
    const store = wrapStore(base, {
      replace: () => Promise.reject(new ConflictError('always stale')),
    });
    const { tenant } = await setup(store);
    const client = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    await expect(tenant.clients.update(client.client_id, { name: 'x' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await tenant.clients.get(client.client_id)).name).toBe('Web');
  });

  it('records sapi for each write with the client id and name, and never the secret', async () => {
    const { tenant, sink } = await setup();
    const web = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    await tenant.clients.update(web.client_id, { description: 'x' });
    const rotated = await tenant.clients.rotateSecret(web.client_id);
    await tenant.clients.delete(web.client_id);
    await tenant.audit.flush();
    expect(
      sink.events.map((e) => [e.type, e.details.operation, e.client_id, e.client_name]),
    ).toEqual([
      ['sapi', 'create_client', web.client_id, 'Web'],
      ['sapi', 'update_client', web.client_id, 'Web'],
      ['sapi', 'rotate_secret', web.client_id, 'Web'],
      ['sapi', 'delete_client', web.client_id, 'Web'],
    ]);
    const text = JSON.stringify(sink.events);
    expect(text).not.toContain(web.client_secret);
    expect(text).not.toContain(rotated.client_secret);
  });

  it('creates the Default App on an empty store when asked', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({ domain: 'acme.example.com', store, defaultApp: true });
    const { clients } = await tenant.clients.list();
    expect(clients.map((c) => [c.name, c.app_type])).toEqual([['Default App', 'regular_web']]);
    await Tenant.create({ domain: 'acme.example.com', store, defaultApp: true });
    expect((await tenant.clients.list()).total).toBe(1);
  });
});

describe('Tenant.create options', () => {
  it.each([
    [{}, '/domain'],
    [{ domain: 'https://acme.example.com' }, '/domain'],
    [{ domain: 'acme.example.com/x' }, '/domain'],
    [{ domain: 'acme.example.com', issuer: 'acme' }, '/issuer'],
    [{ domain: 'acme.example.com', issuer: 'https://acme.example.com/?x' }, '/issuer'],
    [{ domain: 'acme.example.com', store: {} }, '/store'],
    [{ domain: 'acme.example.com', signingKeys: { algorithm: 'HS256' } }, '/signingKeys'],
    [
      { domain: 'acme.example.com', dynamicRegistration: { enabled: 'yes' } },
      '/dynamicRegistration/enabled',
    ],
    [
      {
        domain: 'acme.example.com',
        dynamicRegistration: { enabled: true, initialAccessToken: 'short' },
      },
      '/dynamicRegistration/initialAccessToken',
    ],
    [
      {
        domain: 'acme.example.com',
        dynamicRegistration: { enabled: true, initialAccessToken: undefined },
      },
      '/dynamicRegistration/initialAccessToken',
    ],
    [
      {
        domain: 'acme.example.com',
        dynamicRegistration: { enabled: true, initialAccessToken: '' },
      },
      '/dynamicRegistration/initialAccessToken',
    ],
    [
      {
        domain: 'acme.example.com',
        dynamicRegistration: { enabled: false, initialAccessToken: '' },
      },
      '/dynamicRegistration/initialAccessToken',
    ],
    [{ domain: 'acme.example.com', dynamicRegistration: null }, '/dynamicRegistration'],
    [{ domain: 'acme.example.com', dynamicRegistration: true }, '/dynamicRegistration'],
  ])('refuses %j at %s', async (options, path) => {
    const error = await Tenant.create(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).path).toBe(path);
  });

  it('defaults the issuer to https://{domain}/', async () => {
    expect((await Tenant.create({ domain: 'Acme.Example.com' })).issuer).toBe(
      'https://acme.example.com/',
    );
    expect(
      (await Tenant.create({ domain: '127.0.0.1:3000', issuer: 'http://127.0.0.1:3000/' })).issuer,
    ).toBe('http://127.0.0.1:3000/');
  });
});

describe('tenant.clients.anyAllowsOrigin', () => {
  it('answers for any client, and follows creates, updates and deletes', async () => {
    const { tenant } = await setup();
    expect(await tenant.clients.anyAllowsOrigin('https://shop.example.com')).toBe(false);
    const spa = await tenant.clients.create({
      name: 'Shop',
      app_type: 'spa',
      callbacks: ['https://shop.example.com/callback', 'com.example.app:/cb'],
      allowed_origins: ['https://*.cdn.example.com'],
    });
    await tenant.clients.create({
      name: 'Worker',
      app_type: 'non_interactive',
      callbacks: ['https://worker.example.com/cb'],
    });
    expect(await tenant.clients.anyAllowsOrigin('https://shop.example.com')).toBe(true);
    expect(await tenant.clients.anyAllowsOrigin('https://eu.cdn.example.com')).toBe(true);
    expect(await tenant.clients.anyAllowsOrigin('https://worker.example.com')).toBe(false);
    expect(await tenant.clients.anyAllowsOrigin('https://evil.example.com')).toBe(false);
    expect(await tenant.clients.anyAllowsOrigin('null')).toBe(false);
    expect(await tenant.clients.anyAllowsOrigin(undefined as never)).toBe(false);
    await tenant.clients.update(spa.client_id, { callbacks: ['https://new.example.com/callback'] });
    expect(await tenant.clients.anyAllowsOrigin('https://shop.example.com')).toBe(false);
    expect(await tenant.clients.anyAllowsOrigin('https://new.example.com')).toBe(true);
    await tenant.clients.delete(spa.client_id);
    expect(await tenant.clients.anyAllowsOrigin('https://new.example.com')).toBe(false);
  });

  it("on a store with a change feed, honours another instance's writes at once", async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({ domain: 'acme.example.com', store, now: () => 0 });
    const other = await Tenant.create({ domain: 'acme.example.com', store, now: () => 0 });
    expect(await tenant.clients.anyAllowsOrigin('https://late.example.com')).toBe(false);
    const late = await other.clients.create({
      name: 'Late',
      app_type: 'spa',
      allowed_origins: ['https://late.example.com'],
    });
    expect(await tenant.clients.anyAllowsOrigin('https://late.example.com')).toBe(true);
    await other.clients.update(late.client_id, { allowed_origins: ['https://later.example.com'] });
    expect(await tenant.clients.anyAllowsOrigin('https://late.example.com')).toBe(false);
    expect(await tenant.clients.anyAllowsOrigin('https://later.example.com')).toBe(true);
    await other.clients.delete(late.client_id);
    expect(await tenant.clients.anyAllowsOrigin('https://later.example.com')).toBe(false);
  });

  it('on a store without a change feed, sees writes by another process after at most a few seconds', async () => {
    const store = wrapStore(new MemoryStore(), {});
    let now = 0;
    const tenant = await Tenant.create({ domain: 'acme.example.com', store, now: () => now });
    const other = await Tenant.create({ domain: 'acme.example.com', store, now: () => now });
    expect(await tenant.clients.anyAllowsOrigin('https://late.example.com')).toBe(false);
    await other.clients.create({
      name: 'Late',
      app_type: 'spa',
      allowed_origins: ['https://late.example.com'],
    });
    expect(await tenant.clients.anyAllowsOrigin('https://late.example.com')).toBe(false);
    now += 5_001;
    expect(await tenant.clients.anyAllowsOrigin('https://late.example.com')).toBe(true);
  });
});

describe('changing app_type', () => {
  it('brings the auth method and grants the new type needs when the patch does not say', async () => {
    const { tenant } = await setup();
    const web = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    expect(web.grant_types).toContain('client_credentials');
    const spa = await tenant.clients.update(web.client_id, { app_type: 'spa' });
    expect(spa.token_endpoint_auth_method).toBe('none');
    expect(spa.client_secret).toBeUndefined();
    expect(spa.grant_types).toEqual(['authorization_code', 'implicit', 'refresh_token']);
    const worker = await tenant.clients.update(web.client_id, { app_type: 'non_interactive' });
    expect(worker.token_endpoint_auth_method).toBe('client_secret_post');
    expect(worker.client_secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  it('keeps what the patch says, and still refuses an impossible combination', async () => {
    const { tenant } = await setup();
    const web = await tenant.clients.create({ name: 'Web', app_type: 'regular_web' });
    const error = await tenant.clients
      .update(web.client_id, { app_type: 'spa', token_endpoint_auth_method: 'client_secret_post' })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.path)).toContain(
      '/token_endpoint_auth_method',
    );
    const hs = await tenant.clients.create({
      name: 'HS',
      app_type: 'regular_web',
      jwt_configuration: { alg: 'HS256' },
    });
    const refused = await tenant.clients
      .update(hs.client_id, { app_type: 'spa' })
      .catch((e: unknown) => e);
    expect((refused as ValidationError).issues.map((i) => i.path)).toContain(
      '/jwt_configuration/alg',
    );
    expect((await tenant.clients.get(hs.client_id)).app_type).toBe('regular_web');
  });
});
