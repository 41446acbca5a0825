/**
 * What createProvider refuses, each in its own test, over real HTTP: code reuse, a code
 * of another client, a wrong redirect_uri, missing or wrong PKCE verifiers, plain PKCE,
 * expired codes, refresh tokens of another client or of a revoked family, repeated
 * parameters and malformed bodies. Never a 5xx; error bodies keep RFC 6749 §5.2's
 * character set.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientInput } from '../../src/index.js';
import {
  fetchManual,
  followToCallback,
  startTestServer,
  type TestServer,
} from './provider-helpers.js';

const CALLBACK = 'http://127.0.0.1:8080/callback';
const VERIFIER = 'refusal-tests-verifier-0123456789-abcdefghijklmnop';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const DESCRIPTION = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

let server: TestServer;
let spa: Client;
let other: Client;

beforeAll(async () => {
  server = await startTestServer();
  const input: Omit<ClientInput, 'name'> = {
    app_type: 'spa',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring' },
  };
  spa = await server.tenant.clients.create({ name: 'SPA', ...input });
  other = await server.tenant.clients.create({ name: 'Other', ...input });
});
afterAll(() => server.close());

function authorizeUrl(client: Client, extra: Record<string, string> = {}): URL {
  const url = new URL('/authorize', server.url);
  const params = {
    client_id: client.client_id,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid offline_access',
    state: 'st',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

async function code(client: Client = spa): Promise<string> {
  const callback = await followToCallback(authorizeUrl(client));
  return callback.searchParams.get('code') as string;
}

async function token(body: string | Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body),
  });
  const json = (await response.json()) as Record<string, string>;
  if (response.status >= 400) expect(json['error_description']).toMatch(DESCRIPTION);
  return { status: response.status, json };
}

const exchange = (value: string, client: Client = spa, extra: Record<string, string> = {}) =>
  token({
    grant_type: 'authorization_code',
    client_id: client.client_id,
    code: value,
    redirect_uri: CALLBACK,
    code_verifier: VERIFIER,
    ...extra,
  });

describe('createProvider refuses', () => {
  it('a code used twice, and revokes the tokens of its first use', async () => {
    const value = await code();
    const first = await exchange(value);
    expect(first.status).toBe(200);
    expect(await exchange(value)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const userinfo = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${first.json['access_token']}` },
    });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('a code presented by another client', async () => {
    const value = await code();
    expect(await exchange(value, other)).toMatchObject({
      status: 400,
      json: { error: 'invalid_grant' },
    });
    expect((await exchange(value)).status).toBe(200);
  });

  it('a redirect_uri other than the authorization request’s', async () => {
    const result = await exchange(await code(), spa, {
      redirect_uri: 'http://127.0.0.1:8080/other',
    });
    expect(result).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('a missing code_verifier', async () => {
    const value = await code();
    const result = await token({
      grant_type: 'authorization_code',
      client_id: spa.client_id,
      code: value,
      redirect_uri: CALLBACK,
    });
    expect(result).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('a wrong code_verifier', async () => {
    const result = await exchange(await code(), spa, { code_verifier: 'x'.repeat(50) });
    expect(result).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('plain PKCE at /authorize, reported on the redirect_uri with state', async () => {
    const response = await fetchManual(authorizeUrl(spa, { code_challenge_method: 'plain' }));
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('st');
  });

  it('an expired code (the tenant clock moved past its lifetime)', async () => {
    const value = await code();
    server.advance(61);
    expect(await exchange(value)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('a refresh token of another client, which stays valid for its owner', async () => {
    const refresh = (await exchange(await code())).json['refresh_token'] as string;
    const stolen = await token({
      grant_type: 'refresh_token',
      client_id: other.client_id,
      refresh_token: refresh,
    });
    expect(stolen).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const own = await token({
      grant_type: 'refresh_token',
      client_id: spa.client_id,
      refresh_token: refresh,
    });
    expect(own.status).toBe(200);
  });

  it('a confidential client revoking another client’s tokens: 400 invalid_request, and both stay valid (RFC 7009 section 2.1)', async () => {
    const web: Omit<ClientInput, 'name'> = {
      app_type: 'regular_web',
      callbacks: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring' },
    };
    const owner = await server.tenant.clients.create({ name: 'Owner', ...web });
    const intruder = await server.tenant.clients.create({ name: 'Intruder', ...web });
    const secret = (client: Client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret as string,
    });
    const issued = await exchange(await code(owner), owner, secret(owner));
    expect(issued.status).toBe(200);
    const revoke = (client: Client, value: string) =>
      fetch(`${server.url}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...secret(client), token: value }),
      });
    for (const value of [issued.json['refresh_token'], issued.json['access_token']]) {
      const refused = await revoke(intruder, value as string);
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as Record<string, string>;
      expect(body['error']).toBe('invalid_request');
      expect(body['error_description']).toMatch(DESCRIPTION);
    }
    // A public client proves nothing: it gets the answer for an invalid token (section 2.2),
    // so naming one cannot tell anybody whether a token is live.
    const anonymous = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: spa.client_id,
        token: issued.json['refresh_token'] as string,
      }),
    });
    expect(anonymous.status).toBe(200);
    // An unknown token is still 200 for everyone.
    expect((await revoke(intruder, 'x'.repeat(43))).status).toBe(200);
    const userinfo = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${issued.json['access_token']}` },
    });
    expect(userinfo.status).toBe(200);
    const refreshed = await token({
      grant_type: 'refresh_token',
      ...secret(owner),
      refresh_token: issued.json['refresh_token'] as string,
    });
    expect(refreshed.status).toBe(200);
    // Its owner may revoke it.
    expect((await revoke(owner, issued.json['refresh_token'] as string)).status).toBe(200);
    expect(
      (
        await token({
          grant_type: 'refresh_token',
          ...secret(owner),
          refresh_token: issued.json['refresh_token'] as string,
        })
      ).json['error'],
    ).toBe('invalid_grant');
  });

  it('a refresh token of a revoked family', async () => {
    const refresh = (await exchange(await code())).json['refresh_token'] as string;
    const revoked = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: spa.client_id, token: refresh }),
    });
    expect(revoked.status).toBe(200);
    const result = await token({
      grant_type: 'refresh_token',
      client_id: spa.client_id,
      refresh_token: refresh,
    });
    expect(result).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('any repeated parameter at the token endpoint, even when the first copy is empty', async () => {
    for (const body of [
      `grant_type=&grant_type=client_credentials&client_id=${spa.client_id}`,
      `grant_type=refresh_token&client_id=&client_id=${spa.client_id}&refresh_token=x`,
      `grant_type=refresh_token&client_id=${spa.client_id}&refresh_token=x&scope=&scope=openid`,
      `grant_type=client_credentials&audience=&audience=https%3A%2F%2Fapi&client_id=${spa.client_id}`,
      `grant_type=client_credentials&client_secret=&client_secret=s&client_id=${spa.client_id}`,
    ]) {
      const result = await token(body);
      expect(result.status, body).toBe(400);
      expect(result.json['error'], body).toBe('invalid_request');
      expect(result.json['error_description'], body).toMatch(/must not be repeated/);
    }
  });

  it('any repeated parameter at /authorize and /v2/logout, with a 400 page and no redirect', async () => {
    for (const name of ['client_id', 'redirect_uri', 'state', 'code_challenge', 'response_type']) {
      const url = authorizeUrl(spa);
      url.search = `${url.search.slice(1).replace(`${name}=`, `${name}=&${name}=`)}`;
      const response = await fetchManual(url);
      expect(response.status, name).toBe(400);
      expect(response.headers.get('location'), name).toBeNull();
    }
    const logout = await fetchManual(
      `${server.url}/v2/logout?client_id=${spa.client_id}&returnTo=&returnTo=${encodeURIComponent(CALLBACK)}`,
    );
    expect(logout.status).toBe(400);
    expect(logout.headers.get('location')).toBeNull();
  });

  it('an unknown client or an unregistered redirect_uri with a 400 page, never a redirect', async () => {
    for (const url of [
      authorizeUrl({ ...spa, client_id: 'nope' } as Client),
      authorizeUrl(spa, { redirect_uri: 'https://evil.example.com/callback' }),
    ]) {
      const response = await fetchManual(url);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    }
  });

  it('malformed bodies: another media type, invalid UTF-8, and a body over the limit', async () => {
    const text = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'grant_type=client_credentials',
    });
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ error: 'invalid_request' });
    const binary = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new Uint8Array([0x67, 0x3d, 0xff, 0xfe]),
    });
    expect(binary.status).toBe(400);
    const huge = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${'a'.repeat(200_000)}`,
    });
    expect(huge.status).toBe(413);
  });

  it('answers HEAD on discovery, JWKS and /authorize as GET without a body', async () => {
    for (const url of [
      `${server.url}/.well-known/openid-configuration`,
      `${server.url}/.well-known/jwks.json`,
      authorizeUrl(spa, { prompt: 'none' }).href,
    ]) {
      const head = await fetchManual(url, { method: 'HEAD' });
      const get = await fetchManual(url);
      expect(head.status, url).toBe(get.status);
      expect(await head.text()).toBe('');
    }
  });

  it('answers a malformed registration id with the JSON error', async () => {
    const response = await fetch(`${server.url}/oidc/register/%ZZ`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('never answers a 5xx to arbitrary token requests, and keeps §5.2 characters', async () => {
    const names = [
      'grant_type',
      'client_id',
      'client_secret',
      'code',
      'redirect_uri',
      'refresh_token',
      'scope',
      'audience',
      'code_verifier',
    ];
    const grantTypes = [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'password',
      '',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(...names),
            fc.oneof(
              fc.constantFrom(...grantTypes, spa.client_id),
              fc.string({ maxLength: 40 }),
              fc.string({ unit: 'grapheme', maxLength: 20 }),
            ),
          ),
          { maxLength: 6 },
        ),
        async (pairs) => {
          const body = new URLSearchParams(pairs).toString();
          const response = await server.provider(
            new Request(`${server.url}/oauth/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body,
            }),
          );
          expect(response.status).toBeLessThan(500);
          const json = (await response.json()) as Record<string, string>;
          if (response.status >= 400) expect(json['error_description']).toMatch(DESCRIPTION);
        },
      ),
      { numRuns: 150 },
    );
  });
});
