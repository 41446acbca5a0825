/**
 * One in-process identity server per test file: a tenant on a MemoryStore with a movable
 * clock, `createProvider` with a login that signs Alice in at once (through the app's own
 * `/login/done` route) and a session cookie for `prompt=none`, served by node:http.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowInsecureRequests, type DiscoveryRequestOptions } from 'openid-client';
import { createProvider, toNodeListener, type Provider } from '../../src/http/index.js';
import { generateSigningKey, MemoryStore, memorySink, Tenant } from '../../src/index.js';

export const INSECURE: DiscoveryRequestOptions = { execute: [allowInsecureRequests] };
export const ALICE = {
  sub: 'auth0|alice',
  claims: { name: 'Alice Example', email: 'alice@example.com', email_verified: true },
};

export interface TestServer {
  readonly url: string;
  readonly issuer: string;
  readonly tenant: Tenant;
  readonly provider: Provider;
  readonly sink: ReturnType<typeof memorySink>;
  /** Moves the tenant's clock (tokens, codes, refresh tokens) forward. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

export async function startTestServer(
  tenantOptions: Partial<Parameters<typeof Tenant.create>[0]> = {},
): Promise<TestServer> {
  let offset = 0;
  const sink = memorySink();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const tenant = await Tenant.create({
    domain: `127.0.0.1:${port}`,
    issuer: `${url}/`,
    store: new MemoryStore(),
    auditSinks: [sink],
    signingKeys: [await generateSigningKey('RS256')],
    dynamicRegistration: { enabled: true },
    now: () => Date.now() + offset,
    ...tenantOptions,
  });
  const provider = createProvider(tenant, {
    login: (_request, pending) =>
      Promise.resolve(
        new Response(null, {
          status: 302,
          headers: { Location: `${url}/login/done?id=${encodeURIComponent(pending.id)}` },
        }),
      ),
    session: (request) =>
      Promise.resolve(request.headers.get('cookie') === 'session=alice' ? ALICE : undefined),
  });
  const app = (request: Request) => {
    const target = new URL(request.url);
    return target.pathname === '/login/done'
      ? provider.completeAuthorization(target.searchParams.get('id') ?? '', ALICE)
      : provider(request);
  };
  server.on('request', toNodeListener(app, { origin: url }));
  return {
    url,
    issuer: `${url}/`,
    tenant,
    provider,
    sink,
    advance: (seconds) => {
      offset += seconds * 1000;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await tenant.close();
    },
  };
}

/** `fetch` that never follows redirects. */
export function fetchManual(url: string | URL, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual' });
}

/** Follows the login redirect chain by hand to the client's callback URL. */
export async function followToCallback(start: string | URL, init: RequestInit = {}): Promise<URL> {
  let location = new URL(start);
  for (let hop = 0; hop < 4; hop++) {
    const response = await fetchManual(location, init);
    const next = response.headers.get('location');
    if (response.status !== 302 || next === null) {
      throw new Error(`expected a redirect from ${location.pathname}, got ${response.status}`);
    }
    location = new URL(next);
    if (!location.pathname.startsWith('/login/') && location.pathname !== '/authorize')
      return location;
  }
  throw new Error('too many redirects');
}
