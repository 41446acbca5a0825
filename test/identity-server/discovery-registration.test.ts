/**
 * The example identity server's discovery document, JWKS and Dynamic Client Registration
 * (RFC 7591 / RFC 7592), driven by openid-client and by plain fetch.
 */
import { connect } from 'node:net';
import path from 'node:path';
import {
  ClientSecretBasic,
  clientCredentialsGrant,
  discovery,
  dynamicClientRegistration,
  None,
  ResponseBodyError,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, INSECURE, scratch, startServer, type RunningServer } from './helpers.js';

let server: RunningServer;
let guarded: RunningServer;
let cleanup: () => Promise<void>;
const INITIAL_ACCESS_TOKEN = 'initial-access-token-for-tests-0123456789';

beforeAll(async () => {
  await ensureBuilt();
  const { dir, remove } = await scratch();
  cleanup = remove;
  [server, guarded] = await Promise.all([
    startServer(['--store', path.join(dir, 'tenant.json')]),
    startServer([
      '--store',
      path.join(dir, 'guarded.json'),
      '--initial-access-token',
      INITIAL_ACCESS_TOKEN,
    ]),
  ]);
}, 120_000);

afterAll(async () => {
  const exits = await Promise.all([server?.stop(), guarded?.stop()]);
  await cleanup?.();
  expect(exits).toEqual([
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);
});

async function register(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/oidc/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Sends a POST with a `size`-byte body on a raw socket as fast as the socket takes it (no
 * `Expect: 100-continue`), and collects whatever comes back until the server closes.
 */
function rawPost(
  base: string,
  target: string,
  size: number,
  chunked: boolean,
): Promise<{ received: string; error: string | undefined }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let error: string | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A reset after the whole response arrived is fine; one before it is the bug.
      if (!/\r\n\r\n[\s\S]*\}$/.test(received)) error = e.code ?? e.message;
    });
    socket.on('close', () => resolve({ received, error }));
    const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`;
    socket.write(
      `POST ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n${length}\r\n\r\n`,
    );
    const piece = Buffer.alloc(16 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < size && !socket.destroyed) {
        sent += piece.length;
        const data = chunked
          ? Buffer.concat([
              Buffer.from(`${piece.length.toString(16)}\r\n`),
              piece,
              Buffer.from('\r\n'),
            ])
          : piece;
        if (!socket.write(data)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    pump();
  });
}

describe('discovery', () => {
  it('openid-client discovers the issuer and every endpoint', async () => {
    const config = await discovery(
      new URL(server.issuer),
      'some-client',
      undefined,
      None(),
      INSECURE,
    );
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer: server.issuer,
      authorization_endpoint: `${server.url}/authorize`,
      token_endpoint: `${server.url}/oauth/token`,
      userinfo_endpoint: `${server.url}/userinfo`,
      jwks_uri: `${server.url}/.well-known/jwks.json`,
      registration_endpoint: `${server.url}/oidc/register`,
      end_session_endpoint: `${server.url}/oidc/logout`,
      response_types_supported: [
        'code',
        'id_token',
        'id_token token',
        'token',
        'code id_token',
        'code token',
        'code id_token token',
      ],
      response_modes_supported: ['query', 'fragment', 'form_post', 'web_message'],
      code_challenge_methods_supported: ['S256'],
      // createProvider serves refresh tokens (the example's own token endpoint did not).
      grant_types_supported: [
        'authorization_code',
        'implicit',
        'refresh_token',
        'client_credentials',
      ],
      token_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'client_secret_jwt',
        'private_key_jwt',
        'none',
      ],
    });
    expect(metadata.supportsPKCE()).toBe(true);
  });

  it('publishes the public signing keys and no private member', async () => {
    const response = await fetch(`${server.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: 'RS256', use: 'sig' });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(member);
    }
  });

  it('answers an unknown path with 404 and a wrong method with 405 and Allow', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const response = await fetch(`${server.url}/oauth/token`);
    expect(response.status).toBe(405);
    // The token endpoint also answers CORS preflights, so OPTIONS is one of its methods.
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('dynamic client registration', () => {
  it('registers a confidential client with openid-client, which then authenticates with it', async () => {
    const config = await dynamicClientRegistration(
      new URL(server.issuer),
      {
        client_name: 'Registered by openid-client',
        redirect_uris: ['https://app.example.com/callback'],
        grant_types: ['authorization_code'],
      },
      ClientSecretBasic(),
      INSECURE,
    );
    const metadata = config.clientMetadata();
    expect(metadata).toMatchObject({
      client_id: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      client_secret: expect.any(String),
      token_endpoint_auth_method: 'client_secret_basic',
      registration_client_uri: `${server.url}/oidc/register/${metadata.client_id}`,
      client_secret_expires_at: 0,
    });
    // The secret works: the client is authenticated, and only then refused the grant.
    const refused = await clientCredentialsGrant(config, { audience: 'https://api.example.test/' })
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ResponseBodyError);
    expect((refused as ResponseBodyError).error).toBe('unauthorized_client');
  });

  it('answers 201 with the credentials, then reads, updates and deletes the client (RFC 7592)', async () => {
    const response = await register({
      client_name: 'Photo printer',
      redirect_uris: ['https://printer.example.org/callback'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const registered = (await response.json()) as Record<string, string>;
    const { client_id: clientId, registration_access_token: token } = registered;
    expect(response.headers.get('location')).toBe(registered['registration_client_uri']);
    const configuration = `${server.url}/oidc/register/${clientId}`;
    const auth = { authorization: `Bearer ${token}` };

    const read = await fetch(configuration, { headers: auth });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ client_id: clientId, client_name: 'Photo printer' });

    const updated = await fetch(configuration, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: clientId,
        client_name: 'Photo printer v2',
        redirect_uris: ['https://printer.example.org/callback'],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ client_name: 'Photo printer v2' });

    const deleted = await fetch(configuration, { method: 'DELETE', headers: auth });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const gone = await fetch(configuration, { headers: auth });
    expect(gone.status).toBe(401);
    expect(await gone.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('refuses the configuration endpoint without the registration access token, or with another', async () => {
    const registered = (await (
      await register({ redirect_uris: ['https://a.example.com/cb'] })
    ).json()) as Record<string, string>;
    const configuration = `${server.url}/oidc/register/${registered['client_id']}`;
    const missing = await fetch(configuration);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(`Bearer realm="${server.issuer}"`);
    const challenge = `Bearer realm="${server.issuer}", error="invalid_token", error_description="the registration access token is not valid for this client"`;
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const wrong = await fetch(configuration, {
        method,
        headers: {
          authorization: 'Bearer bm90LXRoZS10b2tlbi1hdC1hbGwtMDEyMzQ1Njc4OQ',
          'content-type': 'application/json',
        },
        ...(method === 'PUT'
          ? { body: JSON.stringify({ client_id: registered['client_id'] }) }
          : {}),
      });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_token' });
      expect(wrong.headers.get('www-authenticate')).toBe(challenge);
    }
  });

  it('revokes a registration access token presented for another client id (RFC 7592 section 2.1)', async () => {
    const [a, b] = (await Promise.all(
      [1, 2].map(async () =>
        (await register({ redirect_uris: ['https://a.example.com/cb'] })).json(),
      ),
    )) as Record<string, string>[];
    const auth = { authorization: `Bearer ${a!['registration_access_token']}` };
    const misuse = await fetch(`${server.url}/oidc/register/${b!['client_id']}`, { headers: auth });
    expect(misuse.status).toBe(401);
    expect(misuse.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const own = await fetch(`${server.url}/oidc/register/${a!['client_id']}`, { headers: auth });
    expect(own.status).toBe(401);
    expect(own.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const other = await fetch(`${server.url}/oidc/register/${b!['client_id']}`, {
      headers: { authorization: `Bearer ${b!['registration_access_token']}` },
    });
    expect(other.status).toBe(200);
  });

  it('reports bad metadata with the library error and status', async () => {
    const fragment = await register({ redirect_uris: ['https://app.example.com/cb#frag'] });
    expect(fragment.status).toBe(400);
    expect(await fragment.json()).toMatchObject({
      error: 'invalid_redirect_uri',
      error_description: expect.stringContaining('redirect_uris/0'),
    });
    const notJson = await fetch(`${server.url}/oidc/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"redirect_uris": [',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const array = await register([]);
    expect(array.status).toBe(400);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await register({ client_name: 'x'.repeat(70_000) });
    expect(response.status).toBe(413);
  });

  it.each([
    ['a declared length', 3 * 1024 * 1024, false],
    ['chunked encoding', 3 * 1024 * 1024, true],
  ])(
    'answers 413 to a large body sent at once with %s, without Expect: 100-continue',
    async (_, size, chunked) => {
      const { received, error } = await rawPost(server.url, '/oidc/register', size, chunked);
      expect(error).toBeUndefined();
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      expect(received).toContain('"error":"invalid_request"');
    },
  );

  it('requires the initial access token when the server is started with one', async () => {
    const body = JSON.stringify({ redirect_uris: ['https://a.example.com/cb'] });
    const headers = { 'content-type': 'application/json' };
    const without = await fetch(`${guarded.url}/oidc/register`, { method: 'POST', headers, body });
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ error: 'invalid_token' });
    // RFC 6750 §3.1: no token presented, so the challenge carries no error.
    expect(without.headers.get('www-authenticate')).toBe(`Bearer realm="${guarded.issuer}"`);
    const wrong = await fetch(`${guarded.url}/oidc/register`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer not-the-initial-access-token' },
      body,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: 'invalid_token',
      error_description: 'the initial access token is not valid',
    });
    expect(wrong.headers.get('www-authenticate')).toBe(
      `Bearer realm="${guarded.issuer}", error="invalid_token", error_description="the initial access token is not valid"`,
    );
    const malformed = await fetch(`${guarded.url}/oidc/register`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Basic YTpi' },
      body,
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_request' });
    expect(malformed.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="[^"]+", error="invalid_request", error_description="[^"\\]+"$/,
    );
    const withToken = await fetch(`${guarded.url}/oidc/register`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` },
      body,
    });
    expect(withToken.status).toBe(201);
  });
});
