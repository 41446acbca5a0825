import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceServer } from '../../src/http/index.js';
import { generateSigningKey, InvalidArgumentError, Tenant } from '../../src/index.js';

const RESOURCE = 'https://mcp.example.com/mcp';
let tenant: Tenant;
let token: (scope?: string) => Promise<string>;

beforeAll(async () => {
  tenant = await Tenant.create({
    domain: 'id.example.com',
    signingKeys: [await generateSigningKey('RS256')],
  });
  await tenant.apis.create({
    identifier: RESOURCE,
    name: 'Notes MCP',
    scopes: [{ value: 'notes:read' }, { value: 'notes:write' }],
  });
  await tenant.apis.create({ identifier: 'https://other.example.com/', name: 'Other', scopes: [] });
  const client = await tenant.clients.create({
    name: 'Robot',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  await tenant.apis.grant({
    client_id: client.client_id,
    audience: RESOURCE,
    scope: ['notes:read', 'notes:write'],
  });
  await tenant.apis.grant({
    client_id: client.client_id,
    audience: 'https://other.example.com/',
    scope: [],
  });
  token = async (scope) =>
    (
      await tenant.issueAccessToken(client.client_id, {
        audience: RESOURCE,
        ...(scope === undefined ? {} : { scope }),
      })
    ).access_token;
});
afterAll(() => tenant.close());

const call = (authorization?: string) =>
  new Request(`${RESOURCE}`, {
    method: 'POST',
    headers: authorization === undefined ? {} : { authorization },
  });

describe('createResourceServer: RFC 9728 metadata', () => {
  it('serves the metadata at the path-suffixed well-known URL and at the plain one', async () => {
    const guard = createResourceServer(tenant, { resource: RESOURCE, scopes: ['notes:read'] });
    expect(guard.metadataUrl).toBe(
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    );
    for (const url of [
      guard.metadataUrl,
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    ]) {
      const response = await guard.metadata(new Request(url));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: RESOURCE,
        authorization_servers: ['https://id.example.com/'],
        scopes_supported: ['notes:read'],
        bearer_methods_supported: ['header'],
        dpop_signing_alg_values_supported: [...tenant.dpop.algorithms],
      });
    }
    expect(
      (
        await guard.metadata(
          new Request('https://mcp.example.com/.well-known/oauth-protected-resource/other'),
        )
      ).status,
    ).toBe(404);
    expect((await guard.metadata(new Request(guard.metadataUrl, { method: 'POST' }))).status).toBe(
      405,
    );
  });

  it('refuses bad options with a located error', () => {
    for (const resource of [
      'mcp.example.com',
      'https://mcp.example.com/mcp#x',
      'ftp://x/',
      'https://MCP.example.com/mcp',
      'https://:secret@mcp.example.com/mcp',
      'https://user@mcp.example.com/mcp',
      'https://mcp.example.com/mcp?x=1',
    ]) {
      expect(() => createResourceServer(tenant, { resource })).toThrow(InvalidArgumentError);
    }
    expect(() => createResourceServer(tenant, { resource: RESOURCE, scopes: ['a b'] })).toThrow(
      /scopes/,
    );
    expect(() =>
      createResourceServer(tenant, { resource: RESOURCE, authorizationServers: [] }),
    ).toThrow(/authorizationServers/);
  });
});

describe('createResourceServer: authenticate', () => {
  const guard = () => createResourceServer(tenant, { resource: RESOURCE, scopes: ['notes:read'] });
  const challengeOf = (response: Response) => response.headers.get('www-authenticate') ?? '';

  it('returns the verified claims of a good token', async () => {
    const claims = await guard().authenticate(call(`Bearer ${await token('notes:read')}`));
    expect(claims).not.toBeInstanceOf(Response);
    expect(claims).toMatchObject({ aud: RESOURCE, scope: 'notes:read' });
  });

  it('answers a request without a token 401 with resource_metadata and no error code', async () => {
    const response = (await guard().authenticate(call())) as Response;
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toBe(
      `Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="notes:read", DPoP algs="${tenant.dpop.algorithms.join(' ')}"`,
    );
    expect(challengeOf((await guard().authenticate(call('Basic abc'))) as Response)).not.toMatch(
      /error=/,
    );
  });

  it('answers an invalid, expired or foreign token 401 invalid_token', async () => {
    for (const bad of [
      'Bearer not.a.jwt',
      `Bearer ${(await tenant.issueAccessToken((await tenant.clients.list()).clients[0]!.client_id, { audience: 'https://other.example.com/' })).access_token}`,
    ]) {
      const response = (await guard().authenticate(call(bad))) as Response;
      expect(response.status).toBe(401);
      expect(challengeOf(response)).toMatch(
        /^Bearer resource_metadata="[^"]+", error="invalid_token", error_description="[^"\\]*", scope="notes:read", DPoP algs="[^"]+"$/,
      );
    }
  });

  it('answers a token without a required scope 403 insufficient_scope with the scope', async () => {
    const response = (await guard().authenticate(call(`Bearer ${await token('notes:write')}`), {
      scopes: ['notes:write'],
    })) as Response;
    expect(response.status).toBe(403);
    expect(challengeOf(response)).toMatch(/error="insufficient_scope"/);
    expect(challengeOf(response)).toMatch(/scope="notes:read notes:write", DPoP algs="[^"]+"$/);
    expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });
  });
});
