/**
 * The handlers in Hono, which speaks Request/Response itself: a route passes
 * `c.req.raw` on, next to Hono's own routes and middleware.
 */
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameworkFixture, tokenForm, type FrameworkFixture } from './helpers.js';

let fixture: FrameworkFixture;
let app: Hono;
const seen: string[] = [];

beforeAll(async () => {
  fixture = await frameworkFixture();
  const { management, provider } = fixture;
  app = new Hono();
  app.use(async (c, next) => {
    seen.push(`${c.req.method} ${c.req.path}`);
    await next();
  });
  app.all('/api/v2/*', (c) => management(c.req.raw));
  app.all('/oauth/*', (c) => provider(c.req.raw));
  app.get('/.well-known/*', (c) => provider(c.req.raw));
  app.get('/health', (c) => c.json({ ok: true }));
});

describe('the handlers in Hono', () => {
  it('serve the Management API with JSON bodies, next to Hono routes', async () => {
    const created = await app.request('http://id.example.com/api/v2/clients', {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Shop', app_type: 'spa' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'Shop' });
    expect(await (await app.request('/health')).json()).toEqual({ ok: true });
    expect(seen).toContain('POST /api/v2/clients');
  });

  it('serve the provider: discovery and a token from a form body', async () => {
    const discovery = await app.request('http://id.example.com/.well-known/openid-configuration');
    expect(await discovery.json()).toMatchObject({ issuer: 'https://id.example.com/' });
    const token = await app.fetch(
      new Request('http://id.example.com/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenForm(fixture),
      }),
    );
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ token_type: 'Bearer' });
  });
});
