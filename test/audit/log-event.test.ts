/**
 * The audit event as Auth0 delivers it: the fields filled from the request behind an
 * operation (address, user agent and whether it is a phone's, method, path and the
 * authenticated caller), the tenant's domain as `hostname`, and the operation's own fields
 * (`audience`, `scope`, `user_id`, ...), for events recorded directly, through the
 * Management API and through the token endpoint.
 */
import { describe, expect, it } from 'vitest';
import { AuditTrail, MemoryStore, Tenant, type AuditEvent } from 'clientele';
import { createProvider, ensureManagementApi, managementAudience } from 'clientele/http';
import { managementFixture } from '../http/management-helpers.js';

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

describe('AuditTrail.record with a request context', () => {
  it('fills ip, user_agent, isMobile, hostname and details.request from it', () => {
    const trail = new AuditTrail({ hostname: 'id.example.com' });
    const event = trail.record({
      type: 's',
      description: 'Successful login',
      user_id: 'auth0|42',
      user_name: 'ada@example.com',
      connection: 'Username-Password-Authentication',
      strategy: 'auth0',
      strategy_type: 'database',
      request: { ip: '203.0.113.7', userAgent: PHONE, method: 'POST', path: '/u/login' },
      details: { prompt: 'login' },
    });
    expect(event).toMatchObject({
      ip: '203.0.113.7',
      user_agent: PHONE,
      isMobile: true,
      hostname: 'id.example.com',
      user_id: 'auth0|42',
      user_name: 'ada@example.com',
      connection: 'Username-Password-Authentication',
      strategy: 'auth0',
      strategy_type: 'database',
      details: { prompt: 'login', request: { method: 'post', path: '/u/login' } },
    });
    expect(Object.keys(event).at(-1)).toBe('details');
  });

  it('prefers the fields given over the request, and a caller-made details.request', () => {
    const event = new AuditTrail().record({
      type: 'sapi',
      description: 'x',
      ip: '198.51.100.1',
      user_agent: 'curl/8.5',
      isMobile: false,
      hostname: 'login.example.com',
      request: { ip: '203.0.113.7', userAgent: PHONE, method: 'GET', path: '/a' },
      details: { request: { method: 'put' } },
    });
    expect(event).toMatchObject({
      ip: '198.51.100.1',
      user_agent: 'curl/8.5',
      isMobile: false,
      hostname: 'login.example.com',
      details: { request: { method: 'put' } },
    });
  });

  it('says a desktop browser is not mobile, and says nothing without a user agent', () => {
    const trail = new AuditTrail();
    const desktop = trail.record({
      type: 's',
      description: 'x',
      request: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0' },
    });
    expect(desktop.isMobile).toBe(false);
    expect(trail.record({ type: 's', description: 'x', request: {} })).not.toHaveProperty(
      'isMobile',
    );
  });

  it('cuts a user agent at 512 characters and never keeps a non-string field', () => {
    const event = new AuditTrail().record({
      type: 's',
      description: 'x',
      user_id: 42 as unknown as string,
      request: { userAgent: 'A'.repeat(5_000) },
    });
    expect(event.user_agent).toHaveLength(512);
    expect(event).not.toHaveProperty('user_id');
  });
});

describe('events of the HTTP layer', () => {
  it('a Management API write records the caller, the method, the path and the domain', async () => {
    const events: AuditEvent[] = [];
    const fixture = await managementFixture({ clientIp: () => '192.0.2.44' });
    fixture.tenant.audit.on('event', (event) => events.push(event));
    const { client: admin, token } = await fixture.m2m('Admin', ['create:clients']);
    const response = await fixture.api(
      new Request('https://id.example.com/api/v2/clients?x=1', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'user-agent': 'node-auth0/5.0',
        },
        body: JSON.stringify({
          name: 'Shop',
          app_type: 'spa',
          callbacks: ['https://a.example/cb'],
        }),
      }),
    );
    expect(response.status).toBe(201);
    const created = events.filter((event) => event.details.operation === 'create_client').at(-1);
    expect(created).toMatchObject({
      type: 'sapi',
      ip: '192.0.2.44',
      user_agent: 'node-auth0/5.0',
      isMobile: false,
      hostname: 'id.example.com',
      details: {
        request: {
          method: 'post',
          path: '/api/v2/clients',
          auth: { client_id: admin.client_id, strategy: 'jwt' },
        },
      },
    });
    expect(JSON.stringify(created)).not.toContain(token);
    await fixture.tenant.close();
  });

  it('a failed Management API write records why, with the same request fields', async () => {
    const events: AuditEvent[] = [];
    const fixture = await managementFixture();
    fixture.tenant.audit.on('fapi', (event) => events.push(event));
    const { token } = await fixture.m2m('Admin', ['delete:clients']);
    const response = await fixture.call('DELETE', '/clients/nope', token);
    expect(response.status).toBe(404);
    expect(events[0]).toMatchObject({
      details: {
        error: 'not_found',
        reason: expect.stringContaining('nope'),
        request: { method: 'delete', path: '/api/v2/clients/nope' },
      },
    });
    await fixture.tenant.close();
  });

  it('a client-credentials token records audience and scope, and no secret or token', async () => {
    const tenant = await Tenant.create({ domain: 'id.example.com', store: new MemoryStore() });
    await ensureManagementApi(tenant);
    const worker = await tenant.clients.create({
      name: 'Worker',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    const audience = managementAudience(tenant);
    await tenant.apis.grant({ client_id: worker.client_id, audience, scope: ['read:clients'] });
    const events: AuditEvent[] = [];
    tenant.audit.on('seccft', (event) => events.push(event));
    const provider = createProvider(tenant, { clientIp: () => '192.0.2.9' });
    const response = await provider(
      new Request('https://id.example.com/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: worker.client_id,
          client_secret: worker.client_secret!,
          audience,
        }),
      }),
    );
    expect(response.status).toBe(200);
    const { access_token: accessToken } = (await response.json()) as { access_token: string };
    const issued = events.find((event) => event.details.operation === 'issue_access_token');
    expect(issued).toMatchObject({
      ip: '192.0.2.9',
      audience,
      scope: 'read:clients',
      client_name: 'Worker',
      details: { request: { method: 'post', path: '/oauth/token' } },
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain(worker.client_secret!);
    expect(text).not.toContain(accessToken);
    await tenant.close();
  });
});
