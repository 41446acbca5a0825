/**
 * Auth0's SPA SDK (@auth0/auth0-spa-js) in Debian's Chromium against the example identity
 * server over HTTPS, with a test certificate for 127.0.0.1 (the app is served over HTTPS
 * with the same certificate on another port):
 *
 * - its DEFAULT configuration: loginWithRedirect, handleRedirectCallback, getUser, and
 *   getTokenSilently renewing through the hidden iframe (`prompt=none`,
 *   `response_mode=web_message`) from the provider's login session;
 * - `useRefreshTokens: true`: rotation over two refreshes (through the CORS preflight
 *   with its `Auth0-Client` header), then logout, after which silent authentication fails.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'clientele';
import { launchChromium, skipBrowser } from './chromium.js';
import { ROOT } from '../identity-server/helpers.js';
import {
  httpsCall,
  startManagementServer,
  tokenFor,
  type ManagementSetup,
} from '../identity-server/management-helpers.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SPA</title></head>
<body><script type="module">
import { Auth0Client } from '/spa.js';
window.Auth0Client = Auth0Client;
window.ready = true;
</script></body></html>`;

let setup: ManagementSetup;
let app: Server;
let appUrl: string;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  if (skipBrowser) return;
  setup = await startManagementServer();
  const bundle = await readFile(
    path.join(ROOT, 'node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.esm.js'),
  );
  const key = await readFile(path.join(setup.dir, 'key.pem'));
  app = createServer({ cert: setup.ca, key }, (request, response) => {
    if (request.url === '/spa.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    }
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `https://127.0.0.1:${(app.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  await setup?.stop();
});

async function spaClient(extra: Record<string, unknown> = {}): Promise<Client> {
  return setup.tenant.clients.create({
    name: `SPA ${Math.random()}`,
    app_type: 'spa',
    callbacks: [`${appUrl}/`],
    web_origins: [appUrl],
    allowed_origins: [appUrl],
    allowed_logout_urls: [`${appUrl}/`],
    ...extra,
  });
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page };
}

/** SDK options as an app would write them: the tenant's domain and the client id. */
function sdkOptions(client: Client, extra: Record<string, unknown> = {}) {
  return {
    domain: setup.server.url,
    clientId: client.client_id,
    authorizationParams: { redirect_uri: `${appUrl}/` },
    ...extra,
  };
}

/** loginWithRedirect, then back on the app with ?code=&state=. */
async function login(page: Page, options: Record<string, unknown>): Promise<void> {
  await page.goto(`${appUrl}/`);
  await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
  // The SDK navigates away: the evaluation ends with the page.
  await page
    .evaluate(async (o) => {
      const Sdk = (
        globalThis as unknown as {
          Auth0Client: new (o: unknown) => { loginWithRedirect(): Promise<void> };
        }
      ).Auth0Client;
      await new Sdk(o).loginWithRedirect();
    }, options)
    .catch(() => undefined);
  await page.waitForURL((url) => url.origin === appUrl && url.searchParams.has('code'), {
    timeout: 30_000,
  });
  await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
}

describe.skipIf(skipBrowser)('auth0-spa-js against the example server over HTTPS', () => {
  it('default configuration: login, handleRedirectCallback, getUser, and getTokenSilently through the hidden iframe from the session', async () => {
    const client = await spaClient();
    const { context, page } = await newPage();
    try {
      const options = sdkOptions(client);
      await login(page, options);
      const result = await page.evaluate(async (o) => {
        interface Sdk {
          handleRedirectCallback(): Promise<unknown>;
          getUser(): Promise<Record<string, unknown> | undefined>;
          getTokenSilently(options?: unknown): Promise<{ id_token: string; access_token: string }>;
        }
        const Ctor = (globalThis as unknown as { Auth0Client: new (o: unknown) => Sdk })
          .Auth0Client;
        const sdk = new Ctor(o);
        await sdk.handleRedirectCallback();
        const user = await sdk.getUser();
        const cached = await sdk.getTokenSilently({ detailedResponse: true });
        const renewed = await sdk.getTokenSilently({ cacheMode: 'off', detailedResponse: true });
        return {
          user,
          cached: cached.id_token,
          renewed: renewed.id_token,
          renewedAccess: renewed.access_token,
        };
      }, options);
      expect(result.user).toMatchObject({ sub: 'demo|alice', name: 'Alice Example' });
      const claims = (token: string) =>
        JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<
          string,
          unknown
        >;
      expect(result.renewed).not.toBe(result.cached);
      expect(claims(result.renewed)['sid']).toBe(claims(result.cached)['sid']);
      expect(claims(result.renewed)['auth_time']).toBe(claims(result.cached)['auth_time']);
      // The renewal was a silent authentication (prompt=none) answered from the session.
      const logs = await httpsCall(
        setup,
        'GET',
        `/api/v2/logs?${new URLSearchParams({ q: `type:ssa AND client_id:"${client.client_id}"` })}`,
        { token: await tokenFor(setup, setup.admin) },
      );
      expect(JSON.parse(logs.text)).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('useRefreshTokens: rotation over two refreshes, then logout ends the session', async () => {
    const client = await spaClient({
      grant_types: ['authorization_code', 'refresh_token'],
      refresh_token: {
        rotation_type: 'rotating',
        expiration_type: 'expiring',
        leeway: 0,
        token_lifetime: 3600,
        idle_token_lifetime: 1800,
      },
    });
    const { context, page } = await newPage();
    try {
      const options = sdkOptions(client, { useRefreshTokens: true });
      await login(page, options);
      const tokens = await page.evaluate(async (o) => {
        interface Sdk {
          handleRedirectCallback(): Promise<unknown>;
          getTokenSilently(options?: unknown): Promise<string>;
          logout(options?: unknown): Promise<void>;
        }
        const Ctor = (globalThis as unknown as { Auth0Client: new (o: unknown) => Sdk })
          .Auth0Client;
        const sdk = new Ctor(o);
        await sdk.handleRedirectCallback();
        const first = await sdk.getTokenSilently();
        const second = await sdk.getTokenSilently({ cacheMode: 'off' });
        const third = await sdk.getTokenSilently({ cacheMode: 'off' });
        return [first, second, third];
      }, options);
      expect(new Set(tokens).size).toBe(3);
      // Two refreshes, each rotating: three refresh tokens of one grant, two of them rotated.
      const stored = (
        await setup.tenant.store.list<{ client_id: string; rotated_at: number | null }>(
          'refresh_tokens',
        )
      ).filter((record) => record.value.client_id === client.client_id);
      expect(stored).toHaveLength(3);
      expect(stored.filter((record) => record.value.rotated_at !== null)).toHaveLength(2);

      await page
        .evaluate(async (o) => {
          interface Sdk {
            logout(options?: unknown): Promise<void>;
          }
          const Ctor = (globalThis as unknown as { Auth0Client: new (o: unknown) => Sdk })
            .Auth0Client;
          await new Ctor(o).logout({
            logoutParams: {
              returnTo: `${(globalThis as unknown as { location: { origin: string } }).location.origin}/`,
            },
          });
        }, options)
        .catch(() => undefined);
      await page.waitForURL((url) => url.origin === appUrl && !url.searchParams.has('code'));
      await page.waitForFunction(
        () => (globalThis as unknown as { ready?: boolean }).ready === true,
      );
      // The session is gone: silent authentication (the default SDK's iframe) needs a login.
      const silent = await page.evaluate(async (o) => {
        interface Sdk {
          getTokenSilently(): Promise<string>;
        }
        const Ctor = (globalThis as unknown as { Auth0Client: new (o: unknown) => Sdk })
          .Auth0Client;
        try {
          await new Ctor(o).getTokenSilently();
          return 'token';
        } catch (error) {
          return (error as { error?: string }).error ?? String(error);
        }
      }, sdkOptions(client));
      expect(silent).toBe('login_required');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
