/**
 * Access tokens verified once are remembered (introspection and /userinfo see the same
 * token again and again), but never past what a fresh verification would accept: the
 * payload handed out is the caller's own copy, an expired token is refused, and a token
 * whose key was retired is refused.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant } from '../../src/index.js';

const API = 'https://api.example.com/';

async function setup() {
  let clock = Date.parse('2026-03-01T00:00:00Z');
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store: new MemoryStore(),
    now: () => clock,
  });
  await tenant.apis.create({ identifier: API, name: 'API', token_lifetime: 600 });
  const client = await tenant.clients.create({
    name: 'M2M',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  await tenant.apis.grant({ client_id: client.client_id, audience: API, scope: [] });
  const issue = async () =>
    (await tenant.issueAccessToken(client.client_id, { audience: API })).access_token;
  return { tenant, issue, advance: (seconds: number) => (clock += seconds * 1000) };
}

describe('verified access tokens', () => {
  it('hands every caller its own copy of the payload', async () => {
    const { tenant, issue } = await setup();
    const token = await issue();
    const first = await tenant.verifyAccessToken(token, { audience: API });
    (first as Record<string, unknown>)['sub'] = 'tampered';
    const second = await tenant.verifyAccessToken(token, { audience: API });
    expect(second.sub).toBe(decodeJwt(token).sub);
    expect(second).not.toBe(first);
  });

  it('refuses a remembered token once it has expired', async () => {
    const { tenant, issue, advance } = await setup();
    const token = await issue();
    await tenant.verifyAccessToken(token, { audience: API });
    advance(599);
    await expect(tenant.verifyAccessToken(token, { audience: API })).resolves.toBeDefined();
    advance(1);
    await expect(tenant.verifyAccessToken(token, { audience: API })).rejects.toThrow(/expired/);
  });

  it('refuses a remembered token whose signing key was retired', async () => {
    const { tenant, issue } = await setup();
    const token = await issue();
    await tenant.verifyAccessToken(token, { audience: API });
    const { kid } = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      kid: string;
    };
    await tenant.rotateSigningKeys();
    await expect(tenant.verifyAccessToken(token, { audience: API })).resolves.toBeDefined();
    await tenant.retireSigningKey(kid);
    await expect(tenant.verifyAccessToken(token, { audience: API })).rejects.toThrow();
  });

  it('remembers per audience: a token is not accepted for another one', async () => {
    const { tenant, issue } = await setup();
    const token = await issue();
    await tenant.verifyAccessToken(token, { audience: API });
    await expect(
      tenant.verifyAccessToken(token, { audience: 'https://other.example.com/' }),
    ).rejects.toThrow();
  });
});
