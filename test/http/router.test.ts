import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, NotFoundError, ValidationError } from 'clientele';
import { createRouter, HttpError, jsonResponse, type Route } from 'clientele/http';

const routes: Route[] = [
  {
    method: 'GET',
    path: '/things',
    handler: async () => jsonResponse(200, { things: [] }),
  },
  {
    method: 'POST',
    path: '/things',
    handler: async () => jsonResponse(201, { created: true }),
  },
  {
    method: 'GET',
    path: '/things/:id',
    handler: async (_request, { params }) => jsonResponse(200, { id: params.id }),
  },
  {
    method: 'DELETE',
    path: '/things/:id/parts/:part',
    handler: async (_request, { params }) => jsonResponse(200, params),
  },
  {
    method: 'GET',
    path: '/missing',
    handler: async () => {
      throw new NotFoundError('thing "x" does not exist');
    },
  },
  {
    method: 'GET',
    path: '/invalid',
    handler: async () => {
      throw new ValidationError(
        [
          { path: '/name', code: 'too_long', message: 'name is too long' },
          { path: '/callbacks/0', code: 'invalid_url', message: 'callbacks/0 is not a URL' },
          { path: '/a', code: 'x', message: 'third' },
          { path: '/b', code: 'x', message: 'fourth' },
        ],
        'client',
      );
    },
  },
  {
    method: 'GET',
    path: '/taken',
    handler: async () => {
      throw new ValidationError(
        [{ path: '/identifier', code: 'already_exists', message: 'identifier is taken' }],
        'api',
      );
    },
  },
  {
    method: 'GET',
    path: '/bug',
    handler: async () => {
      throw new TypeError('secret internals');
    },
  },
];

const onUnexpectedError = vi.fn();
const api = createRouter(routes, { prefix: '/api/v2', onUnexpectedError });
const call = (path: string, init?: RequestInit) =>
  api(new Request(`http://localhost${path}`, init));

describe('createRouter', () => {
  it('dispatches by method and path and decodes parameters', async () => {
    expect(await (await call('/api/v2/things')).json()).toEqual({ things: [] });
    expect((await call('/api/v2/things', { method: 'POST' })).status).toBe(201);
    expect(await (await call('/api/v2/things/a%2Fb%20c')).json()).toEqual({ id: 'a/b c' });
    expect(await (await call('/api/v2/things/1/parts/2', { method: 'DELETE' })).json()).toEqual({
      id: '1',
      part: '2',
    });
  });

  it('answers 404 outside the prefix, for unknown paths, empty or malformed parameters', async () => {
    for (const path of [
      '/things',
      '/api/v2',
      '/api/v2/',
      '/api/v2/nope',
      '/api/v2/things/',
      '/api/v2/things/%E0%A4%A',
      '/api/v2/things/1/2',
    ]) {
      const response = await call(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
  });

  it('answers 405 with Allow (HEAD included with GET) for another method', async () => {
    const response = await call('/api/v2/things', { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await response.json()).toMatchObject({
      statusCode: 405,
      errorCode: 'method_not_allowed',
    });
    const onlyDelete = await call('/api/v2/things/1/parts/2', { method: 'GET' });
    expect(onlyDelete.headers.get('allow')).toBe('DELETE');
  });

  it('answers HEAD as GET without a body', async () => {
    const response = await call('/api/v2/things/7', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.text()).toBe('');
  });

  it('turns library errors into Management API errors, with every validation issue', async () => {
    const missing = await call('/api/v2/missing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'thing "x" does not exist',
      errorCode: 'not_found',
    });
    const invalid = (await (await call('/api/v2/invalid')).json()) as { message: string };
    expect(invalid).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      errorCode: 'invalid_body',
    });
    for (const text of ['name is too long (at /name)', '/callbacks/0', 'third', 'fourth']) {
      expect(invalid.message).toContain(text);
    }
    expect((await call('/api/v2/taken')).status).toBe(409);
  });

  it('answers 500 without details for a bug, and reports it', async () => {
    onUnexpectedError.mockClear();
    const response = await call('/api/v2/bug');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret internals');
    expect(JSON.parse(text)).toMatchObject({ statusCode: 500, errorCode: 'internal_error' });
    expect(onUnexpectedError).toHaveBeenCalledTimes(1);
  });

  it('never throws and answers only 200, 404 or 405 for any path and method', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.array(fc.constantFrom('api', 'v2', 'things', 'parts', '%', '%2F', '', '..', 'x', '1'), {
          maxLength: 7,
        }),
        async (method, segments) => {
          const response = await call(`/${segments.join('/')}`, { method });
          expect([200, 201, 404, 405]).toContain(response.status);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses malformed tables', () => {
    const handler = routes[0]!.handler;
    expect(() => createRouter([{ method: 'GET', path: 'things', handler }])).toThrow(
      InvalidArgumentError,
    );
    expect(() => createRouter([{ method: 'GET', path: '/a/:', handler }])).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      createRouter([
        { method: 'GET', path: '/a', handler },
        { method: 'GET', path: '/a', handler },
      ]),
    ).toThrow(/given twice/);
    expect(() => createRouter([], { prefix: '/api/' })).toThrow(InvalidArgumentError);
  });

  it('keeps the status and headers of an HttpError', async () => {
    const router = createRouter([
      {
        method: 'GET',
        path: '/x',
        handler: async () => {
          throw new HttpError({
            status: 401,
            code: 'invalid_token',
            message: 'Missing authentication',
            headers: { 'WWW-Authenticate': 'Bearer realm="x"' },
          });
        },
      },
    ]);
    const response = await router(new Request('http://localhost/x'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="x"');
    expect(await response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing authentication',
      errorCode: 'invalid_token',
    });
  });
});
