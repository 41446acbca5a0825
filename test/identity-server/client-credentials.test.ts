/**
 * The client credentials grant of the example identity server, on a FileStore this test
 * prepares with the library before the server starts (clients, an API and a client
 * grant), driven by openid-client; tokens verified against the server's JWKS with jose.
 */
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  ClientSecretBasic,
  ClientSecretPost,
  clientCredentialsGrant,
  discovery,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore, Tenant } from 'clientele';
import { ensureBuilt, INSECURE, scratch, startServer, type RunningServer } from './helpers.js';

const AUDIENCE = 'https://reports.example.test/';

let server: RunningServer;
let cleanup: () => Promise<void>;
let basicClient: { id: string; secret: string };
let postClient: { id: string; secret: string };
let ungrantedClient: { id: string; secret: string };

/** Prepares the tenant as an administrator's script would, then closes it. */
async function prepare(file: string): Promise<void> {
  const tenant = await Tenant.create({ domain: 'prepare.invalid', store: new FileStore(file) });
  try {
    await tenant.apis.create({
      identifier: AUDIENCE,
      name: 'Reports',
      scopes: [{ value: 'read:reports' }, { value: 'write:reports' }],
      token_lifetime: 600,
    });
    const credentials = async (input: Parameters<typeof tenant.clients.create>[0]) => {
      const client = await tenant.clients.create(input);
      return { id: client.client_id, secret: client.client_secret ?? '' };
    };
    basicClient = await credentials({
      name: 'Nightly export',
      app_type: 'non_interactive',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    postClient = await credentials({
      name: 'Billing job',
      app_type: 'non_interactive',
      token_endpoint_auth_method: 'client_secret_post',
    });
    ungrantedClient = await credentials({ name: 'No grant', app_type: 'non_interactive' });
    await tenant.apis.grant({
      client_id: basicClient.id,
      audience: AUDIENCE,
      scope: ['read:reports', 'write:reports'],
    });
    await tenant.apis.grant({
      client_id: postClient.id,
      audience: AUDIENCE,
      scope: ['read:reports'],
    });
  } finally {
    await tenant.close();
  }
}

beforeAll(async () => {
  const [, { dir, remove }] = await Promise.all([ensureBuilt(), scratch()]);
  cleanup = remove;
  const store = path.join(dir, 'tenant.json');
  await prepare(store);
  server = await startServer(['--store', store]);
}, 120_000);

afterAll(async () => {
  const exit = await server?.stop();
  await cleanup?.();
  expect(exit).toEqual({ code: 0, signal: null });
});

function configFor(client: { id: string; secret: string }, auth = ClientSecretBasic()) {
  return discovery(new URL(server.issuer), client.id, client.secret, auth, INSECURE);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function token(body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
}

describe('client credentials', () => {
  it('issues an access token to a client authenticating with Basic, which verifies against the JWKS', async () => {
    const config = await configFor(basicClient);
    const tokens = await clientCredentialsGrant(config, { audience: AUDIENCE });
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 600 });
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: server.issuer,
      audience: AUDIENCE,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: `${basicClient.id}@clients`,
      azp: basicClient.id,
      gty: 'client-credentials',
      scope: 'read:reports write:reports',
    });
  });

  it('grants a requested subset of the scopes, and refuses scopes not granted', async () => {
    const config = await configFor(basicClient);
    const narrow = await clientCredentialsGrant(config, {
      audience: AUDIENCE,
      scope: 'read:reports',
    });
    expect(narrow.scope).toBe('read:reports');
    const refused = await rejection(
      clientCredentialsGrant(await configFor(postClient, ClientSecretPost()), {
        audience: AUDIENCE,
        scope: 'write:reports',
      }),
    );
    expect(refused).toBeInstanceOf(ResponseBodyError);
    expect(refused).toMatchObject({ error: 'invalid_scope', status: 400 });
  });

  it('authenticates client_secret_post clients with the secret in the body', async () => {
    const tokens = await clientCredentialsGrant(await configFor(postClient, ClientSecretPost()), {
      audience: AUDIENCE,
    });
    expect(tokens.scope).toBe('read:reports');
  });

  it('answers a wrong secret sent with Basic with 401 invalid_client and a Basic challenge', async () => {
    const config = await configFor({ id: basicClient.id, secret: `${basicClient.secret}x` });
    const error = await rejection(clientCredentialsGrant(config, { audience: AUDIENCE }));
    expect(error).toBeInstanceOf(WWWAuthenticateChallengeError);
    const challenge = error as WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]?.scheme).toBe('basic');
    expect(await challenge.response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
  });

  it('answers a wrong secret in the body with 401 invalid_client and no challenge', async () => {
    const config = await configFor(
      { id: postClient.id, secret: 'not-the-secret' },
      ClientSecretPost(),
    );
    const error = await rejection(clientCredentialsGrant(config, { audience: AUDIENCE }));
    expect(error).toBeInstanceOf(ResponseBodyError);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect((error as ResponseBodyError).response.headers.get('www-authenticate')).toBeNull();
  });

  it('answers the wrong authentication method, and two methods at once, as the library decides', async () => {
    const wrongMethod = await rejection(
      clientCredentialsGrant(await configFor(basicClient, ClientSecretPost()), {
        audience: AUDIENCE,
      }),
    );
    expect(wrongMethod).toMatchObject({ error: 'invalid_client', status: 401 });
    const both = await token(
      {
        grant_type: 'client_credentials',
        audience: AUDIENCE,
        client_id: postClient.id,
        client_secret: postClient.secret,
      },
      { authorization: `Basic ${btoa(`${postClient.id}:${postClient.secret}`)}` },
    );
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses an audience the client has no grant for with unauthorized_client', async () => {
    const error = await rejection(
      clientCredentialsGrant(await configFor(ungrantedClient, ClientSecretPost()), {
        audience: AUDIENCE,
      }),
    );
    expect(error).toMatchObject({ error: 'unauthorized_client', status: 400 });
  });

  it('requires an audience, a grant_type it knows, and a form or JSON body', async () => {
    const basic = { authorization: `Basic ${btoa(`${basicClient.id}:${basicClient.secret}`)}` };
    const noAudience = await token({ grant_type: 'client_credentials' }, basic);
    expect(noAudience.status).toBe(400);
    expect(await noAudience.json()).toMatchObject({ error: 'invalid_request' });
    const password = await token({ grant_type: 'password', username: 'a', password: 'b' }, basic);
    expect(await password.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const repeated = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
      body: 'grant_type=client_credentials&audience=a&audience=b',
    });
    expect(await repeated.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'audience must not be repeated',
    });
    // Auth0 takes JSON bodies at /oauth/token (its SDKs send them), with the form's rules.
    const json = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...basic },
      body: JSON.stringify({ grant_type: 'client_credentials', audience: AUDIENCE }),
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ token_type: 'Bearer' });
    const text = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...basic },
      body: 'grant_type=client_credentials',
    });
    expect(text.status).toBe(400);
    expect(text.headers.get('cache-control')).toBe('no-store');
  });
});
