/**
 * Auth0's `express-openid-connect` (its Express apps in a child process, see
 * express-openid-connect-apps.mjs) against the example identity server over HTTPS, driven
 * through Debian's Chromium as a user would, in one browser session:
 *
 * - the SDK's DEFAULT configuration: `response_type=id_token` answered with
 *   `response_mode=form_post` (the provider's page posts the ID token to the app's
 *   `/callback`);
 * - a second app with `response_type: 'code'` signs in from the same login session
 *   without a login (single sign-on), reads a protected route, refreshes its access token
 *   with `req.oidc.accessToken.refresh()`, is told of the session's end by Back-Channel
 *   Logout (after which its own session is refused), and logs out at the identity server
 *   with the SDK's own `post_logout_redirect_uri` at `/oidc/logout` and `returnTo` at
 *   Auth0's `/v2/logout` (both its base URL without a trailing slash).
 *
 * The `it`s run in order and share the browser session: each starts where the previous
 * one left the user.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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

const USER = 'demo|alice';

/** The three apps' base URLs, as the child process prints them. */
interface Apps {
  readonly defaults: string;
  readonly code: string;
  readonly codeV2: string;
}

let setup: ManagementSetup;
let child: ChildProcess | undefined;
let childOutput = '';
let apps: Apps;
let defaultsClient: Client;
let codeClient: Client;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every request the browser made, in order: `METHOD url`. */
const requests: string[] = [];
const problems: string[] = [];

/** Starts the apps and reads their URLs from the first line they print. */
function startApps(settings: Record<string, unknown>): Promise<Apps> {
  const started = spawn(
    process.execPath,
    [path.join(ROOT, 'test/browser/express-openid-connect-apps.mjs'), JSON.stringify(settings)],
    { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: setup.caFile } },
  );
  child = started;
  return new Promise((resolve, reject) => {
    let stdout = '';
    started.stderr.setEncoding('utf8').on('data', (chunk: string) => (childOutput += chunk));
    started.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined) resolve(JSON.parse(line) as Apps);
    });
    started.on('exit', (code) => reject(new Error(`apps exited (${code}): ${childOutput}`)));
  });
}

beforeAll(async () => {
  if (skipBrowser) return;
  setup = await startManagementServer();
  defaultsClient = await setup.tenant.clients.create({
    name: 'Express app (SDK defaults)',
    app_type: 'regular_web',
  });
  codeClient = await setup.tenant.clients.create({
    name: 'Express app (code)',
    app_type: 'regular_web',
    // The SDK's default client authentication for a code flow.
    token_endpoint_auth_method: 'client_secret_basic',
  });
  apps = await startApps({
    issuer: setup.server.url,
    cert: setup.caFile,
    key: path.join(setup.dir, 'key.pem'),
    defaults: { clientID: defaultsClient.client_id },
    code: { clientID: codeClient.client_id, clientSecret: codeClient.client_secret },
  });
  await setup.tenant.clients.update(defaultsClient.client_id, {
    callbacks: [`${apps.defaults}/callback`],
  });
  await setup.tenant.clients.update(codeClient.client_id, {
    callbacks: [`${apps.code}/callback`, `${apps.codeV2}/callback`],
    allowed_logout_urls: [`${apps.code}/`, `${apps.codeV2}/`],
    oidc_logout: {
      backchannel_logout_urls: [`${apps.code}/backchannel-logout`],
      backchannel_logout_initiators: {
        mode: 'custom',
        selected_initiators: ['rp-logout', 'idp-logout', 'session-revoked'],
      },
    },
  });
  browser = await launchChromium();
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await setup?.stop();
});

/** Navigates to `url` and returns the JSON the app answers once every redirect is done. */
async function visit(url: string, landing = url): Promise<Record<string, unknown>> {
  const from = requests.length;
  await page.goto(url);
  await page.waitForURL(landing, { timeout: 30_000 });
  const text = await page.innerText('body');
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(
      `${landing} did not answer JSON: ${text}\nrequests:\n${requests.slice(from).join('\n')}\n${childOutput}`,
    );
  }
}

/** The audit events of `type` for the `code`/`defaults` client, through the Management API. */
async function logs(type: string, client: Client): Promise<Record<string, unknown>[]> {
  const q = `type:${type} AND client_id:"${client.client_id}"`;
  const found = await httpsCall(setup, 'GET', `/api/v2/logs?${new URLSearchParams({ q })}`, {
    token: await tokenFor(setup, setup.admin),
  });
  return JSON.parse(found.text) as Record<string, unknown>[];
}

/** Waits until there are `count` events of `type` for `client` (audit is written in batches). */
async function awaitLogs(type: string, client: Client, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await logs(type, client)).length < count) {
    if (Date.now() > deadline) throw new Error(`no ${count} ${type} events for ${client.name}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The identity server's session cookie in the browser. */
async function sessionCookie(): Promise<string> {
  const cookies = await context.cookies(setup.server.url);
  const found = cookies.filter((cookie) => cookie.name.startsWith('__Host-'));
  expect(found).toHaveLength(1);
  return found[0]?.value ?? '';
}

/** The user's live sessions at the identity server. */
async function sessions(): Promise<{ id: string; clients: { client_id: string }[] }[]> {
  const listed = await httpsCall(
    setup,
    'GET',
    `/api/v2/users/${encodeURIComponent(USER)}/sessions`,
    {
      token: await tokenFor(setup, setup.admin),
    },
  );
  expect(listed.status).toBe(200);
  return (
    JSON.parse(listed.text) as { sessions: { id: string; clients: { client_id: string }[] }[] }
  ).sessions;
}

describe.skipIf(skipBrowser)('express-openid-connect against the example server over HTTPS', () => {
  let firstSid: string;

  it('with its default configuration, signs in with an ID token posted to /callback (form_post)', async () => {
    const from = requests.length;
    const signedIn = await visit(`${apps.defaults}/`);
    expect(signedIn).toMatchObject({ sub: USER, name: 'Alice Example' });
    expect(signedIn['sid']).toEqual(expect.any(String));
    firstSid = signedIn['sid'] as string;
    const made = requests.slice(from);
    const authorize = made.find((line) => line.startsWith(`GET ${setup.server.url}/authorize?`));
    const query = new URL(authorize?.slice(4) ?? 'https://invalid/').searchParams;
    expect({
      response_type: query.get('response_type'),
      response_mode: query.get('response_mode'),
    }).toEqual({ response_type: 'id_token', response_mode: 'form_post' });
    expect(made).toContain(`POST ${apps.defaults}/callback`);
    await awaitLogs('s', defaultsClient, 1);
    expect(problems).toEqual([]);
  });

  it('a second app (response_type code) signs in from the same session without a login', async () => {
    // Every login (the example's demo login signs in without a page) gives the session a
    // new secret, so a new cookie: an unchanged cookie means no login took place.
    const cookie = await sessionCookie();
    const profile = await visit(`${apps.code}/profile`);
    expect(profile).toMatchObject({ sub: USER, sid: firstSid });
    expect(await sessionCookie()).toBe(cookie);
    // One session, now serving both apps.
    const [only, ...others] = await sessions();
    expect(others).toEqual([]);
    expect(only?.id).toBe(firstSid);
    expect(only?.clients.map((client) => client.client_id)).toEqual([
      defaultsClient.client_id,
      codeClient.client_id,
    ]);
  });

  it('refreshes its access token with req.oidc.accessToken.refresh()', async () => {
    const refreshed = await visit(`${apps.code}/refresh`);
    expect(refreshed['after']).toEqual(expect.any(String));
    expect(refreshed['after']).not.toBe(refreshed['before']);
    expect(refreshed['expires_in']).toBeGreaterThan(0);
    expect(refreshed['userinfo_sub']).toBe(USER);
  });

  it('is told by Back-Channel Logout when the session is revoked, and refuses its own session then', async () => {
    expect(await visit(`${apps.code}/`)).toEqual({ authenticated: true, sid: firstSid });
    const revoked = await httpsCall(
      setup,
      'DELETE',
      `/api/v2/users/${encodeURIComponent(USER)}/sessions`,
      { token: await tokenFor(setup, setup.admin) },
    );
    expect(revoked.status).toBe(202);
    await awaitLogs('oidc_backchannel_logout_succeeded', codeClient, 1);
    // The SDK's cookie still holds the tokens; its back-channel store says they are over.
    expect(await visit(`${apps.code}/`)).toEqual({ authenticated: false });
  });

  it('logs out at /oidc/logout with its own post_logout_redirect_uri (no trailing slash)', async () => {
    const again = await visit(`${apps.code}/profile`);
    expect(again['sid']).not.toBe(firstSid);
    const from = requests.length;
    expect(await visit(`${apps.code}/logout`, `${apps.code}/`)).toEqual({ authenticated: false });
    const logout = requests
      .slice(from)
      .find((line) => line.startsWith(`GET ${setup.server.url}/oidc/logout?`));
    const query = new URL(logout?.slice(4) ?? 'https://invalid/').searchParams;
    expect(query.get('post_logout_redirect_uri')).toBe(apps.code);
    expect(query.get('id_token_hint')).toEqual(expect.any(String));
    expect(await sessions()).toEqual([]);
    // Its logout token (rp-logout) reaches the app too; let it land before the next login.
    await awaitLogs('oidc_backchannel_logout_succeeded', codeClient, 2);
  });

  it("logs out at Auth0's /v2/logout with returnTo (auth0Logout)", async () => {
    await visit(`${apps.code}/profile`);
    expect(await sessions()).toHaveLength(1);
    const from = requests.length;
    expect(await visit(`${apps.codeV2}/logout`, `${apps.codeV2}/`)).toEqual({
      authenticated: false,
    });
    const logout = requests
      .slice(from)
      .find((line) => line.startsWith(`GET ${setup.server.url}/v2/logout?`));
    const query = new URL(logout?.slice(4) ?? 'https://invalid/').searchParams;
    expect(query.get('returnTo')).toBe(apps.codeV2);
    expect(query.get('client_id')).toBe(codeClient.client_id);
    expect(await sessions()).toEqual([]);
    expect(problems).toEqual([]);
    expect(childOutput).toBe('');
  });
});
