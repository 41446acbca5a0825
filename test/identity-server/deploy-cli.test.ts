/**
 * Auth0's Deploy CLI (auth0-deploy-cli v8) against the example server's Management API over
 * HTTPS, driven as a team's automation script drives it: its `deploy` and `dump` functions
 * with a config file (AUTH0_DOMAIN = 127.0.0.1:<port>, a client of the tenant,
 * AUTH0_INCLUDED_ONLY), in a child process (a0deploy-driver.mjs) that trusts the test
 * certificate through NODE_EXTRA_CA_CERTS. Import of examples/tenant.yaml into a fresh
 * tenant (nothing but its Default App, the CLI's own client, and the Management API that a
 * user created first under another name) read back through the library; an export that
 * states what was imported, and a second import of it (a dry run) that finds no changes;
 * then changes made through the library, found in a second export. The imported file adds
 * log streams to a receiver in this process (examples/tenant.yaml plus a `logStreams`
 * section): the export states them without their secrets, a real import of that export
 * leaves the secret in place (the server still sends it), and the dry run finds no change.
 *
 * Every import spends most of its time compiling the CLI's own 8 MB JSON schema (ajv 6,
 * twice per import; exports do not validate), not waiting for the server: about 20 s of
 * CPU the first time in a process, a third of that once V8 has compiled it. So all the
 * commands run in one process, the suite imports twice (the file, then the export as a dry
 * run) and checks the other direction with exports, which cost seconds. The long limits
 * guard against a hang and measure nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, TenantDiff } from 'clientele';
import { run as clientele } from '../../src/cli/run.js';
import { jsonLines, startReceiver, type Received, type Receiver } from '../log-streams/receiver.js';
import { ROOT } from './helpers.js';
import {
  httpsCall,
  startManagementServer,
  tokenFor,
  type ManagementSetup,
} from './management-helpers.js';

const DRIVER = path.join(ROOT, 'test/identity-server/a0deploy-driver.mjs');
const EXAMPLE = path.join(ROOT, 'examples/tenant.yaml');
const INCLUDED = [
  'clients',
  'resourceServers',
  'clientGrants',
  'connections',
  'databases',
  'logStreams',
];
/** The secret the imported log stream sends as its Authorization header. */
const STREAM_SECRET = 'Bearer acme-siem-token-7c1f';
/** Bound for one command: a guard against a hang, not a performance check. */
const RUN_LIMIT_MS = 600_000;
const TEST_LIMIT_MS = RUN_LIMIT_MS + 60_000;

type Item = Record<string, unknown>;
interface TenantFile {
  clients: Item[];
  resourceServers: Item[];
  clientGrants: Item[];
  connections: Item[];
  databases: Item[];
  logStreams?: Item[];
}

let setup: ManagementSetup;
let siem: Receiver;
/** examples/tenant.yaml with a logStreams section to `siem`. */
let importFile: string;
let config: string;
let exportDir: string;
let input: TenantFile;
/** Names of the clients a fresh tenant has: the CLI's own client (and a Default App). */
let baseline: Set<string>;

beforeAll(async () => {
  // The Management API's identifier is taken first under another name (as a user can):
  // the export must still leave the system API out, or the import after it fails (403).
  setup = await startManagementServer({ systemApiCreatedAs: 'Our admin API' });
  config = path.join(setup.dir, 'a0deploy.json');
  exportDir = path.join(setup.dir, 'export');
  await writeFile(
    config,
    JSON.stringify({
      AUTH0_DOMAIN: setup.domain,
      AUTH0_CLIENT_ID: setup.admin.client_id,
      AUTH0_CLIENT_SECRET: setup.admin.client_secret,
      AUTH0_INCLUDED_ONLY: INCLUDED,
    }),
  );
  siem = await startReceiver();
  input = yaml.load(await readFile(EXAMPLE, 'utf8')) as TenantFile;
  input.logStreams = [
    {
      name: 'Acme SIEM',
      type: 'http',
      filters: [{ type: 'category', name: 'management.success' }],
      sink: {
        httpEndpoint: `${siem.origin}/auth0/logs`,
        httpContentFormat: 'JSONLINES',
        httpContentType: 'application/json',
        httpAuthorization: STREAM_SECRET,
        httpCustomHeaders: [{ header: 'X-Source', value: 'auth0' }],
      },
    },
  ];
  importFile = path.join(setup.dir, 'tenant-with-streams.yaml');
  await writeFile(importFile, yaml.dump(input));
  baseline = new Set((await setup.tenant.clients.list()).clients.map((client) => client.name));
  a0deploy = new A0deploy();
}, 120_000);

afterAll(async () => {
  await a0deploy?.stop();
  await setup?.stop();
  await siem?.close();
});

interface Run {
  /** `ok`, `failed`, or how the driver process ended before the command did. */
  status: string;
  /** What the command printed on stdout, then on stderr. */
  output: string;
}

/** The line the driver prints on stdout and on stderr when a command ends. */
const DONE = /\n@@a0deploy (ok|failed)\n/;

/** The driver process: runs one command at a time, in order, in one CLI process. */
class A0deploy {
  private stdout = '';
  private stderr = '';
  private ended: string | undefined;
  private waiting: ((run: Run) => void) | undefined;
  private readonly child: ChildProcess;

  constructor() {
    this.child = spawn(process.execPath, [DRIVER], {
      cwd: setup.dir,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: setup.caFile },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const { stdout, stderr } = this.child;
    if (!stdout || !stderr) throw new Error('spawn gave no stdout or stderr pipe');
    stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.settle();
    });
    stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.settle();
    });
    this.child.on('exit', (code, signal) => {
      this.ended = `exited (${signal ?? code})`;
      this.settle();
    });
  }

  /** Runs `command` with the CLI's `params` and the config file, to its end (killed past the guard). */
  run(command: 'deploy' | 'dump', params: Record<string, unknown>): Promise<Run> {
    return new Promise((resolve) => {
      const guard = setTimeout(() => this.child.kill('SIGKILL'), RUN_LIMIT_MS);
      this.waiting = (run) => {
        clearTimeout(guard);
        resolve(run);
      };
      this.child.send({ command, ...params, config_file: config });
      this.settle();
    });
  }

  /** Ends the process and waits for it. */
  async stop(): Promise<void> {
    if (this.ended !== undefined) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }

  private settle(): void {
    if (!this.waiting) return;
    const out = DONE.exec(this.stdout);
    const err = DONE.exec(this.stderr);
    let run: Run;
    if (out && err) {
      run = {
        status: out[1] ?? '',
        output: this.stdout.slice(0, out.index) + this.stderr.slice(0, err.index),
      };
      this.stdout = this.stdout.slice(out.index + out[0].length);
      this.stderr = this.stderr.slice(err.index + err[0].length);
    } else if (this.ended !== undefined) {
      run = { status: this.ended, output: this.stdout + this.stderr };
    } else {
      return;
    }
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve(run);
  }
}

let a0deploy: A0deploy;

/**
 * The request to the SIEM receiver that carried an event matching `test`, waiting for the
 * server's batching (1 s by default); the limit guards against a hang and measures nothing.
 */
async function receivedWhere(test: (event: AuditEvent) => boolean): Promise<Received> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const found = siem.accepted.find((request) =>
      jsonLines(request.body).some((r) => test(r.data)),
    );
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the SIEM receiver got no such event');
}

function expectSuccess(run: Run): void {
  expect(run.status, run.output).toBe('ok');
}

const byName = (items: readonly Item[]) =>
  [...items].sort((a, b) => String(a.name).localeCompare(String(b.name)));

/** A connection or database as the files state it, enabled clients as a sorted set. */
const connectionShape = ({ enabled_clients: enabled, ...rest }: Item) => ({
  ...rest,
  enabled_clients: [...((enabled as string[] | undefined) ?? [])].sort(),
});

/** The client as the CLI sends it: it renames the deprecated `cross_origin_auth`. */
function sent({ cross_origin_auth: legacy, ...client }: Item): Item {
  return legacy === undefined ? client : { ...client, cross_origin_authentication: legacy };
}

/** What the tenant holds, by the names the files use for clients. */
async function held(): Promise<TenantFile> {
  const { tenant } = setup;
  const all = (await tenant.clients.list()).clients;
  const nameOf = new Map(all.map((client) => [client.client_id, client.name]));
  const clients = all.filter((client) => !baseline.has(client.name));
  const names = (ids: readonly string[]) => ids.map((id) => nameOf.get(id) ?? id).sort();
  const connections = (await tenant.connections.list()).map((connection): Item => ({
    ...(connection.toJSON() as unknown as Item),
    options: { ...connection.options },
    enabled_clients: names(connection.enabled_clients),
  }));
  const apis = (await tenant.apis.list()).filter((api) => !api.identifier.endsWith('/api/v2/'));
  return {
    clients: clients.map((client) => client.toJSON() as unknown as Item),
    resourceServers: apis.map((api) => api.toJSON() as unknown as Item),
    clientGrants: (await tenant.apis.grants())
      .filter((grant) => !grant.audience.endsWith('/api/v2/'))
      .map((grant) => ({ ...grant, client_id: nameOf.get(grant.client_id) })),
    connections: connections.filter((connection) => connection.strategy !== 'auth0'),
    databases: connections.filter((connection) => connection.strategy === 'auth0'),
  };
}

/** Every item of `expected` is in `actual` (by name, or client and audience) with its fields. */
function expectHolds(actual: TenantFile, expected: TenantFile): void {
  for (const kind of ['clients', 'resourceServers'] as const) {
    expect(byName(actual[kind]), kind).toMatchObject(
      byName(expected[kind]).map(kind === 'clients' ? sent : (item) => item),
    );
  }
  for (const kind of ['connections', 'databases'] as const) {
    expect(byName(actual[kind]).map(connectionShape), kind).toMatchObject(
      byName(expected[kind]).map(connectionShape),
    );
  }
  const grantKey = (grant: Item) => `${String(grant.client_id)} ${String(grant.audience)}`;
  const grants = (list: readonly Item[]) =>
    [...list].sort((a, b) => grantKey(a).localeCompare(grantKey(b)));
  expect(grants(actual.clientGrants), 'clientGrants').toMatchObject(grants(expected.clientGrants));
}

/** `file` without the clients the tenant had before the first import. */
function withoutBaseline(file: TenantFile): TenantFile {
  return { ...file, clients: file.clients.filter((c) => !baseline.has(String(c.name))) };
}

/** The file a yaml export (`dump` with `format: 'yaml'`) writes into its output folder. */
const exportFile = () => path.join(exportDir, 'tenant.yaml');

async function exported(): Promise<TenantFile> {
  return yaml.load(await readFile(exportFile(), 'utf8')) as TenantFile;
}

describe('a0deploy against the example server', () => {
  it(
    'imports examples/tenant.yaml and a log stream into a fresh tenant, which then holds what the file states',
    async () => {
      expect(await held()).toEqual({
        clients: [],
        resourceServers: [],
        clientGrants: [],
        connections: [],
        databases: [],
      });
      expectSuccess(await a0deploy.run('deploy', { input_file: importFile }));
      const tenant = await held();
      expect(tenant.clients).toHaveLength(input.clients.length);
      expectHolds(tenant, input);
      const [stream] = await setup.tenant.logStreams.list();
      expect(await setup.tenant.logStreams.list()).toHaveLength(1);
      const { httpAuthorization: _secret, ...shown } = input.logStreams![0]!.sink as Item;
      expect(stream).toEqual({
        id: expect.stringMatching(/^lst_/),
        name: 'Acme SIEM',
        type: 'http',
        status: 'active',
        filters: [{ type: 'category', name: 'management.success' }],
        sink: shown,
      });
    },
    TEST_LIMIT_MS,
  );

  it(
    'exports what was imported, without a secret (log streams included); a real import of the export keeps the stream secret; a dry-run import finds no changes',
    async () => {
      expectSuccess(await a0deploy.run('dump', { format: 'yaml', output_folder: exportDir }));
      const file = await exported();
      expect(Object.keys(file).sort()).toEqual([...INCLUDED].sort());
      // As from Auth0, the export holds the CLI's own client too (an import never changes it).
      const own = file.clients.filter((client) => client.name === setup.admin.name);
      expect(own).toEqual([expect.objectContaining({ app_type: 'non_interactive' })]);
      expect(file.clients.map((client) => client.name).sort()).toEqual(
        [...baseline, ...input.clients.map((client) => client.name)].sort(),
      );
      expectHolds(withoutBaseline(file), input);
      const text = JSON.stringify(file);
      expect(text).not.toMatch(/"client_secret"|Auth0 Management API/);
      // The stream as the tenant holds it, its secret not exported (not even masked).
      expect(file.logStreams).toEqual([
        expect.objectContaining({ name: 'Acme SIEM', type: 'http', status: 'active' }),
      ]);
      expect(file.logStreams![0]!.sink).not.toHaveProperty('httpAuthorization');
      expect(text).not.toContain('acme-siem-token');

      // A real import of the export (its log streams only) keeps the stream's secret: the
      // server goes on sending it with the events it records.
      expectSuccess(
        await a0deploy.run('deploy', {
          input_file: exportFile(),
          config: { AUTH0_INCLUDED_ONLY: ['logStreams'] },
        }),
      );
      const { status } = await httpsCall(
        setup,
        'PATCH',
        `/api/v2/clients/${setup.admin.client_id}`,
        {
          token: await tokenFor(setup, setup.admin),
          body: JSON.stringify({ description: 'after the round trip' }),
        },
      );
      expect(status).toBe(200);
      const delivered = await receivedWhere(
        (event) =>
          event.details.operation === 'update_client' &&
          (event.details.request as Item | undefined)?.method === 'patch' &&
          event.client_id === setup.admin.client_id,
      );
      expect(delivered.headers.authorization).toBe(STREAM_SECRET);
      expect(delivered.headers['x-source']).toBe('auth0');
      for (const { client_secret: secret } of (await setup.tenant.clients.list()).clients) {
        if (secret !== undefined) expect(text).not.toContain(secret);
      }

      // The second import of the export: a real one reports every item as "Updated" (the
      // CLI updates without comparing), so the comparison is the dry run's.
      const dryRun = await a0deploy.run('deploy', {
        input_file: exportFile(),
        dry_run: true,
        // Every type again (the import before named only logStreams).
        config: { AUTH0_INCLUDED_ONLY: INCLUDED },
      });
      expectSuccess(dryRun);
      expect(dryRun.output).toContain('No changes detected.');
    },
    TEST_LIMIT_MS,
  );

  it(
    'exports what the library changed since',
    async () => {
      const { tenant } = setup;
      const storefront = (await tenant.clients.list()).clients.find(
        (c) => c.name === 'Acme Storefront',
      )!;
      await tenant.clients.update(storefront.client_id, {
        description: 'Changed through the library',
        callbacks: [...(storefront.callbacks ?? []), 'https://new.acme-shop.com/cb'],
      });
      const orders = await tenant.apis.get('https://api.acme-shop.com/orders');
      await tenant.apis.update(orders.id, {
        scopes: [...orders.scopes, { value: 'cancel:orders', description: 'Cancel orders' }],
      });
      const worker = (await tenant.clients.list()).clients.find(
        (c) => c.name === 'Order Sync Worker',
      )!;
      const [grant] = await tenant.apis.grants({
        client_id: worker.client_id,
        audience: orders.identifier,
      });
      await tenant.apis.updateGrant(grant!.id, { scope: [...grant!.scope, 'cancel:orders'] });
      const google = (await tenant.connections.list()).find((c) => c.name === 'google-oauth2')!;
      await tenant.connections.update(google.id, { enabled_clients: [storefront.client_id] });

      expectSuccess(await a0deploy.run('dump', { format: 'yaml', output_folder: exportDir }));
      const file = await exported();
      const client = file.clients.find((c) => c.name === 'Acme Storefront')!;
      expect(client.description).toBe('Changed through the library');
      expect(client.callbacks).toContain('https://new.acme-shop.com/cb');
      const api = file.resourceServers.find((a) => a.name === 'Orders API')!;
      expect((api.scopes as Item[]).map((scope) => scope.value)).toContain('cancel:orders');
      const exportedGrant = file.clientGrants.find((g) => g.client_id === 'Order Sync Worker')!;
      expect(exportedGrant.scope).toContain('cancel:orders');
      const connection = file.connections.find((c) => c.name === 'google-oauth2')!;
      expect(connection.enabled_clients).toEqual(['Acme Storefront']);
    },
    TEST_LIMIT_MS,
  );

  it(
    'clientele diff between two exports reports exactly what the library changed, with severities',
    async () => {
      const before = path.join(setup.dir, 'export-before');
      await cp(exportDir, before, { recursive: true });
      const { tenant } = setup;
      const clients = (await tenant.clients.list()).clients;
      const storefront = clients.find((c) => c.name === 'Acme Storefront')!;
      await tenant.clients.update(storefront.client_id, {
        callbacks: (storefront.callbacks ?? []).filter(
          (url) => url !== 'https://new.acme-shop.com/cb',
        ),
      });
      const worker = clients.find((c) => c.name === 'Order Sync Worker')!;
      const [grant] = await tenant.apis.grants({
        client_id: worker.client_id,
        audience: 'https://api.acme-shop.com/orders',
      });
      await tenant.apis.updateGrant(grant!.id, {
        scope: grant!.scope.filter((scope) => scope !== 'write:orders'),
      });
      await tenant.clients.create({
        name: 'Acme Kiosk',
        app_type: 'regular_web',
        callbacks: ['https://kiosk.acme-shop.com/callback'],
      });
      expectSuccess(await a0deploy.run('dump', { format: 'yaml', output_folder: exportDir }));

      let stdout = '';
      const code = await clientele({
        argv: ['diff', 'export-before/tenant.yaml', 'export/tenant.yaml', '--format', 'json'],
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stdout += text) },
        isTTY: false,
        env: {},
        cwd: setup.dir,
      });
      expect(code, stdout).toBe(1);
      const diff = JSON.parse(stdout) as TenantDiff;
      expect(diff.compared).toEqual(['client', 'api', 'connection', 'grant']);
      expect(
        diff.changes.map(({ kind, object, path: pointer, before: was, after: is, severity }) => ({
          kind,
          object: `${object.type}:${object.key}`,
          path: pointer,
          value: kind === 'removed' ? was : pointer === '' ? undefined : is,
          severity,
        })),
      ).toEqual([
        {
          kind: 'added',
          object: 'client:Acme Kiosk',
          path: '',
          value: undefined,
          severity: 'change',
        },
        {
          kind: 'removed',
          object: 'client:Acme Storefront',
          path: expect.stringMatching(/^\/callbacks\/\d+$/),
          value: 'https://new.acme-shop.com/cb',
          severity: 'destructive',
        },
        {
          kind: 'removed',
          object: 'grant:Order Sync Worker -> https://api.acme-shop.com/orders',
          path: expect.stringMatching(/^\/scope\/\d+$/),
          value: 'write:orders',
          severity: 'destructive',
        },
      ]);
      expect(diff.summary).toEqual({ objects: 3, changes: 3, destructive: 2 });
    },
    TEST_LIMIT_MS,
  );
});
