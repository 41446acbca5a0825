/**
 * The authorization code flow of the example identity server, driven by openid-client
 * as a relying party would: authorization URL, the redirect (followed by hand), the code
 * exchange with PKCE, ID token validation and userinfo. The tenant is prepared by the
 * example's seed script, a separate process, before the server starts.
 */
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  ClientSecretBasic,
  ClientSecretPost,
  discovery,
  fetchUserInfo,
  None,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  ResponseBodyError,
  type Configuration,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore, Tenant } from 'clientele';
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
const SPA_CALLBACK = `${APP}/callback`;
const WEB_CALLBACK = 'https://web.example.com/callback';

let server: RunningServer;
let store: string;
let cleanup: () => Promise<void>;
let spaId: string;
let web: { id: string; secret: string };

beforeAll(async () => {
  const [, { dir, remove }] = await Promise.all([ensureBuilt(), scratch()]);
  cleanup = remove;
  store = path.join(dir, 'tenant.json');
  spaId = seedStore(store, APP);
  server = await startServer(['--store', store]);
  const response = await fetch(`${server.url}/oidc/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Web app',
      redirect_uris: [WEB_CALLBACK],
      token_endpoint_auth_method: 'client_secret_basic',
    }),
  });
  const registered = (await response.json()) as { client_id: string; client_secret: string };
  web = { id: registered.client_id, secret: registered.client_secret };
}, 120_000);

afterAll(async () => {
  const exit = await server?.stop();
  await cleanup?.();
  expect(exit).toEqual({ code: 0, signal: null });
});

function spaConfig(): Promise<Configuration> {
  return discovery(new URL(server.issuer), spaId, undefined, None(), INSECURE);
}

function webConfig(): Promise<Configuration> {
  return discovery(new URL(server.issuer), web.id, web.secret, ClientSecretBasic(), INSECURE);
}

interface Started {
  location: URL;
  verifier: string;
  nonce: string;
  state: string;
}

/** Sends the browser to /authorize and returns where the server redirects it. */
async function authorize(
  config: Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
  pkce = true,
): Promise<Started> {
  const verifier = randomPKCECodeVerifier();
  const nonce = randomNonce();
  const state = randomState();
  const url = buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    nonce,
    state,
    ...(pkce
      ? {
          code_challenge: await calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        }
      : {}),
    ...extra,
  });
  const response = await fetchManual(url);
  expect(response.status).toBe(302);
  const location = response.headers.get('location');
  expect(location).not.toBeNull();
  return { location: new URL(location!), verifier, nonce, state };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function exchange(body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
}

describe('authorization code flow with PKCE', () => {
  it('signs the demo user in to a public client and returns a valid ID token and userinfo', async () => {
    const config = await spaConfig();
    const started = await authorize(config, SPA_CALLBACK);
    expect(started.location.origin + started.location.pathname).toBe(SPA_CALLBACK);
    expect(started.location.searchParams.get('iss')).toBe(server.issuer);

    const tokens = await authorizationCodeGrant(config, started.location, {
      pkceCodeVerifier: started.verifier,
      expectedNonce: started.nonce,
      expectedState: started.state,
      idTokenExpected: true,
    });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'openid profile email' });
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: server.issuer,
      aud: spaId,
      sub: 'demo|alice',
      nonce: started.nonce,
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Example',
      auth_time: expect.any(Number),
      at_hash: expect.any(String),
    });

    // openid-client checks the claims; the signature is checked here against the JWKS.
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const verified = await jwtVerify(tokens.id_token!, jwks, {
      issuer: server.issuer,
      audience: spaId,
    });
    expect(verified.protectedHeader.alg).toBe('RS256');

    const userinfo = await fetchUserInfo(config, tokens.access_token, 'demo|alice');
    expect(userinfo).toMatchObject({
      sub: 'demo|alice',
      email: 'alice@example.com',
      nickname: 'alice',
    });
  });

  it('serves a confidential client with Basic authentication, PKCE optional', async () => {
    const config = await webConfig();
    const started = await authorize(config, WEB_CALLBACK, {}, false);
    const tokens = await authorizationCodeGrant(config, started.location, {
      expectedNonce: started.nonce,
      expectedState: started.state,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ aud: web.id, sub: 'demo|alice' });

    const withPkce = await authorize(config, WEB_CALLBACK);
    const second = await authorizationCodeGrant(config, withPkce.location, {
      pkceCodeVerifier: withPkce.verifier,
      expectedNonce: withPkce.nonce,
      expectedState: withPkce.state,
    });
    expect(second.claims()?.nonce).toBe(withPkce.nonce);
  });

  it('accepts a code once: a replay is invalid_grant and revokes the access token', async () => {
    const config = await spaConfig();
    const started = await authorize(config, SPA_CALLBACK);
    const code = started.location.searchParams.get('code')!;
    const body = {
      grant_type: 'authorization_code',
      client_id: spaId,
      code,
      redirect_uri: SPA_CALLBACK,
      code_verifier: started.verifier,
    };
    const first = await exchange(body);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const { access_token: accessToken } = (await first.json()) as { access_token: string };
    const userinfo = () =>
      fetch(`${server.url}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect((await userinfo()).status).toBe(200);

    const replay = await exchange(body);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    const revoked = await userinfo();
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a wrong code_verifier, another redirect_uri and another client with invalid_grant', async () => {
    const config = await spaConfig();
    const attempts: Record<string, string>[] = [];
    for (const change of [
      { code_verifier: randomPKCECodeVerifier() },
      { redirect_uri: `${APP}/other` },
      { code_verifier: '' },
    ]) {
      const started = await authorize(config, SPA_CALLBACK);
      // An empty value is a parameter left out (RFC 6749 §3.1): no code_verifier at all.
      attempts.push({
        grant_type: 'authorization_code',
        client_id: spaId,
        code: started.location.searchParams.get('code')!,
        redirect_uri: SPA_CALLBACK,
        code_verifier: started.verifier,
        ...change,
      });
    }
    for (const body of attempts) {
      const response = await exchange(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    }

    // A code issued to the SPA, presented by the web app with its own valid secret.
    const started = await authorize(config, SPA_CALLBACK);
    const stolen = await rejection(
      authorizationCodeGrant(await webConfig(), started.location, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
      }),
    );
    expect(stolen).toBeInstanceOf(ResponseBodyError);
    expect(stolen).toMatchObject({ error: 'invalid_grant' });
  });

  it('redirects errors back to a valid redirect_uri with state and iss: PKCE missing or plain', async () => {
    const config = await spaConfig();
    const missing = await authorize(config, SPA_CALLBACK, {}, false);
    expect(Object.fromEntries(missing.location.searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'code_challenge is required: public clients must use PKCE with S256',
      state: missing.state,
      iss: server.issuer,
    });
    const plain = await authorize(
      config,
      SPA_CALLBACK,
      { code_challenge: randomPKCECodeVerifier(), code_challenge_method: 'plain' },
      false,
    );
    expect(plain.location.searchParams.get('error')).toBe('invalid_request');
    // The SPA has Auth0's default implicit grant: a token comes back, in the fragment only.
    const implicit = await authorize(config, SPA_CALLBACK, { response_type: 'token' });
    expect(implicit.location.search).toBe('');
    expect(new URLSearchParams(implicit.location.hash.slice(1)).has('access_token')).toBe(true);
    const unknown = await authorize(config, SPA_CALLBACK, { response_type: 'code token token' });
    expect(unknown.location.searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('answers an unregistered redirect_uri with a 400 page and never redirects', async () => {
    const config = await spaConfig();
    for (const redirectUri of [
      'https://evil.example.net/callback',
      `${APP}/callback/`,
      `${APP}/callback?next=1`,
      `${APP}/callback#x`,
      'http://127.0.0.1:8080@evil.example.net/callback',
    ]) {
      const url = buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid',
        code_challenge: await calculatePKCECodeChallenge(randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      });
      const response = await fetchManual(url);
      expect(response.status, redirectUri).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toContain('redirect_uri');
    }
  });

  it('answers an unknown or missing client_id and a missing redirect_uri with 400, no redirect', async () => {
    const query = (params: Record<string, string>) =>
      fetchManual(`${server.url}/authorize?${new URLSearchParams(params)}`);
    for (const params of [
      { client_id: 'unknown-client', redirect_uri: SPA_CALLBACK, response_type: 'code' },
      { client_id: 'bad id/../x', redirect_uri: SPA_CALLBACK, response_type: 'code' },
      { redirect_uri: SPA_CALLBACK, response_type: 'code' },
      { client_id: spaId, response_type: 'code' },
    ]) {
      const response = await query(params);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
    const repeated = await fetchManual(
      `${server.url}/authorize?client_id=${spaId}&client_id=${spaId}&redirect_uri=${SPA_CALLBACK}`,
    );
    expect(repeated.status).toBe(400);
    expect(repeated.headers.get('location')).toBeNull();
  });

  it('issues no ID token without the openid scope, and userinfo then refuses the token', async () => {
    const config = await spaConfig();
    const started = await authorize(config, SPA_CALLBACK, { scope: 'profile' });
    const response = await exchange({
      grant_type: 'authorization_code',
      client_id: spaId,
      code: started.location.searchParams.get('code')!,
      redirect_uri: SPA_CALLBACK,
      code_verifier: started.verifier,
    });
    const tokens = (await response.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ scope: 'profile', token_type: 'Bearer' });
    expect(tokens).not.toHaveProperty('id_token');
    const userinfo = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${String(tokens['access_token'])}` },
    });
    expect(userinfo.status).toBe(403);
    expect(await userinfo.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('lets the SPA’s origin read the token and userinfo responses, and no other origin', async () => {
    const config = await spaConfig();
    const started = await authorize(config, SPA_CALLBACK);
    const response = await exchange(
      {
        grant_type: 'authorization_code',
        client_id: spaId,
        code: started.location.searchParams.get('code')!,
        redirect_uri: SPA_CALLBACK,
        code_verifier: started.verifier,
      },
      { origin: APP },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const { access_token: accessToken } = (await response.json()) as { access_token: string };

    const userinfo = (origin: string) =>
      fetch(`${server.url}/userinfo`, {
        headers: { authorization: `Bearer ${accessToken}`, origin },
      });
    expect((await userinfo(APP)).headers.get('access-control-allow-origin')).toBe(APP);
    const other = await userinfo('https://evil.example.net');
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    // The web app is authenticated too, but the SPA's origin is not one of its own.
    const webStarted = await authorize(await webConfig(), WEB_CALLBACK, {}, false);
    const webResponse = await exchange(
      {
        grant_type: 'authorization_code',
        code: webStarted.location.searchParams.get('code')!,
        redirect_uri: WEB_CALLBACK,
      },
      { origin: APP, authorization: `Basic ${btoa(`${web.id}:${web.secret}`)}` },
    );
    expect(webResponse.status).toBe(200);
    expect(webResponse.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves a client another process adds while it runs, signing its ID tokens with HS256', async () => {
    const callback = 'https://hs.example.com/callback';
    const admin = await Tenant.create({ domain: 'admin.invalid', store: new FileStore(store) });
    const created = await admin.clients.create({
      name: 'Legacy web app',
      app_type: 'regular_web',
      callbacks: [callback],
      jwt_configuration: { alg: 'HS256' },
    });
    await admin.close();
    const secret = created.client_secret!;
    const config = await discovery(
      new URL(server.issuer),
      created.client_id,
      secret,
      ClientSecretPost(),
      INSECURE,
    );
    const started = await authorize(config, callback);
    const tokens = await authorizationCodeGrant(config, started.location, {
      pkceCodeVerifier: started.verifier,
      expectedNonce: started.nonce,
      expectedState: started.state,
      idTokenExpected: true,
    });
    const verified = await jwtVerify(tokens.id_token!, new TextEncoder().encode(secret), {
      issuer: server.issuer,
      audience: created.client_id,
    });
    expect(verified.protectedHeader.alg).toBe('HS256');
    expect(verified.payload.nonce).toBe(started.nonce);
  });
});
