/**
 * An in-process identity server whose login signs in whoever the test says, on a tenant
 * with a movable clock, and a small cookie-keeping "browser" that follows redirects by
 * hand: what the session, response-mode and logout tests share.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProvider, toNodeListener, type Provider } from '../../src/http/index.js';
import type { ProviderOptions, ProviderUser } from '../../src/http/index.js';
import {
  generateSigningKey,
  MemoryStore,
  memorySink,
  Tenant,
  type Store,
  type TenantOptions,
} from '../../src/index.js';

export const ALICE: ProviderUser = {
  sub: 'auth0|alice',
  claims: { name: 'Alice Example', email: 'alice@example.com', email_verified: true },
};
export const BOB: ProviderUser = { sub: 'auth0|bob', claims: { name: 'Bob Example' } };

export interface SessionServer {
  readonly url: string;
  readonly issuer: string;
  readonly tenant: Tenant;
  readonly provider: Provider;
  readonly sink: ReturnType<typeof memorySink>;
  /** Who the next login signs in. */
  user: ProviderUser;
  /** How many times the login page was shown. */
  logins: number;
  /** Moves the tenant clock (sessions, tokens, codes) forward. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

/** Starts a server; `options.store` shares a store between instances (same issuer via `port`). */
export async function startSessionServer(
  options: {
    store?: Store;
    tenant?: Partial<TenantOptions>;
    provider?: ProviderOptions;
    listen?: number;
  } = {},
): Promise<SessionServer> {
  let offset = 0;
  const sink = memorySink();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.listen ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const tenant = await Tenant.create({
    domain: `127.0.0.1:${port}`,
    issuer: `${url}/`,
    store: options.store ?? new MemoryStore(),
    auditSinks: [sink],
    signingKeys: [await generateSigningKey('RS256')],
    now: () => Date.now() + offset,
    ...options.tenant,
  });
  const state: SessionServer = {
    url,
    issuer: `${url}/`,
    tenant,
    provider: undefined as unknown as Provider,
    sink,
    user: ALICE,
    logins: 0,
    advance: (seconds) => {
      offset += seconds * 1000;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await tenant.close();
    },
  };
  const provider = createProvider(tenant, {
    login: (_request, pending) => {
      state.logins += 1;
      return Promise.resolve(
        new Response(null, {
          status: 302,
          headers: { Location: `${url}/login/done?id=${encodeURIComponent(pending.id)}` },
        }),
      );
    },
    ...options.provider,
  });
  (state as { provider: Provider }).provider = provider;
  const app = (request: Request) => {
    const target = new URL(request.url);
    return target.pathname === '/login/done'
      ? provider.completeAuthorization(target.searchParams.get('id') ?? '', state.user)
      : provider(request);
  };
  server.on('request', toNodeListener(app, { origin: url }));
  return state;
}

/** A cookie jar per host:port that follows redirects by hand. */
export class TestBrowser {
  readonly cookies = new Map<string, Map<string, string>>();
  /** Raw `Set-Cookie` values seen, newest last. */
  readonly setCookies: string[] = [];

  /** One request, cookies sent and kept, redirects not followed. */
  async fetch(target: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(target);
    const jar = this.cookies.get(url.host);
    const headers = new Headers(init.headers);
    if (jar && jar.size > 0 && !headers.has('cookie')) {
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = ''] = line.split(';');
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const maxAge = /;\s*Max-Age=(\d+)/i.exec(line)?.[1];
      const cookies = this.cookies.get(url.host) ?? new Map<string, string>();
      if (maxAge === '0') cookies.delete(name);
      else cookies.set(name, value);
      this.cookies.set(url.host, cookies);
    }
    return response;
  }

  /** Follows redirects from `start` until one leaves the server (the client's redirect_uri). */
  async authorize(start: string | URL): Promise<{ location: URL; response: Response }> {
    let location = new URL(start);
    const server = location.origin;
    for (let hop = 0; hop < 6; hop++) {
      const response = await this.fetch(location);
      const next = response.headers.get('location');
      if (next === null) return { location, response };
      location = new URL(next, location);
      if (location.origin !== server) return { location, response };
    }
    throw new Error('too many redirects');
  }

  /** The session cookie's value on `host`, if any. */
  session(host: string): string | undefined {
    return this.cookies.get(host)?.get('clientele_session');
  }
}
