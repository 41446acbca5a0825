import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  FileStore,
  MemoryStore,
  RegistrationError,
  Tenant,
  memorySink,
  oauthErrorDescription,
  type DynamicRegistrationOptions,
  type RegistrationResponse,
  type Store,
} from '../../src/index.js';
import { snapshotOf, wrapStore } from './helpers.js';

const ISSUED_AT_MS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const IAT = 'initial-access-token-0123456789';
const WEB = ['https://printer.example.org/callback'];

async function setup(
  options: {
    store?: Store;
    dynamicRegistration?: DynamicRegistrationOptions;
    issuer?: string;
  } = {},
) {
  const sink = memorySink();
  const store = options.store ?? new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store,
    auditSinks: [sink],
    dynamicRegistration: options.dynamicRegistration ?? { enabled: true },
    now: () => ISSUED_AT_MS,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
  });
  return { tenant, sink, store };
}

async function failure(promise: Promise<unknown>): Promise<RegistrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistrationError);
  return error as RegistrationError;
}

describe('tenant.registration.register: access', () => {
  it('is refused with access_denied 403 unless dynamic registration is enabled', async () => {
    for (const dynamicRegistration of [undefined, { enabled: false }]) {
      const sink = memorySink();
      const store = new MemoryStore();
      const tenant = await Tenant.create({
        domain: 'id.example.com',
        store,
        auditSinks: [sink],
        ...(dynamicRegistration ? { dynamicRegistration } : {}),
      });
      const error = await failure(tenant.registration.register({ redirect_uris: WEB }));
      expect(error.toJSON()).toEqual({
        error: 'access_denied',
        error_description: 'dynamic client registration is not enabled on this tenant',
      });
      expect(error.status).toBe(403);
      expect(await store.list('clients')).toEqual([]);
      await tenant.audit.flush();
      expect(sink.events.at(-1)).toMatchObject({
        type: 'fapi',
        details: { operation: 'dcr_register', error: 'access_denied', status: 403 },
      });
    }
  });

  it('refuses read, update and delete too while disabled', async () => {
    const store = new MemoryStore();
    const { tenant } = await setup({ store });
    const registered = await tenant.registration.register({ redirect_uris: WEB });
    const disabled = await Tenant.create({
      domain: 'id.example.com',
      store,
      dynamicRegistration: { enabled: false },
    });
    const { client_id: id, registration_access_token: token } = registered;
    for (const call of [
      disabled.registration.read(id, token),
      disabled.registration.update(id, token, { client_id: id, redirect_uris: WEB }),
      disabled.registration.delete(id, token),
    ]) {
      const error = await failure(call);
      expect([error.error, error.status]).toEqual(['access_denied', 403]);
    }
    expect(await tenant.registration.read(id, token)).toMatchObject({ client_id: id });
  });

  it('requires the initial access token when one is configured, compared exactly', async () => {
    const { tenant, store } = await setup({
      dynamicRegistration: { enabled: true, initialAccessToken: IAT },
    });
    const cases: [unknown, string][] = [
      [undefined, 'an initial access token is required to register a client'],
      [{}, 'an initial access token is required to register a client'],
      [null, 'an initial access token is required to register a client'],
      [
        { initialAccessToken: undefined },
        'an initial access token is required to register a client',
      ],
      [{ initialAccessToken: '' }, 'the initial access token is not valid'],
      [{ initialAccessToken: `${IAT}x` }, 'the initial access token is not valid'],
      [{ initialAccessToken: IAT.slice(0, -1) }, 'the initial access token is not valid'],
      [{ initialAccessToken: IAT.toUpperCase() }, 'the initial access token is not valid'],
      [{ initialAccessToken: ['x'] }, 'the initial access token is not valid'],
    ];
    for (const [options, description] of cases) {
      const error = await failure(
        tenant.registration.register({ redirect_uris: WEB }, options as never),
      );
      expect([error.error, error.status, error.error_description]).toEqual([
        'invalid_token',
        401,
        description,
      ]);
      expect(error.message).not.toContain(IAT);
    }
    expect(await store.list('clients')).toEqual([]);
    const registered = await tenant.registration.register(
      { redirect_uris: WEB },
      { initialAccessToken: IAT },
    );
    expect(registered.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('checks access before the body, so a bad body without a token is still invalid_token', async () => {
    const { tenant } = await setup({
      dynamicRegistration: { enabled: true, initialAccessToken: IAT },
    });
    const error = await failure(tenant.registration.register('not json'));
    expect(error.error).toBe('invalid_token');
  });
});

describe('tenant.registration.register: the response (RFC 7591 §3.2.1)', () => {
  it('returns the registered metadata with defaults, the credentials and the endpoint', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({ redirect_uris: WEB });
    expect(Object.keys(registered).sort()).toEqual(
      [
        'application_type',
        'client_id',
        'client_id_issued_at',
        'client_name',
        'client_secret',
        'client_secret_expires_at',
        'grant_types',
        'redirect_uris',
        'registration_access_token',
        'registration_client_uri',
        'response_types',
        'token_endpoint_auth_method',
      ].sort(),
    );
    expect(registered).toEqual({
      client_id: expect.stringMatching(/^[A-Za-z0-9]{32}$/) as unknown,
      client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{64}$/) as unknown,
      client_id_issued_at: Math.floor(ISSUED_AT_MS / 1000),
      client_secret_expires_at: 0,
      registration_access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
      registration_client_uri: `https://id.example.com/oidc/register/${registered.client_id}`,
      redirect_uris: WEB,
      client_name: 'Dynamic client',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'web',
    });
  });

  it('echoes every recognised metadata value and drops unknown ones', async () => {
    const { tenant } = await setup();
    const metadata = {
      client_name: 'Photo Printer',
      redirect_uris: ['https://printer.example.org/cb', 'https://printer.example.org/cb2'],
      post_logout_redirect_uris: ['https://printer.example.org/bye'],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      application_type: 'web',
      logo_uri: 'https://printer.example.org/logo.png',
      client_uri: 'https://printer.example.org',
      policy_uri: 'https://printer.example.org/privacy',
      tos_uri: 'https://printer.example.org/tos',
      contacts: ['ve7jtb@example.org', 'mary@example.org'],
      scope: 'openid profile print',
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ', kid: 'k1' }] },
    };
    const registered = await tenant.registration.register({
      ...metadata,
      software_statement: 'eyJhbGciOiJub25lIn0.e30.',
      'client_name#ja-Jpan-JP': 'プリンター',
      extension_field: { nested: true },
    });
    expect(registered).toMatchObject(metadata);
    expect(registered).not.toHaveProperty('software_statement');
    expect(registered).not.toHaveProperty('extension_field');
    expect(registered).not.toHaveProperty('client_name#ja-Jpan-JP');
  });

  it('uses the configured issuer for the configuration endpoint', async () => {
    const { tenant } = await setup({ issuer: 'https://login.example.com/tenants/acme/' });
    const registered = await tenant.registration.register({ redirect_uris: WEB });
    expect(registered.registration_client_uri).toBe(
      `https://login.example.com/tenants/acme/oidc/register/${registered.client_id}`,
    );
  });

  it('issues no secret to a public client, and a new id, secret and token every time', async () => {
    const { tenant } = await setup();
    const spa = await tenant.registration.register({
      redirect_uris: WEB,
      token_endpoint_auth_method: 'none',
    });
    expect(spa).not.toHaveProperty('client_secret');
    expect(spa.client_secret_expires_at).toBe(0);
    const all = await Promise.all(
      Array.from({ length: 20 }, () => tenant.registration.register({ redirect_uris: WEB })),
    );
    expect(new Set(all.map((r) => r.client_id)).size).toBe(20);
    expect(new Set(all.map((r) => r.client_secret)).size).toBe(20);
    expect(new Set(all.map((r) => r.registration_access_token)).size).toBe(20);
  });
});

describe('tenant.registration.register: the client it creates', () => {
  it.each([
    [{ redirect_uris: WEB }, 'regular_web', true],
    [{ redirect_uris: WEB, token_endpoint_auth_method: 'client_secret_post' }, 'regular_web', true],
    [{ redirect_uris: WEB, token_endpoint_auth_method: 'none' }, 'spa', false],
    [
      {
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['com.example.printer:/cb'],
      },
      'native',
      false,
    ],
    [{ application_type: 'native', redirect_uris: ['http://127.0.0.1/cb'] }, 'native', true],
    [{ grant_types: ['client_credentials'] }, 'non_interactive', true],
  ] as const)('%j → %s', async (body, appType, confidential) => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register(body);
    const client = await tenant.clients.get(registered.client_id);
    expect(client.app_type).toBe(appType);
    expect(client.is_first_party).toBe(false);
    expect(client.client_secret !== undefined).toBe(confidential);
    expect(client.client_secret).toBe(registered.client_secret);
    expect(client.token_endpoint_auth_method).toBe(registered.token_endpoint_auth_method);
    expect(client.grant_types).toEqual(registered.grant_types);
  });

  it('maps redirect URIs to callbacks, post-logout URIs to logout URLs and the name', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({
      client_name: 'Photo Printer',
      redirect_uris: WEB,
      post_logout_redirect_uris: ['https://printer.example.org/bye'],
      logo_uri: 'https://printer.example.org/logo.png',
    });
    const client = await tenant.clients.get(registered.client_id);
    expect(client).toMatchObject({
      name: 'Photo Printer',
      callbacks: WEB,
      allowed_logout_urls: ['https://printer.example.org/bye'],
      logo_uri: 'https://printer.example.org/logo.png',
    });
    expect(client.allowsCallback(WEB[0]!)).toBe(true);
    expect(client.allowsCallback('https://printer.example.org/other')).toBe(false);
    expect(client.allowsLogoutUrl('https://printer.example.org/bye?x=1')).toBe(true);
  });

  it('lets a native client use its loopback redirect URI on any port (RFC 8252 §7.3)', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback'],
    });
    const client = await tenant.clients.get(registered.client_id);
    expect(client.allowsCallback('http://127.0.0.1:51004/callback')).toBe(true);
    expect(client.allowsCallback('http://localhost:51004/callback')).toBe(false);
  });

  it('writes the client and its registration record in one commit, the token only as a hash', async () => {
    const base = new MemoryStore();
    const commits: unknown[] = [];
    let singleWrites = 0;
    const store = wrapStore(base, {
      commit: (ops) => {
        commits.push(ops);
        return base.commit(ops);
      },
      insert: (c, id, v) => {
        singleWrites++;
        return base.insert(c, id, v);
      },
    });
    const { tenant } = await setup({ store });
    const registered = await tenant.registration.register({
      redirect_uris: WEB,
      contacts: ['a@example.org'],
    });
    expect(commits).toHaveLength(1);
    expect(singleWrites).toBe(0);
    const record = await base.get('registrations', registered.client_id);
    expect(record?.value).toEqual({
      client_id: registered.client_id,
      token_hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      client_id_issued_at: Math.floor(ISSUED_AT_MS / 1000),
      metadata: {
        redirect_uris: WEB,
        client_name: 'Dynamic client',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        application_type: 'web',
        contacts: ['a@example.org'],
      },
    });
    const everything = JSON.stringify(await snapshotOf(base));
    expect(everything).not.toContain(registered.registration_access_token);
  });

  it('writes nothing when the commit fails', async () => {
    const base = new MemoryStore();
    const store = wrapStore(base, {
      commit: () => Promise.reject(new Error('disk full')),
    });
    const { tenant, sink } = await setup({ store });
    await expect(tenant.registration.register({ redirect_uris: WEB })).rejects.toThrow('disk full');
    expect(await base.list('clients')).toEqual([]);
    expect(await base.list('registrations')).toEqual([]);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      details: { operation: 'dcr_register', error: 'internal_error' },
    });
  });
});

describe('tenant.registration.register: invalid requests', () => {
  const bodies: [string, unknown, string, RegExp][] = [
    ['a string', 'redirect_uris=https://a', 'invalid_client_metadata', /must be a JSON object/],
    ['an array', [{ redirect_uris: WEB }], 'invalid_client_metadata', /must be a JSON object/],
    ['null', null, 'invalid_client_metadata', /must be a JSON object/],
    ['no redirect URI', {}, 'invalid_redirect_uri', /^redirect_uris must list at least one URI/],
    [
      'a wildcard',
      { redirect_uris: ['https://*.example.org/cb'] },
      'invalid_redirect_uri',
      /wildcard/,
    ],
    [
      'an organization placeholder',
      { redirect_uris: ['https://{organization_name}.example.org/cb'] },
      'invalid_redirect_uri',
      /^redirect_uris\/0: .*\{organization_name\} placeholder/,
    ],
    [
      'an organization placeholder in a logout URI',
      {
        redirect_uris: WEB,
        post_logout_redirect_uris: ['https://{organization_name}.example.org/'],
      },
      'invalid_client_metadata', // RFC 7591 keeps invalid_redirect_uri for redirect_uris

      /^post_logout_redirect_uris\/0: .*\{organization_name\} placeholder/,
    ],
    [
      'a fragment',
      { redirect_uris: ['https://a.example.org/cb#x'] },
      'invalid_redirect_uri',
      /fragment/,
    ],
    [
      'a native https URI',
      { application_type: 'native', redirect_uris: ['https://a.example.org/cb'] },
      'invalid_redirect_uri',
      /native client/,
    ],
    [
      'implicit over http',
      {
        grant_types: ['implicit'],
        response_types: ['token'],
        redirect_uris: ['http://a.example.org/cb'],
      },
      'invalid_redirect_uri',
      /must use https/,
    ],
    [
      'an unsupported auth method',
      { redirect_uris: WEB, token_endpoint_auth_method: 'self_signed_tls_client_auth' },
      'invalid_client_metadata',
      /^token_endpoint_auth_method: "self_signed_tls_client_auth" is not supported/,
    ],
    [
      'private_key_jwt without jwks',
      { redirect_uris: WEB, token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
      /^jwks is required with token_endpoint_auth_method "private_key_jwt"/,
    ],
    [
      'a public client with client_credentials',
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' },
      'invalid_client_metadata',
      /client_credentials/,
    ],
    [
      'inconsistent types',
      { redirect_uris: WEB, response_types: ['token'] },
      'invalid_client_metadata',
      /RFC 7591 §2.1/,
    ],
    [
      'a huge array',
      { redirect_uris: new Array(100_000).fill(WEB[0]) },
      'invalid_redirect_uri',
      /at most 100/,
    ],
    [
      'a name with markup',
      { redirect_uris: WEB, client_name: '<b>x</b>' },
      'invalid_client_metadata',
      /^client_name/,
    ],
  ];

  it.each(bodies)('refuses %s with 400 and writes nothing', async (_, body, error, message) => {
    const { tenant, store, sink } = await setup();
    await tenant.registration.register({ redirect_uris: WEB }); // something to keep
    const before = await snapshotOf(store);
    const thrown = await failure(tenant.registration.register(body));
    expect(thrown.error).toBe(error);
    expect(thrown.status).toBe(400);
    expect(thrown.error_description).toMatch(message);
    expect(thrown.toJSON()).toEqual({
      error,
      error_description: oauthErrorDescription(thrown.error_description),
    });
    expect(await snapshotOf(store)).toEqual(before);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      details: { operation: 'dcr_register', error, status: 400 },
    });
  });
});

describe('tenant.registration.read (RFC 7592 §2.1)', () => {
  it('returns the same response as the registration, echoing the token', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({
      redirect_uris: WEB,
      client_uri: 'https://printer.example.org',
    });
    const read = await tenant.registration.read(
      registered.client_id,
      registered.registration_access_token,
    );
    expect(read).toEqual(registered);
  });

  it('shows changes an administrator made to the client', async () => {
    const { tenant } = await setup();
    const registered = await tenant.registration.register({ redirect_uris: WEB });
    await tenant.clients.update(registered.client_id, {
      name: 'Renamed',
      callbacks: ['https://printer.example.org/new'],
    });
    const read = await tenant.registration.read(
      registered.client_id,
      registered.registration_access_token,
    );
    expect(read.client_name).toBe('Renamed');
    expect(read.redirect_uris).toEqual(['https://printer.example.org/new']);
  });
});

describe('registration access tokens', () => {
  async function twoClients() {
    const context = await setup();
    const a = await context.tenant.registration.register({ redirect_uris: WEB });
    const b = await context.tenant.registration.register({ redirect_uris: WEB });
    const managed = await context.tenant.clients.create({ name: 'Managed', app_type: 'spa' });
    return { ...context, a, b, managed };
  }

  it('work only for their own client, and every failure is the same invalid_token 401', async () => {
    const { tenant, a, managed } = await twoClients();
    const attempts: [unknown, unknown][] = [
      [a.client_id, `${a.registration_access_token}x`],
      [a.client_id, a.registration_access_token.slice(0, -1)],
      [a.client_id, ''],
      [a.client_id, undefined],
      [a.client_id, 42],
      [managed.client_id, 'not-a-token'],
      ['no-such-client', 'not-a-token'],
      ['', 'not-a-token'],
      ['x'.repeat(10_000), undefined],
      [undefined, 'not-a-token'],
    ];
    const before = await snapshotOf(tenant.store);
    for (const [id, token] of attempts) {
      for (const call of [
        tenant.registration.read(id as string, token as string),
        tenant.registration.update(id as string, token as string, {
          client_id: id,
          redirect_uris: WEB,
        }),
        tenant.registration.delete(id as string, token as string),
      ]) {
        const error = await failure(call);
        expect(error.toJSON()).toEqual({
          error: 'invalid_token',
          error_description: 'the registration access token is not valid for this client',
        });
        expect(error.status).toBe(401);
      }
    }
    expect(await snapshotOf(tenant.store)).toEqual(before);
  });

  it('look up the client and its registration even when neither exists', async () => {
    const base = new MemoryStore();
    const reads: string[] = [];
    const store = wrapStore(base, {
      get: (c, id) => {
        reads.push(c);
        return base.get(c, id);
      },
    });
    const { tenant } = await setup({ store });
    await failure(tenant.registration.read('missing', 'token'));
    // ...and the token index, to revoke the token should it belong to another client.
    expect(reads.sort()).toEqual(['clients', 'registration_tokens', 'registrations']);
  });

  it('stop working when the client is deleted through registration', async () => {
    const { tenant, a, b } = await twoClients();
    const before = JSON.stringify(await tenant.store.list('grants'));
    await tenant.registration.delete(a.client_id, a.registration_access_token);
    expect(await tenant.clients.find(a.client_id)).toBeUndefined();
    expect(await tenant.store.get('registrations', a.client_id)).toBeUndefined();
    for (const call of [
      tenant.registration.read(a.client_id, a.registration_access_token),
      tenant.registration.delete(a.client_id, a.registration_access_token),
      tenant.registration.update(a.client_id, a.registration_access_token, {
        client_id: a.client_id,
        redirect_uris: WEB,
      }),
    ]) {
      expect((await failure(call)).error).toBe('invalid_token');
    }
    expect(await tenant.registration.read(b.client_id, b.registration_access_token)).toMatchObject({
      client_id: b.client_id,
    });
    expect(JSON.stringify(await tenant.store.list('grants'))).toBe(before);
  });

  it('stop working when an administrator deletes the client, and its grants go too', async () => {
    const { tenant, a } = await twoClients();
    await tenant.store.insert('grants', 'grant-1', {
      id: 'grant-1',
      client_id: a.client_id,
      audience: 'https://api.example.org',
      scope: [],
    });
    await tenant.clients.delete(a.client_id);
    expect(await tenant.store.get('registrations', a.client_id)).toBeUndefined();
    expect(await tenant.store.get('grants', 'grant-1')).toBeUndefined();
    const error = await failure(tenant.registration.read(a.client_id, a.registration_access_token));
    expect([error.error, error.status]).toEqual(['invalid_token', 401]);
  });

  it('delete removes grants of the client in the same commit', async () => {
    const { tenant, a } = await twoClients();
    await tenant.store.insert('grants', 'grant-a', {
      id: 'grant-a',
      client_id: a.client_id,
      audience: 'https://api.example.com/',
      scope: [],
    });
    await tenant.registration.delete(a.client_id, a.registration_access_token);
    expect(await tenant.store.get('grants', 'grant-a')).toBeUndefined();
  });

  it('work across tenant instances sharing a FileStore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clientele-registration-'));
    try {
      const path = join(dir, 'tenant.json');
      const first = await setup({ store: new FileStore(path) });
      const registered = await first.tenant.registration.register({ redirect_uris: WEB });
      await first.tenant.close();
      expect(readFileSync(path, 'utf8')).not.toContain(registered.registration_access_token);
      const second = await setup({ store: new FileStore(path) });
      expect(
        await second.tenant.registration.read(
          registered.client_id,
          registered.registration_access_token,
        ),
      ).toEqual(registered);
      await second.tenant.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tenant.registration.update (RFC 7592 §2.2)', () => {
  async function registered(body: Record<string, unknown> = {}) {
    const context = await setup();
    const response = await context.tenant.registration.register({
      client_name: 'Photo Printer',
      redirect_uris: WEB,
      post_logout_redirect_uris: ['https://printer.example.org/bye'],
      logo_uri: 'https://printer.example.org/logo.png',
      client_uri: 'https://printer.example.org',
      contacts: ['ops@example.org'],
      scope: 'openid',
      ...body,
    });
    return { ...context, response };
  }

  it('replaces all metadata: omitted fields are removed or reset to their defaults', async () => {
    const { tenant, response } = await registered({
      token_endpoint_auth_method: 'client_secret_post',
    });
    const updated = await tenant.registration.update(
      response.client_id,
      response.registration_access_token,
      { client_id: response.client_id, redirect_uris: ['https://printer.example.org/v2'] },
    );
    expect(updated).toEqual({
      client_id: response.client_id,
      client_secret: response.client_secret,
      client_id_issued_at: response.client_id_issued_at,
      client_secret_expires_at: 0,
      registration_access_token: response.registration_access_token,
      registration_client_uri: response.registration_client_uri,
      redirect_uris: ['https://printer.example.org/v2'],
      client_name: 'Dynamic client',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'web',
    });
    const client = await tenant.clients.get(response.client_id);
    expect(client.callbacks).toEqual(['https://printer.example.org/v2']);
    expect(client.allowed_logout_urls).toBeUndefined();
    expect(client.logo_uri).toBeUndefined();
    expect(client.name).toBe('Dynamic client');
    expect(
      await tenant.registration.read(response.client_id, response.registration_access_token),
    ).toEqual(updated);
  });

  it('keeps the token and the secret, and accepts the current secret in the body', async () => {
    const { tenant, response } = await registered();
    const updated = await tenant.registration.update(
      response.client_id,
      response.registration_access_token,
      {
        client_id: response.client_id,
        client_secret: response.client_secret,
        client_name: 'Printer 2',
        redirect_uris: WEB,
      },
    );
    expect(updated.client_secret).toBe(response.client_secret);
    expect(updated.registration_access_token).toBe(response.registration_access_token);
    expect(updated.client_name).toBe('Printer 2');
    expect((await tenant.clients.get(response.client_id)).client_secret).toBe(
      response.client_secret,
    );
  });

  it('creates a secret when the client becomes confidential and drops it when it becomes public', async () => {
    const { tenant, response } = await registered();
    const { client_id: id, registration_access_token: token } = response;
    const toPublic = await tenant.registration.update(id, token, {
      client_id: id,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['com.example.printer:/cb'],
    });
    expect(toPublic).not.toHaveProperty('client_secret');
    const client = await tenant.clients.get(id);
    expect(client.app_type).toBe('native');
    expect(client.client_secret).toBeUndefined();
    const toConfidential = await tenant.registration.update(id, token, {
      client_id: id,
      redirect_uris: WEB,
    });
    expect(toConfidential.client_secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(toConfidential.client_secret).not.toBe(response.client_secret);
    expect((await tenant.clients.get(id)).app_type).toBe('regular_web');
  });

  it('keeps settings an administrator made that registration does not own', async () => {
    const { tenant, response } = await registered();
    await tenant.clients.update(response.client_id, {
      jwt_configuration: { lifetime_in_seconds: 600 },
      description: 'reviewed by security',
    });
    await tenant.registration.update(response.client_id, response.registration_access_token, {
      client_id: response.client_id,
      redirect_uris: WEB,
    });
    const client = await tenant.clients.get(response.client_id);
    expect(client.jwt_configuration.lifetime_in_seconds).toBe(600);
    expect(client.description).toBe('reviewed by security');
    expect(client.is_first_party).toBe(false);
  });

  const refusals: [string, (r: RegistrationResponse) => unknown, string, RegExp][] = [
    [
      'no client_id',
      () => ({ redirect_uris: WEB }),
      'invalid_client_metadata',
      /^client_id is required/,
    ],
    [
      'another client_id',
      () => ({ client_id: 'someone-else', redirect_uris: WEB }),
      'invalid_client_metadata',
      /^client_id must be the id of the client being updated/,
    ],
    [
      'a different client_secret',
      (r) => ({ client_id: r.client_id, client_secret: 'chosen-by-client', redirect_uris: WEB }),
      'invalid_client_metadata',
      /^client_secret does not match the current secret/,
    ],
    [
      'the registration access token',
      (r) => ({ ...r }),
      'invalid_client_metadata',
      /^registration_access_token must not be sent/,
    ],
    [
      'client_id_issued_at',
      (r) => ({
        client_id: r.client_id,
        redirect_uris: WEB,
        client_id_issued_at: r.client_id_issued_at,
      }),
      'invalid_client_metadata',
      /^client_id_issued_at must not be sent/,
    ],
    [
      'a wildcard',
      (r) => ({ client_id: r.client_id, redirect_uris: ['https://*.example.org/cb'] }),
      'invalid_redirect_uri',
      /wildcard/,
    ],
    [
      'invalid metadata',
      (r) => ({ client_id: r.client_id, redirect_uris: WEB, grant_types: ['password'] }),
      'invalid_client_metadata',
      /^grant_types\/0: "password"/,
    ],
    ['a non-object', () => [1, 2, 3], 'invalid_client_metadata', /must be a JSON object/],
  ];

  it.each(refusals)('refuses %s and changes nothing', async (_, body, error, message) => {
    const { tenant, response, sink } = await registered();
    const before = await snapshotOf(tenant.store);
    const thrown = await failure(
      tenant.registration.update(
        response.client_id,
        response.registration_access_token,
        body(response),
      ),
    );
    expect([thrown.error, thrown.status]).toEqual([error, 400]);
    expect(thrown.error_description).toMatch(message);
    expect(thrown.error_description).not.toContain(response.client_secret);
    expect(thrown.error_description).not.toContain(response.registration_access_token);
    expect(await snapshotOf(tenant.store)).toEqual(before);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      client_id: response.client_id,
      details: { operation: 'dcr_update', error, status: 400 },
    });
  });

  it('changes nothing when the commit fails', async () => {
    const base = new MemoryStore();
    let failing = false;
    const store = wrapStore(base, {
      commit: (ops) => (failing ? Promise.reject(new Error('disk full')) : base.commit(ops)),
    });
    const { tenant } = await setup({ store });
    const response = await tenant.registration.register({ redirect_uris: WEB });
    const before = await snapshotOf(base);
    failing = true;
    await expect(
      tenant.registration.update(response.client_id, response.registration_access_token, {
        client_id: response.client_id,
        redirect_uris: ['https://printer.example.org/v2'],
      }),
    ).rejects.toThrow('disk full');
    expect(await snapshotOf(base)).toEqual(before);
  });

  it('writes the client and the registration in one commit and retries after a conflict', async () => {
    const base = new MemoryStore();
    let conflicts = 1;
    const commits: unknown[][] = [];
    const store = wrapStore(base, {
      commit: (ops) => {
        commits.push([...ops]);
        if (ops.some((op) => op.op === 'replace') && conflicts-- > 0) {
          return Promise.reject(new ConflictError('stale version'));
        }
        return base.commit(ops);
      },
    });
    const { tenant } = await setup({ store });
    const response = await tenant.registration.register({ redirect_uris: WEB });
    const updated = await tenant.registration.update(
      response.client_id,
      response.registration_access_token,
      { client_id: response.client_id, redirect_uris: ['https://printer.example.org/v2'] },
    );
    expect(updated.redirect_uris).toEqual(['https://printer.example.org/v2']);
    expect(commits).toHaveLength(3);
    expect(commits[2]).toEqual([
      expect.objectContaining({ op: 'replace', collection: 'clients' }),
      expect.objectContaining({ op: 'replace', collection: 'registrations' }),
    ]);
  });

  it('after concurrent updates, the client and its registration agree', async () => {
    const { tenant, response } = await registered();
    const names = Array.from({ length: 8 }, (_, i) => `Printer ${i}`);
    const results = await Promise.allSettled(
      names.map((name) =>
        tenant.registration.update(response.client_id, response.registration_access_token, {
          client_id: response.client_id,
          client_name: name,
          redirect_uris: WEB,
        }),
      ),
    );
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    const client = await tenant.clients.get(response.client_id);
    const record = await tenant.store.get<{ metadata: { client_name: string } }>(
      'registrations',
      response.client_id,
    );
    expect(record?.value.metadata.client_name).toBe(client.name);
  });
});

describe('registration audit and secrets', () => {
  it('records every operation, success and failure, without any secret or token', async () => {
    const { tenant, sink } = await setup({
      dynamicRegistration: { enabled: true, initialAccessToken: IAT },
    });
    const secrets: string[] = [IAT];
    const errors: unknown[] = [];
    const catchAll = (promise: Promise<unknown>) => promise.catch((e: unknown) => errors.push(e));

    const a = await tenant.registration.register(
      { redirect_uris: WEB },
      { initialAccessToken: IAT },
    );
    const b = await tenant.registration.register(
      { redirect_uris: WEB, token_endpoint_auth_method: 'none' },
      { initialAccessToken: IAT },
    );
    secrets.push(a.client_secret!, a.registration_access_token, b.registration_access_token);
    await tenant.registration.read(a.client_id, a.registration_access_token);
    const updated = await tenant.registration.update(b.client_id, b.registration_access_token, {
      client_id: b.client_id,
      redirect_uris: WEB,
    });
    secrets.push(updated.client_secret!);
    await catchAll(
      tenant.registration.register(
        { redirect_uris: WEB },
        { initialAccessToken: 'guess-guess-guess' },
      ),
    );
    await catchAll(
      tenant.registration.register({ redirect_uris: ['x'] }, { initialAccessToken: IAT }),
    );
    await catchAll(tenant.registration.read(a.client_id, b.registration_access_token));
    await catchAll(
      tenant.registration.update(a.client_id, a.registration_access_token, {
        client_id: a.client_id,
        client_secret: updated.client_secret,
        redirect_uris: WEB,
      }),
    );
    await catchAll(
      tenant.registration.update(a.client_id, a.registration_access_token, {
        ...a,
        client_name: 'echoing everything back',
      }),
    );
    await tenant.registration.delete(a.client_id, a.registration_access_token);
    await catchAll(tenant.registration.delete(a.client_id, a.registration_access_token));
    await tenant.audit.flush();

    const operations = sink.events
      .filter(
        (e) => typeof e.details.operation === 'string' && e.details.operation.startsWith('dcr_'),
      )
      .map((e) => [e.type, e.details.operation]);
    expect(operations).toEqual([
      ['sapi', 'dcr_register'],
      ['sapi', 'dcr_register'],
      ['sapi', 'dcr_read'],
      ['sapi', 'dcr_update'],
      ['fapi', 'dcr_register'],
      ['fapi', 'dcr_register'],
      ['fapi', 'dcr_read'],
      ['fapi', 'dcr_update'],
      ['fapi', 'dcr_update'],
      ['sapi', 'dcr_delete'],
      ['fapi', 'dcr_delete'],
    ]);
    expect(sink.events.find((e) => e.details.operation === 'dcr_register')).toMatchObject({
      client_id: a.client_id,
      client_name: 'Dynamic client',
      description: 'Dynamic client registration',
    });
    expect(sink.events.filter((e) => e.details.operation === 'dcr_read').at(-1)?.details).toEqual({
      operation: 'dcr_read',
      error: 'invalid_token',
      status: 401,
      reason: 'token_mismatch',
      revoked_token_of: b.client_id,
    });

    const clients = await tenant.clients.list();
    const printed = [
      JSON.stringify(sink.events),
      inspect(sink.events, { depth: 20 }),
      ...errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${inspect(e, { depth: 10 })}`),
      JSON.stringify(clients),
      inspect(clients, { depth: 10 }),
    ].join('\n');
    expect(errors).toHaveLength(6);
    for (const secret of secrets) expect(printed).not.toContain(secret);
  });
});

describe('README: Dynamic Client Registration section', () => {
  it('runs the example as written', async () => {
    const bearerTokenOfTheRequest = IAT;
    const tenant = await Tenant.create({
      domain: 'id.example.com',
      dynamicRegistration: { enabled: true, initialAccessToken: IAT },
    });
    const registered = await tenant.registration.register(
      {
        client_name: 'Photo Printer',
        redirect_uris: ['https://printer.example.org/callback'],
        post_logout_redirect_uris: ['https://printer.example.org/'],
        contacts: ['ops@printer.example.org'],
      },
      { initialAccessToken: bearerTokenOfTheRequest },
    );
    expect(registered).toMatchObject({
      client_secret_expires_at: 0,
      registration_client_uri: `https://id.example.com/oidc/register/${registered.client_id}`,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'web',
    });
    const { client_id: id, registration_access_token: token } = registered;
    await tenant.registration.read(id, token);
    await tenant.registration.update(id, token, {
      client_id: id,
      client_name: 'Photo Printer 2',
      redirect_uris: ['https://printer.example.org/callback'],
    });
    await tenant.registration.delete(id, token);
    const native = await tenant.registration.register(
      {
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['com.example.printer:/callback', 'http://127.0.0.1/callback'],
      },
      { initialAccessToken: bearerTokenOfTheRequest },
    );
    expect((await tenant.clients.get(native.client_id)).app_type).toBe('native');
    const error = await failure(
      tenant.registration.register(
        { redirect_uris: ['https://*.example.org/cb'] },
        { initialAccessToken: IAT },
      ),
    );
    expect(error.status).toBe(400);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      error: 'invalid_redirect_uri',
      error_description:
        "redirect_uris/0: 'https://*.example.org/cb' - must not contain a wildcard ('*'): dynamically registered clients get exact URIs only",
    });
    const readme = readFileSync(new URL('../../docs/registration.md', import.meta.url), 'utf8');
    expect(readme).toContain('## Dynamic Client Registration');
    expect(readme).not.toContain('<!-- section:registration -->');
  });
});

describe('registration records damaged in the store', () => {
  it('make the token fail like an unknown registration instead of crashing', async () => {
    const { tenant, store } = await setup();
    const registered = await tenant.registration.register({ redirect_uris: WEB });
    const stored = await store.get('registrations', registered.client_id);
    for (const value of [null, 'junk', { token_hash: 42 }, { client_id: registered.client_id }]) {
      const current = await store.get('registrations', registered.client_id);
      await store.replace('registrations', registered.client_id, value, current!.version);
      const error = await failure(
        tenant.registration.read(registered.client_id, registered.registration_access_token),
      );
      expect([error.error, error.status]).toEqual(['invalid_token', 401]);
    }
    const current = await store.get('registrations', registered.client_id);
    await store.replace('registrations', registered.client_id, stored!.value, current!.version);
    expect(
      await tenant.registration.read(registered.client_id, registered.registration_access_token),
    ).toEqual(registered);
  });
});
