/**
 * Every Management API route enforces the scopes of its row in the scope table
 * (src/http/management/route-scopes.ts), which follows Auth0's Management API v2 reference.
 * The cases are generated from the table and from the router's own route list, so a route
 * without a row, a row without a route, or a route without a sample request here fails.
 * For each route: a token holding every scope but the route's fails with 403
 * `insufficient_scope` and nothing is written; each of its alternatives suffices; a body
 * field with a scope of its own (connection `options`, `client_secret`,
 * `client_authentication_methods`, ...) is refused without that scope and nothing is
 * written; and with every scope the sample request succeeds, so a 403 never hides a 400.
 * Before, `options.client_secret` of a connection changed for a token holding every scope
 * but `update:connections_options`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, generateSigningKey, type Client } from 'clientele';
import {
  MANAGEMENT_SCOPES,
  createManagementApi,
  ensureManagementApi,
  managementAudience,
  type Handler,
} from 'clientele/http';
import { StoredLog } from '../../src/audit/sinks/store.js';
import { ManagementAuth } from '../../src/http/management/auth.js';
import {
  ROUTE_SCOPES,
  RESPONSE_FIELD_SCOPES,
  type RouteKey,
} from '../../src/http/management/route-scopes.js';
import { managementRoutes } from '../../src/http/management/routes.js';

const ALL = Object.keys(MANAGEMENT_SCOPES);
const KEYS = [await generateSigningKey('RS256')];
const publicPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ format: 'pem', type: 'spki' })
    .toString();
const PUBLIC_KEY = publicPem();
const FIRST_KEY = publicPem();

/** A Client ID Metadata Document the tenant's injected fetch serves. */
const CIMD_URL = 'https://agent.example.com/client.json';
const cimdFetch = (() =>
  Promise.resolve(
    new Response(
      JSON.stringify({ client_id: CIMD_URL, redirect_uris: ['https://agent.example.com/cb'] }),
      {
        headers: { 'content-type': 'application/json' },
      },
    ),
  )) as typeof fetch;

/** What a sample request acts on. */
/** The user whose login session the session routes read and delete. */
const SAMPLE_USER = 'auth0|sample';

interface Fixture {
  readonly tenant: Tenant;
  readonly client: Client;
  readonly credentialId: string;
  readonly apiId: string;
  readonly grantId: string;
  readonly connectionId: string;
  readonly logId: string;
  readonly sessionId: string;
  readonly logStreamId: string;
}

/** A paused stream: it never tries to deliver during these tests. */
const LOG_STREAM = {
  type: 'http',
  status: 'paused',
  sink: { httpEndpoint: 'https://siem.example.com/auth0', httpAuthorization: 'Bearer x' },
};

interface Sample {
  readonly path: string;
  readonly body?: unknown;
}

/** One valid request per route; a new route needs one here. */
const SAMPLES: Record<RouteKey, (f: Fixture) => Sample> = {
  'GET /clients': () => ({ path: '/clients' }),
  'GET /clients/:id': (f) => ({ path: `/clients/${f.client.client_id}` }),
  'POST /clients': () => ({ path: '/clients', body: { name: 'New', app_type: 'spa' } }),
  'PATCH /clients/:id': (f) => ({
    path: `/clients/${f.client.client_id}`,
    body: { description: 'changed' },
  }),
  'DELETE /clients/:id': (f) => ({ path: `/clients/${f.client.client_id}` }),
  'POST /clients/:id/rotate-secret': (f) => ({
    path: `/clients/${f.client.client_id}/rotate-secret`,
  }),
  'POST /clients/cimd/register': () => ({
    path: '/clients/cimd/register',
    body: { external_client_id: CIMD_URL },
  }),
  'POST /clients/cimd/preview': () => ({
    path: '/clients/cimd/preview',
    body: { external_client_id: CIMD_URL },
  }),
  'GET /clients/:id/credentials': (f) => ({ path: `/clients/${f.client.client_id}/credentials` }),
  'GET /clients/:id/credentials/:credential_id': (f) => ({
    path: `/clients/${f.client.client_id}/credentials/${f.credentialId}`,
  }),
  'POST /clients/:id/credentials': (f) => ({
    path: `/clients/${f.client.client_id}/credentials`,
    body: { credential_type: 'public_key', pem: PUBLIC_KEY, alg: 'RS256', name: 'Second' },
  }),
  'PATCH /clients/:id/credentials/:credential_id': (f) => ({
    path: `/clients/${f.client.client_id}/credentials/${f.credentialId}`,
    body: { name: 'Renamed' },
  }),
  'DELETE /clients/:id/credentials/:credential_id': (f) => ({
    path: `/clients/${f.client.client_id}/credentials/${f.credentialId}`,
  }),
  'GET /resource-servers': () => ({ path: '/resource-servers' }),
  'GET /resource-servers/:id': (f) => ({ path: `/resource-servers/${f.apiId}` }),
  'POST /resource-servers': () => ({
    path: '/resource-servers',
    body: { identifier: 'https://new.example.com/', name: 'New API' },
  }),
  'PATCH /resource-servers/:id': (f) => ({
    path: `/resource-servers/${f.apiId}`,
    body: { name: 'Renamed API' },
  }),
  'DELETE /resource-servers/:id': (f) => ({ path: `/resource-servers/${f.apiId}` }),
  'GET /client-grants': () => ({ path: '/client-grants' }),
  'POST /client-grants': (f) => ({
    path: '/client-grants',
    body: { client_id: f.client.client_id, audience: managementAudience(f.tenant), scope: [] },
  }),
  'PATCH /client-grants/:id': (f) => ({
    path: `/client-grants/${f.grantId}`,
    body: { scope: ['read:reports'] },
  }),
  'DELETE /client-grants/:id': (f) => ({ path: `/client-grants/${f.grantId}` }),
  'GET /connections': () => ({ path: '/connections' }),
  'GET /connections/:id': (f) => ({ path: `/connections/${f.connectionId}` }),
  'POST /connections': () => ({
    path: '/connections',
    body: { name: 'github', strategy: 'github' },
  }),
  'PATCH /connections/:id': (f) => ({
    path: `/connections/${f.connectionId}`,
    body: { enabled_clients: [] },
  }),
  'DELETE /connections/:id': (f) => ({ path: `/connections/${f.connectionId}` }),
  'GET /connections/:id/clients': (f) => ({ path: `/connections/${f.connectionId}/clients` }),
  'PATCH /connections/:id/clients': (f) => ({
    path: `/connections/${f.connectionId}/clients`,
    body: [{ client_id: f.client.client_id, status: false }],
  }),
  'GET /logs': () => ({ path: '/logs' }),
  'GET /logs/:id': (f) => ({ path: `/logs/${f.logId}` }),
  'GET /log-streams': () => ({ path: '/log-streams' }),
  'GET /log-streams/:id': (f) => ({ path: `/log-streams/${f.logStreamId}` }),
  'POST /log-streams': () => ({ path: '/log-streams', body: { ...LOG_STREAM, name: 'New' } }),
  'PATCH /log-streams/:id': (f) => ({
    path: `/log-streams/${f.logStreamId}`,
    body: { name: 'Renamed stream' },
  }),
  'DELETE /log-streams/:id': (f) => ({ path: `/log-streams/${f.logStreamId}` }),
  'GET /actions/actions': () => ({ path: '/actions/actions' }),
  'GET /connections-directory-provisionings': () => ({
    path: '/connections-directory-provisionings',
  }),
  'GET /tenants/settings': () => ({ path: '/tenants/settings' }),
  'GET /sessions/:id': (f) => ({ path: `/sessions/${f.sessionId}` }),
  'DELETE /sessions/:id': (f) => ({ path: `/sessions/${f.sessionId}` }),
  'GET /users/:user_id/sessions': () => ({
    path: `/users/${encodeURIComponent(SAMPLE_USER)}/sessions`,
  }),
  'DELETE /users/:user_id/sessions': () => ({
    path: `/users/${encodeURIComponent(SAMPLE_USER)}/sessions`,
  }),
};

/**
 * A value of each body field that needs a scope of its own, and the status with that scope:
 * the scope comes first, then the library's own checks (a secret is never set by PATCH:
 * rotate-secret replaces it).
 */
const FIELD_VALUES: Record<
  string,
  { value: (f: Fixture, key: RouteKey) => unknown; withScope: 200 | 400 }
> = {
  client_secret: { value: () => 'a'.repeat(64), withScope: 400 },
  signing_keys: { value: () => [], withScope: 200 },
  client_authentication_methods: {
    // A new client has no credential yet to name.
    value: (f, key) =>
      key === 'POST /clients' ? {} : { private_key_jwt: { credentials: [{ id: f.credentialId }] } },
    withScope: 200,
  },
  token_vault_privileged_access: {
    value: (f) => ({ credentials: [{ id: f.credentialId }] }),
    withScope: 200,
  },
  options: { value: () => ({ client_id: 'g', client_secret: 'changed-secret' }), withScope: 200 },
};

/** The sample request of `key` (every route has one: the first test checks). */
function sampleOf(key: RouteKey, fixture: Fixture): Sample {
  const make = SAMPLES[key];
  if (!make) throw new Error(`no sample request for ${key}`);
  return make(fixture);
}

interface Setup {
  readonly fixture: Fixture;
  readonly api: Handler;
  /** A token of a new machine-to-machine client granted `scopes`. */
  token(scopes: readonly string[]): Promise<string>;
  /** Everything the Management API can change, as JSON. */
  snapshot(): Promise<string>;
}

async function setup(): Promise<Setup> {
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store: new MemoryStore(),
    signingKeys: KEYS,
    clientIdMetadataDocuments: { enabled: false, fetch: cimdFetch },
  });
  const audience = (await ensureManagementApi(tenant)).identifier;
  const api = createManagementApi(tenant);
  const client = await tenant.clients.create({
    name: 'Web',
    app_type: 'regular_web',
    callbacks: ['https://app.example.com/cb'],
  });
  const credential = await tenant.clients.addCredential(client.client_id, {
    credential_type: 'public_key',
    pem: FIRST_KEY,
    alg: 'RS256',
  });
  const reports = await tenant.apis.create({
    identifier: 'https://reports.example.com/',
    name: 'Reports',
    scopes: [{ value: 'read:reports' }],
  });
  const grant = await tenant.apis.grant({
    client_id: client.client_id,
    audience: reports.identifier,
    scope: [],
  });
  const connection = await tenant.connections.create({
    name: 'google',
    strategy: 'google-oauth2',
    enabled_clients: [client.client_id],
    options: { client_id: 'g', client_secret: 'g-secret' },
  });
  // One request through the handler, so /logs holds an event.
  const token = async (scopes: readonly string[]) => {
    const m2m = await tenant.clients.create({
      name: `Token ${scopes.length}`,
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await tenant.apis.grant({ client_id: m2m.client_id, audience, scope: [...scopes] });
    return (await tenant.issueAccessToken(m2m.client_id, { audience })).access_token;
  };
  const first = await token(ALL);
  await api(
    new Request(`https://id.example.com/api/v2/clients/${client.client_id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${first}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'logged' }),
    }),
  );
  await tenant.audit.flush();
  const logs = (await (
    await api(
      new Request('https://id.example.com/api/v2/logs', {
        headers: { authorization: `Bearer ${first}` },
      }),
    )
  ).json()) as { log_id: string }[];
  const snapshot = async () =>
    JSON.stringify([
      (await tenant.clients.list()).clients.map((c) => ({ ...c.toJSON(), s: c.client_secret })),
      await tenant.clients.credentials(client.client_id).catch(() => 'gone'),
      (await tenant.apis.list()).map((a) => a.toJSON()),
      await tenant.apis.grants(),
      (await tenant.connections.list()).map((c) => ({ ...c.toJSON(), o: { ...c.options } })),
      await tenant.logStreams.list(),
    ]);
  return {
    fixture: {
      tenant,
      client,
      credentialId: credential.id,
      apiId: reports.id,
      grantId: grant.id,
      connectionId: connection.id,
      logId: logs[0]?.log_id ?? '',
      sessionId: (await tenant.sessions.start({ sub: SAMPLE_USER, clientId: client.client_id })).id,
      logStreamId: (await tenant.logStreams.create({ ...LOG_STREAM, name: 'SIEM' })).id,
    },
    api,
    token,
    snapshot,
  };
}

async function send(
  api: Handler,
  key: RouteKey,
  sample: Sample,
  token: string,
): Promise<{ status: number; body: unknown }> {
  const method = key.slice(0, key.indexOf(' '));
  const response = await api(
    new Request(`https://id.example.com/api/v2${sample.path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(sample.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(sample.body === undefined ? {} : { body: JSON.stringify(sample.body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

const without = (excluded: readonly string[]) => ALL.filter((scope) => !excluded.includes(scope));

describe('the scope table and the router', () => {
  it('have the same routes, each with a sample request here', async () => {
    const tenant = await Tenant.create({ domain: 'id.example.com', store: new MemoryStore() });
    const routes = managementRoutes({
      tenant,
      auth: new ManagementAuth(tenant, Date.now),
      logs: new StoredLog(tenant.store),
      bodyLimit: 1024,
    });
    const served = routes.map((route) => `${route.method} ${route.path}`).sort();
    expect(served).toEqual(Object.keys(ROUTE_SCOPES).sort());
    expect(Object.keys(SAMPLES).sort()).toEqual(served);
    // Every scope the table names is one the Management API defines (and can be granted).
    for (const row of Object.values(ROUTE_SCOPES)) {
      for (const scope of [...row.anyOf, ...Object.values(row.fields ?? {})]) {
        expect(ALL).toContain(scope);
      }
    }
    for (const fields of Object.values(RESPONSE_FIELD_SCOPES)) {
      for (const scope of Object.values(fields)) expect(ALL).toContain(scope);
    }
  });
});

describe.each(Object.entries(ROUTE_SCOPES) as [RouteKey, (typeof ROUTE_SCOPES)[RouteKey]][])(
  '%s',
  (key, row) => {
    it(`is refused without any of ${row.anyOf.join(', ')}, and any one of them suffices`, async () => {
      const { api, fixture, token, snapshot } = await setup();
      const sample = sampleOf(key, fixture);
      const lacking = await token(without(row.anyOf));
      const before = await snapshot();
      const refused = await send(api, key, sample, lacking);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ errorCode: 'insufficient_scope' });
      expect(await snapshot()).toBe(before);
      for (const alternative of row.anyOf) {
        const others = row.anyOf.filter((scope) => scope !== alternative);
        const allowed = await send(api, key, sampleOf(key, fixture), await token(without(others)));
        expect({ alternative, status: allowed.status }).toEqual({
          alternative,
          status: expect.toSatisfy((status: number) => status >= 200 && status < 300),
        });
        // Only the first alternative may act: the sample may delete what it names.
        if (key.startsWith('DELETE ') || key.startsWith('POST ')) break;
      }
    });

    for (const [field, scope] of Object.entries(row.fields ?? {})) {
      it(`is refused with ${field} in the body without ${scope}, and allowed with it`, async () => {
        const { api, fixture, token, snapshot } = await setup();
        const base = sampleOf(key, fixture);
        const sample = {
          ...base,
          body: { ...(base.body as object), [field]: FIELD_VALUES[field]?.value(fixture, key) },
        };
        const lacking = await token(without([scope]));
        const before = await snapshot();
        const refused = await send(api, key, sample, lacking);
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({
          errorCode: 'insufficient_scope',
          message: expect.stringContaining(scope),
        });
        expect(await snapshot()).toBe(before);
        // Without the field, the same token may make the rest of the change.
        expect((await send(api, key, base, lacking)).status).toBeLessThan(300);
        const allowed = await send(api, key, sample, await token(ALL));
        const expected = FIELD_VALUES[field]?.withScope ?? 200;
        expect(allowed.status, JSON.stringify(allowed.body)).toBe(
          expected === 400 ? 400 : key.startsWith('POST ') ? 201 : 200,
        );
      });
    }
  },
);

describe('response fields that need a scope', () => {
  it('leaves out connection options without read:connections_options, as Auth0 does', async () => {
    const { api, fixture, token } = await setup();
    const reader = await token(without(['read:connections_options']));
    const one = await send(
      api,
      'GET /connections/:id',
      sampleOf('GET /connections/:id', fixture),
      reader,
    );
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('options');
    const list = await send(api, 'GET /connections', { path: '/connections' }, reader);
    expect(list.body).toEqual([expect.not.objectContaining({ options: expect.anything() })]);
    const patched = await send(
      api,
      'PATCH /connections/:id',
      sampleOf('PATCH /connections/:id', fixture),
      reader,
    );
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('options');
    const full = await send(
      api,
      'GET /connections/:id',
      sampleOf('GET /connections/:id', fixture),
      await token(ALL),
    );
    expect(full.body).toMatchObject({ options: { client_secret: 'g-secret' } });
  });

  it('leaves out client_secret without read:client_keys', async () => {
    const { api, fixture, token } = await setup();
    const path = sampleOf('GET /clients/:id', fixture);
    const hidden = await send(
      api,
      'GET /clients/:id',
      path,
      await token(without(['read:client_keys'])),
    );
    expect(hidden.body).not.toHaveProperty('client_secret');
    const shown = await send(api, 'GET /clients/:id', path, await token(ALL));
    expect(shown.body).toMatchObject({ client_secret: fixture.client.client_secret });
  });
});
