/**
 * Login sessions of createProvider: the cookie and what the store keeps, single sign-on
 * across clients, prompt=none/login, max_age and auth_time, id_token_hint, sid in ID
 * tokens, idle and absolute lifetimes on the tenant clock, cookies that must be ignored,
 * and sessions shared by two instances on one store.
 */
import { decodeJwt } from 'jose';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  discovery,
  None,
  randomPKCECodeVerifier,
  type Configuration,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, type Client } from '../../src/index.js';
import { INSECURE } from './provider-helpers.js';
import {
  ALICE,
  BOB,
  startSessionServer,
  TestBrowser,
  type SessionServer,
} from './session-helpers.js';

const APP = 'http://127.0.0.1:8080';
const CALLBACK = `${APP}/callback`;

let server: SessionServer;
let host: string;

beforeAll(async () => {
  server = await startSessionServer();
  host = new URL(server.url).host;
});
afterAll(() => server.close());

async function spa(settings: Record<string, unknown> = {}): Promise<Client> {
  return server.tenant.clients.create({
    name: `SPA ${Math.random()}`,
    app_type: 'spa',
    callbacks: [CALLBACK],
    allowed_origins: [APP],
    ...settings,
  });
}

async function configOf(client: Client, on: SessionServer = server): Promise<Configuration> {
  return discovery(new URL(on.issuer), client.client_id, undefined, None(), INSECURE);
}

/** Runs /authorize in `browser` for `client` and returns the callback URL and the verifier. */
async function authorize(
  browser: TestBrowser,
  client: Client,
  extra: Record<string, string> = {},
  on: SessionServer = server,
) {
  const config = await configOf(client, on);
  const verifier = randomPKCECodeVerifier();
  const url = buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid profile',
    state: 'st',
    code_challenge: await calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  const { location } = await browser.authorize(url);
  return { config, verifier, location };
}

/** Signs in through /authorize and exchanges the code; returns the ID token's claims. */
async function signIn(
  browser: TestBrowser,
  client: Client,
  extra: Record<string, string> = {},
  on: SessionServer = server,
) {
  const { config, verifier, location } = await authorize(browser, client, extra, on);
  expect(location.searchParams.get('error'), location.href).toBeNull();
  const tokens = await authorizationCodeGrant(config, location, {
    pkceCodeVerifier: verifier,
    expectedState: 'st',
    idTokenExpected: true,
    ...(extra['max_age'] === undefined ? {} : { maxAge: Number(extra['max_age']) }),
  });
  return decodeJwt(tokens.id_token as string);
}

describe('the login session', () => {
  it('starts at the login: an HttpOnly SameSite=Lax cookie on plain HTTP, the secret kept only hashed', async () => {
    const browser = new TestBrowser();
    const claims = await signIn(browser, await spa());
    const line = browser.setCookies.at(-1) ?? '';
    expect(line).toMatch(
      /^clientele_session=[\w-]{22}\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/,
    );
    const cookie = browser.session(host) as string;
    const [id, secret] = cookie.split('.') as [string, string];
    expect(claims.sid).toBe(id);
    const stored = await server.tenant.store.get<Record<string, unknown>>('sessions', id);
    expect(stored?.value).toMatchObject({ sub: ALICE.sub, clients: [expect.any(String)] });
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('signs a second client in without the login page (SSO), with the same sid', async () => {
    const browser = new TestBrowser();
    const first = await signIn(browser, await spa());
    const before = server.logins;
    const second = await signIn(browser, await spa());
    expect(server.logins).toBe(before);
    expect(second.sid).toBe(first.sid);
    expect(second.sub).toBe(ALICE.sub);
    expect(second.auth_time).toBe(first.auth_time);
    expect(second.name).toBe('Alice Example');
    const session = await server.tenant.sessions.get(first.sid as string);
    expect((session?.clients as unknown[]).length).toBe(2);
  });

  it('prompt=none: login_required without a session (fsa), a code from the session (ssa)', async () => {
    const client = await spa();
    const without = await authorize(new TestBrowser(), client, { prompt: 'none' });
    expect(Object.fromEntries(without.location.searchParams)).toMatchObject({
      error: 'login_required',
      state: 'st',
      iss: server.issuer,
    });
    const browser = new TestBrowser();
    await signIn(browser, client);
    const before = server.logins;
    const silent = await signIn(browser, client, { prompt: 'none' });
    expect(server.logins).toBe(before);
    expect(silent.sub).toBe(ALICE.sub);
    await server.tenant.audit.flush();
    const types = server.sink.events.map((event) => event.type);
    expect(types).toContain('fsa');
    expect(types).toContain('ssa');
  });

  it('prompt=login shows the login page; the cookie changes (no fixation), the sid stays', async () => {
    const browser = new TestBrowser();
    const client = await spa();
    const first = await signIn(browser, client);
    const cookie = browser.session(host);
    const before = server.logins;
    const again = await signIn(browser, client, { prompt: 'login' });
    expect(server.logins).toBe(before + 1);
    expect(browser.session(host)).not.toBe(cookie);
    expect(again.sid).toBe(first.sid);
    // The old cookie opens nothing any more.
    const stale = new TestBrowser();
    stale.cookies.set(host, new Map([['clientele_session', cookie as string]]));
    const refused = await authorize(stale, client, { prompt: 'none' });
    expect(refused.location.searchParams.get('error')).toBe('login_required');
  });

  it('max_age=0 re-authenticates with a new auth_time; a generous max_age signs in from the session', async () => {
    const browser = new TestBrowser();
    const client = await spa();
    const first = await signIn(browser, client);
    server.advance(5);
    const before = server.logins;
    const fresh = await signIn(browser, client, { max_age: '0' });
    expect(server.logins).toBe(before + 1);
    expect(fresh.auth_time).toBeGreaterThan(first.auth_time as number);
    const sso = await signIn(browser, client, { max_age: '3600' });
    expect(server.logins).toBe(before + 1);
    expect(sso.auth_time).toBe(fresh.auth_time);
    server.advance(120);
    const tooOld = await authorize(browser, client, { max_age: '60', prompt: 'none' });
    expect(tooOld.location.searchParams.get('error')).toBe('login_required');
    const malformed = await authorize(browser, client, { max_age: '-1' });
    expect(malformed.location.searchParams.get('error')).toBe('invalid_request');
  });

  it('id_token_hint: the same user signs in silently, another user is login_required, a forged hint is invalid_request', async () => {
    const browser = new TestBrowser();
    const client = await spa();
    const { config, verifier, location } = await authorize(browser, client);
    const tokens = await authorizationCodeGrant(config, location, {
      pkceCodeVerifier: verifier,
      expectedState: 'st',
    });
    const hint = tokens.id_token as string;
    const same = await authorize(browser, client, { prompt: 'none', id_token_hint: hint });
    expect(same.location.searchParams.get('code')).not.toBeNull();
    // Bob signs in on another browser; his hint in Alice's browser names another user.
    server.user = BOB;
    const bobs = new TestBrowser();
    const bob = await authorize(bobs, client);
    const bobTokens = await authorizationCodeGrant(config, bob.location, {
      pkceCodeVerifier: bob.verifier,
      expectedState: 'st',
    });
    server.user = ALICE;
    const other = await authorize(browser, client, {
      prompt: 'none',
      id_token_hint: bobTokens.id_token as string,
    });
    expect(other.location.searchParams.get('error')).toBe('login_required');
    const [header, payload] = hint.split('.');
    const forged = await authorize(browser, client, {
      prompt: 'none',
      id_token_hint: `${header}.${payload}.${'A'.repeat(342)}`,
    });
    expect(forged.location.searchParams.get('error')).toBe('invalid_request');
    // An expired hint still names the user.
    server.advance(36_001);
    const expired = await authorize(browser, client, { prompt: 'none', id_token_hint: hint });
    expect(expired.location.searchParams.get('code')).not.toBeNull();
  });

  it('a new user signing in on the browser ends the previous user\u2019s session', async () => {
    const browser = new TestBrowser();
    const client = await spa();
    const alice = await signIn(browser, client);
    server.user = BOB;
    const bob = await signIn(browser, client, { prompt: 'login' });
    server.user = ALICE;
    expect(bob.sub).toBe(BOB.sub);
    expect(bob.sid).not.toBe(alice.sid);
    expect(await server.tenant.sessions.get(alice.sid as string)).toBeUndefined();
  });

  it('sso_disabled shows the login page; a third-party client is consent_required under prompt=none', async () => {
    const browser = new TestBrowser();
    await signIn(browser, await spa());
    const before = server.logins;
    await signIn(browser, await spa({ sso_disabled: true }));
    expect(server.logins).toBe(before + 1);
    const thirdParty = await spa({ is_first_party: false });
    const silent = await authorize(browser, thirdParty, { prompt: 'none' });
    expect(silent.location.searchParams.get('error')).toBe('consent_required');
  });
});

describe('session lifetimes on the tenant clock', () => {
  it('ends after the idle lifetime without use, and is deleted from the store', async () => {
    const browser = new TestBrowser();
    const client = await spa();
    const claims = await signIn(browser, client);
    server.advance(3 * 24 * 3600 - 120);
    expect(
      (await authorize(browser, client, { prompt: 'none' })).location.searchParams.get('code'),
    ).not.toBeNull();
    server.advance(3 * 24 * 3600 - 60); // used just before: a new idle period
    expect(
      (await authorize(browser, client, { prompt: 'none' })).location.searchParams.get('code'),
    ).not.toBeNull();
    server.advance(3 * 24 * 3600 + 1);
    const expired = await authorize(browser, client, { prompt: 'none' });
    expect(expired.location.searchParams.get('error')).toBe('login_required');
    expect(await server.tenant.store.get('sessions', claims.sid as string)).toBeUndefined();
  });

  it('ends at the absolute lifetime however much it is used', async () => {
    const browser = new TestBrowser();
    const client = await spa();
    await signIn(browser, client);
    for (let day = 0; day < 6; day++) {
      server.advance(24 * 3600);
      expect(
        (await authorize(browser, client, { prompt: 'none' })).location.searchParams.get('code'),
      ).not.toBeNull();
    }
    server.advance(24 * 3600);
    const expired = await authorize(browser, client, { prompt: 'none' });
    expect(expired.location.searchParams.get('error')).toBe('login_required');
  });

  it('follows the tenant option session: { idleLifetime, absoluteLifetime }', async () => {
    const short = await startSessionServer({
      tenant: { session: { idleLifetime: 600, absoluteLifetime: 3600 } },
    });
    try {
      const client = await short.tenant.clients.create({
        name: 'SPA',
        app_type: 'spa',
        callbacks: [CALLBACK],
      });
      const browser = new TestBrowser();
      await signIn(browser, client, {}, short);
      expect(browser.setCookies.at(-1)).toMatch(/Max-Age=3600$/);
      short.advance(601);
      const expired = await authorize(browser, client, { prompt: 'none' }, short);
      expect(expired.location.searchParams.get('error')).toBe('login_required');
    } finally {
      await short.close();
    }
  });

  it('refuses bad session options with the option named', async () => {
    for (const [session, pointer] of [
      [{ idleLifetime: 7200, absoluteLifetime: 3600 }, '/session/idleLifetime'],
      [{ idleLifetime: 10 }, '/session/idleLifetime'],
      [{ absoluteLifetime: 1.5 }, '/session/absoluteLifetime'],
      [{ idle: 60 }, '/session/idle'],
      ['3d', '/session'],
    ] as const) {
      await expect(
        Tenant.create({ domain: 'example.com', session: session as never }),
      ).rejects.toMatchObject({ code: 'invalid_argument', path: pointer });
    }
  });
});

describe('cookies that open nothing', () => {
  it('a tampered cookie, a cookie of another tenant and a doubled cookie are ignored', async () => {
    const browser = new TestBrowser();
    const client = await spa();
    await signIn(browser, client);
    const cookie = browser.session(host) as string;
    const silently = (value: string) =>
      authorize(
        Object.assign(new TestBrowser(), {
          cookies: new Map([[host, new Map([['clientele_session', value]])]]),
        }),
        client,
        { prompt: 'none' },
      );
    const [id, secret] = cookie.split('.') as [string, string];
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const value of [flipped, `${id}.`, id, `${cookie}x`, '', 'a.b']) {
      expect((await silently(value)).location.searchParams.get('error'), value).toBe(
        'login_required',
      );
    }
    // Another tenant on the same host (another port: browsers share cookies across ports).
    const other = await startSessionServer();
    try {
      const otherClient = await other.tenant.clients.create({
        name: 'SPA',
        app_type: 'spa',
        callbacks: [CALLBACK],
      });
      const theirs = new TestBrowser();
      await signIn(theirs, otherClient, {}, other);
      const foreign = theirs.session(new URL(other.url).host) as string;
      expect((await silently(foreign)).location.searchParams.get('error')).toBe('login_required');
    } finally {
      await other.close();
    }
    // The valid cookie sent twice (one may have been planted for another path): no session.
    const twice = await authorize(new TestBrowser(), client, { prompt: 'none' }).then(() =>
      authorizeWithCookie(client, `clientele_session=${cookie}; clientele_session=${cookie}`),
    );
    expect(twice.searchParams.get('error')).toBe('login_required');
    expect(
      (await authorizeWithCookie(client, `clientele_session=${cookie}`)).searchParams.get('code'),
    ).not.toBeNull();
  });
});

/** One prompt=none request with exactly `cookie` as the Cookie header. */
async function authorizeWithCookie(client: Client, cookie: string): Promise<URL> {
  const url = buildAuthorizationUrl(await configOf(client), {
    redirect_uri: CALLBACK,
    scope: 'openid',
    prompt: 'none',
    code_challenge: await calculatePKCECodeChallenge(randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  return new URL(response.headers.get('location') as string);
}

describe('sessions across instances', () => {
  it('a session started by one instance is found by another sharing the store, and ended for both', async () => {
    const store = new MemoryStore();
    const a = await startSessionServer({ store });
    try {
      const client = await a.tenant.clients.create({
        name: 'SPA',
        app_type: 'spa',
        callbacks: [CALLBACK],
      });
      const browser = new TestBrowser();
      const claims = await signIn(browser, client, {}, a);
      const cookie = browser.session(new URL(a.url).host) as string;
      const other = await Tenant.create({ domain: a.tenant.domain, issuer: a.issuer, store });
      try {
        expect(await other.sessions.find(cookie)).toMatchObject({ id: claims.sid, sub: ALICE.sub });
        expect(await other.sessions.end(claims.sid as string, 'session-revoked')).toBe(true);
        expect(await a.tenant.sessions.find(cookie)).toBeUndefined();
        // The same store under another issuer (another tenant) opens nothing.
        const foreign = await Tenant.create({ domain: 'other.example.com', store });
        expect(await foreign.sessions.find(cookie)).toBeUndefined();
        await foreign.close();
      } finally {
        await other.close();
      }
    } finally {
      await a.close();
    }
  });
});
