/**
 * Logout ends the login session (cookie cleared, session deleted, `slo` audited), and
 * OIDC Back-Channel Logout tells each client of the session that asked for it: logout
 * tokens (`typ: logout+jwt`, the event, `sid`, `sub`, no `nonce`) for Auth0's
 * `oidc_logout` settings and initiators, with bounded retries, audited. The Management
 * API shows and deletes sessions (`session-revoked`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManagementApi, ensureManagementApi } from '../../src/http/index.js';
import type { Client } from '../../src/index.js';
import { ALICE, startSessionServer, TestBrowser, type SessionServer } from './session-helpers.js';

const APP = 'https://app.example.test';
const CALLBACK = `${APP}/callback`;
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A relying party's back-channel endpoint: records tokens, answers as told. */
interface Receiver {
  readonly url: string;
  readonly tokens: { path: string; token: string }[];
  /** Statuses to answer, one per request; 200 when empty. */
  readonly answers: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const tokens: { path: string; token: string }[] = [];
  const answers: number[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const status = answers.shift() ?? 200;
      if (status === 200) {
        tokens.push({
          path: request.url ?? '',
          token: new URLSearchParams(body).get('logout_token') ?? '',
        });
      }
      response.writeHead(status, status === 302 ? { location: '/elsewhere' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let server: SessionServer;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startSessionServer({
    tenant: { backchannelLogout: { backoffMs: 10, timeoutMs: 2_000 } },
  });
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});
afterEach(() => {
  receiver.tokens.length = 0;
  receiver.answers.length = 0;
});

async function app(
  path: string | undefined,
  initiators?: { mode: string; selected_initiators?: string[] },
) {
  return server.tenant.clients.create({
    name: `App ${Math.random()}`,
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    allowed_logout_urls: [`${APP}/`],
    grant_types: ['authorization_code'],
    ...(path === undefined
      ? {}
      : {
          oidc_logout: {
            backchannel_logout_urls: [`${receiver.url}${path}`],
            ...(initiators ? { backchannel_logout_initiators: initiators } : {}),
          },
        }),
  });
}

async function signIn(browser: TestBrowser, client: Client): Promise<URL> {
  const { location } = await browser.authorize(
    `${server.url}/authorize?${new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid',
    })}`,
  );
  expect(location.searchParams.get('code'), location.href).not.toBeNull();
  return location;
}

async function silently(browser: TestBrowser, client: Client): Promise<string | null> {
  const { location } = await browser.authorize(
    `${server.url}/authorize?${new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      prompt: 'none',
    })}`,
  );
  return location.searchParams.get('error');
}

/** Verifies a logout token with the tenant's keys, as a relying party would. */
async function verifyLogoutToken(token: string, client: Client): Promise<JWTPayload> {
  expect(decodeProtectedHeader(token).typ).toBe('logout+jwt');
  const { payload } = await jwtVerify(token, createLocalJWKSet(await server.tenant.jwks()), {
    issuer: server.issuer,
    audience: client.client_id,
    typ: 'logout+jwt',
  });
  return payload;
}

describe('logout ends the session', () => {
  it('/v2/logout clears the cookie, deletes the session, ends SSO for every client, audits slo, and sends logout tokens to each client that asked', async () => {
    const browser = new TestBrowser();
    const first = await app('/first');
    const second = await app('/second');
    const silent = await app(undefined);
    await signIn(browser, first);
    await signIn(browser, second);
    await signIn(browser, silent);
    const host = new URL(server.url).host;
    const sid = (browser.session(host) as string).split('.')[0] as string;
    const response = await browser.fetch(
      `${server.url}/v2/logout?${new URLSearchParams({ client_id: first.client_id, returnTo: `${APP}/` })}`,
    );
    expect(response.status).toBe(302);
    expect(browser.setCookies.at(-1)).toMatch(/^clientele_session=; .*Max-Age=0$/);
    expect(await server.tenant.store.get('sessions', sid)).toBeUndefined();
    browser.cookies.set(host, new Map([['clientele_session', 'x']])); // even if a cookie stayed
    for (const client of [first, second, silent]) {
      expect(await silently(browser, client)).toBe('login_required');
    }
    await server.tenant.backchannelLogout.flush();
    expect(receiver.tokens.map((entry) => entry.path).sort()).toEqual(['/first', '/second']);
    for (const { path, token } of receiver.tokens) {
      const client = path === '/first' ? first : second;
      const claims = await verifyLogoutToken(token, client);
      expect(claims).toMatchObject({ sub: ALICE.sub, sid, events: { [EVENT]: {} } });
      expect(claims).not.toHaveProperty('nonce');
      expect(typeof claims.jti).toBe('string');
      expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    }
    await server.tenant.audit.flush();
    const slo = server.sink.events.filter((event) => event.type === 'slo').at(-1);
    expect(slo?.details).toMatchObject({ session_id: sid });
    // The user who signed out, where Auth0's log events carry them.
    expect(slo).toMatchObject({ user_id: ALICE.sub });
    const delivered = server.sink.events.filter(
      (event) => event.type === 'oidc_backchannel_logout_succeeded',
    );
    expect(delivered.map((event) => event.client_id).sort()).toEqual(
      [first.client_id, second.client_id].sort(),
    );
  });

  it('/oidc/logout with an id_token_hint ends the session the hint names, even without the cookie', async () => {
    const browser = new TestBrowser();
    const client = await app('/hinted');
    const location = await signIn(browser, client);
    const exchange = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: location.searchParams.get('code') as string,
        redirect_uri: CALLBACK,
        client_id: client.client_id,
        client_secret: client.client_secret as string,
      }),
    });
    const { id_token: hint } = (await exchange.json()) as { id_token: string };
    const response = await fetch(
      `${server.url}/oidc/logout?${new URLSearchParams({ id_token_hint: hint, post_logout_redirect_uri: APP })}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    expect(await silently(browser, client)).toBe('login_required');
    await server.tenant.backchannelLogout.flush();
    expect(receiver.tokens.map((entry) => entry.path)).toEqual(['/hinted']);
  });
});

describe('back-channel logout initiators and delivery', () => {
  it('rp-logout always; session-revoked only when selected; session-expired for mode all', async () => {
    const plain = await app('/plain');
    const revoked = await app('/revoked', {
      mode: 'custom',
      selected_initiators: ['session-revoked'],
    });
    const all = await app('/all', { mode: 'all' });
    const signInAll = async () => {
      const browser = new TestBrowser();
      for (const client of [plain, revoked, all]) await signIn(browser, client);
      return (browser.session(new URL(server.url).host) as string).split('.')[0] as string;
    };
    await server.tenant.sessions.end(await signInAll(), 'session-revoked');
    await server.tenant.backchannelLogout.flush();
    expect(receiver.tokens.map((entry) => entry.path).sort()).toEqual(['/all', '/revoked']);
    receiver.tokens.length = 0;
    await signInAll();
    server.advance(8 * 24 * 3600);
    // The next login anywhere sweeps the expired session.
    await signIn(new TestBrowser(), plain);
    await server.tenant.backchannelLogout.flush();
    expect(receiver.tokens.map((entry) => entry.path)).toEqual(['/all']);
  });

  it('retries a failing endpoint a bounded number of times, never following a redirect', async () => {
    const client = await app('/flaky');
    const browser = new TestBrowser();
    await signIn(browser, client);
    receiver.answers.push(500, 503);
    await browser.fetch(`${server.url}/v2/logout`);
    await server.tenant.backchannelLogout.flush();
    expect(receiver.tokens.map((entry) => entry.path)).toEqual(['/flaky']);
    await server.tenant.audit.flush();
    const succeeded = server.sink.events.filter(
      (event) =>
        event.type === 'oidc_backchannel_logout_succeeded' && event.client_id === client.client_id,
    );
    expect(succeeded.at(-1)?.details).toMatchObject({ attempts: 3 });

    const broken = await app('/broken');
    await signIn(browser, broken);
    receiver.answers.push(302, 500, 500, 200);
    await browser.fetch(`${server.url}/v2/logout`);
    await server.tenant.backchannelLogout.flush();
    expect(receiver.tokens).toEqual([expect.objectContaining({ path: '/flaky' })]);
    expect(receiver.answers).toEqual([200]); // three attempts, no fourth
    await server.tenant.audit.flush();
    const failed = server.sink.events.filter(
      (event) =>
        event.type === 'oidc_backchannel_logout_failed' && event.client_id === broken.client_id,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]?.details).toMatchObject({ attempts: 3, reason: 'status 500' });
  });
});

describe('discovery', () => {
  it('says back-channel logout with sid is supported', async () => {
    const metadata = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });
});

describe('sessions in the Management API', () => {
  it('reads and deletes sessions with read:sessions and delete:sessions; a deletion is session-revoked', async () => {
    const management = createManagementApi(server.tenant);
    const api = await ensureManagementApi(server.tenant);
    const machine = await server.tenant.clients.create({
      name: 'Automation',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await server.tenant.apis.grant({
      client_id: machine.client_id,
      audience: api.identifier,
      scope: ['read:sessions', 'delete:sessions', 'read:clients'],
    });
    const token = async (scope: string) =>
      (await server.tenant.issueAccessToken(machine.client_id, { audience: api.identifier, scope }))
        .access_token;
    const call = async (method: string, path: string, scope: string) =>
      management(
        new Request(`${server.url}/api/v2${path}`, {
          method,
          headers: { authorization: `Bearer ${await token(scope)}` },
        }),
      );
    const client = await app('/managed', {
      mode: 'custom',
      selected_initiators: ['session-revoked'],
    });
    const browser = new TestBrowser();
    await signIn(browser, client);
    const sid = (browser.session(new URL(server.url).host) as string).split('.')[0] as string;

    const one = await call('GET', `/sessions/${sid}`, 'read:sessions');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: sid,
      user_id: ALICE.sub,
      clients: [{ client_id: client.client_id }],
      authenticated_at: expect.any(String),
      idle_expires_at: expect.any(String),
      expires_at: expect.any(String),
    });
    const list = await call(
      'GET',
      `/users/${encodeURIComponent(ALICE.sub)}/sessions`,
      'read:sessions',
    );
    const { sessions } = (await list.json()) as { sessions: { id: string }[] };
    expect(sessions.map((session) => session.id)).toContain(sid);
    expect((await call('GET', `/sessions/${sid}`, 'read:clients')).status).toBe(403);
    expect((await call('DELETE', `/sessions/${sid}`, 'read:sessions')).status).toBe(403);
    expect((await call('GET', '/sessions/AAAAAAAAAAAAAAAAAAAAAA', 'read:sessions')).status).toBe(
      404,
    );

    expect((await call('DELETE', `/sessions/${sid}`, 'delete:sessions')).status).toBe(200);
    expect((await call('GET', `/sessions/${sid}`, 'read:sessions')).status).toBe(404);
    expect((await call('DELETE', `/sessions/${sid}`, 'delete:sessions')).status).toBe(404);
    expect(await silently(browser, client)).toBe('login_required');
    await server.tenant.backchannelLogout.flush();
    expect(receiver.tokens.map((entry) => entry.path)).toEqual(['/managed']);

    await signIn(browser, client);
    const removed = await call(
      'DELETE',
      `/users/${encodeURIComponent(ALICE.sub)}/sessions`,
      'delete:sessions',
    );
    expect(removed.status).toBe(202);
    expect(await silently(browser, client)).toBe('login_required');
  });
});
