/**
 * createProvider end to end with openid-client as the relying party: code + PKCE with
 * offline_access, refresh (rotating with leeway and reuse detection, non-rotating,
 * narrowing), revocation, introspection, userinfo and prompt=none.
 */
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  ClientSecretPost,
  discovery,
  fetchUserInfo,
  None,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  refreshTokenGrant,
  ResponseBodyError,
  tokenIntrospection,
  tokenRevocation,
  type Configuration,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefreshTokenSettings } from '../../src/index.js';
import {
  ALICE,
  fetchManual,
  followToCallback,
  INSECURE,
  startTestServer,
  type TestServer,
} from './provider-helpers.js';

const APP = 'http://127.0.0.1:8080';
const CALLBACK = `${APP}/callback`;
const API = 'https://api.example.test/';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.tenant.apis.create({
    identifier: API,
    name: 'Reports',
    scopes: [{ value: 'read:reports' }, { value: 'write:reports' }],
  });
});
afterAll(() => server.close());

async function spa(refresh: RefreshTokenSettings): Promise<Configuration> {
  const client = await server.tenant.clients.create({
    name: `SPA ${Math.random()}`,
    app_type: 'spa',
    callbacks: [CALLBACK],
    allowed_origins: [APP],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: refresh,
  });
  return discovery(new URL(server.issuer), client.client_id, undefined, None(), INSECURE);
}

async function signIn(config: Configuration, scope = 'openid profile offline_access read:reports') {
  const verifier = randomPKCECodeVerifier();
  const nonce = randomNonce();
  const state = randomState();
  const url = buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope,
    audience: API,
    nonce,
    state,
    code_challenge: await calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const callback = await followToCallback(url);
  expect(callback.searchParams.get('iss')).toBe(server.issuer);
  return authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: scope.split(' ').includes('openid'),
  });
}

async function refused(promise: Promise<unknown>): Promise<ResponseBodyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResponseBodyError);
  return error as ResponseBodyError;
}

describe('createProvider with openid-client', () => {
  it('code + PKCE with offline_access returns access, ID and refresh tokens; userinfo answers', async () => {
    const config = await spa({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const tokens = await signIn(config);
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      scope: 'openid profile offline_access read:reports',
    });
    expect(tokens.refresh_token).toBeDefined();
    expect(tokens.claims()).toMatchObject({ sub: ALICE.sub, name: 'Alice Example' });
    expect(tokens.claims()).not.toHaveProperty('email');
    const claims = await fetchUserInfo(config, tokens.access_token, ALICE.sub);
    expect(claims).toEqual({ sub: ALICE.sub, name: 'Alice Example' });
    const verified = await server.tenant.verifyAccessToken(tokens.access_token, { audience: API });
    expect(verified.scope).toContain('read:reports');
  });

  it('rotating: the old token works within leeway, fails after, and reuse revokes the new one', async () => {
    const config = await spa({
      rotation_type: 'rotating',
      expiration_type: 'expiring',
      leeway: 30,
      token_lifetime: 3600,
      idle_token_lifetime: 1800,
    });
    const first = (await signIn(config)).refresh_token as string;
    const second = await refreshTokenGrant(config, first);
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first);
    const retry = await refreshTokenGrant(config, first); // within the 30 s leeway
    expect(retry.refresh_token).toBeDefined();
    server.advance(31);
    expect((await refused(refreshTokenGrant(config, first))).error).toBe('invalid_grant');
    expect((await refused(refreshTokenGrant(config, second.refresh_token as string))).error).toBe(
      'invalid_grant',
    );
    await server.tenant.audit.flush();
    expect(server.sink.events.some((event) => event.type === 'ferrt')).toBe(true);
  });

  it('non-rotating: the same refresh token keeps working and narrowing the scope works', async () => {
    const config = await spa({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const token = (await signIn(config)).refresh_token as string;
    const narrow = await refreshTokenGrant(config, token, { scope: 'read:reports' });
    expect(narrow.scope).toBe('read:reports');
    expect(narrow.refresh_token).toBeUndefined();
    const wider = await refused(
      refreshTokenGrant(config, token, { scope: 'read:reports write:reports' }),
    );
    expect(wider.error).toBe('invalid_scope');
    await expect(refreshTokenGrant(config, token)).resolves.toHaveProperty('access_token');
  });

  it('revoking a refresh token ends refreshes; revoking an access token makes it inactive', async () => {
    const config = await spa({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const tokens = await signIn(config);
    expect(await tokenIntrospection(config, tokens.access_token)).toMatchObject({
      active: true,
      sub: ALICE.sub,
    });
    await tokenRevocation(config, tokens.access_token);
    expect(await tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    await refreshTokenGrant(config, tokens.refresh_token as string);
    await tokenRevocation(config, tokens.refresh_token as string);
    expect((await refused(refreshTokenGrant(config, tokens.refresh_token as string))).error).toBe(
      'invalid_grant',
    );
  });

  it('introspection by a client that may not see the token answers active: false', async () => {
    const config = await spa({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const tokens = await signIn(config);
    const outsider = await server.tenant.clients.create({
      name: 'Outsider',
      app_type: 'regular_web',
      callbacks: ['https://outsider.example.com/cb'],
    });
    const outsiderConfig = await discovery(
      new URL(server.issuer),
      outsider.client_id,
      outsider.client_secret,
      ClientSecretPost(),
      INSECURE,
    );
    expect(await tokenIntrospection(outsiderConfig, tokens.access_token)).toEqual({
      active: false,
    });
    expect(await tokenIntrospection(outsiderConfig, tokens.refresh_token as string)).toEqual({
      active: false,
    });
  });

  it('prompt=none: login_required without a session, a code with one', async () => {
    const config = await spa({ rotation_type: 'non-rotating', expiration_type: 'non-expiring' });
    const url = buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      state: 'st-1',
      prompt: 'none',
      code_challenge: await calculatePKCECodeChallenge(randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const without = new URL((await fetchManual(url)).headers.get('location') as string);
    expect(Object.fromEntries(without.searchParams)).toMatchObject({
      error: 'login_required',
      state: 'st-1',
      iss: server.issuer,
    });
    const withSession = await fetchManual(url, { headers: { cookie: 'session=alice' } });
    const location = new URL(withSession.headers.get('location') as string);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
