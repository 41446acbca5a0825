/**
 * The differential test of #20: node-oidc-provider (the reference OpenID Provider for
 * Node, `oidc-provider` v9) and the example identity server receive the same registration
 * and management requests, and must answer with the same status and `error`, except for
 * the deliberate differences listed in {@link EXPECTED}, each with its reason (and in the
 * table of docs/registration.md). A new disagreement fails the test.
 *
 * Both run on 127.0.0.1: oidc-provider in-process, the example server as a child process
 * (one each for the whole file). Requests go one case at a time per server.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startServer, type RunningServer } from '../identity-server/helpers.js';

/** One server under test: where it is and how to reach its registration endpoint. */
interface Target {
  readonly name: 'clientele' | 'oidc-provider';
  readonly base: string;
}

/** What a case observed: the status and the OAuth `error` (or `-` without one). */
type Outcome = string;

/** A request (or a short sequence) run against one target; returns the last outcome. */
type Case = (target: Target) => Promise<Outcome>;

const JSON_HEADERS = { 'content-type': 'application/json' };
const WEB = ['https://app.example.com/cb'];

let ours: RunningServer;
let reference: Server;
let referenceBase: string;
let publicJwks: { keys: object[] };

async function outcome(response: Response): Promise<Outcome> {
  const text = await response.text();
  let error = '-';
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') error = body.error;
  } catch {
    // not JSON: no error name
  }
  return `${response.status} ${error}`;
}

function send(target: Target, path: string, init: RequestInit): Promise<Response> {
  return fetch(`${target.base}${path}`, { redirect: 'manual', ...init });
}

function register(target: Target, body: unknown, headers: Record<string, string> = {}) {
  return send(target, '/oidc/register', {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A case that registers `body` and reports the outcome. */
const registration =
  (body: unknown, headers?: Record<string, string>): Case =>
  async (target) =>
    outcome(await register(target, body, headers));

/** Registers a web client and returns its id and registration access token. */
async function registered(target: Target, body: object = { redirect_uris: WEB }) {
  const response = await register(target, body);
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 201) throw new Error(`${target.name}: ${JSON.stringify(json)}`);
  return json as { client_id: string; registration_access_token: string } & Record<string, unknown>;
}

function manage(
  target: Target,
  method: string,
  clientId: string,
  token: string | undefined,
  body?: unknown,
) {
  return send(target, `/oidc/register/${encodeURIComponent(clientId)}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : JSON_HEADERS),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The corpus: several dozen cases over every area #20 names. */
const CASES: Record<string, Case> = {
  // --- redirect URIs ---
  'web client with one https redirect URI': registration({ redirect_uris: WEB }),
  'redirect URI with a fragment': registration({ redirect_uris: ['https://app.example.com/cb#x'] }),
  'redirect URI with an empty fragment': registration({
    redirect_uris: ['https://app.example.com/cb#'],
  }),
  'redirect URI with a wildcard host': registration({
    redirect_uris: ['https://*.example.com/cb'],
  }),
  'no redirect URI for the code grant': registration({}),
  'empty redirect URI list': registration({ redirect_uris: [] }),
  'redirect_uris not an array': registration({ redirect_uris: 'https://app.example.com/cb' }),
  'redirect URI that is not a string': registration({ redirect_uris: [42] }),
  'relative redirect URI': registration({ redirect_uris: ['/cb'] }),
  'javascript: redirect URI': registration({ redirect_uris: ['javascript:alert(1)'] }),
  'web client with an http redirect URI (code grant)': registration({
    redirect_uris: ['http://app.example.com/cb'],
  }),
  'implicit web client with an http redirect URI': registration({
    redirect_uris: ['http://app.example.com/cb'],
    grant_types: ['implicit'],
    response_types: ['id_token'],
  }),
  'implicit web client with https localhost': registration({
    redirect_uris: ['https://localhost/cb'],
    grant_types: ['implicit'],
    response_types: ['id_token'],
  }),
  'web client with a private-use scheme': registration({
    redirect_uris: ['com.example.app:/cb'],
  }),
  'native client with a reverse-domain scheme': registration({
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['com.example.app:/cb'],
  }),
  'native client with a scheme without a period': registration({
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['myapp:/cb'],
  }),
  'native client on 127.0.0.1': registration({
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/cb'],
  }),
  'native client on http localhost': registration({
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://localhost/cb'],
  }),
  'native client with a claimed https URI': registration({
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['https://app.example.com/cb'],
  }),
  'post-logout URI with a fragment': registration({
    redirect_uris: WEB,
    post_logout_redirect_uris: ['https://app.example.com/bye#x'],
  }),
  'unknown application_type': registration({ redirect_uris: WEB, application_type: 'desktop' }),

  // --- grant and response types ---
  'implicit without response_types': registration({
    redirect_uris: WEB,
    grant_types: ['implicit'],
  }),
  'code id_token without the implicit grant': registration({
    redirect_uris: WEB,
    response_types: ['code id_token'],
  }),
  'hybrid client with both grants': registration({
    redirect_uris: WEB,
    grant_types: ['authorization_code', 'implicit'],
    response_types: ['code id_token'],
  }),
  'client credentials only, response_types empty': registration({
    grant_types: ['client_credentials'],
    response_types: [],
  }),
  'client credentials only, response_types left out': registration({
    grant_types: ['client_credentials'],
  }),
  'password grant': registration({ redirect_uris: WEB, grant_types: ['password'] }),
  'unknown grant type': registration({ redirect_uris: WEB, grant_types: ['urn:example:grant'] }),
  'refresh_token with authorization_code': registration({
    redirect_uris: WEB,
    grant_types: ['authorization_code', 'refresh_token'],
  }),
  'response type none': registration({ redirect_uris: WEB, response_types: ['none'] }),
  'unknown response type': registration({ redirect_uris: WEB, response_types: ['code foo'] }),

  // --- authentication methods ---
  'public client (none)': registration({ redirect_uris: WEB, token_endpoint_auth_method: 'none' }),
  client_secret_post: registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 'client_secret_post',
  }),
  client_secret_jwt: registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 'client_secret_jwt',
  }),
  'private_key_jwt without keys': registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 'private_key_jwt',
  }),
  'private_key_jwt with jwks': async (target) =>
    outcome(
      await register(target, {
        redirect_uris: WEB,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: publicJwks,
      }),
    ),
  tls_client_auth: registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 'tls_client_auth',
  }),
  'auth method that is not a string': registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 7,
  }),
  'public client with client_credentials': registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'client_credentials'],
  }),
  'jwks with a private key': registration({
    redirect_uris: WEB,
    jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
  }),
  'jwks and jwks_uri together': async (target) =>
    outcome(
      await register(target, {
        redirect_uris: WEB,
        jwks: publicJwks,
        jwks_uri: 'https://app.example.com/jwks.json',
      }),
    ),

  // --- algorithms ---
  'id token RS256': registration({ redirect_uris: WEB, id_token_signed_response_alg: 'RS256' }),
  'id token PS256': registration({ redirect_uris: WEB, id_token_signed_response_alg: 'PS256' }),
  'id token RS512': registration({ redirect_uris: WEB, id_token_signed_response_alg: 'RS512' }),
  'id token HS256': registration({ redirect_uris: WEB, id_token_signed_response_alg: 'HS256' }),
  'id token none': registration({ redirect_uris: WEB, id_token_signed_response_alg: 'none' }),
  'id token ES512 (not offered)': registration({
    redirect_uris: WEB,
    id_token_signed_response_alg: 'ES512',
  }),
  'id token HS256 on a public client': registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'HS256',
  }),
  'assertion alg with client_secret_basic': registration({
    redirect_uris: WEB,
    token_endpoint_auth_signing_alg: 'RS256',
  }),
  'assertion alg RS256 with private_key_jwt': async (target) =>
    outcome(
      await register(target, {
        redirect_uris: WEB,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        jwks: publicJwks,
      }),
    ),
  'assertion alg HS256 with private_key_jwt': async (target) =>
    outcome(
      await register(target, {
        redirect_uris: WEB,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'HS256',
        jwks: publicJwks,
      }),
    ),
  'assertion alg HS256 with client_secret_jwt': registration({
    redirect_uris: WEB,
    token_endpoint_auth_method: 'client_secret_jwt',
    token_endpoint_auth_signing_alg: 'HS256',
  }),
  'pairwise subject type': registration({ redirect_uris: WEB, subject_type: 'pairwise' }),
  'public subject type': registration({ redirect_uris: WEB, subject_type: 'public' }),
  'encrypted id tokens': registration({
    redirect_uris: WEB,
    id_token_encrypted_response_alg: 'RSA-OAEP',
  }),
  'initiate_login_uri over https': registration({
    redirect_uris: WEB,
    initiate_login_uri: 'https://app.example.com/login',
  }),
  'initiate_login_uri over http': registration({
    redirect_uris: WEB,
    initiate_login_uri: 'http://app.example.com/login',
  }),
  'default_max_age and require_auth_time': registration({
    redirect_uris: WEB,
    default_max_age: 3600,
    require_auth_time: true,
  }),
  'default_max_age that is not a number': registration({
    redirect_uris: WEB,
    default_max_age: 'an hour',
  }),
  'require_auth_time that is not a boolean': registration({
    redirect_uris: WEB,
    require_auth_time: 'yes',
  }),

  // --- malformed bodies and other metadata ---
  'body that is not JSON': registration('{"redirect_uris": ['),
  'body that is a JSON array': registration('[]'),
  'body that is a JSON string': registration('"hello"'),
  'body sent as text/plain': registration(JSON.stringify({ redirect_uris: WEB }), {
    'content-type': 'text/plain',
  }),
  'unknown metadata is ignored': registration({ redirect_uris: WEB, favourite_colour: 'blue' }),
  'client_name with markup': registration({ redirect_uris: WEB, client_name: '<b>App</b>' }),
  'client_name that is not a string': registration({ redirect_uris: WEB, client_name: 42 }),
  'contacts that is not an array': registration({ redirect_uris: WEB, contacts: 'a@example.com' }),
  'logo_uri that is not a URL': registration({ redirect_uris: WEB, logo_uri: 'not a url' }),
  'policy_uri with a javascript scheme': registration({
    redirect_uris: WEB,
    policy_uri: 'javascript:alert(1)',
  }),
  'jwks_uri over http': registration({
    redirect_uris: WEB,
    jwks_uri: 'http://app.example.com/jwks.json',
  }),

  // --- RFC 7592: the client configuration endpoint and its token ---
  'read with the registration access token': async (target) => {
    const client = await registered(target);
    return outcome(await manage(target, 'GET', client.client_id, client.registration_access_token));
  },
  'read without a token': async (target) => {
    const client = await registered(target);
    return outcome(await manage(target, 'GET', client.client_id, undefined));
  },
  'read with a wrong token': async (target) => {
    const client = await registered(target);
    return outcome(await manage(target, 'GET', client.client_id, 'bm90LXRoZS10b2tlbg'));
  },
  "read with another client's token": async (target) => {
    const [a, b] = [await registered(target), await registered(target)];
    return outcome(await manage(target, 'GET', b.client_id, a.registration_access_token));
  },
  'own use after presenting the token for another client (revoked)': async (target) => {
    const [a, b] = [await registered(target), await registered(target)];
    await (await manage(target, 'GET', b.client_id, a.registration_access_token)).text();
    return outcome(await manage(target, 'GET', a.client_id, a.registration_access_token));
  },
  'read of an unknown client id with a valid token': async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(
        target,
        'GET',
        'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        client.registration_access_token,
      ),
    );
  },
  'update with the same metadata and client_id': async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(target, 'PUT', client.client_id, client.registration_access_token, {
        client_id: client.client_id,
        redirect_uris: WEB,
      }),
    );
  },
  'update without client_id': async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(target, 'PUT', client.client_id, client.registration_access_token, {
        redirect_uris: WEB,
      }),
    );
  },
  'update naming another client_id': async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(target, 'PUT', client.client_id, client.registration_access_token, {
        client_id: 'someone-else',
        redirect_uris: WEB,
      }),
    );
  },
  'update carrying registration_access_token': async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(target, 'PUT', client.client_id, client.registration_access_token, {
        client_id: client.client_id,
        redirect_uris: WEB,
        registration_access_token: client.registration_access_token,
      }),
    );
  },
  'update with a fragment in a redirect URI': async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(target, 'PUT', client.client_id, client.registration_access_token, {
        client_id: client.client_id,
        redirect_uris: ['https://app.example.com/cb#x'],
      }),
    );
  },
  'update with a wrong token': async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(target, 'PUT', client.client_id, 'bm90LXRoZS10b2tlbg', {
        client_id: client.client_id,
        redirect_uris: WEB,
      }),
    );
  },
  delete: async (target) => {
    const client = await registered(target);
    return outcome(
      await manage(target, 'DELETE', client.client_id, client.registration_access_token),
    );
  },
  'read after delete': async (target) => {
    const client = await registered(target);
    await (
      await manage(target, 'DELETE', client.client_id, client.registration_access_token)
    ).text();
    return outcome(await manage(target, 'GET', client.client_id, client.registration_access_token));
  },
  'delete with a wrong token': async (target) => {
    const client = await registered(target);
    return outcome(await manage(target, 'DELETE', client.client_id, 'bm90LXRoZS10b2tlbg'));
  },
};

/**
 * The deliberate differences: clientele's outcome, oidc-provider's, and why (the RFC
 * section or Auth0 rule behind it). docs/registration.md has the same table.
 */
const EXPECTED: Record<string, { ours: Outcome; theirs: Outcome; why: string }> = {
  'redirect URI with a wildcard host': {
    ours: '400 invalid_redirect_uri',
    theirs: '201 -',
    why: 'registered clients are third parties and get exact URIs only (RFC 9700 section 2.1, exact matching); Auth0 wildcards are for clients an administrator creates',
  },
  'native client with a scheme without a period': {
    ours: '400 invalid_redirect_uri',
    theirs: '201 -',
    why: 'RFC 8252 section 7.1 and 8.4: private-use schemes are reverse-domain names; servers SHOULD reject others',
  },
  'native client on http localhost': {
    ours: '400 invalid_redirect_uri',
    theirs: '201 -',
    why: 'RFC 8252 section 8.3: localhost is NOT RECOMMENDED; the loopback IP literals get the any-port match instead',
  },
  'native client with a claimed https URI': {
    ours: '400 invalid_redirect_uri',
    theirs: '201 -',
    why: 'OIDC DCR section 2 allows native clients only private-use schemes and loopback http; claimed https redirects register as web with none (spa)',
  },

  'implicit without response_types': {
    ours: '400 invalid_client_metadata',
    theirs: '201 -',
    why: 'RFC 7591 section 2.1 lets the server reject or fix inconsistent grant and response types; clientele refuses instead of rewriting them',
  },
  'code id_token without the implicit grant': {
    ours: '400 invalid_client_metadata',
    theirs: '201 -',
    why: 'RFC 7591 section 2.1: refused rather than rewritten (oidc-provider adds the implicit grant)',
  },
  'client credentials only, response_types empty': {
    ours: '201 -',
    theirs: '400 invalid_client_metadata',
    why: 'RFC 7591 section 2.1: a client with neither authorization_code nor implicit uses no response type, so an empty list is consistent',
  },
  'client credentials only, response_types left out': {
    ours: '201 -',
    theirs: '400 invalid_redirect_uri',
    why: 'RFC 7591 section 2: the response_types default is ["code"] only for redirecting grants; a machine-to-machine client needs no redirect URI',
  },
  'response type none': {
    ours: '400 invalid_client_metadata',
    theirs: '201 -',
    why: 'the none response type (OAuth 2.0 Multiple Response Types section 4) is not served by the tenant, so registering it would promise what it cannot honour',
  },
  'id token HS256 on a public client': {
    ours: '400 invalid_client_metadata',
    theirs: '201 -',
    why: 'OIDC Core section 10.1: HS256 is keyed with the client secret, which a public client does not have',
  },
  'encrypted id tokens': {
    ours: '400 invalid_client_metadata',
    theirs: '201 -',
    why: 'RFC 7591 section 2 lets a server ignore metadata it does not understand, but OIDC DCR section 2 makes encryption a requirement of the client: refused so a client never believes its tokens are encrypted (oidc-provider without the encryption feature ignores it)',
  },
  'body that is not JSON': {
    ours: '400 invalid_client_metadata',
    theirs: '400 invalid_request',
    why: 'RFC 7591 section 3.2.2 defines the registration errors; a body that is not a JSON object is invalid client metadata',
  },
  'body that is a JSON array': {
    ours: '400 invalid_client_metadata',
    theirs: '400 invalid_request',
    why: 'RFC 7591 section 3.2.2, as for a body that is not JSON',
  },
  'body that is a JSON string': {
    ours: '400 invalid_client_metadata',
    theirs: '400 invalid_request',
    why: 'RFC 7591 section 3.2.2, as for a body that is not JSON',
  },
  'body sent as text/plain': {
    ours: '400 invalid_client_metadata',
    theirs: '400 invalid_request',
    why: 'RFC 7591 section 3.1 requires application/json; the error is one of section 3.2.2',
  },
  'client_name with markup': {
    ours: '400 invalid_client_metadata',
    theirs: '201 -',
    why: 'Auth0 refuses < and > in a client name; a registered client is a client like any other',
  },
  'jwks_uri over http': {
    ours: '400 invalid_client_metadata',
    theirs: '201 -',
    why: 'keys fetched over plain http can be replaced in transit (RFC 7591 section 5, OIDC DCR section 2 jwks_uri)',
  },
  'update without client_id': {
    ours: '400 invalid_client_metadata',
    theirs: '400 invalid_request',
    why: 'RFC 7592 section 2.2: errors of an update are those of RFC 7591 section 3.2.2',
  },
  'update naming another client_id': {
    ours: '400 invalid_client_metadata',
    theirs: '400 invalid_request',
    why: 'RFC 7592 section 2.2, as for an update without client_id',
  },
  'update carrying registration_access_token': {
    ours: '400 invalid_client_metadata',
    theirs: '400 invalid_request',
    why: 'RFC 7592 section 2.2, as for an update without client_id',
  },
};

let results: Map<string, { ours: Outcome; theirs: Outcome }>;

beforeAll(async () => {
  await ensureBuilt();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const signing = { ...(await exportJWK(privateKey)), kid: 'reference-key', use: 'sig' };
  publicJwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'client-key', alg: 'RS256' }] };

  reference = createServer();
  await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve));
  referenceBase = `http://127.0.0.1:${(reference.address() as AddressInfo).port}`;
  const provider = new Provider(`${referenceBase}/`, {
    jwks: { keys: [signing] },
    routes: { registration: '/oidc/register' },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: false },
    },
    clientAuthMethods: [
      'none',
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
    ],
    responseTypes: [
      'code',
      'id_token',
      'code id_token',
      'id_token token',
      'code id_token token',
      'code token',
      'none',
    ],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'PS256', 'RS512', 'HS256'],
      clientAuthSigningAlgValues: ['RS256', 'RS384', 'PS256', 'ES256', 'HS256'],
    },
  });
  reference.on('request', provider.callback());
  // In memory: the corpus measures answers, not the FileStore.
  ours = await startServer([]);

  const targets: Target[] = [
    { name: 'clientele', base: ours.url },
    { name: 'oidc-provider', base: referenceBase },
  ];
  results = new Map();
  // One case at a time per server, both servers at once.
  const [mine, theirs] = await Promise.all(
    targets.map(async (target) => {
      const seen = new Map<string, Outcome>();
      for (const [name, run] of Object.entries(CASES)) seen.set(name, await run(target));
      return seen;
    }),
  );
  for (const name of Object.keys(CASES)) {
    results.set(name, { ours: mine!.get(name)!, theirs: theirs!.get(name)! });
  }
}, 120_000);

afterAll(async () => {
  await ours?.stop();
  await new Promise((resolve) => reference?.close(resolve));
});

describe('registration compared with node-oidc-provider', () => {
  it('runs a corpus of several dozen cases', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(60);
    expect(results.size).toBe(Object.keys(CASES).length);
  });

  it.each(Object.keys(CASES))('%s', (name) => {
    const seen = results.get(name)!;
    const expected = EXPECTED[name];
    if (expected) expect(seen).toEqual({ ours: expected.ours, theirs: expected.theirs });
    else expect(seen.ours).toBe(seen.theirs);
  });

  it('lists only expected differences that are cases of the corpus, each with a reason', () => {
    expect(Object.keys(EXPECTED).filter((name) => !(name in CASES))).toEqual([]);
    for (const { why } of Object.values(EXPECTED)) expect(why.length).toBeGreaterThan(20);
  });

  it('lists every expected difference in docs/registration.md', () => {
    const docs = readFileSync(new URL('../../docs/registration.md', import.meta.url), 'utf8');
    const rows = new Set(
      docs
        .split('\n')
        .map((line) => /^\| ([^|]+?) +\|/.exec(line)?.[1])
        .filter(Boolean),
    );
    expect(Object.keys(EXPECTED).filter((name) => !rows.has(name))).toEqual([]);
  });
});
