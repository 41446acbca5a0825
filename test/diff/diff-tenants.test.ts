/**
 * diffTenants on tenant documents in memory and on files: pairing as the Deploy CLI pairs,
 * normalisation before comparing, pointers, severities and masked secrets.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffTenants, TenantReadError, type TenantChange } from '../../src/index.js';

type Doc = Record<string, unknown>;

/** [kind, object key, path, severity] of each change. */
const rows = (changes: readonly TenantChange[]) =>
  changes.map((c) => [c.kind, `${c.object.type}:${c.object.key}`, c.path, c.severity]);

const spa = (extra: Doc = {}): Doc => ({
  name: 'Storefront',
  app_type: 'spa',
  callbacks: ['https://shop.example.com/callback'],
  allowed_logout_urls: ['https://shop.example.com/'],
  ...extra,
});

const tenant = (extra: Doc = {}): Doc => ({
  clients: [spa(), { name: 'Worker', app_type: 'non_interactive' }],
  resourceServers: [
    {
      name: 'Orders API',
      identifier: 'https://api.example.com/orders',
      scopes: [
        { value: 'read:orders', description: 'Read orders' },
        { value: 'write:orders', description: 'Write orders' },
      ],
    },
  ],
  clientGrants: [
    {
      client_id: 'Worker',
      audience: 'https://api.example.com/orders',
      scope: ['read:orders', 'write:orders'],
    },
  ],
  connections: [
    {
      name: 'google-oauth2',
      strategy: 'google-oauth2',
      enabled_clients: ['Storefront'],
      options: { client_id: 'g-id', client_secret: 'g-secret-1' },
    },
  ],
  databases: [{ name: 'Users', enabled_clients: ['Storefront', 'Worker'] }],
  ...extra,
});

describe('diffTenants', () => {
  it('finds nothing between a tenant and itself', async () => {
    const diff = await diffTenants(tenant(), tenant());
    expect(diff.changes).toEqual([]);
    expect(diff.summary).toEqual({ objects: 0, changes: 0, destructive: 0 });
    expect(diff.compared).toEqual(['client', 'api', 'connection', 'grant']);
    expect(diff.before).toEqual({ source: '(document)', format: 'clientele-json' });
  });

  it('fills in defaults, splits comma lists and ignores key order before comparing', async () => {
    const written = tenant({
      clients: [
        {
          callbacks: 'https://shop.example.com/callback',
          app_type: 'spa',
          name: 'Storefront',
          allowed_logout_urls: ['https://shop.example.com/'],
          token_endpoint_auth_method: 'none',
          grant_types: ['implicit', 'authorization_code', 'refresh_token'],
          jwt_configuration: { lifetime_in_seconds: 36000, alg: 'RS256' },
          sso_disabled: false,
          is_first_party: true,
          web_origins: [],
          client_metadata: {},
        },
        { name: 'Worker', app_type: 'non_interactive', grant_types: ['client_credentials'] },
      ],
    });
    expect((await diffTenants(tenant(), written)).changes).toEqual([]);
  });

  it('compares URL lists as sets of the URLs Auth0 tells apart', async () => {
    const respelled = tenant({
      clients: [
        spa({
          callbacks: ['HTTPS://Shop.Example.COM:443/callback'],
          allowed_logout_urls: ['https://shop.example.com'],
        }),
        { name: 'Worker', app_type: 'non_interactive' },
      ],
    });
    expect((await diffTenants(tenant(), respelled)).changes).toEqual([]);

    const moved = tenant({
      clients: [
        spa({
          callbacks: ['https://shop.example.com/callback/', 'https://shop.example.com/Callback'],
        }),
        { name: 'Worker', app_type: 'non_interactive' },
      ],
    });
    const diff = await diffTenants(tenant(), moved);
    expect(rows(diff.changes)).toEqual([
      ['removed', 'client:Storefront', '/callbacks/0', 'destructive'],
      ['added', 'client:Storefront', '/callbacks/0', 'change'],
      ['added', 'client:Storefront', '/callbacks/1', 'change'],
    ]);
    expect(diff.changes[0]).toMatchObject({
      before: 'https://shop.example.com/callback',
      reason: 'logins that redirect to this callback URL are refused',
    });
    expect(diff.changes[1]).toMatchObject({ after: 'https://shop.example.com/callback/' });
  });

  it('reports added and removed objects, and rates deletions destructive', async () => {
    const after = tenant({
      clients: [spa(), { name: 'Billing', app_type: 'regular_web' }],
      clientGrants: [],
      databases: [],
    });
    const diff = await diffTenants(tenant(), after);
    expect(rows(diff.changes)).toEqual([
      ['added', 'client:Billing', '', 'change'],
      ['removed', 'client:Worker', '', 'destructive'],
      ['removed', 'connection:Users', '', 'destructive'],
      ['removed', 'grant:Worker -> https://api.example.com/orders', '', 'destructive'],
    ]);
    expect(diff.changes[0]?.after).toMatchObject({
      name: 'Billing',
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(diff.summary).toEqual({ objects: 4, changes: 4, destructive: 3 });
  });

  it('rates narrowing grants, disabling connections and changing algorithms destructive', async () => {
    const after = tenant({
      clients: [
        spa({ jwt_configuration: { alg: 'PS256' } }),
        {
          name: 'Worker',
          app_type: 'non_interactive',
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      clientGrants: [
        { client_id: 'Worker', audience: 'https://api.example.com/orders', scope: ['read:orders'] },
      ],
      databases: [{ name: 'Users', enabled_clients: ['Worker'] }],
    });
    const diff = await diffTenants(tenant(), after);
    expect(rows(diff.changes)).toEqual([
      ['changed', 'client:Storefront', '/jwt_configuration/alg', 'destructive'],
      ['changed', 'client:Worker', '/token_endpoint_auth_method', 'destructive'],
      ['removed', 'connection:Users', '/enabled_clients/0', 'destructive'],
      ['removed', 'grant:Worker -> https://api.example.com/orders', '/scope/1', 'destructive'],
    ]);
    expect(diff.changes.map((c) => [c.before, c.after])).toEqual([
      ['RS256', 'PS256'],
      ['client_secret_post', 'client_secret_basic'],
      ['Storefront', undefined],
      ['write:orders', undefined],
    ]);
  });

  it('compares API scopes by value and reports a changed description at the after index', async () => {
    const after = tenant({
      resourceServers: [
        {
          name: 'Orders API',
          identifier: 'https://api.example.com/orders',
          scopes: [
            { value: 'write:orders', description: 'Create and change orders' },
            { value: 'read:orders', description: 'Read orders' },
          ],
        },
      ],
    });
    const diff = await diffTenants(tenant(), after);
    expect(diff.changes).toEqual([
      {
        kind: 'changed',
        object: { type: 'api', key: 'https://api.example.com/orders', name: 'Orders API' },
        path: '/scopes/0/description',
        before: 'Write orders',
        after: 'Create and change orders',
        severity: 'change',
      },
    ]);
  });

  it('pairs objects by id first, so a renamed client is a change of its name', async () => {
    const before = tenant({
      clients: [
        { ...spa(), client_id: 'abc' },
        { name: 'Worker', app_type: 'non_interactive' },
      ],
    });
    const after = tenant({
      clients: [
        { ...spa(), name: 'Shop', client_id: 'abc' },
        { name: 'Worker', app_type: 'non_interactive' },
      ],
      connections: [
        {
          name: 'google-oauth2',
          strategy: 'google-oauth2',
          enabled_clients: ['abc'],
          options: { client_id: 'g-id', client_secret: 'g-secret-1' },
        },
      ],
      databases: [{ name: 'Users', enabled_clients: ['abc', 'Worker'] }],
    });
    const diff = await diffTenants(before, after);
    expect(rows(diff.changes)).toEqual([['changed', 'client:Shop', '/name', 'change']]);
  });

  it('resolves client ids to names, so a Management API dump compares with an export', async () => {
    const dump = tenant({
      clients: [
        {
          ...spa(),
          client_id: 'id-shop',
          tenant: 'acme',
          global: false,
          callback_url_template: false,
        },
        { name: 'Worker', app_type: 'non_interactive', client_id: 'id-worker' },
      ],
      resourceServers: [
        {
          id: 'rs1',
          name: 'Orders API',
          identifier: 'https://api.example.com/orders',
          scopes: [
            { value: 'read:orders', description: 'Read orders' },
            { value: 'write:orders', description: 'Write orders' },
          ],
        },
        {
          id: 'rs0',
          name: 'Auth0 Management API',
          identifier: 'https://x/api/v2/',
          is_system: true,
        },
      ],
      clientGrants: [
        {
          id: 'cgr1',
          client_id: 'id-worker',
          audience: 'https://api.example.com/orders',
          scope: ['write:orders', 'read:orders'],
        },
        { id: 'cgr0', client_id: 'x', audience: 'https://x/api/v2/', scope: [], is_system: true },
      ],
      connections: [
        {
          id: 'con1',
          name: 'google-oauth2',
          strategy: 'google-oauth2',
          enabled_clients: ['id-shop'],
          realms: ['google-oauth2'],
          options: { client_id: 'g-id', client_secret: 'g-secret-1' },
        },
        {
          id: 'con2',
          name: 'Users',
          strategy: 'auth0',
          enabled_clients: ['id-worker', 'id-shop'],
          options: { configuration: { KEY: 'v' } },
        },
      ],
      databases: undefined,
    });
    expect((await diffTenants(tenant(), dump)).changes).toEqual([]);
  });

  it('does not compare enabled_clients with a connection that does not state them', async () => {
    const after = tenant({ databases: [{ name: 'Users' }] });
    expect((await diffTenants(tenant(), after)).changes).toEqual([]);
  });

  it('leaves alone the object types one side has no list of', async () => {
    const after = tenant({ resourceServers: undefined, clientGrants: null });
    const diff = await diffTenants(tenant(), after);
    expect(diff.compared).toEqual(['client', 'connection']);
    expect(diff.changes).toEqual([]);
  });

  it('masks secrets and does not compare a secret one side only stands in for', async () => {
    const changed = tenant({
      connections: [
        {
          name: 'google-oauth2',
          strategy: 'google-oauth2',
          enabled_clients: ['Storefront'],
          options: { client_id: 'g-id', client_secret: 'g-secret-2', scope: ['email'] },
        },
      ],
    });
    const diff = await diffTenants(tenant(), changed);
    expect(diff.changes.map((c) => [c.path, c.before, c.after])).toEqual([
      ['/options/client_secret', '[redacted]', '[redacted]'],
      ['/options/scope', undefined, ['email']],
    ]);
    expect(JSON.stringify(diff)).not.toMatch(/g-secret/);

    const exported = tenant({
      connections: [
        {
          name: 'google-oauth2',
          strategy: 'google-oauth2',
          enabled_clients: ['Storefront'],
          options: { client_id: 'g-id', client_secret: '##CONNECTIONS_GOOGLE_OAUTH2_SECRET##' },
        },
      ],
    });
    expect((await diffTenants(tenant(), exported)).changes).toEqual([]);

    const added = await diffTenants(
      tenant({ resourceServers: [] }),
      tenant({
        resourceServers: [
          {
            identifier: 'https://hs.example.com',
            signing_alg: 'HS256',
            signing_secret: 'an-api-secret-of-32-bytes-or-more!',
          },
        ],
      }),
    );
    expect(added.changes).toHaveLength(1);
    expect(added.changes[0]?.after).toMatchObject({ signing_secret: '[redacted]' });
    expect(JSON.stringify(added)).not.toContain('an-api-secret');
  });

  it('pairs grants as the Deploy CLI does: client and audience, and default grants by audience', async () => {
    const grants = (...list: Doc[]) => tenant({ clientGrants: list });
    const before = grants(
      { client_id: 'Worker', audience: 'https://api.example.com/orders', scope: ['read:orders'] },
      { default_for: 'third_party_clients', audience: 'https://api.example.com/orders', scope: [] },
    );
    const after = grants(
      {
        default_for: 'third_party_clients',
        audience: 'https://api.example.com/orders',
        scope: ['read:orders'],
      },
      {
        client_id: 'Worker',
        audience: 'https://api.example.com/orders',
        scope: ['read:orders'],
        subject_type: 'client',
      },
    );
    expect(rows((await diffTenants(before, after)).changes)).toEqual([
      ['added', 'grant:Worker -> https://api.example.com/orders', '/subject_type', 'destructive'],
      [
        'added',
        'grant:third_party_clients -> https://api.example.com/orders',
        '/scope/0',
        'change',
      ],
    ]);
  });

  it('refuses what it cannot read, naming the side', async () => {
    await expect(diffTenants('no/such/tenant.yaml', tenant())).rejects.toThrow(
      new TenantReadError(
        'no/such/tenant.yaml',
        'before: no/such/tenant.yaml: no such file or directory',
      ),
    );
    await expect(diffTenants(tenant(), { connections: [] })).rejects.toMatchObject({
      code: 'tenant_unreadable',
      message: expect.stringMatching(/^after: not a tenant export: no "clients" list/),
    });
    await expect(diffTenants(tenant(), [] as never)).rejects.toMatchObject({
      code: 'tenant_unreadable',
    });
    await expect(diffTenants(tenant(), tenant(), null as never)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});

describe('diffTenants on files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'clientele-diff-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses an object nested deeper than MAX_DIFF_DEPTH instead of walking it', async () => {
    const nested = (depth: number, leaf: string) =>
      '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
    const file = (depth: number, leaf: string) =>
      `{"clients":[],"connections":[{"name":"db","strategy":"auth0","options":{"x":${nested(depth, leaf)}}}]}`;
    await writeFile(path.join(dir, 'deep1.json'), file(20_000, '1'));
    await writeFile(path.join(dir, 'deep2.json'), file(20_000, '2'));
    await expect(diffTenants('deep1.json', 'deep2.json', { cwd: dir })).rejects.toMatchObject({
      code: 'tenant_unreadable',
      message:
        'deep1.json: connection #1 nests more than 100 levels deep; a diff does not compare it',
    });
    await writeFile(path.join(dir, 'ok1.json'), file(95, '1'));
    await writeFile(path.join(dir, 'ok2.json'), file(95, '2'));
    const diff = await diffTenants('ok1.json', 'ok2.json', { cwd: dir });
    expect(diff.changes.map((c) => [c.kind, c.path.split('/').length])).toEqual([['changed', 98]]); // '', options, x and 95 × a
  });

  it('reads YAML and JSON with keyword replacement and compares them', async () => {
    await writeFile(
      path.join(dir, 'before.yaml'),
      [
        'clients:',
        '  - name: "Storefront"',
        '    app_type: spa',
        '    callbacks: [ "##SHOP##/callback" ]',
        '    allowed_logout_urls: "##SHOP##/"',
        '  - {name: Worker, app_type: non_interactive}',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'after.json'),
      JSON.stringify({ clients: [spa(), { app_type: 'non_interactive', name: 'Worker' }] }),
    );
    const diff = await diffTenants('before.yaml', 'after.json', {
      cwd: dir,
      keywords: { SHOP: 'https://shop.example.com' },
    });
    expect(diff.changes).toEqual([]);
    expect(diff.before).toEqual({ source: 'before.yaml', format: 'deploy-cli-yaml' });
    expect(diff.compared).toEqual(['client']);
  });
});
