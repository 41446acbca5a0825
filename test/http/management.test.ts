/**
 * createManagementApi called in-process with Fetch Requests: authorisation, every
 * resource, Auth0's error shape, and the refusals. The SDK and the Deploy CLI drive it
 * over HTTPS in management-tools.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, type Client } from 'clientele';
import {
  MANAGEMENT_SCOPES,
  createManagementApi,
  ensureManagementApi,
  managementAudience,
  type Handler,
} from 'clientele/http';
import { snapshotOf } from '../tenant/helpers.js';

const ALL = Object.keys(MANAGEMENT_SCOPES);
const NO_KEYS = ALL.filter((scope) => scope !== 'read:client_keys');

let store: MemoryStore;
let tenant: Tenant;
let api: Handler;
let admin: string; // every scope
let noKeys: string; // every scope but read:client_keys
let readOnly: string; // read:clients only
let worker: Client;

async function m2m(name: string, scope: string[]): Promise<string> {
  const client = await tenant.clients.create({
    name,
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
  });
  await tenant.apis.grant({
    client_id: client.client_id,
    audience: managementAudience(tenant),
    scope,
  });
  return (await tenant.issueAccessToken(client.client_id, { audience: managementAudience(tenant) }))
    .access_token;
}

function call(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; raw?: string; type?: string } = {},
): Promise<Response> {
  const token = options.token === undefined ? admin : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.raw !== undefined || options.body !== undefined) {
    headers['content-type'] = options.type ?? 'application/json';
    body = options.raw ?? JSON.stringify(options.body);
  }
  return api(
    new Request(`https://id.example.com/api/v2${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    }),
  );
}

async function json(response: Response): Promise<Record<string, unknown> & unknown[]> {
  return (await response.json()) as Record<string, unknown> & unknown[];
}

beforeAll(async () => {
  store = new MemoryStore();
  tenant = await Tenant.create({ domain: 'id.example.com', store });
  await ensureManagementApi(tenant);
  api = createManagementApi(tenant);
  admin = await m2m('Admin', ALL);
  noKeys = await m2m('No keys', NO_KEYS);
  readOnly = await m2m('Read only', ['read:clients']);
  worker = await tenant.clients.create({
    name: 'Worker',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
});

describe('authorisation', () => {
  it('answers 401 with a Bearer challenge without a token', async () => {
    const response = await call('GET', '/clients', { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="https://id.example.com/api/v2/"',
    );
    expect(await json(response)).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing authentication',
      errorCode: 'invalid_token',
    });
  });

  it('answers 401 invalid_token for a malformed, foreign, wrong-audience or expired token', async () => {
    const orders = await tenant.apis.create({
      identifier: 'https://orders.example.com',
      name: 'Orders',
      scopes: [{ value: 'read:clients' }],
    });
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: orders.identifier,
      scope: ['read:clients'],
    });
    const wrongAudience = (
      await tenant.issueAccessToken(worker.client_id, { audience: orders.identifier })
    ).access_token;
    const other = await Tenant.create({ domain: 'id.example.com' });
    await ensureManagementApi(other);
    const stranger = await other.clients.create({
      name: 'S',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await other.apis.grant({
      client_id: stranger.client_id,
      audience: managementAudience(other),
      scope: ALL,
    });
    const foreign = (
      await other.issueAccessToken(stranger.client_id, { audience: managementAudience(other) })
    ).access_token;
    const past = await Tenant.create({
      domain: 'id.example.com',
      store,
      now: () => Date.now() - 2 * 86_400_000,
    });
    const adminClient = (await tenant.clients.list()).clients.find((c) => c.name === 'Admin')!;
    const expired = (
      await past.issueAccessToken(adminClient.client_id, { audience: managementAudience(past) })
    ).access_token;
    const cases: [string, string, RegExp][] = [
      ['garbage', 'Bearer notajwt', /Invalid token/],
      ['basic', `Basic ${Buffer.from('a:b').toString('base64')}`, /header format/],
      ['wrong audience', `Bearer ${wrongAudience}`, /Bad audience/],
      ['other tenant', `Bearer ${foreign}`, /signature|Invalid token/],
      ['expired', `Bearer ${expired}`, /Expired/],
    ];
    for (const [name, header, message] of cases) {
      const response = await api(
        new Request('https://id.example.com/api/v2/clients', {
          headers: { authorization: header },
        }),
      );
      expect(response.status, name).toBe(401);
      expect(response.headers.get('www-authenticate'), name).toMatch(
        /^Bearer realm=".*", error="invalid_token"/,
      );
      expect((await json(response)).message, name).toMatch(message);
    }
  });

  it('answers 403 insufficient_scope without the endpoint scope', async () => {
    const response = await call('POST', '/clients', { token: readOnly, body: { name: 'x' } });
    expect(response.status).toBe(403);
    expect(await json(response)).toMatchObject({
      statusCode: 403,
      errorCode: 'insufficient_scope',
      message: 'Insufficient scope, expected any of: create:clients',
    });
    expect(response.headers.get('www-authenticate')).toContain('scope="create:clients"');
    expect((await call('GET', '/clients', { token: readOnly })).status).toBe(200);
    expect((await call('GET', '/logs', { token: readOnly })).status).toBe(403);
  });

  it('refuses the token of a client that was deleted', async () => {
    const token = await m2m('Short-lived', ['read:clients']);
    const id = (await tenant.clients.list()).clients.find(
      (c) => c.name === 'Short-lived',
    )!.client_id;
    expect((await call('GET', '/clients', { token })).status).toBe(200);
    await tenant.clients.delete(id);
    expect((await call('GET', '/clients', { token })).status).toBe(401);
  });
});

describe('/clients', () => {
  it('creates (201), reads, updates, rotates and deletes (204), matching the tenant', async () => {
    const created = await call('POST', '/clients', {
      body: { name: 'Shop', app_type: 'regular_web', callbacks: ['https://shop.example.com/cb'] },
    });
    expect(created.status).toBe(201);
    const body = await json(created);
    const id = body.client_id as string;
    const held = await tenant.clients.get(id);
    expect(body.client_secret).toBe(held.client_secret);
    expect({ ...body, client_secret: undefined }).toEqual({
      ...held.toJSON(),
      client_secret: undefined,
    });

    expect(await json(await call('GET', `/clients/${id}`))).toEqual({
      ...held.toJSON(),
      client_secret: held.client_secret,
    });
    const patched = await json(await call('PATCH', `/clients/${id}`, { body: { name: 'Shop 2' } }));
    expect(patched.name).toBe('Shop 2');
    expect((await tenant.clients.get(id)).name).toBe('Shop 2');

    const rotated = await json(await call('POST', `/clients/${id}/rotate-secret`));
    const after = await tenant.clients.get(id);
    expect(rotated.client_secret).toBe(after.client_secret);
    expect(after.client_secret).not.toBe(held.client_secret);

    const deleted = await call('DELETE', `/clients/${id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect(await tenant.clients.find(id)).toBeUndefined();
    expect((await call('GET', `/clients/${id}`)).status).toBe(404);
  });

  it('never returns a client_secret without read:client_keys', async () => {
    const created = await json(
      await call('POST', '/clients', {
        token: noKeys,
        body: { name: 'Secretive', app_type: 'regular_web' },
      }),
    );
    const id = created.client_id as string;
    expect((await tenant.clients.get(id)).client_secret).toBeTypeOf('string');
    const responses = [
      created,
      await json(await call('GET', `/clients/${id}`, { token: noKeys })),
      await json(
        await call('PATCH', `/clients/${id}`, { token: noKeys, body: { description: 'x' } }),
      ),
      await json(await call('POST', `/clients/${id}/rotate-secret`, { token: noKeys })),
      await json(await call('GET', '/clients', { token: noKeys })),
      await json(await call('GET', '/logs', { token: noKeys })),
    ];
    const secret = (await tenant.clients.get(id)).client_secret!;
    for (const response of responses) {
      expect(JSON.stringify(response)).not.toContain('client_secret":"');
      expect(JSON.stringify(response)).not.toContain(secret);
    }
  });

  it('lists with page, per_page, include_totals, fields, include_fields and app_type', async () => {
    const { clients, total } = await tenant.clients.list();
    const page = await json(await call('GET', '/clients?page=1&per_page=2&include_totals=true'));
    expect(page).toMatchObject({ start: 2, limit: 2, length: 2, total });
    expect((page.clients as { client_id: string }[]).map((c) => c.client_id)).toEqual(
      clients.slice(2, 4).map((c) => c.client_id),
    );
    const plain = await json(await call('GET', '/clients?per_page=3'));
    expect(plain).toHaveLength(3);
    const named = await json(
      await call('GET', '/clients?fields=name,app_type&include_fields=true'),
    );
    expect(Object.keys(named[0] as object).sort()).toEqual(['app_type', 'name']);
    const without = await json(
      await call('GET', '/clients?fields=callbacks,name&include_fields=false'),
    );
    expect(without[0]).not.toHaveProperty('name');
    expect(without[0]).toHaveProperty('client_id');
    const m2mOnly = await json(await call('GET', '/clients?app_type=non_interactive'));
    expect(m2mOnly.length).toBe(clients.filter((c) => c.app_type === 'non_interactive').length);
    expect(await json(await call('GET', '/clients?is_global=true'))).toEqual([]);
  });

  it('refuses paging out of range, unknown parameters and unknown app types, naming them', async () => {
    for (const query of [
      'per_page=101',
      'per_page=0',
      'page=-1',
      'page=abc',
      'include_totals=yes',
      'colour=red',
      'app_type=robot',
      'page=1&page=2',
    ]) {
      const response = await call('GET', `/clients?${query}`);
      expect(response.status, query).toBe(400);
      const body = await json(response);
      expect(body.errorCode, query).toBe('invalid_query_string');
      expect(body.message, query).toMatch(new RegExp(query.split('=')[0]!));
    }
  });

  it('answers 400 for bad JSON, a non-object, another media type, and unknown fields (named), leaving data as it was', async () => {
    const before = await snapshotOf(store);
    const bad = await call('POST', '/clients', { raw: '{"name":' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toMatch(/JSON/);
    expect((await call('POST', '/clients', { raw: '[1]' })).status).toBe(400);
    expect(
      (await call('POST', '/clients', { raw: 'name=x', type: 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(400);
    const unknown = await json(
      await call('POST', '/clients', {
        body: { name: 'x', colour: 'red', callbacks: ['not a url'] },
      }),
    );
    expect(unknown).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
    expect(unknown.message).toContain('/colour');
    expect(unknown.message).toContain('/callbacks/0');
    const patch = await json(
      await call('PATCH', `/clients/${worker.client_id}`, { body: { shape: 1 } }),
    );
    expect(patch.message).toContain('/shape');
    expect(await snapshotOf(store)).toEqual(before);
  });

  it('answers 404 inexistent_client for unknown ids and 413 for a huge body', async () => {
    for (const [method, path] of [
      ['GET', '/clients/nope'],
      ['PATCH', '/clients/nope'],
      ['DELETE', '/clients/nope'],
      ['POST', '/clients/nope/rotate-secret'],
      ['GET', '/clients/nope/credentials'],
    ] as const) {
      const response = await call(method, path, method === 'PATCH' ? { body: { name: 'x' } } : {});
      expect(response.status, path).toBe(404);
      expect((await json(response)).errorCode, path).toBe('inexistent_client');
    }
    const huge = await call('POST', '/clients', {
      body: { name: 'x', description: 'y'.repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    expect((await call('PUT', '/clients')).status).toBe(405);
  });
});

describe('/resource-servers and /client-grants', () => {
  it('creates, reads, filters, updates and deletes, matching the tenant', async () => {
    const created = await call('POST', '/resource-servers', {
      body: {
        identifier: 'https://reports.example.com',
        name: 'Reports',
        scopes: [{ value: 'read:reports' }],
      },
    });
    expect(created.status).toBe(201);
    const rs = await json(created);
    expect(rs).toEqual((await tenant.apis.get('https://reports.example.com')).toJSON());
    expect((await json(await call('GET', `/resource-servers/${rs.id as string}`))).name).toBe(
      'Reports',
    );
    const list = await json(await call('GET', '/resource-servers?include_totals=true'));
    const system = (list.resource_servers as { identifier: string; is_system?: boolean }[]).find(
      (r) => r.identifier === managementAudience(tenant),
    );
    expect(system?.is_system).toBe(true);
    expect(
      (
        await call('PATCH', `/resource-servers/${encodeURIComponent(managementAudience(tenant))}`, {
          body: { name: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('POST', '/resource-servers', {
          body: { identifier: 'https://reports.example.com', name: 'Again' },
        })
      ).status,
    ).toBe(409);

    const grant = await json(
      await call('POST', '/client-grants', {
        body: {
          client_id: worker.client_id,
          audience: 'https://reports.example.com',
          scope: ['read:reports'],
        },
      }),
    );
    expect(
      await tenant.apis.grants({
        client_id: worker.client_id,
        audience: 'https://reports.example.com',
      }),
    ).toEqual([grant]);
    expect(
      (
        await call('POST', '/client-grants', {
          body: {
            client_id: worker.client_id,
            audience: 'https://reports.example.com',
            scope: ['read:reports'],
          },
        })
      ).status,
    ).toBe(409);
    const filtered = await json(
      await call(
        'GET',
        `/client-grants?audience=${encodeURIComponent('https://reports.example.com')}&include_totals=true`,
      ),
    );
    expect(filtered).toMatchObject({ total: 1, client_grants: [grant] });
    expect(
      await json(
        await call('GET', `/client-grants?client_id=${worker.client_id}&per_page=1&page=5`),
      ),
    ).toEqual([]);
    const updated = await json(
      await call('PATCH', `/client-grants/${grant.id as string}`, { body: { scope: [] } }),
    );
    expect(updated.scope).toEqual([]);
    expect((await call('PATCH', '/client-grants/cgr_nope', { body: { scope: [] } })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/client-grants/${grant.id as string}`)).status).toBe(204);
    expect(
      (
        await call('PATCH', `/resource-servers/${rs.id as string}`, {
          body: { token_lifetime: 60 },
        })
      ).status,
    ).toBe(200);
    expect((await tenant.apis.get(rs.id as string)).token_lifetime).toBe(60);
    expect((await call('DELETE', `/resource-servers/${rs.id as string}`)).status).toBe(204);
    expect((await call('GET', `/resource-servers/${rs.id as string}`)).status).toBe(404);
  });
});

describe('/connections', () => {
  it('creates, filters, pages by offset and by checkpoint, and enables clients', async () => {
    const ids: string[] = [];
    for (const [name, strategy] of [
      ['db-1', 'auth0'],
      ['gh', 'github'],
      ['db-2', 'auth0'],
    ] as const) {
      const response = await call('POST', '/connections', { body: { name, strategy } });
      expect(response.status).toBe(201);
      ids.push((await json(response)).id as string);
    }
    const databases = await json(await call('GET', '/connections?strategy=auth0'));
    expect(databases.map((c) => (c as { name: string }).name)).toEqual(['db-1', 'db-2']);
    expect(
      await json(await call('GET', '/connections?strategy=auth0&strategy=github&name=gh')),
    ).toHaveLength(1);
    const first = await json(await call('GET', '/connections?take=2&include_totals=true'));
    expect((first.connections as unknown[]).length).toBe(2);
    expect(first.next).toBe(ids[2]);
    const second = await json(
      await call('GET', `/connections?take=2&from=${first.next as string}`),
    );
    expect((second.connections as { id: string }[]).map((c) => c.id)).toEqual([ids[2]]);
    expect(second).not.toHaveProperty('next');
    expect((await call('GET', '/connections?from=con_nope')).status).toBe(400);
    expect((await call('GET', '/connections?take=101')).status).toBe(400);

    const patch = await call('PATCH', `/connections/${ids[0]!}/clients`, {
      body: [{ client_id: worker.client_id, status: true }],
    });
    expect(patch.status).toBe(204);
    expect((await tenant.connections.get(ids[0]!)).enabled_clients).toEqual([worker.client_id]);
    expect(await json(await call('GET', `/connections/${ids[0]!}/clients`))).toEqual({
      clients: [{ client_id: worker.client_id }],
    });
    const badItems = await json(
      await call('PATCH', `/connections/${ids[0]!}/clients`, {
        body: [{ client_id: 'x', status: 'on', extra: 1 }, 5],
      }),
    );
    expect(badItems.message).toMatch(/extra/);
    expect(badItems.message).toMatch(/\/1 must be an object/);
    expect(
      (
        await call('PATCH', `/connections/${ids[0]!}/clients`, {
          body: [{ client_id: 'nope', status: true }],
        })
      ).status,
    ).toBe(404);
    await call('PATCH', `/connections/${ids[0]!}/clients`, {
      body: [{ client_id: worker.client_id, status: false }],
    });
    expect((await tenant.connections.get(ids[0]!)).enabled_clients).toEqual([]);
    expect((await call('GET', '/connections/con_nope')).status).toBe(404);
    expect((await call('DELETE', `/connections/${ids[1]!}`)).status).toBe(204);
  });

  it('shows option secrets only with read:connections_options', async () => {
    const created = await json(
      await call('POST', '/connections', {
        body: {
          name: 'google',
          strategy: 'google-oauth2',
          options: { client_id: 'g', client_secret: 'g-secret' },
        },
      }),
    );
    expect((created.options as { client_secret: string }).client_secret).toBe('g-secret');
    const hidden = await json(
      await call('GET', `/connections/${created.id as string}`, {
        token: noKeys,
      }),
    );
    expect(JSON.stringify(hidden)).toContain('g-secret'); // noKeys still holds read:connections_options
    const limited = await m2m('Connections reader', ['read:connections']);
    expect(
      JSON.stringify(
        await json(await call('GET', `/connections/${created.id as string}`, { token: limited })),
      ),
    ).not.toContain('g-secret');
  });
});

describe('/logs', () => {
  it('finds management operations by type and client_id, pages, and reads one by id', async () => {
    const created = await json(
      await call('POST', '/clients', { body: { name: 'Logged', app_type: 'spa' } }),
    );
    const id = created.client_id as string;
    await call('PATCH', `/clients/${id}`, { body: { description: 'changed' } });
    const mine = await json(
      await call('GET', `/logs?q=${encodeURIComponent(`type:sapi AND client_id:"${id}"`)}`),
    );
    expect(mine.map((e) => (e as { details: { operation: string } }).details.operation)).toEqual([
      'update_client',
      'create_client',
    ]);
    const search = await json(
      await call('GET', `/logs?search=${encodeURIComponent(`client_id:${id}`)}&sort=date:1`),
    );
    expect(search.map((e) => (e as { details: { operation: string } }).details.operation)).toEqual([
      'create_client',
      'update_client',
    ]);
    const failures = await json(
      await call('GET', '/logs?q=type:fapi&include_totals=true&per_page=1'),
    );
    expect(failures.total).toBeGreaterThan(0);
    const logId = (mine[0] as { log_id: string }).log_id;
    expect(await json(await call('GET', `/logs/${logId}`))).toEqual(mine[0]);
    expect((await call('GET', '/logs/nope')).status).toBe(404);
    const all = await json(await call('GET', '/logs?take=100'));
    const after = await json(
      await call('GET', `/logs?from=${(all[0] as { log_id: string }).log_id}&take=2`),
    );
    expect(after).toEqual(all.slice(1, 3));
    for (const query of [
      'q=name:x',
      'q=type:(sapi OR fapi',
      'take=0',
      'sort=name:1',
      'q=a&search=b',
    ]) {
      expect((await call('GET', `/logs?${query}`)).status, query).toBe(400);
    }
  });
});

describe('read-only tenant endpoints', () => {
  it('answer truthfully that there are no actions and no directory provisionings', async () => {
    expect(await json(await call('GET', '/actions/actions'))).toMatchObject({
      actions: [],
      total: 0,
    });
    expect(await json(await call('GET', '/connections-directory-provisionings'))).toEqual({
      directory_provisionings: [],
    });
    expect((await call('GET', '/tenants/settings', { token: readOnly })).status).toBe(403);
  });
});
