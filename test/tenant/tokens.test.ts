import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidClientError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTokenError,
  MemoryStore,
  NotFoundError,
  Tenant,
  UnauthorizedClientError,
  memorySink,
} from '../../src/index.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

async function setup(options: { now?: () => number } = {}) {
  const sink = memorySink();
  const store = new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'acme.example.com',
    store,
    auditSinks: [sink],
    now: options.now ?? (() => NOW),
  });
  return { tenant, sink, store };
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('tenant.issueIdToken / verifyIdToken', () => {
  it('issues RS256 tokens that jose verifies against the JWKS unchanged', async () => {
    const { tenant } = await setup({ now: Date.now });
    const client = await tenant.clients.create({
      name: 'Web',
      app_type: 'regular_web',
      jwt_configuration: { lifetime_in_seconds: 600 },
    });
    const token = await tenant.issueIdToken(client.client_id, {
      sub: 'auth0|42',
      nonce: 'n-1',
      email: 'a@example.com',
    });
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet(await tenant.jwks()),
      {
        issuer: 'https://acme.example.com/',
        audience: client.client_id,
      },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toBe((await tenant.jwks()).keys[0]?.kid);
    expect(payload).toMatchObject({ sub: 'auth0|42', nonce: 'n-1', email: 'a@example.com' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(await tenant.verifyIdToken(token, client.client_id)).toMatchObject({ sub: 'auth0|42' });
  });

  it('signs HS256 with the client secret and stops accepting it after rotation', async () => {
    const { tenant } = await setup({ now: Date.now });
    const client = await tenant.clients.create({
      name: 'Web',
      app_type: 'regular_web',
      jwt_configuration: { alg: 'HS256' },
    });
    const token = await tenant.issueIdToken(client.client_id, { sub: 'u1' });
    await jwtVerify(token, new TextEncoder().encode(client.client_secret), {
      audience: client.client_id,
    });
    expect((await tenant.verifyIdToken(token, client.client_id)).sub).toBe('u1');
    await tenant.clients.rotateSecret(client.client_id);
    await expect(tenant.verifyIdToken(token, client.client_id)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('refuses reserved claims, unknown clients and expired or foreign tokens', async () => {
    let now = NOW;
    const { tenant } = await setup({ now: () => now });
    const a = await tenant.clients.create({ name: 'A', app_type: 'spa' });
    const b = await tenant.clients.create({ name: 'B', app_type: 'spa' });
    await expect(
      tenant.issueIdToken(a.client_id, { sub: 'u', aud: 'x' } as never),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(tenant.issueIdToken('missing', { sub: 'u' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const token = await tenant.issueIdToken(a.client_id, { sub: 'u' });
    await expect(tenant.verifyIdToken(token, b.client_id)).rejects.toThrow(/aud/);
    now += 36_001_000;
    await expect(tenant.verifyIdToken(token, a.client_id)).rejects.toThrow(/exp/);
  });

  it('keeps verifying tokens of a rotated-out key until it is retired', async () => {
    const { tenant } = await setup({ now: Date.now });
    const client = await tenant.clients.create({ name: 'A', app_type: 'spa' });
    const before = await tenant.issueIdToken(client.client_id, { sub: 'u' });
    const oldKid = decodeProtectedHeader(before).kid!;
    const jwks = await tenant.rotateSigningKeys({ algorithm: 'ES256' });
    expect(jwks.keys.map((k) => k.kid)).toContain(oldKid);
    const after = await tenant.issueIdToken(client.client_id, { sub: 'u' });
    expect(decodeProtectedHeader(after).kid).toBe(oldKid); // the client signs RS256: its key is still the RS256 one
    expect((await tenant.verifyIdToken(before, client.client_id)).sub).toBe('u');
    await expect(tenant.retireSigningKey(jwks.keys[0]!.kid!)).rejects.toThrow(/active/);
  });

  it('shares keys with another tenant on the same store', async () => {
    const { tenant, store } = await setup({ now: Date.now });
    const client = await tenant.clients.create({ name: 'A', app_type: 'spa' });
    const token = await tenant.issueIdToken(client.client_id, { sub: 'u' });
    const other = await Tenant.create({ domain: 'acme.example.com', store });
    expect(await other.jwks()).toEqual(await tenant.jwks());
    expect((await other.verifyIdToken(token, client.client_id)).sub).toBe('u');
  });

  it('never publishes private key members', async () => {
    const { tenant } = await setup();
    const jwks = await tenant.jwks();
    for (const key of jwks.keys) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
        expect(key).not.toHaveProperty(member);
    }
  });
});

describe('tenant.issueAccessToken', () => {
  async function withApi() {
    const context = await setup({ now: Date.now });
    const { tenant, store } = context;
    const worker = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
    await store.insert('apis', 'api_1', {
      id: 'api_1',
      identifier: 'https://api.example.com',
      name: 'API',
      scopes: [{ value: 'read' }, { value: 'write' }],
      token_lifetime: 3600,
      signing_alg: 'RS256',
    });
    await store.insert('grants', 'cgr_1', {
      id: 'cgr_1',
      client_id: worker.client_id,
      audience: 'https://api.example.com',
      scope: ['read', 'write'],
    });
    return { ...context, worker };
  }

  it('issues a client-credentials token with Auth0 claims that jose verifies', async () => {
    const { tenant, worker, sink } = await withApi();
    const response = await tenant.issueAccessToken(worker.client_id, {
      audience: 'https://api.example.com',
      scope: 'read',
    });
    expect(response).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
    const { payload } = await jwtVerify(
      response.access_token,
      createLocalJWKSet(await tenant.jwks()),
      {
        issuer: 'https://acme.example.com/',
        audience: 'https://api.example.com',
      },
    );
    expect(payload).toMatchObject({
      sub: `${worker.client_id}@clients`,
      azp: worker.client_id,
      gty: 'client-credentials',
      scope: 'read',
    });
    const all = await tenant.issueAccessToken(worker.client_id, {
      audience: 'https://api.example.com',
    });
    expect(all.scope).toBe('read write');
    await tenant.audit.flush();
    expect(sink.events.filter((e) => e.type === 'seccft')).toHaveLength(2);
  });

  it('refuses ungranted scopes, audiences without a grant and clients without the grant type', async () => {
    const { tenant, worker, sink } = await withApi();
    await expect(
      tenant.issueAccessToken(worker.client_id, {
        audience: 'https://api.example.com',
        scope: 'admin',
      }),
    ).rejects.toBeInstanceOf(InvalidScopeError);
    await expect(
      tenant.issueAccessToken(worker.client_id, { audience: 'https://other.example.com' }),
    ).rejects.toBeInstanceOf(UnauthorizedClientError);
    const spa = await tenant.clients.create({ name: 'Spa', app_type: 'spa' });
    await expect(
      tenant.issueAccessToken(spa.client_id, { audience: 'https://api.example.com' }),
    ).rejects.toBeInstanceOf(UnauthorizedClientError);
    await expect(
      tenant.issueAccessToken(worker.client_id, { audience: '' }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await tenant.audit.flush();
    expect(sink.events.filter((e) => e.type === 'feccft').map((e) => e.details.error)).toEqual([
      'invalid_scope',
      'unauthorized_client',
      'unauthorized_client',
      'invalid_argument',
    ]);
  });
});

describe('tenant.authenticateClient', () => {
  it('authenticates each method and audits by grant type', async () => {
    const { tenant, sink } = await setup();
    const post = await tenant.clients.create({ name: 'Post', app_type: 'regular_web' });
    const basicClient = await tenant.clients.create({
      name: 'Basic',
      app_type: 'regular_web',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const spa = await tenant.clients.create({ name: 'Spa', app_type: 'spa' });
    const grant_type = 'client_credentials';
    expect(
      (
        await tenant.authenticateClient({
          body: { grant_type, client_id: post.client_id, client_secret: post.client_secret },
        })
      ).client_id,
    ).toBe(post.client_id);
    expect(
      (
        await tenant.authenticateClient({
          authorization: basic(basicClient.client_id, basicClient.client_secret!),
          body: { grant_type },
        })
      ).client_id,
    ).toBe(basicClient.client_id);
    expect(
      (
        await tenant.authenticateClient({
          body: { grant_type: 'authorization_code', client_id: spa.client_id },
        })
      ).client_id,
    ).toBe(spa.client_id);
    await tenant.audit.flush();
    const exchanges = sink.events.filter((e) => e.type !== 'sapi');
    expect(exchanges.map((e) => [e.type, e.client_name])).toEqual([
      ['seccft', 'Post'],
      ['seccft', 'Basic'],
      ['seacft', 'Spa'],
    ]);
  });

  it('fails every wrong credential with one message and audits the reason', async () => {
    const { tenant, sink } = await setup();
    const post = await tenant.clients.create({ name: 'Post', app_type: 'regular_web' });
    const attempts = [
      {
        body: {
          grant_type: 'client_credentials',
          client_id: post.client_id,
          client_secret: 'wrong',
        },
      },
      {
        body: {
          grant_type: 'client_credentials',
          client_id: 'unknown',
          client_secret: post.client_secret,
        },
      },
      {
        authorization: basic(post.client_id, post.client_secret!),
        body: { grant_type: 'client_credentials' },
      },
      { body: { grant_type: 'client_credentials', client_id: post.client_id } },
      {
        body: { grant_type: 'client_credentials', client_id: 'x'.repeat(5000), client_secret: 's' },
      },
    ];
    const messages = new Set<string>();
    for (const attempt of attempts) {
      const error = await tenant.authenticateClient(attempt).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidClientError);
      messages.add((error as Error).message);
    }
    expect(messages.size).toBe(1);
    await tenant.audit.flush();
    const failures = sink.events.filter((e) => e.type === 'feccft');
    expect(failures.map((e) => e.details.reason)).toEqual([
      'wrong_secret',
      'unknown_client',
      'method_mismatch',
      'method_mismatch',
      'unknown_client',
    ]);
    expect(JSON.stringify(sink.events)).not.toContain(post.client_secret);
  });

  it('refuses two mechanisms at once as invalid_request', async () => {
    const { tenant } = await setup();
    const post = await tenant.clients.create({ name: 'Post', app_type: 'regular_web' });
    await expect(
      tenant.authenticateClient({
        authorization: basic(post.client_id, post.client_secret!),
        body: { client_secret: post.client_secret },
      }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('stops accepting a rotated secret at once', async () => {
    const { tenant } = await setup();
    const post = await tenant.clients.create({ name: 'Post', app_type: 'regular_web' });
    await tenant.clients.rotateSecret(post.client_id);
    await expect(
      tenant.authenticateClient({
        body: { client_id: post.client_id, client_secret: post.client_secret },
      }),
    ).rejects.toBeInstanceOf(InvalidClientError);
  });
});

describe('tenant.issueAccessToken for an HS256 API', () => {
  it("signs with the API's signing_secret, which is all the API needs to verify", async () => {
    const { tenant } = await setup({ now: Date.now });
    const secret = 'api-signing-secret-0123456789-abcdef';
    await tenant.apis.create({
      identifier: 'https://hs.example.com',
      name: 'HS API',
      scopes: [{ value: 'read' }],
      signing_alg: 'HS256',
      signing_secret: secret,
    });
    const worker = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: 'https://hs.example.com',
      scope: ['read'],
    });
    const { access_token } = await tenant.issueAccessToken(worker.client_id, {
      audience: 'https://hs.example.com',
    });
    const { payload, protectedHeader } = await jwtVerify(
      access_token,
      new TextEncoder().encode(secret),
      {
        issuer: 'https://acme.example.com/',
        audience: 'https://hs.example.com',
        algorithms: ['HS256'],
      },
    );
    expect(protectedHeader.alg).toBe('HS256');
    expect(protectedHeader.kid).toBeUndefined();
    expect(payload).toMatchObject({ sub: `${worker.client_id}@clients`, scope: 'read' });
    await expect(jwtVerify(access_token, createLocalJWKSet(await tenant.jwks()))).rejects.toThrow();
  });

  it('refuses to switch an API to HS256 without a secret, and changes nothing', async () => {
    const { tenant } = await setup();
    const api = await tenant.apis.create({ identifier: 'https://rs.example.com', name: 'RS API' });
    const error = await tenant.apis
      .update(api.identifier, { signing_alg: 'HS256' })
      .catch((e: unknown) => e);
    expect(
      (error as InvalidArgumentError & { issues: { path: string }[] }).issues.map((i) => i.path),
    ).toEqual(['/signing_secret']);
    expect((await tenant.apis.get(api.identifier)).signing_alg).toBe('RS256');
    const updated = await tenant.apis.update(api.identifier, {
      signing_alg: 'HS256',
      signing_secret: 'x'.repeat(40),
    });
    expect(updated.signing_alg).toBe('HS256');
    expect(JSON.stringify(updated)).not.toContain('x'.repeat(40));
  });
});
