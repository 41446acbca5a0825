/**
 * toNodeListener mounted in Express 5: under a mount path (Express strips it from
 * req.url), behind express.json() and express.urlencoded() (the body stream is gone, the
 * parsed value is used), and behind a middleware that consumed the body and left nothing
 * (a 500 naming the cause, never a hang).
 */
import { createServer, type Server } from 'node:http';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toNodeListener } from 'clientele/http';
import {
  call,
  close,
  frameworkFixture,
  listen,
  tokenForm,
  type FrameworkFixture,
} from './helpers.js';

let fixture: FrameworkFixture;
let plain: { server: Server; url: string };
let parsed: { server: Server; url: string };
let swallowed: { server: Server; url: string };
const unexpected = vi.fn();

function app(before: RequestHandler[]): express.Express {
  const application = express();
  for (const middleware of before) application.use(middleware);
  application.use('/api/v2', toNodeListener(fixture.management));
  application.use('/oauth', toNodeListener(fixture.provider, { onUnexpectedError: unexpected }));
  application.get('/health', (_request, response) => {
    response.json({ ok: true });
  });
  return application;
}

async function start(before: RequestHandler[]) {
  const server = createServer(app(before));
  return { server, url: await listen(server) };
}

beforeAll(async () => {
  fixture = await frameworkFixture();
  plain = await start([]);
  parsed = await start([express.json(), express.urlencoded()]);
  // A logging middleware that reads the body for itself and leaves nothing behind.
  const swallow: RequestHandler = (request, _response, next) => {
    request.on('data', () => undefined);
    request.on('end', () => next());
  };
  swallowed = await start([swallow]);
});

afterAll(async () => {
  await Promise.all([plain, parsed, swallowed].map(({ server }) => close(server)));
});

const json = (body: unknown) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const form = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

describe('toNodeListener in Express 5', () => {
  it('serves the full path under a mount path (req.originalUrl), next to Express routes', async () => {
    for (const { url } of [plain, parsed]) {
      const list = await call(`${url}/api/v2/clients?fields=name`, {
        headers: { authorization: `Bearer ${fixture.token}` },
      });
      expect(list.status).toBe(200);
      expect(await list.json()).toEqual(expect.arrayContaining([{ name: 'Machine' }]));
      expect(await (await call(`${url}/health`)).json()).toEqual({ ok: true });
    }
  });

  it('creates a client from a JSON body, with and without express.json() in front', async () => {
    for (const { url } of [plain, parsed]) {
      const created = await call(`${url}/api/v2/clients`, json({ name: 'Shop', app_type: 'spa' }));
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ name: 'Shop', app_type: 'spa' });
    }
  });

  it('keeps refusing what the Management API refuses when the body was parsed first', async () => {
    const refused = await call(`${parsed.url}/api/v2/clients`, json({ name: 'X', colour: 1 }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('issues a token from a form body, with and without express.urlencoded() in front', async () => {
    for (const { url } of [plain, parsed]) {
      const response = await call(`${url}/oauth/token`, form(tokenForm(fixture)));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ token_type: 'Bearer', scope: 'read' });
    }
  });

  it('still refuses a repeated form parameter that the parser turned into an array', async () => {
    const response = await call(
      `${parsed.url}/oauth/token`,
      form(tokenForm(fixture, '&scope=a&scope=b')),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers 500 naming the cause, without hanging, when a middleware consumed the body', async () => {
    unexpected.mockClear();
    const response = await call(`${swallowed.url}/oauth/token`, form(tokenForm(fixture)));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('server_error');
    expect(body.error_description).toMatch(/read by a body parser in front of this handler/);
    expect(body.error_description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/); // RFC 6749 §5.2
    expect(unexpected).toHaveBeenCalledOnce();
    // A GET has no body to lose: it is served.
    const discovery = await call(`${swallowed.url}/api/v2/clients`, {
      headers: { authorization: `Bearer ${fixture.token}` },
    });
    expect(discovery.status).toBe(200);
  });
});
