/**
 * The Next.js App Router recipe (docs/frameworks.md): a catch-all route module whose
 * method exports are the handler. Next is not installed (a Next build is far heavier than
 * this test needs), so the route module is called as Next calls it: with a Request
 * subclass carrying `nextUrl` and a second context argument whose `params` is a promise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Handler } from 'clientele/http';
import { frameworkFixture, type FrameworkFixture } from './helpers.js';

/** What Next passes: a Request subclass with `nextUrl`. */
class NextRequestLike extends Request {
  readonly nextUrl = new URL(this.url);
}

type RouteHandler = (
  request: Request,
  context: { params: Promise<{ path: string[] }> },
) => Promise<Response>;

/** `app/api/v2/[...path]/route.ts` of the recipe, as a module object. */
function routeModule(handler: Handler): Record<string, RouteHandler | string> {
  return {
    runtime: 'nodejs',
    dynamic: 'force-dynamic',
    GET: handler,
    POST: handler,
    PUT: handler,
    PATCH: handler,
    DELETE: handler,
    OPTIONS: handler,
  };
}

let fixture: FrameworkFixture;
let route: Record<string, RouteHandler | string>;

async function next(method: string, path: string, init: RequestInit = {}): Promise<Response> {
  const handler = route[method];
  if (typeof handler !== 'function') return new Response(null, { status: 405 });
  const request = new NextRequestLike(`http://localhost:3000${path}`, { method, ...init });
  const params = Promise.resolve({ path: path.split('/').slice(3) });
  return handler(request, { params });
}

beforeAll(async () => {
  fixture = await frameworkFixture();
  route = routeModule(fixture.management);
});

describe('a Next.js route handler module', () => {
  it('serves list, create and update through the method exports', async () => {
    const auth = { authorization: `Bearer ${fixture.token}` };
    const list = await next('GET', '/api/v2/clients?fields=name', { headers: auth });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual(expect.arrayContaining([{ name: 'Machine' }]));
    const created = await next('POST', '/api/v2/clients', {
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Next app', app_type: 'regular_web' }),
    });
    expect(created.status).toBe(201);
    const { client_id } = (await created.json()) as { client_id: string };
    // This token has no update:clients scope: the handler's own 403, not Next's.
    const patched = await next('PATCH', `/api/v2/clients/${client_id}`, {
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'x' }),
    });
    expect(patched.status).toBe(403);
  });
});
