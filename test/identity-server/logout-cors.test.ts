/**
 * Logout (Auth0's `/v2/logout` and OIDC RP-Initiated Logout) and CORS of the example
 * identity server: allowed targets are redirected to, others get a 400 page and no
 * redirect; preflights and responses only ever name an origin the tenant allows.
 */
import path from 'node:path';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  buildEndSessionUrl,
  calculatePKCECodeChallenge,
  discovery,
  None,
  randomPKCECodeVerifier,
  randomState,
  type Configuration,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  fetchManual,
  INSECURE,
  scratch,
  seedStore,
  startServer,
  type RunningServer,
} from './helpers.js';

const APP = 'http://127.0.0.1:8080';
const LOGGED_OUT = `${APP}/`;
const EVIL = 'https://evil.example.net';

let server: RunningServer;
let cleanup: () => Promise<void>;
let spaId: string;
let config: Configuration;
/** A client registered with post_logout_redirect_uris, and an ID token of the SPA. */
let registered: { client_id: string };
let idToken: string;

beforeAll(async () => {
  const [, { dir, remove }] = await Promise.all([ensureBuilt(), scratch()]);
  cleanup = remove;
  const store = path.join(dir, 'tenant.json');
  spaId = seedStore(store, APP);
  server = await startServer(['--store', store]);
  config = await discovery(new URL(server.issuer), spaId, undefined, None(), INSECURE);

  const verifier = randomPKCECodeVerifier();
  const authorized = await fetchManual(
    buildAuthorizationUrl(config, {
      redirect_uri: `${APP}/callback`,
      scope: 'openid',
      code_challenge: await calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }),
  );
  const tokens = await authorizationCodeGrant(
    config,
    new URL(authorized.headers.get('location')!),
    { pkceCodeVerifier: verifier, idTokenExpected: true },
  );
  idToken = tokens.id_token!;

  const response = await fetch(`${server.url}/oidc/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Registered with logout URLs',
      redirect_uris: ['https://rp.example.org/callback'],
      post_logout_redirect_uris: ['https://rp.example.org/bye?from=op'],
    }),
  });
  registered = (await response.json()) as { client_id: string };
}, 120_000);

afterAll(async () => {
  const exit = await server?.stop();
  await cleanup?.();
  expect(exit).toEqual({ code: 0, signal: null });
});

function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  return fetchManual(`${server.url}${pathAndQuery}`, { headers });
}

async function expectRefused(response: Response): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  await response.text();
}

describe('/v2/logout', () => {
  it('redirects to an allowed returnTo (query ignored, as Auth0 does)', async () => {
    for (const returnTo of [LOGGED_OUT, `${LOGGED_OUT}?reason=timeout`]) {
      const response = await get(
        `/v2/logout?${new URLSearchParams({ client_id: spaId, returnTo })}`,
      );
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(returnTo);
    }
  });

  it('answers a forbidden returnTo with 400 and no redirect', async () => {
    for (const returnTo of [
      `${EVIL}/`,
      `${APP}/other`,
      'http://127.0.0.1:8081/',
      `${APP}@evil.example.net/`,
      'javascript:alert(1)',
    ]) {
      await expectRefused(
        await get(`/v2/logout?${new URLSearchParams({ client_id: spaId, returnTo })}`),
      );
    }
  });

  it('needs a known client_id to redirect, and signs out without one when there is no returnTo', async () => {
    await expectRefused(await get(`/v2/logout?${new URLSearchParams({ returnTo: LOGGED_OUT })}`));
    await expectRefused(
      await get(`/v2/logout?${new URLSearchParams({ client_id: 'nope', returnTo: LOGGED_OUT })}`),
    );
    const plain = await get('/v2/logout');
    expect(plain.status).toBe(200);
    expect(await plain.text()).toContain('signed out');
  });
});

describe('/oidc/logout (RP-Initiated Logout)', () => {
  it('redirects to the exact registered post_logout_redirect_uri with state, via id_token_hint', async () => {
    const state = randomState();
    const url = buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: LOGGED_OUT,
      state,
    });
    const response = await fetchManual(url);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${LOGGED_OUT}?state=${state}`);
  });

  it('identifies the client by client_id too, and keeps the registered query', async () => {
    const target = 'https://rp.example.org/bye?from=op';
    const response = await get(
      `/oidc/logout?${new URLSearchParams({
        client_id: registered.client_id,
        post_logout_redirect_uri: target,
        state: 'xyz',
      })}`,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${target}&state=xyz`);
  });

  it("matches like /v2/logout: the query is the app's own, another path or host gets 400", async () => {
    for (const target of ['https://rp.example.org/bye', 'https://rp.example.org/bye?from=op&x=1']) {
      const response = await get(
        `/oidc/logout?${new URLSearchParams({
          client_id: registered.client_id,
          post_logout_redirect_uri: target,
        })}`,
      );
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(target);
    }
    for (const target of [
      'https://rp.example.org/bye/?from=op',
      'https://rp.example.org/byebye',
      `${EVIL}/bye?from=op`,
    ]) {
      await expectRefused(
        await get(
          `/oidc/logout?${new URLSearchParams({
            client_id: registered.client_id,
            post_logout_redirect_uri: target,
          })}`,
        ),
      );
    }
  });

  it('takes an origin without its slash for a registered https://app/ on both logout endpoints', async () => {
    const oidc = await get(
      `/oidc/logout?${new URLSearchParams({ client_id: spaId, post_logout_redirect_uri: APP, state: 's1' })}`,
    );
    expect(oidc.status).toBe(302);
    expect(oidc.headers.get('location')).toBe(`${APP}?state=s1`);
    const auth0 = await get(
      `/v2/logout?${new URLSearchParams({ client_id: spaId, returnTo: APP })}`,
    );
    expect(auth0.status).toBe(302);
    expect(auth0.headers.get('location')).toBe(APP);
  });

  it('refuses a target without a client, a hint for another client, and a forged hint', async () => {
    await expectRefused(
      await get(`/oidc/logout?${new URLSearchParams({ post_logout_redirect_uri: LOGGED_OUT })}`),
    );
    await expectRefused(
      await get(
        `/oidc/logout?${new URLSearchParams({
          id_token_hint: idToken,
          client_id: registered.client_id,
          post_logout_redirect_uri: LOGGED_OUT,
        })}`,
      ),
    );
    const [header, payload] = idToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    await expectRefused(
      await get(
        `/oidc/logout?${new URLSearchParams({ id_token_hint: forged, post_logout_redirect_uri: LOGGED_OUT })}`,
      ),
    );
    await expectRefused(await get('/oidc/logout?id_token_hint=not-a-jwt'));
  });

  it('signs out without redirecting when no post_logout_redirect_uri is given', async () => {
    const response = await get(`/oidc/logout?${new URLSearchParams({ id_token_hint: idToken })}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('CORS', () => {
  function preflight(pathname: string, origin: string, method = 'POST') {
    return fetch(`${server.url}${pathname}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type',
      },
    });
  }

  it('answers a preflight from an origin a client allows, naming only that origin', async () => {
    for (const [pathname, method] of [
      ['/oauth/token', 'POST'],
      ['/userinfo', 'GET'],
      ['/.well-known/jwks.json', 'GET'],
      ['/.well-known/openid-configuration', 'GET'],
    ] as const) {
      const response = await preflight(pathname, APP, method);
      expect(response.status, pathname).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(response.headers.get('access-control-allow-methods')).toContain(method);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('answers a preflight from a forbidden origin, or for a method not served, with 403 and no CORS headers', async () => {
    for (const [origin, method] of [
      [EVIL, 'POST'],
      ['http://127.0.0.1:8081', 'POST'],
      ['null', 'POST'],
      [`${APP}/`, 'POST'],
      [APP, 'DELETE'],
    ] as const) {
      const response = await preflight('/oauth/token', origin, method);
      expect(response.status, `${origin} ${method}`).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    }
  });

  it('lets allowed origins read the JWKS and discovery documents, and no others', async () => {
    for (const pathname of ['/.well-known/jwks.json', '/.well-known/openid-configuration']) {
      const allowed = await fetch(`${server.url}${pathname}`, { headers: { origin: APP } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
      const forbidden = await fetch(`${server.url}${pathname}`, { headers: { origin: EVIL } });
      expect(forbidden.status).toBe(200);
      expect(forbidden.headers.get('access-control-allow-origin')).toBeNull();
      expect(forbidden.headers.get('vary')).toBe('Origin');
    }
  });

  it('answers the preflight of a client registered a moment ago', async () => {
    const origin = 'https://fresh-app.example.com';
    expect((await preflight('/oauth/token', origin)).status).toBe(403);
    const response = await fetch(`${server.url}/oidc/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [`${origin}/callback`],
        token_endpoint_auth_method: 'none',
      }),
    });
    expect(response.status).toBe(201);
    expect((await preflight('/oauth/token', origin)).status).toBe(204);
  });

  it('answers a plain OPTIONS (no Origin) with the methods allowed', async () => {
    const response = await fetch(`${server.url}/oauth/token`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('OPTIONS, POST');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
