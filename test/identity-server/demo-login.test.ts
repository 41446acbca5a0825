/**
 * The example server's own parts: its demo login (the `options.login` /
 * `provider.completeAuthorization` hook of createProvider), and who may call the
 * Management API with a user token: the demo admin, signed in through the admin console's
 * client, and nobody else.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  fetchManual,
  scratch,
  seedStore,
  startServer,
  type RunningServer,
} from './helpers.js';

const APP = 'http://127.0.0.1:8080';
const CALLBACK = `${APP}/callback`;

let server: RunningServer;
let cleanup: () => Promise<void>;
let spaId: string;

beforeAll(async () => {
  const [, { dir, remove }] = await Promise.all([ensureBuilt(), scratch()]);
  cleanup = remove;
  const store = path.join(dir, 'tenant.json');
  spaId = seedStore(store, APP);
  server = await startServer(['--store', store]);
}, 120_000);

afterAll(async () => {
  const exit = await server?.stop();
  await cleanup?.();
  expect(exit).toEqual({ code: 0, signal: null });
});

/** Starts an authorization request with PKCE; returns the response and the verifier. */
async function authorize(clientId: string, redirectUri: string, extra: Record<string, string>) {
  const verifier = randomBytes(32).toString('base64url');
  const response = await fetchManual(
    `${server.url}/authorize?${new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    })}`,
  );
  return { response, verifier };
}

/** Exchanges the code of a callback URL (a public client, PKCE). */
async function exchange(location: string, clientId: string, redirectUri: string, verifier: string) {
  const code = new URL(location).searchParams.get('code');
  expect(code).toBeTruthy();
  const response = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code: code ?? '',
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; id_token: string };
}

/** A sign-in that needs no login page: authorize (302 to the callback), then the exchange. */
async function signIn(clientId: string, redirectUri: string, extra: Record<string, string>) {
  const { response, verifier } = await authorize(clientId, redirectUri, extra);
  expect(response.status).toBe(302);
  return exchange(response.headers.get('location') ?? '', clientId, redirectUri, verifier);
}

const subjectOf = (idToken: string) =>
  (
    JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      sub: string;
    }
  ).sub;

describe('the demo login', () => {
  it('shows its login page for prompt=login, and the form ends the sign-in once', async () => {
    const { response, verifier } = await authorize(spaId, CALLBACK, { prompt: 'login' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('Sign in to Demo SPA');
    const pending = /name="pending" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const submit = () =>
      fetchManual(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ pending }),
      });
    const signedIn = await submit();
    expect(signedIn.status).toBe(302);
    const location = signedIn.headers.get('location') ?? '';
    expect(location.startsWith(`${CALLBACK}?`)).toBe(true);
    const tokens = await exchange(location, spaId, CALLBACK, verifier);
    expect(subjectOf(tokens.id_token)).toBe('demo|alice');
    const again = await submit();
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
  });

  it('refuses a form naming no sign-in it showed, and anything but POST', async () => {
    const forged = await fetchManual(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    });
    expect(forged.status).toBe(400);
    expect(forged.headers.get('location')).toBeNull();
    expect((await fetchManual(`${server.url}/login`)).status).toBe(405);
  });

  it('signs the demo user in at once without prompt=login', async () => {
    const tokens = await signIn(spaId, CALLBACK, {});
    expect(subjectOf(tokens.id_token)).toBe('demo|alice');
  });
});

describe('user tokens at the Management API', () => {
  const audience = () => `${server.issuer}api/v2/`;
  const listClients = (token: string) =>
    fetch(`${server.url}/api/v2/clients`, { headers: { authorization: `Bearer ${token}` } });

  it('admits the demo admin signed in through the admin console', async () => {
    const page = await (await fetch(`${server.url}/console/`)).text();
    const config = JSON.parse(
      /<script type="application\/json" id="console-config">(.*?)<\/script>/s.exec(page)?.[1] ??
        '{}',
    ) as { clientId: string; scope: string };
    const callback = `${server.url}/console/callback`;
    const tokens = await signIn(config.clientId, callback, {
      scope: config.scope,
      audience: audience(),
    });
    expect(subjectOf(tokens.id_token)).toBe('demo|admin');
    expect((await listClients(tokens.access_token)).status).toBe(200);
  });

  it('refuses the demo user’s token for the same audience and scopes from another client', async () => {
    const tokens = await signIn(spaId, CALLBACK, {
      scope: 'openid read:clients',
      audience: audience(),
    });
    expect(subjectOf(tokens.id_token)).toBe('demo|alice');
    expect((await listClients(tokens.access_token)).status).toBe(401);
  });
});
