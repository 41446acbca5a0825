/**
 * `tenant.authenticateClient` with JWT client assertions (RFC 7523): private_key_jwt with
 * the client's credentials and client_secret_jwt with its secret. Assertions are signed
 * with jose, as a client library would; each refusal has its own test and its audit reason.
 */
import { generateKeyPairSync, createHmac, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT, base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidClientError,
  InvalidRequestError,
  JWT_BEARER_ASSERTION_TYPE,
  MemoryStore,
  Tenant,
  memorySink,
  type Client,
  type MemorySink,
} from '../../src/index.js';

const ISSUER = 'https://id.example.com/';
const TOKEN_ENDPOINT = 'https://id.example.com/oauth/token';
const START = Date.parse('2030-01-01T00:00:00.000Z');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;

let tenant: Tenant;
let sink: MemorySink;
let store: MemoryStore;
let now = START;
/** A private_key_jwt client with an RS256 and an ES256 credential. */
let keyClient: Client;
let rsaKid: string;
let ecKid: string;
/** A confidential client (client_secret_post) that may use client_secret_jwt. */
let secretClient: Client;

beforeAll(async () => {
  sink = memorySink();
  store = new MemoryStore();
  tenant = await Tenant.create({
    domain: 'id.example.com',
    store,
    auditSinks: [sink],
    now: () => now,
  });
  keyClient = await tenant.clients.create({ name: 'Key worker', app_type: 'non_interactive' });
  const rsaCredential = await tenant.clients.addCredential(keyClient.client_id, {
    credential_type: 'public_key',
    pem: rsaPem,
    alg: 'RS256',
  });
  const ecCredential = await tenant.clients.addCredential(keyClient.client_id, {
    credential_type: 'public_key',
    jwk: ec.publicKey.export({ format: 'jwk' }) as never,
    alg: 'ES256',
  });
  rsaKid = rsaCredential.kid;
  ecKid = ecCredential.kid;
  keyClient = await tenant.clients.update(keyClient.client_id, {
    client_authentication_methods: {
      private_key_jwt: { credentials: [{ id: rsaCredential.id }, { id: ecCredential.id }] },
    },
  });
  secretClient = await tenant.clients.create({
    name: 'Secret worker',
    app_type: 'non_interactive',
    token_endpoint_auth_method: 'client_secret_post',
  });
});

let counter = 0;
const seconds = () => Math.floor(now / 1000);

interface AssertionOptions {
  alg?: string;
  kid?: string | undefined;
  key?: KeyObject | Uint8Array;
  claims?: Record<string, unknown>;
  omit?: string[];
}

/** A client assertion for `clientId`, valid unless the options say otherwise. */
async function assertion(clientId: string, options: AssertionOptions = {}): Promise<string> {
  const alg = options.alg ?? 'RS256';
  const all: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: ISSUER,
    iat: seconds(),
    exp: seconds() + 60,
    jti: `jti-${++counter}`,
    ...options.claims,
  };
  const claims = Object.fromEntries(
    Object.entries(all).filter(([name]) => !(options.omit ?? []).includes(name)),
  );
  const kid = 'kid' in options ? options.kid : alg === 'ES256' ? ecKid : rsaKid;
  const key = options.key ?? (alg === 'ES256' ? ec.privateKey : rsa.privateKey);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }) })
    .sign(key);
}

const request = (clientAssertion: string, extra: Record<string, string> = {}) => ({
  body: {
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: clientAssertion,
    ...extra,
  },
});

/** Expects an `invalid_client` refusal and returns the reason the audit event recorded. */
async function refusedWith(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidClientError);
  expect((error as Error).message).toBe('client authentication failed');
  await tenant.audit.flush();
  return sink.events.at(-1)?.details['reason'];
}

describe('private_key_jwt', () => {
  it('authenticates with an RS256 credential named by kid, and audits the credential', async () => {
    const client = await tenant.authenticateClient(request(await assertion(keyClient.client_id)));
    expect(client.client_id).toBe(keyClient.client_id);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'seccft',
      client_id: keyClient.client_id,
      details: { method: 'private_key_jwt', credential_id: expect.stringMatching(/^cred_/) },
    });
  });

  it('authenticates with ES256, with aud the token endpoint, as a string or in an array', async () => {
    for (const aud of [TOKEN_ENDPOINT, [TOKEN_ENDPOINT], ['https://other.example/', ISSUER]]) {
      const token = await assertion(keyClient.client_id, { alg: 'ES256', claims: { aud } });
      await expect(tenant.authenticateClient(request(token))).resolves.toBeDefined();
    }
  });

  it('tries each usable credential of the alg when there is no kid', async () => {
    const token = await assertion(keyClient.client_id, { kid: undefined });
    await expect(tenant.authenticateClient(request(token))).resolves.toBeDefined();
    const es = await assertion(keyClient.client_id, { alg: 'ES256', kid: undefined });
    await expect(tenant.authenticateClient(request(es))).resolves.toBeDefined();
  });

  it('accepts a body client_id equal to iss', async () => {
    const token = await assertion(keyClient.client_id);
    await expect(
      tenant.authenticateClient(request(token, { client_id: keyClient.client_id })),
    ).resolves.toBeDefined();
  });
});

describe('client_secret_jwt', () => {
  it('authenticates a secret client with HS256 keyed with its secret', async () => {
    const key = new TextEncoder().encode(secretClient.client_secret);
    const token = await assertion(secretClient.client_id, { alg: 'HS256', kid: undefined, key });
    const client = await tenant.authenticateClient(request(token));
    expect(client.client_id).toBe(secretClient.client_id);
    await tenant.audit.flush();
    expect(sink.events.at(-1)?.details['method']).toBe('client_secret_jwt');
  });

  it('refuses HS256 signed with another secret', async () => {
    const key = new TextEncoder().encode('x'.repeat(64));
    const token = await assertion(secretClient.client_id, { alg: 'HS256', kid: undefined, key });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('wrong_signature');
  });
});

describe('refusals (each invalid_client, with its reason in the audit event)', () => {
  it('a replayed jti', async () => {
    const token = await assertion(keyClient.client_id);
    await tenant.authenticateClient(request(token));
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('assertion_replayed');
  });

  it('a jti reused in a new assertion before the first one expired', async () => {
    const claims = { jti: 'reused-jti' };
    await tenant.authenticateClient(request(await assertion(keyClient.client_id, { claims })));
    const again = await assertion(keyClient.client_id, { claims, alg: 'ES256' });
    expect(await refusedWith(tenant.authenticateClient(request(again)))).toBe('assertion_replayed');
  });

  it('a missing exp', async () => {
    const token = await assertion(keyClient.client_id, { omit: ['exp'] });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe(
      'assertion_exp_missing',
    );
  });

  it('an exp more than 5 minutes ahead', async () => {
    const token = await assertion(keyClient.client_id, {
      omit: ['iat'],
      claims: { exp: seconds() + 301 },
    });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe(
      'assertion_exp_too_far',
    );
  });

  it('an expired assertion', async () => {
    const token = await assertion(keyClient.client_id, { claims: { exp: seconds() - 31 } });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('assertion_expired');
  });

  it('a missing jti', async () => {
    const token = await assertion(keyClient.client_id, { omit: ['jti'] });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe(
      'assertion_jti_missing',
    );
  });

  it('a wrong aud', async () => {
    for (const aud of ['https://id.example.com', 'https://evil.example/oauth/token', [], 7]) {
      const token = await assertion(keyClient.client_id, { claims: { aud } });
      expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe(
        'assertion_audience',
      );
    }
  });

  it('iss different from sub', async () => {
    const token = await assertion(keyClient.client_id, { claims: { sub: secretClient.client_id } });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('assertion_iss_sub');
  });

  it('alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none' }));
    const payload = base64url.encode(
      JSON.stringify({
        iss: keyClient.client_id,
        sub: keyClient.client_id,
        aud: ISSUER,
        exp: seconds() + 60,
        jti: 'none-jti',
      }),
    );
    for (const token of [`${header}.${payload}.`, `${header}.${payload}.AAAA`]) {
      const reason = await refusedWith(tenant.authenticateClient(request(token)));
      expect(['assertion_alg', 'malformed_assertion']).toContain(reason);
    }
    expect(await refusedWith(tenant.authenticateClient(request(`${header}.${payload}.AAAA`)))).toBe(
      'assertion_alg',
    );
  });

  it('HS256 signed with the public key text (algorithm confusion)', async () => {
    // The public key is never an HMAC key: a client with a secret method checks HS256
    // against its secret only; one without (token_endpoint_auth_method null) refuses HS256.
    const confused = keyClient.token_endpoint_auth_method ? 'wrong_signature' : 'method_mismatch';
    const key = new TextEncoder().encode(rsaPem);
    const token = await assertion(keyClient.client_id, { alg: 'HS256', key });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe(confused);
    // Also by hand, with the exact PEM bytes, and without kid.
    const header = base64url.encode(JSON.stringify({ alg: 'HS256' }));
    const payload = base64url.encode(
      JSON.stringify({
        iss: keyClient.client_id,
        sub: keyClient.client_id,
        aud: ISSUER,
        exp: seconds() + 60,
        jti: 'confused',
      }),
    );
    const signature = createHmac('sha256', rsaPem)
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(
      await refusedWith(tenant.authenticateClient(request(`${header}.${payload}.${signature}`))),
    ).toBe(confused);
    const jwkText = JSON.stringify(rsa.publicKey.export({ format: 'jwk' }));
    const withJwk = await assertion(keyClient.client_id, {
      alg: 'HS256',
      key: new TextEncoder().encode(jwkText),
    });
    expect(await refusedWith(tenant.authenticateClient(request(withJwk)))).toBe(confused);
  });

  it('HS384 or RS512, algorithms no credential allows', async () => {
    const hs = await assertion(secretClient.client_id, {
      alg: 'HS384',
      kid: undefined,
      key: new TextEncoder().encode(secretClient.client_secret),
    });
    expect(await refusedWith(tenant.authenticateClient(request(hs)))).toBe('assertion_alg');
    const rs = await assertion(keyClient.client_id, { alg: 'RS512' });
    expect(await refusedWith(tenant.authenticateClient(request(rs)))).toBe('assertion_alg');
  });

  it('private_key_jwt for a client without credentials enabled', async () => {
    const token = await assertion(secretClient.client_id);
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('method_mismatch');
  });

  it('a key of the wrong type for the alg (an RSA credential presented as ES256)', async () => {
    // ES256 header naming the RSA credential's kid: no usable credential matches.
    const token = await assertion(keyClient.client_id, { alg: 'ES256', kid: rsaKid });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('unknown_kid');
    // PS256 signed with the RSA key: the credential allows RS256 only.
    const ps = await assertion(keyClient.client_id, { alg: 'PS256', kid: undefined });
    expect(await refusedWith(tenant.authenticateClient(request(ps)))).toBe('no_usable_credential');
  });

  it('a signature by another key', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await assertion(keyClient.client_id, { alg: 'ES256', key: other.privateKey });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('wrong_signature');
  });

  it('an expired credential', async () => {
    const client = await tenant.clients.create({ name: 'Expiring', app_type: 'non_interactive' });
    const credential = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      pem: rsaPem,
      expires_at: new Date(now + 10_000).toISOString(),
    });
    await tenant.clients.update(client.client_id, {
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id }] } },
    });
    const kid = credential.kid;
    await expect(
      tenant.authenticateClient(request(await assertion(client.client_id, { kid }))),
    ).resolves.toBeDefined();
    now += 10_000;
    try {
      const token = await assertion(client.client_id, { kid });
      expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('unknown_kid');
      const without = await assertion(client.client_id, { kid: undefined });
      expect(await refusedWith(tenant.authenticateClient(request(without)))).toBe(
        'no_usable_credential',
      );
    } finally {
      now = START;
    }
  });

  it('a deleted credential', async () => {
    const client = await tenant.clients.create({ name: 'Deleting', app_type: 'non_interactive' });
    const credential = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      pem: rsaPem,
    });
    const other = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      jwk: ec.publicKey.export({ format: 'jwk' }) as never,
      alg: 'ES256',
    });
    await tenant.clients.update(client.client_id, {
      client_authentication_methods: {
        private_key_jwt: { credentials: [{ id: credential.id }, { id: other.id }] },
      },
    });
    const kid = credential.kid;
    await expect(
      tenant.authenticateClient(request(await assertion(client.client_id, { kid }))),
    ).resolves.toBeDefined();
    await tenant.clients.deleteCredential(client.client_id, credential.id);
    const token = await assertion(client.client_id, { kid });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('unknown_kid');
  });

  it('a credential the client holds but has not enabled', async () => {
    const client = await tenant.clients.create({
      name: 'Not enabled',
      app_type: 'non_interactive',
    });
    const credential = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      pem: rsaPem,
    });
    const token = await assertion(client.client_id, { kid: credential.kid });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('method_mismatch');
  });

  it('an unknown client id', async () => {
    const token = await assertion('UnknownClient0123456789abcdefghi');
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe('unknown_client');
  });

  it('a body client_id different from iss', async () => {
    const token = await assertion(keyClient.client_id);
    expect(
      await refusedWith(
        tenant.authenticateClient(request(token, { client_id: secretClient.client_id })),
      ),
    ).toBe('client_id_mismatch');
  });

  it('a missing or wrong client_assertion_type', async () => {
    const token = await assertion(keyClient.client_id);
    for (const type of [undefined, 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer']) {
      const body: Record<string, string | undefined> = {
        client_assertion: token,
        client_assertion_type: type,
      };
      expect(await refusedWith(tenant.authenticateClient({ body }))).toBe('assertion_type');
    }
  });

  it('an iat in the future', async () => {
    const token = await assertion(keyClient.client_id, {
      claims: { iat: seconds() + 120, exp: seconds() + 180 },
    });
    expect(await refusedWith(tenant.authenticateClient(request(token)))).toBe(
      'assertion_not_yet_valid',
    );
  });
});

describe('more than one mechanism', () => {
  it('an assertion plus a client_secret is invalid_request', async () => {
    const token = await assertion(keyClient.client_id);
    const error = await tenant
      .authenticateClient(request(token, { client_secret: 'whatever' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
  });

  it('an assertion plus a Basic header is invalid_request', async () => {
    const token = await assertion(keyClient.client_id);
    const error = await tenant
      .authenticateClient({ ...request(token), authorization: `Basic ${btoa('a:b')}` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
  });
});

describe('a rotated secret with an overlap', () => {
  it('keeps client_secret_jwt with the previous secret working until the overlap ends', async () => {
    const client = await tenant.clients.create({
      name: 'Rotating',
      app_type: 'non_interactive',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const old = new TextEncoder().encode(client.client_secret);
    await tenant.clients.rotateSecret(client.client_id, { previousSecretValidFor: 30 });
    const sign = () => assertion(client.client_id, { alg: 'HS256', kid: undefined, key: old });
    await expect(tenant.authenticateClient(request(await sign()))).resolves.toBeDefined();
    now += 30_000;
    try {
      expect(await refusedWith(tenant.authenticateClient(request(await sign())))).toBe(
        'wrong_signature',
      );
    } finally {
      now = START;
    }
  });
});

describe('properties', () => {
  it('never throws anything but InvalidClientError or InvalidRequestError for arbitrary assertions', async () => {
    const segment = fc.oneof(
      fc.base64String().map((s) => s.replace(/=/g, '').replace(/\+/g, '-').replace(/\//g, '_')),
      fc.string(),
      fc
        .dictionary(
          fc.constantFrom('alg', 'kid', 'iss', 'sub', 'aud', 'exp', 'jti', 'crit', 'iat', 'nbf'),
          fc.oneof(
            fc.string(),
            fc.integer(),
            fc.double(),
            fc.constant(null),
            fc.constantFrom(keyClient.client_id, 'RS256', 'ES256', 'HS256', 'none', ISSUER),
            fc.array(fc.string(), { maxLength: 3 }),
          ),
        )
        .map((value) => base64url.encode(JSON.stringify(value))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
        ),
        fc.option(fc.constantFrom(JWT_BEARER_ASSERTION_TYPE, '', 'x'), { nil: undefined }),
        fc.option(fc.constantFrom(keyClient.client_id, secretClient.client_id, ''), {
          nil: undefined,
        }),
        async (clientAssertion, type, clientId) => {
          const body: Record<string, string | undefined> = {
            client_assertion: clientAssertion,
            client_assertion_type: type,
            client_id: clientId,
          };
          const error = await tenant.authenticateClient({ body }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error instanceof InvalidClientError || error instanceof InvalidRequestError).toBe(
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the replay cache in the store', () => {
  it('holds a hashed id per used jti, never the assertion, and takes over an expired entry', async () => {
    const client = await tenant.clients.create({ name: 'Cache', app_type: 'non_interactive' });
    const credential = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      pem: rsaPem,
    });
    await tenant.clients.update(client.client_id, {
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id }] } },
    });
    const claims = { jti: 'cache-jti', exp: seconds() + 10 };
    const token = await assertion(client.client_id, { kid: credential.kid, claims });
    await tenant.authenticateClient(request(token));
    const entries = await store.list<{ client_id: string; expires_at: number }>('assertion_jtis');
    const mine = entries.filter((entry) => entry.value.client_id === client.client_id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(entries)).not.toContain('cache-jti');
    // Once the first assertion can no longer pass (exp plus the tolerance), its jti is free.
    now += 41_000;
    try {
      const later = await assertion(client.client_id, {
        kid: credential.kid,
        claims: { jti: 'cache-jti', exp: seconds() + 10 },
      });
      await expect(tenant.authenticateClient(request(later))).resolves.toBeDefined();
    } finally {
      now = START;
    }
  });
});

describe('Tenant.create({ tokenEndpoint })', () => {
  it('accepts the configured token endpoint as aud instead of the default', async () => {
    const custom = await Tenant.create({
      domain: 'id.example.com',
      tokenEndpoint: 'https://id.example.com/custom/token',
      now: () => now,
    });
    const client = await custom.clients.create({
      name: 'Secret',
      app_type: 'non_interactive',
      token_endpoint_auth_method: 'client_secret_post',
    });
    const key = new TextEncoder().encode(client.client_secret);
    const sign = (aud: string) =>
      assertion(client.client_id, { alg: 'HS256', kid: undefined, key, claims: { aud } });
    await expect(
      custom.authenticateClient(request(await sign('https://id.example.com/custom/token'))),
    ).resolves.toBeDefined();
    await expect(custom.authenticateClient(request(await sign(ISSUER)))).resolves.toBeDefined();
    await expect(
      custom.authenticateClient(request(await sign(TOKEN_ENDPOINT))),
    ).rejects.toBeInstanceOf(InvalidClientError);
    await custom.close();
  });

  it('refuses a token endpoint that is not an absolute http(s) URL', async () => {
    for (const tokenEndpoint of ['/oauth/token', 'ftp://id.example.com/token', 'https://x/#f', 7]) {
      await expect(
        Tenant.create({ domain: 'id.example.com', tokenEndpoint: tokenEndpoint as string }),
      ).rejects.toMatchObject({ code: 'invalid_argument', path: '/tokenEndpoint' });
    }
  });
});
