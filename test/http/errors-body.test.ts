import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidClientError, RegistrationError } from 'clientele';
import {
  HttpError,
  PayloadTooLargeError,
  oauthErrorResponse,
  readBody,
  readForm,
  readJsonObject,
} from 'clientele/http';

const post = (
  body: string | Uint8Array | null,
  type?: string,
  headers: Record<string, string> = {},
) =>
  new Request('http://localhost/x', {
    method: 'POST',
    body,
    headers: { ...(type ? { 'content-type': type } : {}), ...headers },
  });

function streamOf(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
  });
}

describe('body readers', () => {
  it('read a body up to the limit', async () => {
    expect(await readBody(post('hello'), { limit: 5 })).toEqual(new TextEncoder().encode('hello'));
    expect((await readBody(new Request('http://localhost/'))).byteLength).toBe(0);
  });

  it('refuse a declared length over the limit before reading', async () => {
    const request = new Request('http://localhost/x', {
      method: 'POST',
      body: streamOf(1, 10),
      duplex: 'half',
      headers: { 'content-length': '1000' },
    } as RequestInit);
    await expect(readBody(request, { limit: 100 })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(request.bodyUsed).toBe(false);
  });

  it('stop reading a streamed body as soon as it passes the limit', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request('http://localhost/x', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    const error = await readBody(request, { limit: 4096 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it('read one JSON object, refusing other media types, bad JSON and non-objects', async () => {
    expect(await readJsonObject(post('{"a":1}', 'application/json; charset=utf-8'))).toEqual({
      a: 1,
    });
    for (const [body, type] of [
      ['{"a":1}', 'text/plain'],
      ['{"a":', 'application/json'],
      ['[1]', 'application/json'],
      ['null', 'application/json'],
      ['"x"', 'application/json'],
      [new Uint8Array([0x7b, 0xff, 0x7d]), 'application/json'],
    ] as const) {
      const error = await readJsonObject(post(body, type)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
    }
  });

  it('read a form, refusing repeated parameters', async () => {
    const type = 'application/x-www-form-urlencoded';
    expect(await readForm(post('a=1&b=&c=%20', type))).toEqual({ a: '1', c: ' ' });
    await expect(readForm(post('a=1&a=2', type))).rejects.toThrow(/a must not be repeated/);
    await expect(readForm(post('a=1', 'application/json'))).rejects.toThrow(HttpError);
  });

  it('refuse a bad limit', async () => {
    await expect(readBody(post('x'), { limit: 0 })).rejects.toThrow(/limit/);
  });
});

describe('oauthErrorResponse', () => {
  it('keeps the OAuth error name, status and headers', async () => {
    const response = oauthErrorResponse(
      new HttpError({
        status: 401,
        code: 'invalid_token',
        oauthError: 'invalid_token',
        message: 'the token expired',
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'the token expired',
    });
    expect(oauthErrorResponse(new InvalidClientError()).status).toBe(401);
    const registration = oauthErrorResponse(
      new RegistrationError('access_denied', 'disabled', 403),
    );
    expect(registration.status).toBe(403);
    expect(await registration.json()).toEqual({
      error: 'access_denied',
      error_description: 'disabled',
    });
  });

  it('answers server_error for anything else', async () => {
    const response = oauthErrorResponse(new Error('db password is hunter2'));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('hunter2');
  });

  it('keeps error_description to the characters RFC 6749 §5.2 allows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (message) => {
        const response = oauthErrorResponse(
          new HttpError({ status: 400, code: 'invalid_request', message }),
        );
        const body = (await response.json()) as { error_description: string };
        expect(body.error_description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
      }),
      { numRuns: 200 },
    );
  });

  it('applies the describe hook', async () => {
    const response = oauthErrorResponse(new InvalidClientError(), { describe: () => 'custom' });
    expect(((await response.json()) as { error_description: string }).error_description).toBe(
      'custom',
    );
  });
});
