/**
 * Dynamic Client Registration of the JWT methods: `private_key_jwt` with `jwks` (the keys
 * become the client's credentials) or with `jwks_uri` through a fetcher the embedding
 * server passes in, and `client_secret_jwt`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  JWT_BEARER_ASSERTION_TYPE,
  MemoryStore,
  RegistrationError,
  Tenant,
} from '../../src/index.js';
import { failure, snapshotOf } from './helpers.js';

const WEB = ['https://app.example.com/cb'];
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaJwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' };
const ecJwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'k2' };

async function setup() {
  const store = new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store,
    dynamicRegistration: { enabled: true },
  });
  return { tenant, store };
}

function assertion(
  clientId: string,
  key: Parameters<SignJWT['sign']>[0],
  alg: string,
  kid?: string,
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience('https://id.example.com/')
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(key);
}

const body = (clientAssertion: string) => ({
  body: { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: clientAssertion },
});

describe('registering private_key_jwt with jwks', () => {
  it('stores each signing key as a credential, enables them, and hands out no secret', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({
      redirect_uris: WEB,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [rsaJwk, ecJwk, { ...ecJwk, kid: 'enc', use: 'enc' }] },
    });
    expect(registered.token_endpoint_auth_method).toBe('private_key_jwt');
    expect(registered).not.toHaveProperty('client_secret');
    expect(registered.jwks?.keys).toHaveLength(3);
    const credentials = await tenant.clients.credentials(registered.client_id);
    expect(credentials.map(({ kid, alg }) => [kid, alg])).toEqual([
      ['k1', 'RS256'],
      ['k2', 'ES256'],
    ]);
    const client = await tenant.clients.get(registered.client_id);
    expect(client.client_authentication_methods).toEqual({
      private_key_jwt: { credentials: credentials.map(({ id }) => ({ id })) },
    });
    const read = await tenant.registration.read(
      registered.client_id,
      registered.registration_access_token,
    );
    expect(read.token_endpoint_auth_method).toBe('private_key_jwt');
    expect(read).not.toHaveProperty('client_secret');
    expect(read.client_secret_expires_at).toBe(0);
  });

  it('authenticates with either registered key, by kid or without', async () => {
    const { tenant } = await setup();
    const { client_id: id } = await tenant.registration.register({
      redirect_uris: WEB,
      grant_types: ['authorization_code', 'client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [rsaJwk, ecJwk] },
    });
    const viaRsa = await tenant.authenticateClient(
      body(await assertion(id, rsa.privateKey, 'RS256', 'k1')),
    );
    expect(viaRsa.client_id).toBe(id);
    await expect(
      tenant.authenticateClient(body(await assertion(id, ec.privateKey, 'ES256'))),
    ).resolves.toBeDefined();
  });

  it('replaces the credentials on an RFC 7592 update, so a dropped key stops working', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({
      redirect_uris: WEB,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [rsaJwk, ecJwk] },
    });
    const id = registered.client_id;
    await tenant.registration.update(id, registered.registration_access_token, {
      client_id: id,
      redirect_uris: WEB,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [ecJwk] },
    });
    expect((await tenant.clients.credentials(id)).map((c) => c.kid)).toEqual(['k2']);
    await expect(
      tenant.authenticateClient(body(await assertion(id, rsa.privateKey, 'RS256', 'k1'))),
    ).rejects.toThrow('client authentication failed');
    await expect(
      tenant.authenticateClient(body(await assertion(id, ec.privateKey, 'ES256', 'k2'))),
    ).resolves.toBeDefined();
  });

  it('deletes the credentials with the registration', async () => {
    const { tenant, store } = await setup();
    const registered = await tenant.registration.register({
      redirect_uris: WEB,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [rsaJwk] },
    });
    await tenant.registration.delete(registered.client_id, registered.registration_access_token);
    expect(await store.list('client_credentials')).toEqual([]);
  });

  it('refuses unusable keys with invalid_client_metadata naming the key, and writes nothing', async () => {
    const { tenant, store } = await setup();
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      format: 'jwk',
    });
    const before = await snapshotOf(store);
    const cases: [unknown, RegExp][] = [
      [{ keys: [{ ...small, kid: 'small' }] }, /^jwks\.keys\/0: jwk is an RSA key of 1024 bits/],
      [{ keys: [{ ...ecJwk, alg: 'RS256' }] }, /^jwks\.keys\/0: jwk is a ec key, but RS256 needs/],
      [
        { keys: [{ ...rsaJwk, alg: 'RS512' }] },
        /^jwks\.keys\/0: alg must be RS256, RS384, PS256 or ES256/,
      ],
      [
        { keys: [rsaJwk, { ...ecJwk, kid: 'k1' }] },
        /^jwks\.keys\/1: kid "k1" is used by an earlier key/,
      ],
      [{ keys: [{ ...ecJwk, use: 'enc' }] }, /^jwks has no signing key/],
    ];
    for (const [jwks, message] of cases) {
      const error = await failure(
        tenant.registration.register({
          redirect_uris: WEB,
          token_endpoint_auth_method: 'private_key_jwt',
          jwks,
        }),
      );
      expect(error).toBeInstanceOf(RegistrationError);
      expect((error as RegistrationError).error).toBe('invalid_client_metadata');
      expect((error as Error).message).toMatch(message);
    }
    expect(await snapshotOf(store)).toEqual(before);
  });
});

describe('token_endpoint_auth_signing_alg with private_key_jwt', () => {
  it('binds the client to that algorithm: a key without alg takes it, keys of another alg are no credential', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({
      redirect_uris: WEB,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      jwks: {
        keys: [
          { ...rsaJwk, kid: 'ps' },
          { ...ecJwk, alg: 'ES256' },
        ],
      },
    });
    const id = registered.client_id;
    expect((await tenant.clients.credentials(id)).map(({ kid, alg }) => [kid, alg])).toEqual([
      ['ps', 'PS256'],
    ]);
    await expect(
      tenant.authenticateClient(body(await assertion(id, rsa.privateKey, 'PS256', 'ps'))),
    ).resolves.toBeDefined();
    // The same RSA key signing RS256 (the default for an RSA key without alg) is refused,
    // as is the EC key the set also carried.
    for (const [key, alg, kid] of [
      [rsa.privateKey, 'RS256', 'ps'],
      [rsa.privateKey, 'RS256', undefined],
      [ec.privateKey, 'ES256', 'k2'],
    ] as const) {
      await expect(
        tenant.authenticateClient(body(await assertion(id, key, alg, kid))),
      ).rejects.toThrow('client authentication failed');
    }
  });

  it('refuses a set with no key for the registered algorithm, and writes nothing', async () => {
    const { tenant, store } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.registration.register({
        redirect_uris: WEB,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [{ ...rsaJwk, alg: 'RS256' }] },
      }),
    );
    expect(error).toBeInstanceOf(RegistrationError);
    expect((error as RegistrationError).error_description).toBe(
      'jwks has no signing key for token_endpoint_auth_signing_alg ES256',
    );
    expect(await snapshotOf(store)).toEqual(before);
  });
});

describe('registering private_key_jwt with jwks_uri', () => {
  const uri = 'https://app.example.com/jwks.json';

  it('never fetches jwks_uri without a fetcher from the embedding server', async () => {
    const { tenant } = await setup();
    const error = await failure(
      tenant.registration.register({
        redirect_uris: WEB,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: uri,
      }),
    );
    expect(error).toMatchObject({
      error: 'invalid_client_metadata',
      message: 'jwks_uri is not fetched by this server: send the public keys in jwks',
    });
  });

  it('stores the keys the fetcher answers as credentials', async () => {
    const { tenant } = await setup();
    const asked: string[] = [];
    const registered = await tenant.registration.register(
      { redirect_uris: WEB, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: uri },
      {
        fetchJwks: async (url) => {
          asked.push(url);
          return { keys: [ecJwk] };
        },
      },
    );
    expect(asked).toEqual([uri]);
    expect(registered.jwks_uri).toBe(uri);
    await expect(
      tenant.authenticateClient(
        body(await assertion(registered.client_id, ec.privateKey, 'ES256', 'k2')),
      ),
    ).resolves.toBeDefined();
  });

  it('refuses when the fetcher fails or answers something else', async () => {
    const { tenant } = await setup();
    for (const fetchJwks of [
      () => Promise.reject(new Error('ECONNREFUSED with a secret-looking detail')),
      () => Promise.resolve({ keys: 'no' }),
    ]) {
      const error = await failure(
        tenant.registration.register(
          { redirect_uris: WEB, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: uri },
          { fetchJwks },
        ),
      );
      expect(error).toMatchObject({ error: 'invalid_client_metadata' });
      expect((error as Error).message).toMatch(/^jwks_uri/);
      expect((error as Error).message).not.toContain('ECONNREFUSED');
    }
  });
});

describe('registering client_secret_jwt', () => {
  it('issues a secret, echoes the method, and authenticates HS256 assertions with it', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({
      redirect_uris: WEB,
      token_endpoint_auth_method: 'client_secret_jwt',
    });
    expect(registered.token_endpoint_auth_method).toBe('client_secret_jwt');
    expect(registered.client_secret).toEqual(expect.any(String));
    const key = new TextEncoder().encode(registered.client_secret);
    const client = await tenant.authenticateClient(
      body(await assertion(registered.client_id, key, 'HS256')),
    );
    expect(client.client_id).toBe(registered.client_id);
  });
});
