/**
 * The example server on PostgreSQL while the database is unreachable: requests that need
 * the store are answered 503 with Retry-After (OAuth endpoints `temporarily_unavailable`,
 * the Management API in Auth0's error shape), what is cached keeps working, and the log
 * holds one line when the store goes and one when it is back. Before, every such request
 * was a 500 with a stack trace in the log (747 of them in a 17 s outage). The outage is
 * real: the server reaches PostgreSQL through a TCP relay that is stopped (its connections
 * cut, its port refusing) and started again on the same port.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tenant, type Client } from 'clientele';
import { ensureManagementApi, managementAudience } from 'clientele/http';
import { PostgresStore } from 'clientele/postgres';
import {
  AVAILABLE,
  DATABASE_URL,
  RUN,
  dropRunSchemas,
  newPool,
} from '../storage/postgres/database.js';
import { ensureBuilt, startServer, type RunningServer } from './helpers.js';

/** A relay to the database that can be stopped (connections cut, port refusing) and restarted. */
class Relay {
  #server: Server | undefined;
  readonly #open = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    const target = new URL(DATABASE_URL);
    const server = createServer((inbound) => {
      const outbound = connect(Number(target.port || 5432), target.hostname);
      this.#open.add(inbound).add(outbound);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
        this.#open.delete(inbound);
        this.#open.delete(outbound);
      };
      for (const socket of [inbound, outbound]) {
        socket.on('error', close);
        socket.on('close', close);
      }
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#open) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe.skipIf(!AVAILABLE)('the example server while PostgreSQL is unreachable', () => {
  const admin = newPool(1);
  const relay = new Relay();
  const schema = `${RUN}_outage`;
  let server: RunningServer;
  let tenant: Tenant;
  let worker: Client;

  beforeAll(async () => {
    await ensureBuilt();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await relay.start();
    const viaRelay = new URL(DATABASE_URL);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    viaRelay.searchParams.set('options', `-c search_path=${schema}`);
    server = await startServer(['--store', viaRelay.href]);
    // The same tenant in this process, directly on the database, to prepare it (the
    // schema by the same search path: the server's migration wrote unqualified names).
    const direct = new URL(DATABASE_URL);
    direct.searchParams.set('options', `-c search_path=${schema}`);
    tenant = await Tenant.create({
      domain: new URL(server.issuer).host,
      issuer: server.issuer,
      store: new PostgresStore({ connectionString: direct.href }),
    });
    const api = await ensureManagementApi(tenant);
    worker = await tenant.clients.create({
      name: 'Worker',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: api.identifier,
      scope: ['read:clients', 'create:clients'],
    });
  });

  afterAll(async () => {
    await server?.stop();
    await tenant?.close();
    await relay.stop();
    await dropRunSchemas(admin);
    await admin.end();
  });

  const tokenRequest = () =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: worker.client_id,
        client_secret: worker.client_secret as string,
        audience: managementAudience(tenant),
      }),
    });

  /** Introspects a refresh token that is not in the cache: a store read. */
  const introspect = () =>
    fetch(`${server.url}/oauth/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: worker.client_id,
        client_secret: worker.client_secret as string,
        token: 'r'.repeat(43),
      }),
    });

  const createClient = (token: string, name: string) =>
    fetch(`${server.url}/api/v2/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, app_type: 'spa' }),
    });

  /** Waits until the server's cache knows the worker (the change feed delivered it). */
  async function firstToken(): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await tokenRequest();
      if (response.status === 200)
        return ((await response.json()) as { access_token: string }).access_token;
      await response.body?.cancel();
      if (Date.now() > deadline) throw new Error(`no token: ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('answers 503 with Retry-After, serves what is cached, and logs one line down and one up', async () => {
    const token = await firstToken();
    expect((await createClient(token, 'Before')).status).toBe(201);
    const before = server.stderr();

    await relay.stop();
    const statuses = new Map<string, Set<number>>();
    const note = (what: string, status: number) =>
      statuses.set(what, (statuses.get(what) ?? new Set()).add(status));
    const outageEnds = Date.now() + 3_000;
    let requests = 0;
    while (Date.now() < outageEnds) {
      const created = await createClient(token, `During ${requests}`);
      note('POST /api/v2/clients', created.status);
      if (created.status === 503) {
        expect(created.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
        expect(await created.json()).toEqual({
          statusCode: 503,
          error: 'Service Unavailable',
          message: expect.any(String),
          errorCode: 'temporarily_unavailable',
        });
      } else await created.body?.cancel();
      for (const [what, oauth] of [
        ['POST /oauth/introspect', introspect],
        ['POST /oauth/token', tokenRequest],
      ] as const) {
        const answer = await oauth();
        note(what, answer.status);
        if (answer.status === 503) {
          expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
          expect(await answer.json()).toEqual({
            error: 'temporarily_unavailable',
            error_description: expect.stringMatching(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/),
          });
        } else await answer.body?.cancel();
      }
      for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
        const cached = await fetch(`${server.url}${path}`);
        await cached.body?.cancel();
        note(`GET ${path}`, cached.status);
      }
      requests += 5;
    }
    // What needs the store is refused for now; nothing was a 500; what is cached (the
    // client, its grant and the keys behind a client-credentials token) still answers.
    expect(statuses.get('POST /api/v2/clients')).toEqual(new Set([503]));
    expect(statuses.get('POST /oauth/introspect')).toEqual(new Set([503]));
    for (const [what, seen] of statuses) {
      for (const status of seen) expect([200, 503], `${what} answered ${status}`).toContain(status);
    }
    expect(statuses.get('GET /.well-known/openid-configuration')).toEqual(new Set([200]));
    expect(statuses.get('GET /.well-known/jwks.json')).toEqual(new Set([200]));

    await relay.start();
    const deadline = Date.now() + 30_000;
    let after: Response;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await createClient(token, 'After');
      if (after.status !== 201) await after.body?.cancel();
    } while (after.status !== 201 && Date.now() < deadline);
    expect(after.status).toBe(201);

    const log = server.stderr().slice(before.length);
    const lines = log.split('\n').filter((line) => line !== '');
    expect(requests).toBeGreaterThan(20);
    expect(lines.filter((line) => /store unavailable/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /store available again/.test(line))).toHaveLength(1);
    expect(log).not.toMatch(/^\s+at /m);
    // Besides those two, at most the /logs copy saying once that it lost events, and once
    // how many: nothing per request.
    expect(
      lines.filter((line) => !/store (un)?available/.test(line)).length,
      log,
    ).toBeLessThanOrEqual(2);
  });
});
