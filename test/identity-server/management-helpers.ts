/**
 * The example server over HTTPS with a certificate made for the test, and a client of the
 * same tenant granted its Management API: what the tests that drive Auth0's own tools
 * against it share.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import path from 'node:path';
import { FileStore, Tenant, type Client } from 'clientele';
import { MANAGEMENT_SCOPES, ensureManagementApi, managementAudience } from 'clientele/http';
import { seedLegacyApi } from '../support/legacy-api.js';
import { ensureBuilt, scratch, startServer, type RunningServer } from './helpers.js';

export const OPENSSL = '/usr/bin/openssl';

/** A running HTTPS example server, a tenant on its store, and a granted client. */
export interface ManagementSetup {
  readonly server: RunningServer;
  /** The same tenant as the server's (same FileStore, same issuer), in this process. */
  readonly tenant: Tenant;
  /** `127.0.0.1:<port>`: what the tools call the domain. */
  readonly domain: string;
  /** PEM of the test certificate. */
  readonly ca: string;
  /** Its file, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly dir: string;
  /** A machine-to-machine client with every Management API scope. */
  readonly admin: Client;
  /** Grants `scope` to a new machine-to-machine client and returns it. */
  client(name: string, scope: readonly string[]): Promise<Client>;
  stop(): Promise<void>;
}

/** Options of {@link startManagementServer}. */
export interface ManagementServerOptions {
  /**
   * Creates the Management API's identifier first under this name, as a user can before
   * the handler does: the tools must still see Auth0's system API.
   */
  readonly systemApiCreatedAs?: string;
}

/**
 * Makes a certificate for 127.0.0.1 and localhost, starts the server over HTTPS, grants an
 * admin client. The server trusts that certificate too, so apps served with it are
 * reachable from the server (back-channel logout URLs).
 */
export async function startManagementServer(
  options: ManagementServerOptions = {},
): Promise<ManagementSetup> {
  await ensureBuilt();
  const { dir, remove } = await scratch();
  const caFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const made = spawnSync(
    OPENSSL,
    // prettier-ignore
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
     '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1',
     '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { encoding: 'utf8' },
  );
  if (made.status !== 0 || !existsSync(caFile)) throw new Error(`openssl failed: ${made.stderr}`);
  const storeFile = path.join(dir, 'tenant.json');
  const server = await startServer(
    ['--store', storeFile, '--tls-cert', caFile, '--tls-key', keyFile],
    { NODE_EXTRA_CA_CERTS: caFile },
  );
  const store = new FileStore(storeFile);
  const domain = new URL(server.issuer).host;
  if (options.systemApiCreatedAs !== undefined) {
    // Seeded through the store: an earlier release let anyone create the Management API's
    // identifier under a name of their own; tenant.apis.create refuses that now.
    await seedLegacyApi(
      store,
      `${server.issuer}api/v2/`, // managementAudience of the tenant below
      options.systemApiCreatedAs,
    );
  }
  const tenant = await Tenant.create({ domain, issuer: server.issuer, store });
  const api = await ensureManagementApi(tenant);
  const client = async (name: string, scope: readonly string[]): Promise<Client> => {
    const created = await tenant.clients.create({
      name,
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    await tenant.apis.grant({
      client_id: created.client_id,
      audience: api.identifier,
      scope: [...scope],
    });
    return created;
  };
  const admin = await client('Automation', Object.keys(MANAGEMENT_SCOPES));
  return {
    server,
    tenant,
    domain: new URL(server.issuer).host,
    ca: await readFile(caFile, 'utf8'),
    caFile,
    dir,
    admin,
    client,
    stop: async () => {
      await server.stop();
      await tenant.close();
      await remove();
    },
  };
}

/** A token for `client` from the tenant (in process), for the Management API. */
export async function tokenFor(setup: ManagementSetup, client: Client): Promise<string> {
  const audience = managementAudience(setup.tenant);
  return (await setup.tenant.issueAccessToken(client.client_id, { audience })).access_token;
}

/** One HTTPS request to the server, trusting the test certificate (and nothing else). */
export function httpsCall(
  setup: ManagementSetup,
  method: string,
  target: string,
  options: { token?: string; body?: string; type?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) {
      headers['content-type'] = options.type ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const req = request(
      `${setup.server.url}${target}`,
      { method, headers, ca: setup.ca, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
