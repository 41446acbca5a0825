/**
 * Drift against a live tenant: `readManagementApiTenant` and `clientele diff --live`
 * against the example server's Management API over HTTPS (a certificate made for the
 * test), with a client-credentials token and with a token given as it is. The library
 * reads with pages of 2 so every list takes several pages; the built CLI runs in a child
 * process that trusts the certificate through NODE_EXTRA_CA_CERTS, as a CI job would.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  diffTenants,
  readManagementApiTenant,
  type Client,
  type ManagementApiTenant,
  type TenantDiff,
} from 'clientele';
import { ROOT } from './helpers.js';
import { startManagementServer, tokenFor, type ManagementSetup } from './management-helpers.js';

const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

let setup: ManagementSetup;
let url: string;
let reader: Client;
let trusting: typeof fetch;
let dumpFile: string;

beforeAll(async () => {
  setup = await startManagementServer();
  url = `${setup.server.issuer}api/v2/`;
  const agent = new Agent({ connect: { ca: setup.ca } });
  trusting = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as never;
  const { tenant } = setup;
  reader = await setup.client('Drift reader', [
    'read:clients',
    'read:resource_servers',
    'read:client_grants',
    'read:connections',
  ]);
  const shop = await tenant.clients.create({
    name: 'Shop',
    app_type: 'spa',
    callbacks: ['https://shop.example.com/callback', 'https://shop.example.com/silent'],
    allowed_origins: ['https://shop.example.com'],
  });
  const workers: Client[] = [];
  for (const name of ['Worker A', 'Worker B', 'Worker C']) {
    workers.push(await tenant.clients.create({ name, app_type: 'non_interactive' }));
  }
  await tenant.apis.create({
    identifier: 'https://api.example.com/orders',
    name: 'Orders API',
    scopes: [{ value: 'read:orders' }, { value: 'write:orders' }],
  });
  for (const worker of workers) {
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: 'https://api.example.com/orders',
      scope: ['read:orders', 'write:orders'],
    });
  }
  await tenant.connections.create({
    name: 'Users',
    strategy: 'auth0',
    enabled_clients: [shop.client_id, ...workers.map((worker) => worker.client_id)],
  });
  await tenant.connections.create({ name: 'google-oauth2', strategy: 'google-oauth2' });
  await tenant.connections.create({ name: 'github', strategy: 'github' });
}, 120_000);

afterAll(async () => {
  await setup?.stop();
});

function read(options: Partial<Parameters<typeof readManagementApiTenant>[0]> = {}) {
  return readManagementApiTenant({
    url,
    clientId: reader.client_id,
    clientSecret: reader.client_secret!,
    fetch: trusting,
    pageSize: 2,
    ...options,
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, trusting the test certificate as a CI job would be told to. */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: setup.dir,
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: setup.caFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const rows = (diff: TenantDiff) =>
  diff.changes.map((c) => [c.kind, `${c.object.type}:${c.object.key}`, c.path, c.severity]);

describe('readManagementApiTenant over HTTPS', () => {
  it('reads every page of every list, without the grants of the client that reads', async () => {
    const live: ManagementApiTenant = await read();
    const names = live.clients.map((client) => client['name']).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'Automation',
        'Drift reader',
        'Shop',
        'Worker A',
        'Worker B',
        'Worker C',
      ]),
    );
    expect(live.clients.length).toBeGreaterThan(2);
    expect(live.resourceServers.map((api) => api['identifier'])).toEqual(
      expect.arrayContaining(['https://api.example.com/orders', url]),
    );
    const grantClients = live.clientGrants.map((grant) => grant['client_id']);
    expect(grantClients).not.toContain(reader.client_id);
    expect(grantClients).toContain(setup.admin.client_id);
    expect(
      live.clientGrants.filter((g) => g['audience'] === 'https://api.example.com/orders'),
    ).toHaveLength(3);
    const users = live.connections.find((connection) => connection['name'] === 'Users');
    expect(users?.['enabled_clients']).toHaveLength(4);
    expect(live.connections).toHaveLength(3);
    expect(JSON.stringify(live)).not.toContain(reader.client_secret!);
  });

  it('gives no change between a dump of the tenant and the tenant', async () => {
    const live = await read();
    expect((await diffTenants(live, await read({ pageSize: 100 }))).changes).toEqual([]);
  });

  it('refuses a wrong secret with the Management API status, never echoing the secret', async () => {
    const error = await read({ clientSecret: 'not-the-secret-at-all' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'tenant_unreadable', status: 401, source: url });
    expect(String((error as Error).message)).toMatch(
      /^POST \/oauth\/token \(client credentials\): 401 /,
    );
    expect(String((error as Error).message)).not.toContain('not-the-secret');
    const scoped = await setup.client('Reads clients only', ['read:clients']);
    const token = await tokenFor(setup, scoped);
    await expect(
      read({ token, clientId: undefined, clientSecret: undefined }),
    ).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/^GET \/resource-servers: 403 /),
    });
  });
});

describe('clientele diff --live over HTTPS', () => {
  beforeAll(async () => {
    dumpFile = path.join(setup.dir, 'dump.json');
    await writeFile(dumpFile, JSON.stringify(await read(), null, 2));
  });

  it('exits 0 when the tenant is as exported', async () => {
    const run = await cli([
      'diff',
      'dump.json',
      '--live',
      url,
      '--client-id',
      reader.client_id,
      '--client-secret',
      reader.client_secret!,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`dump.json -> ${url}\n\nno changes\n`);
  });

  it('reports what was changed in the tenant since, and with --reverse what a deploy would undo', async () => {
    const { tenant } = setup;
    const shop = (await tenant.clients.list()).clients.find((client) => client.name === 'Shop')!;
    await tenant.clients.update(shop.client_id, {
      callbacks: ['https://shop.example.com/callback'],
    });
    await tenant.clients.create({ name: 'Hand-made', app_type: 'regular_web' });
    const users = (await tenant.connections.list()).find(
      (connection) => connection.name === 'Users',
    )!;
    const workerC = (await tenant.clients.list()).clients.find(
      (client) => client.name === 'Worker C',
    )!;
    await tenant.connections.disableClient(users.id, workerC.client_id);

    const env = { AUTH0_CLIENT_ID: reader.client_id, AUTH0_CLIENT_SECRET: reader.client_secret! };
    const drift = await cli(['diff', 'dump.json', '--live', url, '--format', 'json'], env);
    expect(drift.stderr).toBe('');
    expect(drift.code).toBe(1);
    const report = JSON.parse(drift.stdout) as TenantDiff;
    expect(report.after).toEqual({ source: url, format: 'management-api' });
    expect(rows(report)).toEqual([
      ['added', 'client:Hand-made', '', 'change'],
      ['removed', 'client:Shop', '/callbacks/1', 'destructive'],
      ['removed', 'connection:Users', '/enabled_clients/3', 'destructive'],
    ]);
    expect(report.changes[1]?.location).toEqual({
      file: 'dump.json',
      line: expect.any(Number),
      column: expect.any(Number),
    });

    const deploy = await cli(
      ['diff', 'dump.json', '--live', url, '--reverse', '--format', 'json'],
      env,
    );
    expect(deploy.code).toBe(1);
    expect(rows(JSON.parse(deploy.stdout) as TenantDiff)).toEqual([
      ['removed', 'client:Hand-made', '', 'destructive'],
      ['added', 'client:Shop', '/callbacks/1', 'change'],
      ['added', 'connection:Users', '/enabled_clients/3', 'change'],
    ]);

    const token = await tokenFor(setup, reader);
    const byToken = await cli(['diff', 'dump.json', '--live', url, '--fail-on', 'destructive'], {
      AUTH0_ACCESS_TOKEN: token,
    });
    expect(byToken.code).toBe(1);
    // With a token the reader's own grants are not known to be its own, so they are there too.
    expect(byToken.stdout).toContain('client grant Drift reader -> ');
    expect(byToken.stdout).not.toContain(token);
  });

  it('exits 2 with one line when the tenant cannot be read', async () => {
    const run = await cli(['diff', 'dump.json', '--live', url, '--token', 'not-a-token']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^clientele: GET \/clients: 401 Unauthorized: .*\n$/);
    expect(run.stderr).not.toContain('not-a-token');
  });
});
