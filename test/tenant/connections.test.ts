import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../src/index.js';
import {
  FileStore,
  InvalidArgumentError,
  MemoryStore,
  NotFoundError,
  Tenant,
  memorySink,
  type Store,
} from '../../src/index.js';
import { failure, pathsAndCodes, snapshotOf, wrapStore } from './helpers.js';

const GOOGLE_SECRET = 'google-app-secret-0123456789';
const SCRIPT_SECRET = 'db-script-secret-9876543210';

async function setup(store: Store = new MemoryStore()) {
  const sink = memorySink();
  const tenant = await Tenant.create({ domain: 'acme.example.com', store, auditSinks: [sink] });
  const spa = await tenant.clients.create({ name: 'Shop', app_type: 'spa' });
  const web = await tenant.clients.create({ name: 'Back Office', app_type: 'regular_web' });
  return { tenant, sink, store, spa, web };
}

describe('tenant.connections', () => {
  it('creates a connection with an id, returned as the contract shape plus a derived category', async () => {
    const { tenant, spa } = await setup();
    const google = await tenant.connections.create({
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: [spa.client_id],
      options: { client_id: 'google-app', client_secret: GOOGLE_SECRET },
    });
    expect(google).toEqual({
      id: expect.stringMatching(/^con_[A-Za-z0-9]{32}$/),
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: [spa.client_id],
      options: { client_id: 'google-app', client_secret: GOOGLE_SECRET },
    });
    expect(Object.keys(google)).toEqual(['id', 'name', 'strategy', 'enabled_clients', 'options']);
    expect(google.category).toBe('social');
    expect(google.options['client_secret']).toBe(GOOGLE_SECRET);
    expect(await tenant.connections.get(google.id)).toEqual(google);
  });

  it('derives the category of each kind of strategy', async () => {
    const { tenant } = await setup();
    const made = await Promise.all(
      (
        [
          ['db', 'auth0'],
          ['gh', 'github'],
          ['saml', 'samlp'],
          ['entra', 'waad'],
          ['mail', 'email'],
        ] as const
      ).map(([name, strategy]) =>
        // Entra ID (waad) needs options.client_id; the others take no required option.
        tenant.connections.create({
          name,
          strategy,
          ...(strategy === 'waad' ? { options: { client_id: 'entra-app' } } : {}),
        }),
      ),
    );
    expect(made.map((c) => c.category)).toEqual([
      'database',
      'social',
      'enterprise',
      'enterprise',
      'passwordless',
    ]);
  });

  it('returns frozen copies', async () => {
    const { tenant, spa } = await setup();
    const db = await tenant.connections.create({
      name: 'db',
      strategy: 'auth0',
      enabled_clients: [spa.client_id],
      options: { passwordPolicy: 'good', mfa: { active: true } },
    });
    expect(Object.isFrozen(db)).toBe(true);
    expect(Object.isFrozen(db.enabled_clients)).toBe(true);
    expect(Object.isFrozen(db.options)).toBe(true);
    expect(Object.isFrozen(db.options['mfa'])).toBe(true);
    expect(() => (db.enabled_clients as string[]).push('x')).toThrow(TypeError);
    expect(() => {
      (db.options as Record<string, unknown>)['passwordPolicy'] = 'none';
    }).toThrow(TypeError);
    expect(() => {
      (db as { category: string }).category = 'social';
    }).toThrow(TypeError);
    expect((await tenant.connections.get(db.id)).options).toEqual({
      passwordPolicy: 'good',
      mfa: { active: true },
    });
  });

  it('lists in creation order, finds by id and by name without regard to case', async () => {
    const { tenant } = await setup();
    const a = await tenant.connections.create({ name: 'Username-Password', strategy: 'auth0' });
    const b = await tenant.connections.create({ name: 'github', strategy: 'github' });
    expect((await tenant.connections.list()).map((c) => c.id)).toEqual([a.id, b.id]);
    expect(await tenant.connections.find('con_nope')).toBeUndefined();
    expect((await tenant.connections.findByName('username-password'))?.id).toBe(a.id);
    await expect(tenant.connections.get('con_nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(tenant.connections.get('' as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(tenant.connections.get({} as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses an invalid connection with every issue and writes nothing', async () => {
    const { tenant, store, sink } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.connections.create({
        name: 'my google',
        strategy: 'google',
        enabled_clients: ['a', 'a'],
        options: [] as never,
        domain: 'x',
      } as never),
    );
    expect((error as ValidationError).code).toBe('invalid_client_metadata');
    expect((error as ValidationError).kind).toBe('connection');
    expect(pathsAndCodes(error)).toEqual([
      ['/domain', 'unknown_property'],
      ['/name', 'invalid_format'],
      ['/strategy', 'unknown_strategy'],
      ['/enabled_clients/1', 'duplicate'],
      ['/options', 'invalid_type'],
    ]);
    expect(await snapshotOf(store)).toEqual(before);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      details: {
        operation: 'create_connection',
        error: 'invalid_client_metadata',
        kind: 'connection',
      },
    });
  });

  it('refuses hostile arguments with typed errors and writes nothing', async () => {
    const { tenant, store, spa } = await setup();
    const db = await tenant.connections.create({ name: 'db', strategy: 'auth0' });
    const before = await snapshotOf(store);
    for (const input of [null, undefined, 'db', [], 42, new Date(0)]) {
      const error = await failure(tenant.connections.create(input as never));
      expect(pathsAndCodes(error)).toEqual([['', 'invalid_type']]);
      expect(
        pathsAndCodes(await failure(tenant.connections.update(db.id, input as never))),
      ).toEqual([['', 'invalid_type']]);
    }
    const huge = await failure(
      tenant.connections.create({
        name: 'big',
        strategy: 'auth0',
        enabled_clients: new Array<string>(2_000_000),
      }),
    );
    expect(pathsAndCodes(huge)).toEqual([['/enabled_clients', 'too_many_items']]);
    const wrong = await failure(
      tenant.connections.create({
        name: 1,
        strategy: null,
        enabled_clients: [1, true, {}],
        options: 'secret',
      } as never),
    );
    expect(pathsAndCodes(wrong)).toEqual([
      ['/name', 'invalid_type'],
      ['/strategy', 'invalid_type'],
      ['/enabled_clients/0', 'invalid_type'],
      ['/enabled_clients/1', 'invalid_type'],
      ['/enabled_clients/2', 'invalid_type'],
      ['/options', 'invalid_type'],
    ]);
    for (const id of ['', 7, null, 'x'.repeat(257)]) {
      await expect(tenant.connections.update(id as never, {})).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(tenant.connections.delete(id as never)).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(tenant.connections.enableClient(db.id, id as never)).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(
        tenant.connections.disableClient(id as never, spa.client_id),
      ).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('keeps names unique per tenant, whatever their case', async () => {
    const { tenant, store } = await setup();
    const google = await tenant.connections.create({ name: 'Google', strategy: 'google-oauth2' });
    const before = await snapshotOf(store);
    const error = await failure(tenant.connections.create({ name: 'gOOGLE', strategy: 'github' }));
    expect(pathsAndCodes(error)).toEqual([['/name', 'already_exists']]);
    expect((error as Error).message).toContain(google.id);
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('refuses enabled clients that do not exist, naming them, and writes nothing', async () => {
    const { tenant, store, spa } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.connections.create({
        name: 'db',
        strategy: 'auth0',
        enabled_clients: [spa.client_id, 'ghost-1', 'ghost-2'],
      }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(
      'enabled_clients: clients do not exist: "ghost-1" (enabled_clients[1]), "ghost-2" (enabled_clients[2])',
    );
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('shares one connection across clients, and forClient lists what a client can use', async () => {
    const { tenant, spa, web } = await setup();
    const db = await tenant.connections.create({
      name: 'db',
      strategy: 'auth0',
      enabled_clients: [spa.client_id, web.client_id],
    });
    const google = await tenant.connections.create({
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: [spa.client_id],
    });
    await tenant.connections.create({ name: 'unused', strategy: 'github' });
    expect((await tenant.connections.forClient(spa.client_id)).map((c) => c.id)).toEqual([
      db.id,
      google.id,
    ]);
    expect((await tenant.connections.forClient(web.client_id)).map((c) => c.id)).toEqual([db.id]);
    const lonely = await tenant.clients.create({ name: 'Lonely', app_type: 'native' });
    expect(await tenant.connections.forClient(lonely.client_id)).toEqual([]);
    await expect(tenant.connections.forClient('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(tenant.connections.forClient(7 as never)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('enables and disables clients, idempotently', async () => {
    const { tenant, spa, web } = await setup();
    const db = await tenant.connections.create({ name: 'db', strategy: 'auth0' });
    expect((await tenant.connections.enableClient(db.id, spa.client_id)).enabled_clients).toEqual([
      spa.client_id,
    ]);
    await tenant.connections.enableClient(db.id, web.client_id);
    const again = await tenant.connections.enableClient(db.id, spa.client_id);
    expect(again.enabled_clients).toEqual([spa.client_id, web.client_id]);
    const disabled = await tenant.connections.disableClient(db.id, spa.client_id);
    expect(disabled.enabled_clients).toEqual([web.client_id]);
    expect((await tenant.connections.disableClient(db.id, spa.client_id)).enabled_clients).toEqual([
      web.client_id,
    ]);
    // A stale id can always be removed; only enabling needs an existing client.
    expect((await tenant.connections.disableClient(db.id, 'gone')).enabled_clients).toEqual([
      web.client_id,
    ]);
    await expect(tenant.connections.enableClient(db.id, 'nope')).rejects.toThrow(
      'clientId: client does not exist: "nope"',
    );
    await expect(tenant.connections.enableClient('con_nope', spa.client_id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('updates with a partial patch: options replaced as a whole, strategy immutable', async () => {
    const { tenant, store, spa, web } = await setup();
    const google = await tenant.connections.create({
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: [spa.client_id],
      options: { client_id: 'old', client_secret: 'old-secret', scope: ['email'] },
    });
    const updated = await tenant.connections.update(google.id, {
      options: { client_id: 'new', client_secret: 'new-secret' },
    });
    expect(updated.options).toEqual({ client_id: 'new', client_secret: 'new-secret' });
    expect(updated.enabled_clients).toEqual([spa.client_id]);
    expect((await tenant.connections.update(google.id, { name: 'GOOGLE' })).name).toBe('GOOGLE');
    const both = await tenant.connections.update(google.id, {
      enabled_clients: [web.client_id, spa.client_id],
    });
    expect(both.enabled_clients).toEqual([web.client_id, spa.client_id]);

    await tenant.connections.create({ name: 'github', strategy: 'github' });
    const before = await snapshotOf(store);
    expect(
      pathsAndCodes(
        await failure(tenant.connections.update(google.id, { strategy: 'github', name: 'Github' })),
      ),
    ).toEqual([['/strategy', 'read_only']]);
    expect(
      pathsAndCodes(await failure(tenant.connections.update(google.id, { name: 'Github' }))),
    ).toEqual([['/name', 'already_exists']]);
    await expect(
      tenant.connections.update(google.id, { enabled_clients: ['ghost'] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await snapshotOf(store)).toEqual(before);
    await expect(tenant.connections.update('con_nope', {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps enabled ids it already had when the patch repeats them', async () => {
    const { tenant, store, spa } = await setup();
    const db = await tenant.connections.create({
      name: 'db',
      strategy: 'auth0',
      enabled_clients: [spa.client_id],
    });
    // A client deleted behind the registry's back (a raw store write) stays tolerated.
    const record = await store.get<Record<string, unknown>>('connections', db.id);
    await store.replace(
      'connections',
      db.id,
      { ...record!.value, enabled_clients: [spa.client_id, 'stale'] },
      record!.version,
    );
    const updated = await tenant.connections.update(db.id, {
      enabled_clients: [spa.client_id, 'stale'],
      options: { a: 1 },
    });
    expect(updated.enabled_clients).toEqual([spa.client_id, 'stale']);
  });

  it('deletes a connection', async () => {
    const { tenant, spa } = await setup();
    const db = await tenant.connections.create({
      name: 'db',
      strategy: 'auth0',
      enabled_clients: [spa.client_id],
    });
    await tenant.connections.delete(db.id);
    expect(await tenant.connections.list()).toEqual([]);
    expect(await tenant.connections.forClient(spa.client_id)).toEqual([]);
    await expect(tenant.connections.delete(db.id)).rejects.toBeInstanceOf(NotFoundError);
    // The name is free again.
    await tenant.connections.create({ name: 'db', strategy: 'auth0' });
  });

  it('deleting a client removes it from every connection, end to end', async () => {
    const { tenant, spa, web } = await setup();
    const db = await tenant.connections.create({
      name: 'db',
      strategy: 'auth0',
      enabled_clients: [spa.client_id, web.client_id],
    });
    const google = await tenant.connections.create({
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: [spa.client_id],
    });
    await tenant.clients.delete(spa.client_id);
    expect((await tenant.connections.get(db.id)).enabled_clients).toEqual([web.client_id]);
    expect((await tenant.connections.get(google.id)).enabled_clients).toEqual([]);
    await expect(tenant.connections.forClient(spa.client_id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('leaves everything as it was when a write fails in the store', async () => {
    const base = new MemoryStore();
    let failing = false;
    const boom = () => Promise.reject(new Error('disk full'));
    const store = wrapStore(base, {
      commit: (ops) => (failing ? boom() : base.commit(ops)),
      replace: (c, id, v, version) => (failing ? boom() : base.replace(c, id, v, version)),
      delete: (c, id, version) => (failing ? boom() : base.delete(c, id, version)),
    });
    const { tenant, spa } = await setup(store);
    const db = await tenant.connections.create({ name: 'db', strategy: 'auth0' });
    const before = await snapshotOf(base);
    failing = true;
    await expect(tenant.connections.create({ name: 'x', strategy: 'auth0' })).rejects.toThrow();
    await expect(tenant.connections.update(db.id, { name: 'y' })).rejects.toThrow();
    await expect(tenant.connections.enableClient(db.id, spa.client_id)).rejects.toThrow();
    await expect(tenant.connections.delete(db.id)).rejects.toThrow();
    expect(await snapshotOf(base)).toEqual(before);
  });

  it('creates one connection when writers on one store race for a name', async () => {
    const store = new MemoryStore();
    const tenants = await Promise.all(
      [1, 2, 3].map(() => Tenant.create({ domain: 'acme.example.com', store })),
    );
    const results = await Promise.allSettled(
      tenants.flatMap((tenant) =>
        [1, 2, 3, 4].map(() => tenant.connections.create({ name: 'db', strategy: 'auth0' })),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await store.list('connections')).toHaveLength(1);
  });

  it('never loses an enable when many run at once', async () => {
    const { tenant } = await setup();
    const clients = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        tenant.clients.create({ name: `App ${i}`, app_type: 'spa' }),
      ),
    );
    const db = await tenant.connections.create({ name: 'db', strategy: 'auth0' });
    await Promise.all(clients.map((c) => tenant.connections.enableClient(db.id, c.client_id)));
    expect([...(await tenant.connections.get(db.id)).enabled_clients].sort()).toEqual(
      clients.map((c) => c.client_id).sort(),
    );
  });
});

describe('tenant.connections: secrets in options', () => {
  async function withSecrets() {
    const context = await setup();
    const google = await context.tenant.connections.create({
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: [context.spa.client_id],
      options: { client_id: 'google-app', client_secret: GOOGLE_SECRET, scope: ['email'] },
    });
    const db = await context.tenant.connections.create({
      name: 'db',
      strategy: 'auth0',
      options: {
        configuration: { API_KEY: SCRIPT_SECRET },
        customScripts: { login: 'function login() {}' },
        gateway_authentication: { secret: SCRIPT_SECRET, audience: 'x' },
      },
    });
    return { ...context, google, db };
  }

  it('keeps them readable but out of JSON and util.inspect', async () => {
    const { tenant, google, db } = await withSecrets();
    expect(google.options['client_secret']).toBe(GOOGLE_SECRET);
    const printed = [
      JSON.stringify(google),
      JSON.stringify(db),
      JSON.stringify(await tenant.connections.list()),
      JSON.stringify(google.options),
      JSON.stringify({ nested: [db] }),
      inspect(google, { depth: 10 }),
      inspect(db, { depth: 10 }),
      inspect(await tenant.connections.list(), { depth: 10 }),
      inspect(db.options, { depth: 10 }),
      `${String(google.name)} ${inspect({ google }, { depth: null })}`,
    ];
    for (const text of printed) {
      expect(text).not.toContain(GOOGLE_SECRET);
      expect(text).not.toContain(SCRIPT_SECRET);
    }
    expect(JSON.parse(JSON.stringify(google))).toEqual({
      id: google.id,
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: google.enabled_clients,
      options: { client_id: 'google-app', client_secret: '[redacted]', scope: ['email'] },
    });
    expect(JSON.parse(JSON.stringify(db)).options).toEqual({
      configuration: '[redacted]',
      customScripts: { login: 'function login() {}' },
      gateway_authentication: { secret: '[redacted]', audience: 'x' },
    });
    expect(inspect(google)).toMatch(/^Connection \{/);
    expect(inspect(google)).toContain("category: 'social'");
  });

  it('never puts options in audit events, on success or failure', async () => {
    const { tenant, sink, google, spa } = await withSecrets();
    await tenant.connections.update(google.id, {
      options: { client_id: 'google-app', client_secret: GOOGLE_SECRET },
    });
    await tenant.connections.enableClient(google.id, spa.client_id);
    await tenant.connections
      .create({ name: 'bad name', strategy: 'github', options: { client_secret: GOOGLE_SECRET } })
      .catch(() => undefined);
    await tenant.connections
      .update(google.id, { options: { client_secret: GOOGLE_SECRET, toJSON: 'x' } })
      .catch(() => undefined);
    await tenant.connections.delete(google.id);
    await tenant.audit.flush();
    const text = JSON.stringify(sink.events);
    expect(text).not.toContain(GOOGLE_SECRET);
    expect(text).not.toContain(SCRIPT_SECRET);
    expect(text).not.toContain('google-app');
    const events = sink.events.filter(
      (event) =>
        String(event.details['operation']).includes('connection') ||
        String(event.details['operation']).endsWith('_client'),
    );
    expect(events.map((event) => [event.type, event.details['operation']])).toEqual([
      ['sapi', 'create_client'],
      ['sapi', 'create_client'],
      ['sapi', 'create_connection'],
      ['sapi', 'create_connection'],
      ['sapi', 'update_connection'],
      ['sapi', 'enable_client'],
      ['fapi', 'create_connection'],
      ['fapi', 'update_connection'],
      ['sapi', 'delete_connection'],
    ]);
    expect(events[5]).toMatchObject({
      client_id: spa.client_id,
      client_name: 'Shop',
      details: { connection_id: google.id, changed: false },
    });
    expect(events[4]?.details).toMatchObject({ fields: ['options'], strategy: 'google-oauth2' });
  });
});

describe('tenant.connections: Auth0 connections as the Deploy CLI exports them', () => {
  const { connections: EXPORTED } = JSON.parse(
    readFileSync(new URL('../fixtures/auth0-connections.json', import.meta.url), 'utf8'),
  ) as { connections: Record<string, unknown>[] };
  /** Secrets in the fixture's options: each must stay out of every printed form. */
  const SECRETS = [
    'GOCSPX-acmeGoogleSecret-7Hk2Lq9',
    'MIIEvAcmeSamlRequestSigningKey',
    'entra~acmeClientSecret.9Qw3Er',
    'GOCSPX-acmeWorkspaceSecret-3Pf8',
  ];
  const TICKET = 'https://acme-prod.eu.auth0.com/p/ad/Wq8Zt3Nb';

  /**
   * The Deploy CLI writes `enabled_clients` as client names; like its importer, map them to
   * this tenant's client ids. Nothing else in an entry is changed.
   */
  function withClientIds(entry: Record<string, unknown>, ids: ReadonlyMap<string, string>) {
    const names = (entry['enabled_clients'] ?? []) as string[];
    return { ...entry, enabled_clients: names.map((name) => ids.get(name) ?? name) };
  }

  /** What a created connection holds: the entry without the read-only ticket URL, plus an id. */
  function expectedFrom(entry: Record<string, unknown>, id: string) {
    const { provisioning_ticket_url: _ticket, ...kept } = entry;
    return { id, ...kept };
  }

  async function importAll(store: Store = new MemoryStore()) {
    const sink = memorySink();
    const tenant = await Tenant.create({ domain: 'acme.example.com', store, auditSinks: [sink] });
    const ids = new Map<string, string>();
    for (const [name, app_type] of [
      ['Storefront', 'spa'],
      ['Back Office', 'regular_web'],
    ] as const) {
      ids.set(name, (await tenant.clients.create({ name, app_type })).client_id);
    }
    const inputs = EXPORTED.map((entry) => withClientIds(entry, ids));
    const connections = [];
    for (const input of inputs) {
      connections.push(await tenant.connections.create(input as never));
    }
    return { tenant, sink, inputs, connections };
  }

  it('creates every entry unchanged, dropping only the read-only provisioning_ticket_url', async () => {
    expect(EXPORTED.length).toBeGreaterThanOrEqual(5);
    const { inputs, connections } = await importAll();
    connections.forEach((connection, i) => {
      const input = inputs[i] ?? {};
      expect({ ...connection }).toEqual(expectedFrom(input, connection.id));
      expect(Object.keys(connection).sort()).toEqual(
        Object.keys(expectedFrom(input, connection.id)).sort(),
      );
    });
    expect(connections.map((c) => c.category)).toEqual([
      'social',
      'enterprise',
      'enterprise',
      'passwordless',
      'enterprise',
      'enterprise',
    ]);
    expect(connections[4]).not.toHaveProperty('provisioning_ticket_url');
    expect(connections[1]?.options['signing_key']).toEqual(
      (EXPORTED[1]?.['options'] as Record<string, unknown>)['signing_key'],
    );
  });

  it('round-trips: read back, reloaded from a file, and re-created from what it returned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clientele-connections-'));
    try {
      const file = join(dir, 'tenant.json');
      const { tenant, connections } = await importAll(new FileStore(file));
      const reopened = await Tenant.create({
        domain: 'acme.example.com',
        store: new FileStore(file),
      });
      expect((await reopened.connections.list()).map((c) => ({ ...c }))).toEqual(
        connections.map((c) => ({ ...c })),
      );
      for (const connection of connections) {
        await tenant.connections.delete(connection.id);
        const { id: _id, ...input } = connection;
        const again = await tenant.connections.create(input as never);
        expect({ ...again, id: connection.id }).toEqual({ ...connection });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns pass-through values frozen at every level, and includes them in toJSON', async () => {
    const { connections } = await importAll();
    const saml = connections[1]!;
    expect(Object.isFrozen(saml.realms)).toBe(true);
    expect(Object.isFrozen(saml.metadata)).toBe(true);
    expect(Object.isFrozen(saml.scim_configuration)).toBe(true);
    expect(Object.isFrozen((saml.scim_configuration?.['mapping'] as unknown[])[0])).toBe(true);
    expect(() => (saml.realms as string[]).push('x')).toThrow(TypeError);
    const json = JSON.parse(JSON.stringify(saml)) as Record<string, unknown>;
    expect(json).toMatchObject({
      display_name: 'Acme Partners SSO',
      show_as_button: true,
      realms: ['acme-saml'],
      metadata: { owner: 'partner-integrations', contract: 'PA-2024-118' },
      scim_configuration: saml.scim_configuration,
    });
    expect(inspect(saml, { depth: 10 })).toContain("display_name: 'Acme Partners SSO'");
  });

  it('updates pass-through fields with a patch; the ticket URL is read-only there', async () => {
    const { tenant, connections } = await importAll();
    const entra = connections[2]!;
    const updated = await tenant.connections.update(entra.id, {
      display_name: 'Contoso',
      realms: ['contoso.example', 'fabrikam.example'],
      metadata: {},
    });
    expect({ ...updated }).toEqual({
      ...entra,
      display_name: 'Contoso',
      realms: ['contoso.example', 'fabrikam.example'],
      metadata: {},
    });
    const error = await failure(
      tenant.connections.update(entra.id, {
        provisioning_ticket_url: TICKET,
        show_as_button: 'no',
      } as never),
    );
    expect(pathsAndCodes(error)).toEqual([
      ['/provisioning_ticket_url', 'read_only'],
      ['/show_as_button', 'invalid_type'],
    ]);
  });

  it('refuses a wrong type at its pointer, with a message naming the field', async () => {
    const { tenant, store } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.connections.create({
        name: 'acme-okta',
        strategy: 'okta',
        options: { client_id: 'acme-client', domain: 'acme.okta.com' },
        display_name: 42,
        realms: ['acme.example', null],
        metadata: { owner: { team: 'it' } },
      } as never),
    );
    expect((error as ValidationError).issues).toEqual([
      {
        path: '/display_name',
        code: 'invalid_type',
        message: 'display_name must be a string (got number)',
      },
      {
        path: '/realms/1',
        code: 'invalid_type',
        message: 'realms[1] must be a string (got null)',
      },
      {
        path: '/metadata/owner',
        code: 'invalid_type',
        message: 'metadata.owner must be a string or null (got object)',
      },
    ]);
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('keeps secrets and the ticket URL out of JSON, util.inspect and audit events', async () => {
    const { tenant, sink, connections } = await importAll();
    const google = connections[0]!;
    await tenant.connections.update(google.id, {
      options: { ...google.options, client_secret: 'GOCSPX-rotated-secret-0000' },
      display_name: 'Google',
    });
    await tenant.connections
      .create({ ...EXPORTED[4], name: 'bad name' } as never)
      .catch(() => undefined);
    await tenant.connections.delete(connections[1]!.id);
    await tenant.audit.flush();
    const printed = [
      JSON.stringify(await tenant.connections.list()),
      JSON.stringify(connections),
      inspect(connections, { depth: null }),
      inspect(await tenant.connections.list(), { depth: null }),
      JSON.stringify(sink.events),
      inspect(sink.events, { depth: null }),
    ];
    for (const text of printed) {
      for (const secret of [...SECRETS, 'GOCSPX-rotated-secret-0000', TICKET]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(JSON.stringify(sink.events)).not.toContain('partner-integrations');
  });
});
