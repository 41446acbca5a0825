/**
 * readManagementApiTenant against a small Management API on loopback that misbehaves on
 * purpose: rate limits (429 with retry-after), a bare array instead of a page, a redirect,
 * a body announced as too large, a request that never answers, an answer that is not
 * JSON. (The real thing, the example server over HTTPS, is test/identity-server/diff-live.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManagementApiTenant } from '../../src/index.js';

type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

let server: Server;
let base: string;
const routes = new Map<string, Route>();
const seen: string[] = [];

const json = (response: ServerResponse, status: number, body: unknown, headers = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

/** The happy tenant: two clients, a bare-array API list, grants in two checkpoint pages. */
function tenantRoutes(): void {
  routes.clear();
  let limited = 0;
  routes.set('/oauth/token', (request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('client_secret') !== 'right' || form.get('audience') !== `${base}/api/v2/`) {
        json(response, 401, { error: 'access_denied', error_description: 'Unauthorized' });
      } else {
        json(response, 200, { access_token: 'tok', token_type: 'Bearer' });
      }
    });
  });
  routes.set('/api/v2/clients', (request, response, url) => {
    if (request.headers.authorization !== 'Bearer tok')
      return json(response, 401, { message: 'no' });
    if (limited++ < 2)
      return json(response, 429, { error: 'Too Many Requests' }, { 'retry-after': '0' });
    const page = Number(url.searchParams.get('page'));
    const all = [
      { name: 'A', client_id: 'a' },
      { name: 'B', client_id: 'b' },
      { name: 'Global', global: true },
    ];
    json(response, 200, {
      clients: page === 0 ? all : [],
      total: all.length,
      start: 0,
      limit: 100,
    });
  });
  routes.set('/api/v2/resource-servers', (_request, response) =>
    json(response, 200, [{ identifier: 'https://api.example.com', name: 'API' }]),
  );
  routes.set('/api/v2/client-grants', (_request, response, url) => {
    const from = url.searchParams.get('from');
    if (from === null) {
      json(response, 200, {
        client_grants: [
          { id: 'g1', client_id: 'a', audience: 'https://api.example.com', scope: [] },
        ],
        next: 'g2',
      });
    } else {
      json(response, 200, {
        client_grants: [
          { id: 'g2', client_id: 'me', audience: 'https://api.example.com', scope: [] },
        ],
      });
    }
  });
  routes.set('/api/v2/connections', (_request, response) =>
    json(response, 200, {
      connections: [{ id: 'c1', name: 'db', strategy: 'auth0', enabled_clients: ['stale'] }],
    }),
  );
  routes.set('/api/v2/connections/c1/clients', (_request, response) =>
    json(response, 200, { clients: [{ client_id: 'a' }, { client_id: 'b' }] }),
  );
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    seen.push(`${request.method} ${url.pathname}${url.search}`);
    const route = routes.get(url.pathname);
    if (route) route(request, response, url);
    else json(response, 404, { statusCode: 404, error: 'Not Found', message: 'no route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const read = (options: Record<string, unknown> = {}) =>
  readManagementApiTenant({
    url: `${base}/api/v2`,
    clientId: 'me',
    clientSecret: 'right',
    ...options,
  });

describe('readManagementApiTenant', () => {
  it('waits out rate limits, reads pages and checkpoints, and leaves out what the Deploy CLI leaves out', async () => {
    tenantRoutes();
    seen.length = 0;
    const live = await read();
    expect(live).toEqual({
      clients: [
        { name: 'A', client_id: 'a' },
        { name: 'B', client_id: 'b' },
      ],
      resourceServers: [{ identifier: 'https://api.example.com', name: 'API' }],
      clientGrants: [{ id: 'g1', client_id: 'a', audience: 'https://api.example.com', scope: [] }],
      connections: [{ id: 'c1', name: 'db', strategy: 'auth0', enabled_clients: ['a', 'b'] }],
    });
    expect(seen.filter((line) => line.startsWith('GET /api/v2/clients'))).toHaveLength(3);
    expect(seen).toContain('GET /api/v2/client-grants?take=100&from=g2');
    expect(seen).toContain(
      'GET /api/v2/clients?is_global=false&page=0&per_page=100&include_totals=true',
    );
  });

  it('gives up after maxRetries rate-limited answers', async () => {
    tenantRoutes();
    await expect(read({ maxRetries: 1 })).rejects.toMatchObject({
      code: 'tenant_unreadable',
      status: 429,
      message: 'GET /clients: 429 Too Many Requests',
    });
  });

  it('fails closed on redirects, huge bodies, silence and answers that are not JSON', async () => {
    const cases: [Route, string][] = [
      [
        (_q, response) => {
          response.writeHead(302, { location: 'https://elsewhere.example/' });
          response.end();
        },
        'GET /clients: the request failed: fetch failed',
      ],
      [
        (_q, response) => {
          response.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
          response.flushHeaders();
        },
        'GET /clients: the response is larger than 33554432 bytes',
      ],
      [() => undefined, 'GET /clients: the request failed: it timed out'],
      [
        (_q, response) => {
          response.writeHead(200, { 'content-type': 'text/html' });
          response.end('<html>');
        },
        'GET /clients: the response is not JSON',
      ],
      [
        (_q, response) => json(response, 200, { items: [] }),
        'GET /clients: the response has no "clients" list',
      ],
    ];
    for (const [route, message] of cases) {
      tenantRoutes();
      routes.set('/api/v2/clients', route);
      await expect(
        read({ token: 'tok', clientId: undefined, clientSecret: undefined, timeoutMs: 300 }),
      ).rejects.toMatchObject({
        code: 'tenant_unreadable',
        message: expect.stringContaining(message),
      });
    }
  });

  it('says what the token endpoint said, without the secret', async () => {
    tenantRoutes();
    const error = (await read({ clientSecret: 'wrong-secret' }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({
      status: 401,
      message: 'POST /oauth/token (client credentials): 401 access_denied: Unauthorized',
    });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('wrong-secret');
  });

  it('validates its options', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { url: 'http://tenant.example/api/v2/' },
        '/url',
        'url must use https (plain http only on a loopback host)',
      ],
      [
        { url: 'https://u:p@tenant.example/api/v2/' },
        '/url',
        'url must not carry credentials, a query or a fragment',
      ],
      [{ url: 'not a url' }, '/url', 'url must be an absolute URL (https://TENANT/api/v2/)'],
      [
        { clientSecret: undefined },
        '/clientSecret',
        'clientSecret is required without a token (a client allowed to get a Management API token)',
      ],
      [{ token: '' }, '/token', 'token must be a non-empty string'],
      [{ token: 't' }, '/clientSecret', 'give either token or clientId and clientSecret, not both'],
      [{ pageSize: 101 }, '/pageSize', 'pageSize must be an integer from 1 to 100'],
    ];
    for (const [options, path, message] of cases) {
      await expect(read(options)).rejects.toMatchObject({
        code: 'invalid_argument',
        path,
        message,
      });
    }
  });
});
