import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MemoryStore,
  Tenant,
  ValidationError,
  memorySink,
  type ClientInput,
} from '../../src/index.js';
import { failure, pathsAndCodes, snapshotOf } from './helpers.js';

async function setup(options: { lintErrors?: 'refuse' | 'accept' } = {}) {
  const store = new MemoryStore();
  const sink = memorySink();
  const tenant = await Tenant.create({
    domain: 'acme.example.com',
    store,
    auditSinks: [sink],
    ...options,
  });
  return { tenant, store, sink };
}

const brokenSpa: ClientInput = {
  name: 'Shop',
  app_type: 'spa',
  token_endpoint_auth_method: 'client_secret_post',
  grant_types: ['authorization_code', 'client_credentials'],
};

describe('Tenant lintErrors', () => {
  it('refuses a client with lint errors by default, with the findings as issues, writing nothing', async () => {
    const { tenant, store, sink } = await setup();
    const before = await snapshotOf(store);
    const error = await failure(tenant.clients.create(brokenSpa));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_client_metadata');
    expect((error as ValidationError).kind).toBe('client');
    expect(pathsAndCodes(error)).toEqual([
      ['/token_endpoint_auth_method', 'auth-method-not-allowed'],
      ['/grant_types/1', 'grant-type-requires-secret'],
    ]);
    expect((error as ValidationError).issues[0]!.message).toMatch(
      /^token_endpoint_auth_method must be "none" for a spa client/,
    );
    expect(await snapshotOf(store)).toEqual(before);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      details: { error: 'invalid_client_metadata', kind: 'client' },
    });
  });

  it('refuses an update that breaks a client, leaving it as it was', async () => {
    const { tenant, store } = await setup();
    const client = await tenant.clients.create({ name: 'Shop', app_type: 'spa' });
    const before = await snapshotOf(store);
    const error = await failure(
      tenant.clients.update(client.client_id, { jwt_configuration: { alg: 'HS256' } }),
    );
    expect(pathsAndCodes(error)).toEqual([['/jwt_configuration/alg', 'hs256-requires-secret']]);
    expect(await snapshotOf(store)).toEqual(before);
  });

  it("stores lint errors with lintErrors: 'accept', to mirror a real tenant", async () => {
    const { tenant } = await setup({ lintErrors: 'accept' });
    const client = await tenant.clients.create(brokenSpa);
    expect(client.token_endpoint_auth_method).toBe('client_secret_post');
    expect(client.client_secret).toBeDefined();
    const updated = await tenant.clients.update(client.client_id, {
      jwt_configuration: { alg: 'HS256' },
    });
    expect(updated.jwt_configuration.alg).toBe('HS256');
  });

  it('still refuses what Auth0 refuses with lintErrors: accept', async () => {
    const { tenant } = await setup({ lintErrors: 'accept' });
    expect(
      pathsAndCodes(await failure(tenant.clients.create({ name: 'A', colour: 'x' } as never))),
    ).toEqual([['/colour', 'unknown_property']]);
  });

  it('checks the option', async () => {
    const error = await failure(
      Tenant.create({ domain: 'acme.example.com', lintErrors: 'warn' as never }),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).path).toBe('/lintErrors');
  });
});

describe("tenant.clients.update: Auth0's PATCH semantics", () => {
  it('removes optional fields and members set to null, and merges metadata and addons', async () => {
    const { tenant } = await setup();
    const client = await tenant.clients.create({
      name: 'Back Office',
      app_type: 'regular_web',
      organization_usage: 'allow',
      client_metadata: { team: 'ops', region: 'eu' },
      addons: { aws: { principal: 'p' }, samlp: {} },
      jwt_configuration: { alg: 'HS256', lifetime_in_seconds: 600 },
    });
    const updated = await tenant.clients.update(client.client_id, {
      organization_usage: null,
      client_metadata: { region: null, tier: 'gold' },
      addons: { samlp: null },
      jwt_configuration: { alg: null },
    } as never);
    expect(updated.organization_usage).toBeUndefined();
    expect(updated.client_metadata).toEqual({ team: 'ops', tier: 'gold' });
    expect(updated.addons).toEqual({ aws: { principal: 'p' } });
    expect(updated.jwt_configuration).toEqual({ alg: 'RS256', lifetime_in_seconds: 600 });
    const cleared = await tenant.clients.update(client.client_id, { addons: null });
    expect(cleared.addons).toBeUndefined();
  });

  it('switches to client_authentication_methods with token_endpoint_auth_method: null', async () => {
    const { tenant } = await setup();
    const client = await tenant.clients.create({ name: 'Signed', app_type: 'regular_web' });
    const { publicKey } = await generateKeyPair('ES256');
    const credential = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      jwk: (await exportJWK(publicKey)) as never,
      alg: 'ES256',
    });
    const methods = { private_key_jwt: { credentials: [{ id: credential.id }] } };
    const updated = await tenant.clients.update(client.client_id, {
      token_endpoint_auth_method: null,
      client_authentication_methods: methods,
    });
    expect(updated.token_endpoint_auth_method).toBeNull();
    expect(updated.client_authentication_methods).toEqual(methods);
  });

  it('reports null on name once', async () => {
    const { tenant } = await setup();
    const client = await tenant.clients.create({ name: 'A', app_type: 'spa' });
    expect(
      pathsAndCodes(
        await failure(tenant.clients.update(client.client_id, { name: null } as never)),
      ),
    ).toEqual([['/name', 'invalid_type']]);
  });

  it("creates and lists Auth0's other app types and untyped clients", async () => {
    const { tenant } = await setup();
    const sso = await tenant.clients.create({ name: 'Slack', app_type: 'slack' });
    const untyped = await tenant.clients.create({
      name: 'Default App',
      callbacks: ['https://app.example.com/cb'],
    });
    expect(sso.client_secret).toBeDefined();
    expect(untyped.app_type).toBeUndefined();
    expect(untyped.allowsCallback('https://app.example.com/cb')).toBe(true);
    expect((await tenant.clients.list({ appType: 'slack' })).clients.map((c) => c.name)).toEqual([
      'Slack',
    ]);
  });
});
