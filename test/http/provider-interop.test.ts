/**
 * What Auth0's SDKs and standard clients need from createProvider besides the flows
 * themselves: CORS preflights that allow the `Auth0-Client` header, JSON bodies at the
 * token and revocation endpoints (with the form's rules), RFC 8414 metadata (oauth4webapi's
 * discovery), and RFC 9068 access tokens for APIs whose `token_dialect` asks for them
 * (oauth4webapi's `validateJwtAccessToken`).
 */
import * as oauth from 'oauth4webapi';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  discovery,
  None,
  randomPKCECodeVerifier,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/index.js';
import {
  followToCallback,
  INSECURE,
  startTestServer,
  type TestServer,
} from './provider-helpers.js';

const APP = 'http://127.0.0.1:8080';
const CALLBACK = `${APP}/callback`;
const AUTH0_API = 'https://auth0-dialect.example.test/';
const RFC9068_API = 'https://rfc9068.example.test/';
const INSECURE_AS = { [oauth.allowInsecureRequests]: true };

let server: TestServer;
let spa: Client;
let machine: Client;

beforeAll(async () => {
  server = await startTestServer();
  await server.tenant.apis.create({
    identifier: AUTH0_API,
    name: 'Auth0 dialect',
    scopes: [{ value: 'read:things' }],
  });
  await server.tenant.apis.create({
    identifier: RFC9068_API,
    name: 'RFC 9068 dialect',
    scopes: [{ value: 'read:things' }],
    token_dialect: 'rfc9068_profile',
  });
  spa = await server.tenant.clients.create({
    name: 'Interop SPA',
    app_type: 'spa',
    callbacks: [CALLBACK],
    allowed_origins: [APP],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring' },
  });
  machine = await server.tenant.clients.create({
    name: 'Interop M2M',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  for (const audience of [AUTH0_API, RFC9068_API]) {
    await server.tenant.apis.grant({
      client_id: machine.client_id,
      audience,
      scope: ['read:things'],
    });
  }
});
afterAll(() => server.close());

/** Signs Alice in to the SPA for `audience` and returns the token response. */
async function signIn(audience: string) {
  const config = await discovery(
    new URL(server.issuer),
    spa.client_id,
    undefined,
    None(),
    INSECURE,
  );
  const verifier = randomPKCECodeVerifier();
  const callback = await followToCallback(
    buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid offline_access read:things',
      audience,
      code_challenge: await calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }),
  );
  return authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    idTokenExpected: true,
  });
}

function post(path: string, body: string, type: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, ...headers },
    body,
  });
}

const basic = (client: Client) =>
  `Basic ${Buffer.from(`${client.client_id}:${client.client_secret ?? ''}`).toString('base64')}`;

describe('CORS preflight', () => {
  it('allows Auth0-Client with Authorization and Content-Type on token, revoke and userinfo', async () => {
    for (const [path, method] of [
      ['/oauth/token', 'POST'],
      ['/oauth/revoke', 'POST'],
      ['/userinfo', 'GET'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: APP,
          'access-control-request-method': method,
          'access-control-request-headers': 'auth0-client,content-type',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      const allowed = (response.headers.get('access-control-allow-headers') ?? '')
        .toLowerCase()
        .split(/, */);
      expect(allowed).toEqual(
        expect.arrayContaining(['auth0-client', 'authorization', 'content-type']),
      );
    }
  });

  it('still names no origin that no client allows', async () => {
    const response = await fetch(`${server.url}/oauth/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('JSON bodies at /oauth/token and /oauth/revoke', () => {
  it('issues a client-credentials token for a JSON body, as for a form', async () => {
    const response = await post(
      '/oauth/token',
      JSON.stringify({ grant_type: 'client_credentials', audience: AUTH0_API }),
      'application/json; charset=utf-8',
      { authorization: basic(machine) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', scope: 'read:things' });
  });

  it('refreshes and revokes with JSON bodies, and a revoked refresh token stops working', async () => {
    const tokens = await signIn(AUTH0_API);
    const refresh = tokens.refresh_token as string;
    const json = (body: Record<string, string>) =>
      post('/oauth/token', JSON.stringify(body), 'application/json', { origin: APP });
    const refreshed = await json({
      grant_type: 'refresh_token',
      client_id: spa.client_id,
      refresh_token: refresh,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('access-control-allow-origin')).toBe(APP);
    const revoked = await post(
      '/oauth/revoke',
      JSON.stringify({ client_id: spa.client_id, token: refresh }),
      'application/json',
    );
    expect(revoked.status).toBe(200);
    const after = await json({
      grant_type: 'refresh_token',
      client_id: spa.client_id,
      refresh_token: refresh,
    });
    expect(after.status).toBe(400);
    expect(await after.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses what a form would refuse: repeated names, and values that are not strings', async () => {
    const cases: [string, RegExp][] = [
      [
        `{"grant_type":"client_credentials","audience":"${AUTH0_API}","grant_type":"client_credentials"}`,
        /grant_type must not be repeated/,
      ],
      [
        `{"grant_type":"client_credentials","aud\\u0069ence":"${AUTH0_API}","audience":"x"}`,
        /audience must not be repeated/,
      ],
      ['{"grant_type":["client_credentials"]}', /grant_type must be a string/],
      ['{"grant_type":"client_credentials","audience":{"a":"b"}}', /audience must be a string/],
      ['{"grant_type":"client_credentials","expires_in":3600}', /expires_in must be a string/],
      ['["grant_type","client_credentials"]', /JSON object/],
      ['"grant_type=client_credentials"', /JSON object/],
      ['{"grant_type":"client_credentials",}', /JSON/],
      ['', /JSON/],
    ];
    for (const [body, message] of cases) {
      const response = await post('/oauth/token', body, 'application/json', {
        authorization: basic(machine),
      });
      expect(response.status, body).toBe(400);
      const answer = (await response.json()) as { error: string; error_description: string };
      expect(answer.error, body).toBe('invalid_request');
      expect(answer.error_description, body).toMatch(message);
    }
  });

  it('reads an empty string as absent, as in a form', async () => {
    const response = await post(
      '/oauth/token',
      JSON.stringify({ grant_type: 'client_credentials', audience: '' }),
      'application/json',
      { authorization: basic(machine) },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringMatching(/^audience is missing/),
    });
  });

  it('refuses other media types and bodies that are not UTF-8', async () => {
    for (const type of ['text/plain', 'application/jsonx', 'multipart/form-data', '']) {
      const response = await post('/oauth/token', '{"grant_type":"client_credentials"}', type);
      expect(response.status, type).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    }
    const latin1 = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x22, 0x78, 0x22, 0x7d]),
    });
    expect(latin1.status).toBe(400);
    expect(await latin1.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('keeps introspection form-only (Auth0 serves no JSON there)', async () => {
    const response = await post('/oauth/introspect', '{"token":"x"}', 'application/json', {
      authorization: basic(machine),
    });
    expect(response.status).toBe(400);
  });
});

describe('RFC 8414 authorization server metadata', () => {
  it('oauth4webapi discovers the tenant at /.well-known/oauth-authorization-server', async () => {
    const issuer = new URL(server.issuer);
    const response = await oauth.discoveryRequest(issuer, {
      algorithm: 'oauth2',
      ...INSECURE_AS,
    });
    expect(new URL(response.url).pathname).toBe('/.well-known/oauth-authorization-server');
    const metadata = await oauth.processDiscoveryResponse(issuer, response);
    expect(metadata.issuer).toBe(server.issuer);
    expect(metadata.token_endpoint).toBe(`${server.url}/oauth/token`);
    const oidc = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
    expect(metadata).toEqual(oidc);
  });
});

describe('RFC 9068 access tokens (token_dialect rfc9068_profile)', () => {
  async function validate(token: string, audience: string) {
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...INSECURE_AS }),
    );
    const request = new Request(`${APP}/api`, { headers: { authorization: `Bearer ${token}` } });
    return oauth.validateJwtAccessToken(as, request, audience, INSECURE_AS);
  }

  it('a user token has typ at+jwt, client_id, jti and auth_time, and oauth4webapi accepts it', async () => {
    const tokens = await signIn(RFC9068_API);
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    const claims = await validate(tokens.access_token, RFC9068_API);
    expect(claims).toMatchObject({
      client_id: spa.client_id,
      sub: 'auth0|alice',
      iss: server.issuer,
    });
    expect(claims).not.toHaveProperty('azp');
    expect(typeof claims.jti).toBe('string');
    expect(typeof claims['auth_time']).toBe('number');
    await expect(
      server.tenant.verifyAccessToken(tokens.access_token, { audience: RFC9068_API }),
    ).resolves.toMatchObject({ scope: expect.stringContaining('read:things') });
    // Refreshed tokens keep the profile.
    const refreshed = await post(
      '/oauth/token',
      new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: spa.client_id,
        refresh_token: tokens.refresh_token as string,
      }).toString(),
      'application/x-www-form-urlencoded',
    );
    const { access_token } = (await refreshed.json()) as { access_token: string };
    expect(decodeProtectedHeader(access_token).typ).toBe('at+jwt');
  });

  it('a client-credentials token has the profile too', async () => {
    const { access_token } = await server.tenant.issueAccessToken(machine.client_id, {
      audience: RFC9068_API,
    });
    expect(decodeProtectedHeader(access_token).typ).toBe('at+jwt');
    const claims = await validate(access_token, RFC9068_API);
    expect(claims).toMatchObject({
      client_id: machine.client_id,
      sub: `${machine.client_id}@clients`,
    });
    expect(claims).not.toHaveProperty('azp');
  });

  it('the default dialect is unchanged (typ JWT, azp), so an RFC 9068 validator refuses it', async () => {
    const tokens = await signIn(AUTH0_API);
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('JWT');
    expect(decodeJwt(tokens.access_token)).toMatchObject({ azp: spa.client_id });
    await expect(validate(tokens.access_token, AUTH0_API)).rejects.toThrow(/typ/);
    const { access_token } = await server.tenant.issueAccessToken(machine.client_id, {
      audience: AUTH0_API,
    });
    expect(decodeProtectedHeader(access_token).typ).toBe('JWT');
    expect(decodeJwt(access_token)).toMatchObject({ azp: machine.client_id });
    expect(decodeJwt(access_token)).not.toHaveProperty('jti');
  });
});
