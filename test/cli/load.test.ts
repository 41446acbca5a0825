import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeywords, type KeywordMappings } from '../../src/cli/keywords.js';
import { loadTenantExport } from '../../src/cli/load.js';
import { FIXTURES } from './helpers.js';

let keywords: KeywordMappings;
let scratch: string;

beforeAll(async () => {
  const loaded = await loadKeywords('keywords.json', FIXTURES);
  if (!loaded.ok) throw new Error(loaded.reason);
  keywords = loaded.mappings;
  scratch = await mkdtemp(path.join(tmpdir(), 'clientele-cli-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const load = (target: string, mappings: KeywordMappings = {}) =>
  loadTenantExport(target, mappings, FIXTURES);

describe('the Deploy CLI YAML loader', () => {
  it('reads the clients list after replacing keywords', async () => {
    const { tenants, failures } = await load('deploy-yaml/tenant.yaml', keywords);
    expect(failures).toEqual([]);
    const [tenant] = tenants;
    expect(tenant?.format).toBe('deploy-cli-yaml');
    expect(tenant?.source).toBe('deploy-yaml/tenant.yaml');
    expect(tenant?.clients.map((client) => (client.raw as { name: string }).name)).toEqual([
      'staging Storefront',
      'staging Admin',
      'staging Worker',
    ]);
    const storefront = tenant?.clients[0]?.raw as Record<string, unknown>;
    expect(storefront['callbacks']).toEqual(keywords['SPA_CALLBACKS']);
    expect(storefront['allowed_origins']).toEqual(keywords['SPA_ORIGINS']);
    expect(storefront['web_origins']).toEqual(['https://staging.acme-shop.com']);
  });

  it('tells the source line of a pointer into a client, falling back to its parent', async () => {
    const { tenants } = await load('deploy-yaml/tenant.yaml', keywords);
    const admin = tenants[0]?.clients[1];
    expect(admin?.position).toBe(2);
    expect(admin?.lineOf('')).toBe(30);
    expect(admin?.lineOf('/callbacks/1')).toBe(34);
    expect(admin?.lineOf('/callbacks/9')).toBe(33);
    expect(admin?.lineOf('/no_such_field')).toBe(30);
  });

  it('supports anchors and << merge keys, as the Deploy CLI does', async () => {
    const { tenants, failures } = await load('merge-keys.yaml');
    expect(failures).toEqual([]);
    expect(tenants[0]?.clients.map((client) => client.raw)).toEqual([
      {
        app_type: 'spa',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        name: 'Shop',
        callbacks: ['https://shop.example.com/callback'],
      },
      {
        app_type: 'spa',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        name: 'Admin',
        callbacks: ['https://admin.example.com/callback'],
      },
    ]);
    expect(tenants[0]?.clients[1]?.lineOf('/callbacks/0')).toBe(17);
  });

  it('refuses duplicate keys, as the Deploy CLI does', async () => {
    const duplicate = path.join(scratch, 'duplicate-key.yaml');
    await writeFile(duplicate, 'clients:\n  - name: A\n    name: B\n    app_type: spa\n');
    const { failures } = await load(duplicate);
    expect(failures[0]?.reason).toMatch(
      /^invalid YAML at line 3, column 5: duplicated mapping key$/,
    );
  });

  it('says why a file is not a tenant export', async () => {
    const cases: [string, string][] = [
      [
        'bad/no-clients.yaml',
        'not a tenant export: no "clients" list at the top level (found tenant, connections)',
      ],
      [
        'bad/clients-not-list.yaml',
        'not a tenant export: "clients" must be a list, found an object',
      ],
      [
        'bad/array.json',
        'not a tenant export: the top level is a list; expected an object with a "clients" list',
      ],
      ['bad/empty.yaml', 'not a tenant export: the file is empty'],
      ['missing.yaml', 'no such file or directory'],
    ];
    for (const [file, reason] of cases) {
      expect(await load(file)).toEqual({ tenants: [], failures: [{ file, reason }] });
    }
  });

  it('reports unparsable YAML and JSON with a line and a column', async () => {
    const yaml = await load('bad/invalid-yaml.yaml');
    expect(yaml.failures[0]?.reason).toMatch(
      /^invalid YAML at line 4, column 4: bad indentation of a sequence entry$/,
    );
    const json = await load('bad/invalid-json.json');
    expect(json.failures[0]?.reason).toMatch(/^invalid JSON: .*line 3/);
  });

  it('hints at a keyword without a value when it breaks the syntax', async () => {
    const { failures } = await load('bad/unreplaced-keyword.yaml');
    expect(failures[0]?.reason).toMatch(
      /^invalid YAML at line 4, column 16: .*\(unreplaced keyword @@SHOP_CALLBACKS@@: give it a value with --keywords <file\.json>\)$/,
    );
    const fixed = await load('bad/unreplaced-keyword.yaml', {
      SHOP_CALLBACKS: ['https://shop.example.com/cb'],
    });
    expect(fixed.failures).toEqual([]);
  });
});

describe('the Deploy CLI directory loader', () => {
  it('reads clients/*.json in file-name order, ignoring other files and folders', async () => {
    const { tenants, failures } = await load('deploy-directory', keywords);
    expect(failures).toEqual([]);
    const [tenant] = tenants;
    expect(tenant?.format).toBe('deploy-cli-directory');
    expect(tenant?.clients.map((client) => [client.file, client.position])).toEqual([
      [path.join('deploy-directory', 'clients', 'Admin.json'), 1],
      [path.join('deploy-directory', 'clients', 'Storefront.json'), 2],
      [path.join('deploy-directory', 'clients', 'Worker.json'), 3],
    ]);
    const storefront = tenant?.clients[1]?.raw as Record<string, unknown>;
    expect(storefront['callbacks']).toEqual(keywords['SPA_CALLBACKS']);
    expect(tenant?.clients[1]?.lineOf('/web_origins/0')).toBe(10);
  });

  it('accepts the clients folder itself, and one file of it', async () => {
    const folder = await load('deploy-directory/clients', keywords);
    expect(folder.tenants[0]?.clients).toHaveLength(3);
    const single = await load('deploy-directory/clients/Worker.json', keywords);
    expect(single.tenants[0]?.format).toBe('deploy-cli-directory');
    expect(single.tenants[0]?.clients.map((client) => client.raw)).toEqual([
      { name: 'staging Worker', app_type: 'non_interactive', grant_types: ['client_credentials'] },
    ]);
  });

  it('refuses an empty directory and one without clients/', async () => {
    const empty = path.join(scratch, 'empty');
    await mkdir(empty);
    expect((await load(empty)).failures).toEqual([
      {
        file: empty,
        reason: 'not a tenant export: the directory is empty (expected clients/*.json)',
      },
    ]);
    expect((await load('deploy-yaml')).failures).toEqual([
      {
        file: 'deploy-yaml',
        reason:
          'not a tenant export: no clients/ directory (expected clients/*.json); did you mean tenant.yaml?',
      },
    ]);
  });

  it('checks an empty clients/ folder as an export without clients', async () => {
    const exported = path.join(scratch, 'no-clients-yet');
    await mkdir(path.join(exported, 'clients'), { recursive: true });
    const { tenants, failures } = await load(exported);
    expect(failures).toEqual([]);
    expect(tenants[0]?.clients).toEqual([]);
  });
});

describe('the clientele tenant JSON loader', () => {
  it('reads { clients, connections, apis }', async () => {
    const { tenants, failures } = await load('clientele.json');
    expect(failures).toEqual([]);
    expect(tenants[0]?.format).toBe('clientele-json');
    expect(tenants[0]?.clients).toHaveLength(3);
    expect(tenants[0]?.clients[1]?.lineOf('/callbacks/1')).toBe(13);
  });
});

describe('the FileStore loader', () => {
  it('reads the value of every record in collections.clients', async () => {
    const { tenants, failures } = await load('file-store.json');
    expect(failures).toEqual([]);
    expect(tenants[0]?.format).toBe('clientele-file-store');
    expect(tenants[0]?.clients.map((client) => (client.raw as { name: string }).name)).toEqual([
      'Stored Shop',
    ]);
    expect(tenants[0]?.clients[0]?.lineOf('/callbacks/1')).toBe(1);
  });

  it('reads a store without clients as an export without clients', async () => {
    const empty = path.join(scratch, 'store.json');
    await writeFile(
      empty,
      '{"format":"clientele-store","formatVersion":1,"revision":0,"collections":{}}\n',
    );
    const { tenants, failures } = await load(empty);
    expect(failures).toEqual([]);
    expect(tenants[0]?.clients).toEqual([]);
  });
});

describe('APIs, connections and client grants', () => {
  const names = (list: { raw: unknown }[] | undefined) =>
    list?.map((entry) => (entry.raw as { name?: string; client_id?: string }).name);

  it('are read from a Deploy CLI YAML file, database connections after the others', async () => {
    const { tenants, failures } = await load('references/bad-connections.yaml');
    expect(failures).toEqual([]);
    const [tenant] = tenants;
    expect(tenant?.apis).toBeUndefined();
    expect(tenant?.grants).toBeUndefined();
    expect(names(tenant?.connections)).toEqual([
      'google-oauth2',
      'Google-OAuth2',
      'Acme Okta',
      'Username-Password-Authentication',
      'username-password-authentication',
    ]);
    expect(tenant?.connections?.map((entry) => entry.position)).toEqual([1, 2, 3, 4, 5]);
    expect(tenant?.connections?.[3]?.lineOf('/enabled_clients/1')).toBe(36);
  });

  it('are read from resourceServers and clientGrants', async () => {
    const { tenants } = await load('references/bad-grants.yaml');
    expect(names(tenants[0]?.apis)).toEqual(['Orders API']);
    expect(tenants[0]?.grants).toHaveLength(6);
    expect(tenants[0]?.grants?.[1]?.lineOf('/client_id')).toBe(23);
  });

  it('are read from the apis and grants of clientele tenant JSON', async () => {
    const { tenants } = await load('references/by-id.json');
    expect(tenants[0]?.format).toBe('clientele-json');
    expect(names(tenants[0]?.apis)).toEqual(['Reports API']);
    expect(names(tenants[0]?.connections)).toEqual(['Username-Password-Authentication']);
    expect(tenants[0]?.grants).toHaveLength(2);
  });

  it('are read from the folders of a directory export', async () => {
    const { tenants, failures } = await load('references/directory');
    expect(failures).toEqual([]);
    const [tenant] = tenants;
    expect(names(tenant?.apis)).toEqual(['Orders API']);
    // connections/*.json, then database-connections/<name>/database.json (a folder without one is skipped).
    expect(tenant?.connections?.map((entry) => entry.file)).toEqual([
      path.join('references', 'directory', 'connections', 'google-oauth2.json'),
      path.join(
        'references',
        'directory',
        'database-connections',
        'Username-Password-Authentication',
        'database.json',
      ),
    ]);
    expect(tenant?.grants?.map((entry) => [entry.file, entry.position])).toEqual([
      [path.join('references', 'directory', 'grants', 'Ghost-Orders API.json'), 1],
      [path.join('references', 'directory', 'grants', 'Worker-Orders API.json'), 2],
    ]);
  });

  it('are absent from a directory export without their folders, and from the clients folder', async () => {
    const { tenants } = await load('deploy-directory', keywords);
    expect(tenants[0]?.apis).toHaveLength(1);
    expect(tenants[0]?.connections).toHaveLength(1);
    expect(tenants[0]?.grants).toBeUndefined();
    const folder = await load('references/directory/clients');
    expect(Object.keys(folder.tenants[0] ?? {})).toEqual(['source', 'format', 'clients']);
  });

  it('are read from the collections of a FileStore, without the ids the store assigned', async () => {
    const store = path.join(scratch, 'store-with-apis.json');
    const record = (id: string, value: object) => ({ id, version: 1, value: { id, ...value } });
    await writeFile(
      store,
      JSON.stringify({
        format: 'clientele-store',
        formatVersion: 1,
        revision: 3,
        collections: {
          clients: [record('c1', { name: 'Shop', app_type: 'spa' })],
          apis: [record('api_1', { identifier: 'https://api.example.com', name: 'API' })],
          grants: { cgr_1: record('cgr_1', { client_id: 'c1', audience: 'a', scope: [] }) },
        },
      }),
    );
    const { tenants, failures } = await load(store);
    expect(failures).toEqual([]);
    const [tenant] = tenants;
    expect((tenant?.clients[0]?.raw as { id?: string }).id).toBe('c1');
    expect(tenant?.apis?.map((entry) => entry.raw)).toEqual([
      { identifier: 'https://api.example.com', name: 'API' },
    ]);
    expect(tenant?.connections).toEqual([]);
    expect(tenant?.grants?.map((entry) => entry.raw)).toEqual([
      { client_id: 'c1', audience: 'a', scope: [] },
    ]);
  });

  it('make databases connections with strategy auth0 unless they name one, as the Deploy CLI does', async () => {
    const yaml = path.join(scratch, 'databases.yaml');
    await writeFile(
      yaml,
      'clients: []\ndatabases:\n  - name: users\n  - name: legacy\n    strategy: auth0\n  - just a string\n',
    );
    const fromYaml = await load(yaml);
    expect(fromYaml.tenants[0]?.connections?.map((entry) => entry.raw)).toEqual([
      { name: 'users', strategy: 'auth0' },
      { name: 'legacy', strategy: 'auth0' },
      'just a string',
    ]);
    const directory = path.join(scratch, 'databases-directory');
    await mkdir(path.join(directory, 'clients'), { recursive: true });
    await mkdir(path.join(directory, 'database-connections', 'users'), { recursive: true });
    await writeFile(
      path.join(directory, 'database-connections', 'users', 'database.json'),
      JSON.stringify({ name: 'users', customScripts: { login: './login.js' } }),
    );
    const fromDirectory = await load(directory);
    // The Deploy CLI moves top-level customScripts into options.
    expect(fromDirectory.tenants[0]?.connections?.map((entry) => entry.raw)).toEqual([
      { name: 'users', options: { customScripts: { login: './login.js' } }, strategy: 'auth0' },
    ]);
  });

  it('must each be a list when given', async () => {
    expect(await load('references/apis-not-a-list.yaml')).toEqual({
      tenants: [],
      failures: [
        {
          file: 'references/apis-not-a-list.yaml',
          reason: '"resourceServers" must be a list of APIs, found an object',
        },
      ],
    });
    const empty = path.join(scratch, 'null-lists.yaml');
    await writeFile(empty, 'clients: []\nresourceServers:\nclientGrants: []\n');
    const { tenants } = await load(empty);
    expect(tenants[0]?.apis).toBeUndefined();
    expect(tenants[0]?.grants).toEqual([]);
  });
});
