/**
 * The Management API's own API always carries Auth0's name and `is_system: true`, however it
 * came to exist: the Deploy CLI recognises it by that name only (`Auth0 Management API`),
 * and an export that lists it under another name makes the next import try to update it
 * (403). Issue: a user created `{issuer}api/v2/` under another name before the handler did.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, ValidationError } from 'clientele';
import {
  MANAGEMENT_API_NAME,
  MANAGEMENT_SCOPES,
  createManagementApi,
  ensureManagementApi,
  managementAudience,
} from 'clientele/http';
import { seedLegacyApi } from '../support/legacy-api.js';

const require = createRequire(import.meta.url);
/** The name the Deploy CLI skips (its own constant, not a copy). */
const DEPLOY_CLI_NAME = (
  require('auth0-deploy-cli/lib/tools/constants.js') as {
    default: { RESOURCE_SERVERS_MANAGEMENT_API_NAME: string };
  }
).default.RESOURCE_SERVERS_MANAGEMENT_API_NAME;

async function setup() {
  const store = new MemoryStore();
  const tenant = await Tenant.create({ domain: 'id.example.com', store });
  const audience = managementAudience(tenant);
  // The Management API's identifier is already stored under a name of its own: an earlier
  // release let anyone create it (tenant.apis.create now refuses that, see below).
  await seedLegacyApi(store, audience, 'Our admin API');
  const api = createManagementApi(tenant);
  // The handler's first answer (a 401 here) makes the tenant's Management API its own.
  expect((await api(new Request('https://id.example.com/api/v2/clients'))).status).toBe(401);
  const admin = await tenant.clients.create({
    name: 'Automation',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  await tenant.apis.grant({
    client_id: admin.client_id,
    audience,
    scope: Object.keys(MANAGEMENT_SCOPES),
  });
  const { access_token: token } = await tenant.issueAccessToken(admin.client_id, { audience });
  const call = (method: string, path: string, body?: unknown) =>
    api(
      new Request(`https://id.example.com/api/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  return { tenant, store, audience, call };
}

describe('the Management API’s own API', () => {
  it('is named as Auth0 names it, the name the Deploy CLI skips', () => {
    expect(MANAGEMENT_API_NAME).toBe(DEPLOY_CLI_NAME);
  });

  it('gets Auth0’s name and is_system when a user created its identifier first', async () => {
    const { tenant, audience, call } = await setup();
    const listed = (await (await call('GET', '/resource-servers')).json()) as {
      identifier: string;
      name: string;
      is_system?: boolean;
    }[];
    const system = listed.filter((api) => api.identifier === audience);
    expect(system).toEqual([expect.objectContaining({ name: DEPLOY_CLI_NAME, is_system: true })]);
    // What the Deploy CLI exports (everything but the API of that name) holds no system API.
    expect(listed.filter((api) => api.name !== DEPLOY_CLI_NAME && api.is_system)).toEqual([]);
    // Stored under that name too, with every scope.
    const stored = await tenant.apis.get(audience);
    expect(stored.name).toBe(MANAGEMENT_API_NAME);
    expect(stored.scopes.map((scope) => scope.value).sort()).toEqual(
      Object.keys(MANAGEMENT_SCOPES).sort(),
    );
    const one = (await (
      await call('GET', `/resource-servers/${encodeURIComponent(audience)}`)
    ).json()) as Record<string, unknown>;
    expect(one).toMatchObject({ name: DEPLOY_CLI_NAME, is_system: true });
    expect((await call('PATCH', `/resource-servers/${stored.id}`, { name: 'x' })).status).toBe(403);
  });

  it('keeps Auth0’s name however the stored record is named later, and its identifier cannot be created through the API', async () => {
    const { tenant, store, audience, call } = await setup();
    expect((await call('GET', '/resource-servers')).status).toBe(200);
    // The record renamed behind the tenant's back: the API still shows Auth0's name.
    const stored = await store.get<Record<string, unknown>>('apis', 'api_theirs');
    if (!stored) throw new Error('the seeded API is gone');
    await store.commit([
      {
        op: 'replace',
        collection: 'apis',
        id: 'api_theirs',
        value: { ...stored.value, name: 'Renamed' },
        expectedVersion: stored.version,
      },
    ]);
    const renamed = (await (
      await call('GET', `/resource-servers/${encodeURIComponent(audience)}`)
    ).json()) as Record<string, unknown>;
    expect(renamed).toMatchObject({ name: DEPLOY_CLI_NAME, is_system: true });
    const created = await call('POST', '/resource-servers', {
      identifier: audience,
      name: 'Mine now',
    });
    expect(created.status).toBe(409);
    expect((await ensureManagementApi(tenant)).name).toBe(MANAGEMENT_API_NAME);
  });

  it('is a system API in the tenant too: only what Auth0 lets change on one changes', async () => {
    const { tenant, audience } = await setup();
    const before = await tenant.apis.get(audience);
    const refused = async (write: () => Promise<unknown>, path: string) => {
      const error = await write().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        expect.objectContaining({ path, code: 'system_api' }),
      ]);
    };
    await refused(() => tenant.apis.update(audience, { name: 'Renamed' }), '/name');
    await refused(() => tenant.apis.update(audience, { signing_alg: 'PS256' }), '/signing_alg');
    await refused(
      () => tenant.apis.update(audience, { scopes: before.scopes.slice(1) }),
      '/scopes',
    );
    await refused(() => tenant.apis.delete(audience), '');
    // Nothing of that was written.
    expect(await tenant.apis.get(audience)).toEqual(before);
    // What Auth0 lets change on a system API, and a scope added (as Auth0 adds endpoints).
    const changed = await tenant.apis.update(audience, {
      token_lifetime: 3600,
      scopes: [...before.scopes, { value: 'read:everything_new' }],
    });
    expect(changed.token_lifetime).toBe(3600);
    expect(changed.scopes).toHaveLength(before.scopes.length + 1);
    // Creating it under another name is refused too (on a tenant that does not have it yet).
    const fresh = await Tenant.create({ domain: 'other.example.com', store: new MemoryStore() });
    await refused(
      () => fresh.apis.create({ identifier: managementAudience(fresh), name: 'Our admin API' }),
      '/name',
    );
    expect((await ensureManagementApi(fresh)).name).toBe(MANAGEMENT_API_NAME);
    // Any other API of the tenant changes freely.
    const orders = await tenant.apis.create({ identifier: 'https://orders.example', name: 'O' });
    await tenant.apis.update(orders.id, { name: 'Orders' });
    await tenant.apis.delete(orders.id);
  });
});
