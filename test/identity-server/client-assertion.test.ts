/**
 * JWT client authentication at the example identity server, driven by openid-client:
 * `PrivateKeyJwt` with RS256 and ES256 keys the test generates, and `ClientSecretJwt`,
 * for the client credentials grant and the authorization code flow. The tenant is
 * prepared with the library on a FileStore before the server starts; the same FileStore
 * then serves as a second process's view for the jti replay checks.
 */
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  ClientSecretJwt,
  clientCredentialsGrant,
  discovery,
  PrivateKeyJwt,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  ResponseBodyError,
  type ClientAuth,
  type Configuration,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileStore,
  InvalidClientError,
  JWT_BEARER_ASSERTION_TYPE,
  Tenant,
  memorySink,
} from 'clientele';
import {
  ensureBuilt,
  fetchManual,
  INSECURE,
  scratch,
  startServer,
  type RunningServer,
} from './helpers.js';

const AUDIENCE = 'https://ledger.example.test/';
const CALLBACK = 'https://app.example.test/callback';

interface KeyClient {
  id: string;
  kid: string;
  privateKey: CryptoKey;
}

let server: RunningServer;
let file: string;
let cleanup: () => Promise<void>;
let rsaWorker: KeyClient;
let ecWorker: KeyClient;
let rsaWeb: KeyClient;
let secretWorker: { id: string; secret: string };
let secretWeb: { id: string; secret: string };

/** A client whose enabled credential is a fresh key of `alg`. */
async function keyClient(
  tenant: Tenant,
  alg: 'RS256' | 'ES256',
  settings: Parameters<Tenant['clients']['create']>[0],
): Promise<KeyClient> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const client = await tenant.clients.create(settings);
  const credential = await tenant.clients.addCredential(client.client_id, {
    credential_type: 'public_key',
    jwk: (await exportJWK(publicKey)) as never,
    alg,
    name: `${alg} key`,
  });
  await tenant.clients.update(client.client_id, {
    client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id }] } },
  });
  return { id: client.client_id, kid: credential.kid, privateKey };
}

async function prepare(): Promise<void> {
  const tenant = await Tenant.create({ domain: 'prepare.invalid', store: new FileStore(file) });
  try {
    await tenant.apis.create({
      identifier: AUDIENCE,
      name: 'Ledger',
      scopes: [{ value: 'read:ledger' }],
    });
    const worker = { name: 'Worker', app_type: 'non_interactive' as const };
    const web = { name: 'Web', app_type: 'regular_web' as const, callbacks: [CALLBACK] };
    rsaWorker = await keyClient(tenant, 'RS256', worker);
    ecWorker = await keyClient(tenant, 'ES256', worker);
    rsaWeb = await keyClient(tenant, 'RS256', web);
    const secret = await tenant.clients.create({ ...worker, name: 'Secret worker' });
    secretWorker = { id: secret.client_id, secret: secret.client_secret ?? '' };
    const secretApp = await tenant.clients.create({ ...web, name: 'Secret web' });
    secretWeb = { id: secretApp.client_id, secret: secretApp.client_secret ?? '' };
    for (const id of [rsaWorker.id, ecWorker.id, secretWorker.id]) {
      await tenant.apis.grant({ client_id: id, audience: AUDIENCE, scope: ['read:ledger'] });
    }
  } finally {
    await tenant.close();
  }
}

beforeAll(async () => {
  const [, { dir, remove }] = await Promise.all([ensureBuilt(), scratch()]);
  cleanup = remove;
  file = path.join(dir, 'tenant.json');
  await prepare();
  server = await startServer(['--store', file]);
}, 120_000);

afterAll(async () => {
  const exit = await server?.stop();
  await cleanup?.();
  expect(exit).toEqual({ code: 0, signal: null });
});

function configFor(clientId: string, auth: ClientAuth, secret?: string): Promise<Configuration> {
  return discovery(new URL(server.issuer), clientId, secret, auth, INSECURE);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('discovery', () => {
  it('lists the JWT methods and their signing algorithms', async () => {
    const config = await configFor('any', ClientSecretJwt('x'.repeat(64)));
    expect(config.serverMetadata()).toMatchObject({
      token_endpoint_auth_methods_supported: expect.arrayContaining([
        'private_key_jwt',
        'client_secret_jwt',
        'client_secret_basic',
      ]),
      token_endpoint_auth_signing_alg_values_supported: [
        'RS256',
        'RS384',
        'PS256',
        'ES256',
        'HS256',
      ],
    });
  });
});

describe('client credentials grant', () => {
  it('authenticates PrivateKeyJwt with an RS256 key (kid in the header)', async () => {
    const auth = PrivateKeyJwt({ key: rsaWorker.privateKey, kid: rsaWorker.kid });
    const tokens = await clientCredentialsGrant(await configFor(rsaWorker.id, auth), {
      audience: AUDIENCE,
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('read:ledger');
  });

  it('authenticates PrivateKeyJwt with an ES256 key, without a kid', async () => {
    const auth = PrivateKeyJwt(ecWorker.privateKey);
    const tokens = await clientCredentialsGrant(await configFor(ecWorker.id, auth), {
      audience: AUDIENCE,
    });
    expect(tokens.access_token).toEqual(expect.any(String));
  });

  it('authenticates ClientSecretJwt with the client secret', async () => {
    const auth = ClientSecretJwt(secretWorker.secret);
    const tokens = await clientCredentialsGrant(await configFor(secretWorker.id, auth), {
      audience: AUDIENCE,
    });
    expect(tokens.scope).toBe('read:ledger');
  });

  it('answers a key the client does not hold with 401 invalid_client', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const auth = PrivateKeyJwt({ key: privateKey, kid: rsaWorker.kid });
    const error = await rejection(
      clientCredentialsGrant(await configFor(rsaWorker.id, auth), { audience: AUDIENCE }),
    );
    expect(error).toBeInstanceOf(ResponseBodyError);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
  });

  it('answers ClientSecretJwt with a wrong secret with 401 invalid_client', async () => {
    const auth = ClientSecretJwt(`${secretWorker.secret}x`);
    const error = await rejection(
      clientCredentialsGrant(await configFor(secretWorker.id, auth), { audience: AUDIENCE }),
    );
    expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
  });
});

describe('authorization code flow', () => {
  async function codeFlow(config: Configuration) {
    const verifier = randomPKCECodeVerifier();
    const nonce = randomNonce();
    const state = randomState();
    const url = buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile',
      nonce,
      state,
      code_challenge: await calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const response = await fetchManual(url);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    return authorizationCodeGrant(config, location, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
    });
  }

  it('exchanges the code with PrivateKeyJwt (RS256) and gets a valid ID token', async () => {
    const auth = PrivateKeyJwt({ key: rsaWeb.privateKey, kid: rsaWeb.kid });
    const tokens = await codeFlow(await configFor(rsaWeb.id, auth));
    expect(tokens.claims()).toMatchObject({ aud: rsaWeb.id, iss: server.issuer });
  });

  it('exchanges the code with ClientSecretJwt', async () => {
    const auth = ClientSecretJwt(secretWeb.secret);
    const tokens = await codeFlow(await configFor(secretWeb.id, auth, secretWeb.secret));
    expect(tokens.claims()).toMatchObject({ aud: secretWeb.id });
  });
});

describe('a client registered by DCR with private_key_jwt and jwks', () => {
  let registered: KeyClient;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'dcr-key-1', use: 'sig' };
    const response = await fetch(`${server.url}/oidc/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Registered with keys',
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code', 'client_credentials'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [jwk] },
      }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt' });
    expect(body).not.toHaveProperty('client_secret');
    registered = { id: body['client_id'] as string, kid: 'dcr-key-1', privateKey };
    // An administrator grants it the API, as for any client.
    const tenant = await Tenant.create({ domain: 'admin.invalid', store: new FileStore(file) });
    try {
      await tenant.apis.grant({
        client_id: registered.id,
        audience: AUDIENCE,
        scope: ['read:ledger'],
      });
    } finally {
      await tenant.close();
    }
  });

  it('authenticates PrivateKeyJwt for the client credentials grant', async () => {
    const auth = PrivateKeyJwt({ key: registered.privateKey, kid: registered.kid });
    const tokens = await clientCredentialsGrant(await configFor(registered.id, auth), {
      audience: AUDIENCE,
    });
    expect(tokens.scope).toBe('read:ledger');
  });

  it('authenticates PrivateKeyJwt for the authorization code flow', async () => {
    const auth = PrivateKeyJwt({ key: registered.privateKey, kid: registered.kid });
    const config = await configFor(registered.id, auth);
    const verifier = randomPKCECodeVerifier();
    const state = randomState();
    const url = buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      state,
      code_challenge: await calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const response = await fetchManual(url);
    expect(response.status).toBe(302);
    const tokens = await authorizationCodeGrant(
      config,
      new URL(response.headers.get('location') ?? ''),
      { pkceCodeVerifier: verifier, expectedState: state },
    );
    expect(tokens.claims()).toMatchObject({ aud: registered.id });
  });
});

describe('jti single use across processes sharing the FileStore', () => {
  async function assertion(jti: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti })
      .setProtectedHeader({ alg: 'RS256', kid: rsaWorker.kid })
      .setIssuer(rsaWorker.id)
      .setSubject(rsaWorker.id)
      .setAudience(server.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(rsaWorker.privateKey);
  }

  const form = (clientAssertion: string) => ({
    grant_type: 'client_credentials',
    audience: AUDIENCE,
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: clientAssertion,
  });

  const post = (body: Record<string, string>) =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });

  async function localTenant() {
    const sink = memorySink();
    const tenant = await Tenant.create({
      domain: new URL(server.issuer).host,
      issuer: server.issuer,
      store: new FileStore(file),
      auditSinks: [sink],
    });
    return { tenant, sink };
  }

  it('refuses in this process an assertion the server already accepted', async () => {
    const token = await assertion(`server-first-${Date.now()}`);
    const first = await post(form(token));
    expect(first.status).toBe(200);
    const replayed = await post(form(token));
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
    const { tenant, sink } = await localTenant();
    try {
      const error = await tenant.authenticateClient({ body: form(token) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidClientError);
      await tenant.audit.flush();
      expect(sink.events.at(-1)?.details).toMatchObject({ reason: 'assertion_replayed' });
    } finally {
      await tenant.close();
    }
  });

  it('refuses at the server an assertion this process already accepted', async () => {
    const token = await assertion(`local-first-${Date.now()}`);
    const { tenant } = await localTenant();
    try {
      const client = await tenant.authenticateClient({ body: form(token) });
      expect(client.client_id).toBe(rsaWorker.id);
    } finally {
      await tenant.close();
    }
    const replayed = await post(form(token));
    expect(replayed.status).toBe(401);
  });
});
