/**
 * toNodeListener in Fastify 5, on the raw request and response: in a scope whose only
 * content-type parser leaves the body stream alone (the recipe of docs/frameworks.md), and
 * with Fastify's default parsers, which read the stream first (a 500 naming the cause,
 * never a hang).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNodeListener, type Handler } from 'clientele/http';
import { call, frameworkFixture, tokenForm, type FrameworkFixture } from './helpers.js';

let fixture: FrameworkFixture;
let recipe: FastifyInstance;
let defaults: FastifyInstance;
let recipeUrl: string;
let defaultsUrl: string;

/** The recipe: a scope where clientele reads the bodies itself. */
async function mount(app: FastifyInstance, paths: string[], handler: Handler): Promise<void> {
  const listener = toNodeListener(handler, { onUnexpectedError: () => undefined });
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    for (const path of paths) {
      scope.all(path, (request, reply) => {
        reply.hijack();
        listener(request.raw, reply.raw);
      });
    }
  });
}

beforeAll(async () => {
  fixture = await frameworkFixture();
  recipe = Fastify();
  await mount(recipe, ['/api/v2/*'], fixture.management);
  await mount(recipe, ['/oauth/*', '/.well-known/*'], fixture.provider);
  recipe.get('/health', async () => ({ ok: true }));
  recipeUrl = await recipe.listen({ port: 0, host: '127.0.0.1' });

  defaults = Fastify();
  const listener = toNodeListener(fixture.provider, { onUnexpectedError: () => undefined });
  defaults.all('/oauth/*', (request, reply) => {
    reply.hijack();
    listener(request.raw, reply.raw);
  });
  defaultsUrl = await defaults.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await Promise.all([recipe.close(), defaults.close()]);
});

describe('toNodeListener in Fastify 5', () => {
  it('serves the Management API and the provider next to Fastify routes', async () => {
    const list = await call(`${recipeUrl}/api/v2/clients?fields=name`, {
      headers: { authorization: `Bearer ${fixture.token}` },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual(expect.arrayContaining([{ name: 'Machine' }]));
    const discovery = await call(`${recipeUrl}/.well-known/openid-configuration`);
    expect(await discovery.json()).toMatchObject({ issuer: 'https://id.example.com/' });
    expect(await (await call(`${recipeUrl}/health`)).json()).toEqual({ ok: true });
  });

  it('reads JSON and form bodies itself, with its own limits', async () => {
    const created = await call(`${recipeUrl}/api/v2/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Shop', app_type: 'spa' }),
    });
    expect(created.status).toBe(201);
    const token = await call(`${recipeUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenForm(fixture),
    });
    expect(token.status).toBe(200);
    const huge = await call(`${recipeUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `${tokenForm(fixture)}&pad=${'x'.repeat(200_000)}`,
    });
    expect(huge.status).toBe(413);
  });

  it('answers 500 naming the cause, without hanging, when Fastify parsed the body first', async () => {
    const response = await call(`${defaultsUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: 'server_error',
      error_description: expect.stringMatching(/read by a body parser/),
    });
  });
});
