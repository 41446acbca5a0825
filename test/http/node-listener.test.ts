/**
 * toNodeListener under a real node:http server on 127.0.0.1 (one server for the file).
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from 'clientele';
import {
  createRouter,
  jsonResponse,
  oauthErrorResponse,
  readBody,
  remoteAddressOf,
  toNodeListener,
  type NodeListener,
} from 'clientele/http';

const LIMIT = 1024;
let seenSignal: AbortSignal | undefined;
let sawAbort: Promise<void> = Promise.resolve();
let releaseLate: () => void = () => undefined;
let lateSignal: Promise<boolean> = Promise.resolve(false);

const handler = createRouter(
  [
    {
      method: 'POST',
      path: '/echo',
      handler: async (request) => {
        const bytes = await readBody(request, { limit: LIMIT });
        return new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
      },
    },
    {
      method: 'POST',
      path: '/ignore',
      handler: async () => jsonResponse(200, { ignored: true }),
    },
    {
      method: 'GET',
      path: '/url',
      handler: async (request) => jsonResponse(200, { url: request.url }),
    },
    {
      method: 'GET',
      path: '/cookies',
      handler: async () => {
        const headers = new Headers();
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response('ok', { headers });
      },
    },
    {
      method: 'GET',
      path: '/big',
      handler: async () => {
        let sent = 0;
        return new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent >= 64) controller.close();
              else controller.enqueue(new Uint8Array(64 * 1024).fill(sent++ % 251));
            },
          }),
        );
      },
    },
    {
      method: 'GET',
      path: '/late',
      handler: async (request) => {
        // Reads request.signal for the first time only after the client went away.
        let report: (aborted: boolean) => void = () => undefined;
        lateSignal = new Promise((resolve) => (report = resolve));
        await new Promise<void>((resolve) => (releaseLate = resolve));
        report(request.signal.aborted);
        return jsonResponse(200, { late: true });
      },
    },
    {
      method: 'GET',
      path: '/address',
      handler: async (request) =>
        jsonResponse(200, {
          address: remoteAddressOf(request) ?? null,
          copy: remoteAddressOf(new Request(request.url)) ?? null,
        }),
    },
    {
      method: 'GET',
      path: '/slow',
      handler: async (request) => {
        seenSignal = request.signal;
        sawAbort = new Promise((resolve) =>
          request.signal.addEventListener('abort', () => resolve()),
        );
        return new Response(
          new ReadableStream<Uint8Array>({
            async pull(controller) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              controller.enqueue(new Uint8Array(16 * 1024));
            },
          }),
        );
      },
    },
  ],
  { errorResponse: oauthErrorResponse },
);

const onUnexpectedError = vi.fn();
let listener: NodeListener;
const server = createServer();
let port = 0;

beforeAll(async () => {
  listener = toNodeListener(
    async (request) => {
      if (new URL(request.url).pathname === '/throw') throw new Error('internal detail');
      return handler(request);
    },
    { origin: 'https://id.example.com', drainLimit: 256 * 1024, lingerMs: 500, onUnexpectedError },
  );
  server.on('request', listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  reused: boolean;
}

/** One request with node:http, writing `size` bytes of body in 16 KiB chunks. */
function send(
  path: string,
  options: {
    method?: string;
    size?: number;
    chunked?: boolean;
    agent?: Agent;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const { method = 'POST', size = 0, chunked = false, agent } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: agent ?? false,
        headers: { ...(chunked ? {} : { 'content-length': String(size) }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            reused: req.reusedSocket,
          }),
        );
        res.on('error', reject);
      },
    );
    // Writing after an early response may fail (EPIPE/ECONNRESET); the response counts.
    req.on('error', (error) => setTimeout(() => reject(error), 1_000));
    const chunk = Buffer.alloc(16 * 1024, 120);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('toNodeListener', () => {
  it('streams the request body into the handler and the response back', async () => {
    const answer = await send('/echo', { size: 1000 });
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(1000);
    expect(answer.body.every((byte) => byte === 120)).toBe(true);
    const big = await send('/big', { method: 'GET' });
    expect(big.body.length).toBe(64 * 64 * 1024);
    expect(big.body[64 * 1024 * 3]).toBe(3);
  });

  it('builds the request URL from the configured origin, never from Host', async () => {
    const answer = await send('/url?x=1', { method: 'GET', headers: { host: 'evil.example' } });
    expect(JSON.parse(answer.body.toString())).toEqual({ url: 'https://id.example.com/url?x=1' });
  });

  it('keeps every Set-Cookie header', async () => {
    const answer = await send('/cookies', { method: 'GET' });
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('answers 413 and keeps the connection when the rest of the body is small enough to discard', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const tooBig = await send('/echo', { size: 250 * 1024, agent });
      expect(tooBig.status).toBe(413);
      expect(tooBig.headers.connection).toBe('keep-alive');
      expect(JSON.parse(tooBig.body.toString())).toEqual({
        error: 'invalid_request',
        error_description: `the request body exceeds ${LIMIT} bytes`,
      });
      const next = await send('/echo', { size: 10, agent });
      expect(next.status).toBe(200);
      expect(next.reused).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('answers 413 with Connection: close and closes when the rest is large', async () => {
    const answer = await send('/echo', { size: 8 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    const undici = await fetch(`http://127.0.0.1:${port}/echo`, {
      method: 'POST',
      body: new Uint8Array(8 * 1024 * 1024),
    });
    expect(undici.status).toBe(413);
    expect(undici.headers.get('connection')).toBe('close');
  });

  it('answers 413 with Connection: close for a chunked body of unknown length', async () => {
    const answer = await send('/echo', { size: 64 * 1024, chunked: true });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
  });

  it('drains a body the handler never read and serves the next request on the connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send('/ignore', { size: 250 * 1024, agent });
      expect(first.status).toBe(200);
      expect(first.headers.connection).toBe('keep-alive');
      const second = await send('/ignore', { size: 10, agent });
      expect(second.reused).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('closes the socket after a Connection: close answer once the client stops sending', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n' + 'x'.repeat(4096),
    );
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received.toLowerCase()).toContain('connection: close');
  });

  it('counts a client that goes away, aborts request.signal, and prints nothing', async () => {
    const warnings: unknown[] = [];
    const onWarning = (warning: unknown) => warnings.push(warning);
    process.on('warning', onWarning);
    const before = listener.stats.aborted;
    try {
      await new Promise<void>((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/slow', agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
        req.end();
      });
      await sawAbort;
      expect(seenSignal?.aborted).toBe(true);
      await vi.waitFor(() => expect(listener.stats.aborted).toBe(before + 1));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('aborts a signal first read after the client went away', async () => {
    const before = listener.stats.aborted;
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/late', agent: false });
      req.on('error', () => undefined);
      req.end(() =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 50),
      );
    });
    await vi.waitFor(() => expect(listener.stats.aborted).toBe(before + 1));
    releaseLate();
    expect(await lateSignal).toBe(true);
  });

  it('knows the peer address of the requests it built, and only of those', async () => {
    const answer = await send('/address', { method: 'GET' });
    expect(JSON.parse(answer.body.toString())).toEqual({ address: '127.0.0.1', copy: null });
  });

  it('sends a JSON answer whole, with its length', async () => {
    const answer = await send('/ignore', { size: 3 });
    expect(answer.headers['content-length']).toBe(String(answer.body.length));
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(JSON.parse(answer.body.toString())).toEqual({ ignored: true });
  });

  it('answers 500 without details when the handler throws, and reports it', async () => {
    const failed = listener.stats.failed;
    const answer = await send('/throw', { method: 'GET' });
    expect(answer.status).toBe(500);
    expect(answer.body.toString()).not.toContain('internal detail');
    expect(listener.stats.failed).toBe(failed + 1);
    expect(onUnexpectedError).toHaveBeenCalledTimes(1);
  });

  it('answers 400 to a request target that is not a path', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.end('GET http://other.example/url HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('refuses a bad handler or option', () => {
    expect(() => toNodeListener('x' as never)).toThrow(InvalidArgumentError);
    expect(() => toNodeListener(handler, { origin: 'https://x.example/path' })).toThrow(/origin/);
    expect(() => toNodeListener(handler, { drainLimit: -1 })).toThrow(/drainLimit/);
  });
});
