/**
 * OpenID Connect registration metadata the tenant honours (id_token_signed_response_alg,
 * token_endpoint_auth_signing_alg, initiate_login_uri, default_max_age, require_auth_time)
 * and the metadata it refuses instead of silently dropping.
 */
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  RegistrationError,
  Tenant,
  generateSigningKey,
  type RegistrationResponse,
} from '../../src/index.js';
import { REFUSED_METADATA } from '../../src/registration/metadata.js';

const WEB = { redirect_uris: ['https://printer.example.org/callback'] };

async function tenantWith(options: Partial<Parameters<typeof Tenant.create>[0]> = {}) {
  return Tenant.create({
    domain: 'id.example.com',
    store: new MemoryStore(),
    dynamicRegistration: { enabled: true },
    ...options,
  });
}

async function refused(promise: Promise<unknown>, field: string): Promise<RegistrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistrationError);
  const failed = error as RegistrationError;
  expect([failed.error, failed.status]).toEqual(['invalid_client_metadata', 400]);
  expect(failed.error_description.startsWith(field)).toBe(true);
  return failed;
}

describe('id_token_signed_response_alg', () => {
  it.each(['RS256', 'PS256', 'RS512', 'HS256'] as const)(
    'maps %s to jwt_configuration.alg and echoes it',
    async (alg) => {
      const tenant = await tenantWith();
      const registered = await tenant.registration.register({
        ...WEB,
        id_token_signed_response_alg: alg,
      });
      expect(registered.id_token_signed_response_alg).toBe(alg);
      const client = await tenant.clients.get(registered.client_id);
      expect(client.jwt_configuration?.alg).toBe(alg);
      const token = await tenant.issueIdToken(client.client_id, { sub: 'user-1' });
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe(alg);
    },
  );

  it.each(['none', 'ES256', 'RS384', 'rs256', 7])('refuses %j', async (alg) => {
    const tenant = await tenantWith();
    await refused(
      tenant.registration.register({ ...WEB, id_token_signed_response_alg: alg }),
      'id_token_signed_response_alg',
    );
  });

  it('refuses HS256 for a public client, which has no secret to key it', async () => {
    const tenant = await tenantWith();
    await refused(
      tenant.registration.register({
        ...WEB,
        token_endpoint_auth_method: 'none',
        id_token_signed_response_alg: 'HS256',
      }),
      'id_token_signed_response_alg',
    );
  });

  it('accepts only what fixed signing keys can sign, and says so in supported()', async () => {
    const tenant = await tenantWith({ signingKeys: [await generateSigningKey('RS256')] });
    expect(tenant.registration.supported().id_token_signing_alg_values_supported).toEqual([
      'RS256',
      'HS256',
    ]);
    await refused(
      tenant.registration.register({ ...WEB, id_token_signed_response_alg: 'PS256' }),
      'id_token_signed_response_alg',
    );
    const stored = await tenantWith();
    expect(stored.registration.supported().id_token_signing_alg_values_supported).toEqual([
      'RS256',
      'PS256',
      'RS512',
      'HS256',
    ]);
  });

  it('keeps an administrator lifetime on update and resets the algorithm when left out', async () => {
    const tenant = await tenantWith();
    const registered = await tenant.registration.register({
      ...WEB,
      id_token_signed_response_alg: 'PS256',
    });
    const id = registered.client_id;
    await tenant.clients.update(id, {
      jwt_configuration: { alg: 'PS256', lifetime_in_seconds: 600 },
    });
    const token = registered.registration_access_token;
    await tenant.registration.update(id, token, { client_id: id, ...WEB });
    expect((await tenant.clients.get(id)).jwt_configuration).toMatchObject({
      lifetime_in_seconds: 600,
      alg: 'RS256',
    });
    const again = await tenant.registration.update(id, token, {
      client_id: id,
      ...WEB,
      id_token_signed_response_alg: 'RS512',
    });
    expect(again.id_token_signed_response_alg).toBe('RS512');
    expect((await tenant.clients.get(id)).jwt_configuration).toMatchObject({
      lifetime_in_seconds: 600,
      alg: 'RS512',
    });
  });
});

describe('token_endpoint_auth_signing_alg', () => {
  it.each(['client_secret_basic', 'client_secret_post', 'none'])(
    'is refused with %s, which sends no assertion',
    async (method) => {
      const tenant = await tenantWith();
      await refused(
        tenant.registration.register({
          ...WEB,
          token_endpoint_auth_method: method,
          token_endpoint_auth_signing_alg: 'RS256',
        }),
        'token_endpoint_auth_signing_alg',
      );
    },
  );

  it('is refused as none whatever the method', async () => {
    const tenant = await tenantWith();
    await refused(
      tenant.registration.register({ ...WEB, token_endpoint_auth_signing_alg: 'none' }),
      'token_endpoint_auth_signing_alg',
    );
  });
});

describe('initiate_login_uri, default_max_age, require_auth_time', () => {
  it('are stored where the client settings hold them and echoed', async () => {
    const tenant = await tenantWith();
    const registered: RegistrationResponse = await tenant.registration.register({
      ...WEB,
      initiate_login_uri: 'https://printer.example.org/login',
      default_max_age: 3600,
      require_auth_time: true,
    });
    expect(registered).toMatchObject({
      initiate_login_uri: 'https://printer.example.org/login',
      default_max_age: 3600,
      require_auth_time: true,
    });
    const client = await tenant.clients.get(registered.client_id);
    expect(client.initiate_login_uri).toBe('https://printer.example.org/login');
    expect(client.client_metadata).toEqual({ default_max_age: '3600', require_auth_time: 'true' });
    const read = await tenant.registration.read(
      registered.client_id,
      registered.registration_access_token,
    );
    expect(read).toMatchObject({ default_max_age: 3600, require_auth_time: true });
  });

  it('leave the administrator client_metadata keys alone on update, and go when left out', async () => {
    const tenant = await tenantWith();
    const registered = await tenant.registration.register({
      ...WEB,
      default_max_age: 60,
      require_auth_time: true,
    });
    const id = registered.client_id;
    await tenant.clients.update(id, {
      client_metadata: { default_max_age: '60', require_auth_time: 'true', team: 'printing' },
    });
    const updated = await tenant.registration.update(id, registered.registration_access_token, {
      client_id: id,
      ...WEB,
    });
    expect(updated.default_max_age).toBeUndefined();
    expect(updated.require_auth_time).toBeUndefined();
    expect((await tenant.clients.get(id)).client_metadata).toEqual({ team: 'printing' });
  });

  it.each([
    ['initiate_login_uri', 'http://printer.example.org/login'],
    ['initiate_login_uri', 'printer.example.org/login'],
    ['default_max_age', -1],
    ['default_max_age', 1.5],
    ['default_max_age', '3600'],
    ['default_max_age', 31_536_001],
    ['require_auth_time', 'true'],
    ['require_auth_time', 1],
  ])('refuses %s %j', async (field, value) => {
    const tenant = await tenantWith();
    await refused(tenant.registration.register({ ...WEB, [field]: value }), field);
  });
});

describe('metadata the tenant cannot honour', () => {
  it.each(Object.keys(REFUSED_METADATA))('refuses %s, naming it', async (field) => {
    const tenant = await tenantWith();
    const value = field === 'request_uris' ? ['https://printer.example.org/r'] : 'RSA-OAEP';
    const error = await refused(tenant.registration.register({ ...WEB, [field]: value }), field);
    expect(error.error_description).toContain('cannot be honoured');
  });

  it('refuses subject_type pairwise and accepts (and echoes) public', async () => {
    const tenant = await tenantWith();
    await refused(
      tenant.registration.register({ ...WEB, subject_type: 'pairwise' }),
      'subject_type',
    );
    const registered = await tenant.registration.register({ ...WEB, subject_type: 'public' });
    expect(registered.subject_type).toBe('public');
  });

  it('treats null as absent, as for every field', async () => {
    const tenant = await tenantWith();
    const registered = await tenant.registration.register({
      ...WEB,
      sector_identifier_uri: null,
      id_token_encrypted_response_alg: null,
    });
    expect(registered.client_id).toBeDefined();
  });
});
