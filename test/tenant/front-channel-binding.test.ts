/**
 * `tenant.authorization.issueFrontChannel` applies Auth0's sender-constraining table as the
 * token endpoint does: an access token from /authorize cannot be bound to a DPoP key, so it
 * is refused where the client or the API requires a bound one (the provider refuses such a
 * request before the login; the tenant API refuses it too), and issued where a bearer
 * token is allowed.
 */
import { describe, expect, it } from 'vitest';
import { generateSigningKey, MemoryStore, Tenant } from '../../src/index.js';

const API = 'https://api.example.test/';

async function setup() {
  const store = new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store,
    signingKeys: [await generateSigningKey('RS256')],
  });
  await tenant.apis.create({
    identifier: API,
    name: 'Reports',
    scopes: [{ value: 'read:reports' }],
    proof_of_possession: { mechanism: 'dpop', required: true },
  });
  const client = (extra: Record<string, unknown> = {}) =>
    tenant.clients.create({
      name: 'Implicit',
      app_type: 'spa',
      callbacks: ['https://app.example.com/cb'],
      grant_types: ['implicit', 'authorization_code'],
      ...extra,
    });
  return { tenant, store, client };
}

describe('issueFrontChannel and sender-constrained tokens', () => {
  it('refuses an access token for an API that requires DPoP, storing no grant', async () => {
    const { tenant, store, client } = await setup();
    const spa = await client();
    await expect(
      tenant.authorization.issueFrontChannel(spa, {
        sub: 'auth0|ada',
        scope: ['openid', 'read:reports'],
        audience: API,
        accessToken: true,
        idToken: false,
      }),
    ).rejects.toMatchObject({ code: 'invalid_request', reason: 'proof_required_by_api' });
    expect(await store.list('authorizations')).toEqual([]);
  });

  it('refuses one for a client that requires proof of possession, even for /userinfo', async () => {
    const { tenant, client } = await setup();
    const spa = await client({ require_proof_of_possession: true });
    await expect(
      tenant.authorization.issueFrontChannel(spa, {
        sub: 'auth0|ada',
        scope: ['openid'],
        accessToken: true,
        idToken: true,
      }),
    ).rejects.toMatchObject({ code: 'invalid_request', reason: 'proof_required_by_client' });
  });

  it('still issues an ID token alone, and a bearer token where one is allowed', async () => {
    const { tenant, client } = await setup();
    const strict = await client({ require_proof_of_possession: true });
    const idOnly = await tenant.authorization.issueFrontChannel(strict, {
      sub: 'auth0|ada',
      scope: ['openid'],
      accessToken: false,
      idToken: true,
    });
    expect(idOnly.id_token).toEqual(expect.any(String));
    const spa = await client();
    const bearer = await tenant.authorization.issueFrontChannel(spa, {
      sub: 'auth0|ada',
      scope: ['openid'],
      accessToken: true,
      idToken: false,
    });
    expect(bearer.token_type).toBe('Bearer');
  });
});
