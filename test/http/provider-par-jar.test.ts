/**
 * Pushed Authorization Requests (RFC 9126) and signed request objects (JAR, RFC 9101)
 * through createProvider over real HTTP: a push runs every /authorize check and answers a
 * one-time request_uri; /authorize uses the pushed (or signed) parameters only; PAR-only
 * clients, compliance levels and the tenant switch refuse plain requests; request objects
 * are verified with the client's credentials for signed requests; a DPoP proof at the push
 * binds the code. Each refusal in its own test, audited with its reason.
 */
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientInput } from '../../src/index.js';
import { makeProof, proofKey } from '../dpop/helpers.js';
import {
  fetchManual,
  followToCallback,
  startTestServer,
  type TestServer,
} from './provider-helpers.js';

const CALLBACK = 'http://127.0.0.1:8080/callback';
const VERIFIER = 'par-jar-tests-verifier-0123456789-abcdefghijklmnop';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const REQUEST_URI = /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/;

let server: TestServer;
let web: Client;
let parOnly: Client;
let fapi: Client;
let signer: Client;
let signerKey: CryptoKey;
let otherKey: CryptoKey;
let unlistedKey: CryptoKey;

const basic = (client: Client) =>
  `Basic ${Buffer.from(`${client.client_id}:${client.client_secret ?? ''}`).toString('base64')}`;

beforeAll(async () => {
  server = await startTestServer({ lintErrors: 'accept' });
  const { tenant } = server;
  const common: Omit<ClientInput, 'name'> = {
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  web = await tenant.clients.create({
    name: 'Web',
    ...common,
  });
  parOnly = await tenant.clients.create({
    name: 'PAR only',
    ...common,
    require_pushed_authorization_requests: true,
  });
  signer = await tenant.clients.create({
    name: 'Signer',
    ...common,
  });
  const pair = await generateKeyPair('RS256', { extractable: true });
  signerKey = pair.privateKey;
  const listed = await tenant.clients.addCredential(signer.client_id, {
    credential_type: 'public_key',
    jwk: (await exportJWK(pair.publicKey)) as never,
    alg: 'RS256',
  });
  const unlisted = await generateKeyPair('RS256', { extractable: true });
  unlistedKey = unlisted.privateKey;
  await tenant.clients.addCredential(signer.client_id, {
    credential_type: 'public_key',
    jwk: (await exportJWK(unlisted.publicKey)) as never,
    alg: 'RS256',
  });
  otherKey = (await generateKeyPair('RS256')).privateKey;
  signer = await tenant.clients.update(signer.client_id, {
    signed_request_object: { credentials: [{ id: listed.id }], required: true },
  });
  // Its mTLS sender-constraining is not served here (a lint error): the tenant of this file
  // accepts lint errors, as a mirror of a real Auth0 tenant would.
  fapi = await tenant.clients.create({
    name: 'FAPI',
    ...common,
    compliance_level: 'fapi2_sp_pkj_mtls',
  });
});
afterAll(() => server.close());

const authorizeParams = (client: Client, extra: Record<string, string> = {}) => ({
  client_id: client.client_id,
  redirect_uri: CALLBACK,
  response_type: 'code',
  scope: 'openid',
  state: 'st',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  ...extra,
});

async function push(
  client: Client,
  body: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.url}/oauth/par`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client),
      ...headers,
    },
    body: new URLSearchParams(body),
  });
  return { response, json: (await response.json()) as Record<string, string | number> };
}

const authorizeUrl = (params: Record<string, string>) => {
  const url = new URL('/authorize', server.url);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
};

async function exchange(client: Client, code: string, proof?: string) {
  const response = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client),
      ...(proof === undefined ? {} : { dpop: proof }),
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: VERIFIER,
    }),
  });
  return (await response.json()) as Record<string, string>;
}

async function lastRefusal() {
  await server.tenant.audit.flush();
  return server.sink.events.at(-1);
}

describe('PAR then authorize', () => {
  it('answers 201 with a one-time request_uri valid 60 s, then /authorize uses it', async () => {
    const { response, json } = await push(web, authorizeParams(web));
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(json).toEqual({ request_uri: expect.stringMatching(REQUEST_URI), expires_in: 60 });
    const callback = await followToCallback(
      authorizeUrl({ client_id: web.client_id, request_uri: String(json['request_uri']) }),
    );
    expect(callback.searchParams.get('state')).toBe('st');
    const tokens = await exchange(web, callback.searchParams.get('code') ?? '');
    expect(tokens['access_token']).toEqual(expect.any(String));
  });

  it('uses only the pushed parameters: what the URL adds or changes is ignored', async () => {
    const { json } = await push(web, authorizeParams(web, { state: 'pushed' }));
    const callback = await followToCallback(
      authorizeUrl({
        client_id: web.client_id,
        request_uri: String(json['request_uri']),
        state: 'forged',
        redirect_uri: 'http://127.0.0.1:8080/other',
        prompt: 'none',
      }),
    );
    expect(callback.searchParams.get('state')).toBe('pushed');
    expect(callback.pathname).toBe('/callback');
  });

  it('refuses a reused request_uri with a page, audited', async () => {
    const { json } = await push(web, authorizeParams(web));
    const url = authorizeUrl({
      client_id: web.client_id,
      request_uri: String(json['request_uri']),
    });
    await followToCallback(url);
    const again = await fetchManual(url);
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
    expect(await again.text()).toMatch(/request_uri/);
    expect(await lastRefusal()).toMatchObject({
      type: 'f',
      details: { error: 'invalid_request_uri' },
    });
  });

  it('refuses an expired request_uri', async () => {
    const { json } = await push(web, authorizeParams(web));
    server.advance(61);
    const response = await fetchManual(
      authorizeUrl({ client_id: web.client_id, request_uri: String(json['request_uri']) }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/expired/);
  });

  it('refuses the request_uri of another client, which stays usable by its own', async () => {
    const { json } = await push(web, authorizeParams(web));
    const requestUri = String(json['request_uri']);
    const stolen = await fetchManual(
      authorizeUrl({ client_id: parOnly.client_id, request_uri: requestUri }),
    );
    expect(stolen.status).toBe(400);
    const callback = await followToCallback(
      authorizeUrl({ client_id: web.client_id, request_uri: requestUri }),
    );
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('runs every /authorize check at push time', async () => {
    const cases: [Record<string, string>, string][] = [
      [authorizeParams(web, { redirect_uri: 'https://attacker.example/cb' }), 'invalid_request'],
      [authorizeParams(web, { response_type: 'token' }), 'unauthorized_client'],
      [authorizeParams(web, { response_type: 'bogus' }), 'unsupported_response_type'],
      [authorizeParams(web, { code_challenge_method: 'plain' }), 'invalid_request'],
      [authorizeParams(web, { prompt: 'none login' }), 'invalid_request'],
      [authorizeParams(web, { audience: 'https://no-such-api.example/' }), 'invalid_request'],
      [
        authorizeParams(web, { request_uri: 'urn:ietf:params:oauth:request_uri:x' }),
        'invalid_request',
      ],
    ];
    for (const [body, error] of cases) {
      const { response, json } = await push(web, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(json['error']).toBe(error);
    }
    expect(await lastRefusal()).toMatchObject({ type: 'f', details: { endpoint: 'par' } });
  });

  it('authenticates the client as the token endpoint does', async () => {
    const response = await fetch(`${server.url}/oauth/par`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${web.client_id}:wrong`).toString('base64')}`,
      },
      body: new URLSearchParams(authorizeParams(web)),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('clients that must push', () => {
  it('refuses plain /authorize for a client with require_pushed_authorization_requests', async () => {
    const response = await fetchManual(authorizeUrl(authorizeParams(parOnly)));
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(
      /require_pushed_authorization_requests/,
    );
    const { json } = await push(parOnly, authorizeParams(parOnly));
    const callback = await followToCallback(
      authorizeUrl({ client_id: parOnly.client_id, request_uri: String(json['request_uri']) }),
    );
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('refuses plain /authorize for a FAPI compliance level with Auth0 words', async () => {
    const response = await fetchManual(authorizeUrl(authorizeParams(fapi)));
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error_description')).toBe(
      'Pushed Authorization Requests are required by the configured compliance level',
    );
  });
});

/** A request object of `client` signed with `key`, with claims replaced as given. */
function requestObject(
  client: Client,
  key: CryptoKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ...authorizeParams(client),
    iss: client.client_id,
    aud: server.issuer,
    iat: now,
    nbf: now,
    exp: now + 60,
    jti: randomUUID(),
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt', ...header })
    .sign(key);
}

describe('signed request objects (JAR)', () => {
  it('signs in with a request object at /authorize, using its parameters only', async () => {
    const jwt = await requestObject(signer, signerKey, { state: 'signed' });
    const callback = await followToCallback(
      authorizeUrl({ client_id: signer.client_id, request: jwt, state: 'forged' }),
    );
    expect(callback.searchParams.get('state')).toBe('signed');
    expect((await exchange(signer, callback.searchParams.get('code') ?? ''))['id_token']).toEqual(
      expect.any(String),
    );
  });

  it('pushes a request object, then authorizes with the request_uri', async () => {
    const { response, json } = await push(signer, {
      client_id: signer.client_id,
      request: await requestObject(signer, signerKey),
    });
    expect(response.status).toBe(201);
    const callback = await followToCallback(
      authorizeUrl({ client_id: signer.client_id, request_uri: String(json['request_uri']) }),
    );
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  async function refused(jwt: string, reason: string) {
    const response = await fetchManual(authorizeUrl({ client_id: signer.client_id, request: jwt }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await lastRefusal()).toMatchObject({
      type: 'f',
      details: { error: 'invalid_request_object', reason },
    });
    expect(JSON.stringify(server.sink.events)).not.toContain(jwt.split('.')[2]);
  }

  it('refuses a request object with a wrong aud', async () => {
    await refused(await requestObject(signer, signerKey, { aud: 'https://other.example/' }), 'aud');
  });

  it('refuses a request object signed with an unregistered key', async () => {
    await refused(await requestObject(signer, otherKey), 'signature');
  });

  it('refuses a key of the client that is not listed for signed requests', async () => {
    await refused(
      await requestObject(signer, unlistedKey, {}, { kid: 'not-a-listed-kid' }),
      'unknown_key',
    );
  });

  it('refuses a reused jti', async () => {
    const jwt = await requestObject(signer, signerKey);
    await followToCallback(authorizeUrl({ client_id: signer.client_id, request: jwt }));
    await refused(jwt, 'replayed');
  });

  it('refuses an expired request object, a wrong iss or client_id, and alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(await requestObject(signer, signerKey, { exp: now - 120 }), 'exp');
    await refused(await requestObject(signer, signerKey, { iss: web.client_id }), 'iss');
    await refused(
      await requestObject(signer, signerKey, { client_id: web.client_id }),
      'client_id',
    );
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'jwt' })).toString('base64url')}.${Buffer.from('{}').toString('base64url')}.${Buffer.from('sig').toString('base64url')}`;
    await refused(none, 'alg');
  });

  it('refuses plain /authorize when signed_request_object.required', async () => {
    const response = await fetchManual(authorizeUrl(authorizeParams(signer)));
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error_description')).toMatch(
      /signed_request_object\.required/,
    );
  });
});

describe('DPoP with PAR', () => {
  it('binds the code to the key of the push proof', async () => {
    const key = await proofKey();
    const proof = await makeProof(key, { htm: 'POST', htu: `${server.url}/oauth/par` });
    const { json } = await push(web, authorizeParams(web), { dpop: proof });
    const callback = await followToCallback(
      authorizeUrl({ client_id: web.client_id, request_uri: String(json['request_uri']) }),
    );
    const tokenProof = (with_ = key) =>
      makeProof(with_, { htm: 'POST', htu: `${server.url}/oauth/token` });
    const tokens = await exchange(web, callback.searchParams.get('code') ?? '', await tokenProof());
    // The user token is for /userinfo only: bound, as Auth0's table says for a proof.
    expect(tokens['token_type']).toBe('DPoP');
    const other = await followToCallback(
      authorizeUrl({
        client_id: web.client_id,
        request_uri: String(
          (
            await push(web, authorizeParams(web), {
              dpop: await makeProof(key, { htm: 'POST', htu: `${server.url}/oauth/par` }),
            })
          ).json['request_uri'],
        ),
      }),
    );
    const stranger = await proofKey();
    expect(
      await exchange(web, other.searchParams.get('code') ?? '', await tokenProof(stranger)),
    ).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a dpop_jkt that names another key than the push proof', async () => {
    const key = await proofKey();
    const { response, json } = await push(
      web,
      authorizeParams(web, { dpop_jkt: await calculateJwkThumbprint((await proofKey()).jwk) }),
      { dpop: await makeProof(key, { htm: 'POST', htu: `${server.url}/oauth/par` }) },
    );
    expect(response.status).toBe(400);
    expect(json['error']).toBe('invalid_dpop_proof');
  });
});

describe('discovery', () => {
  it('advertises PAR and request objects', async () => {
    const metadata = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      pushed_authorization_request_endpoint: `${server.url}/oauth/par`,
      require_pushed_authorization_requests: false,
      request_parameter_supported: true,
      request_object_signing_alg_values_supported: ['RS256', 'RS384', 'PS256'],
    });
  });
});

describe('a tenant that requires PAR', () => {
  it('refuses plain /authorize for every client and says so in discovery', async () => {
    const strict = await startTestServer({ pushedAuthorizationRequests: { required: true } });
    try {
      const client = await strict.tenant.clients.create({
        name: 'Web',
        app_type: 'regular_web',
        callbacks: [CALLBACK],
      });
      const url = new URL('/authorize', strict.url);
      for (const [name, value] of Object.entries(authorizeParams(client))) {
        url.searchParams.set(name, value);
      }
      const location = new URL((await fetchManual(url)).headers.get('location') ?? '');
      expect(location.searchParams.get('error_description')).toBe(
        'Pushed Authorization Requests are required by this tenant',
      );
      const metadata = (await (
        await fetch(`${strict.url}/.well-known/oauth-authorization-server`)
      ).json()) as Record<string, unknown>;
      expect(metadata['require_pushed_authorization_requests']).toBe(true);
    } finally {
      await strict.close();
    }
  });
});
