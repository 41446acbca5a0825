import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditTrail,
  ClienteleError,
  InvalidArgumentError,
  httpSink,
  type AuditEvent,
} from '../../src/index.js';

type Answer = 'ok' | 'error' | 'drop' | 'redirect' | 'hang';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answer: Answer;
}

interface LogService {
  readonly url: string;
  readonly requests: Received[];
  /** Bodies of the requests answered 2xx, in arrival order. */
  accepted(): string[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real log service on 127.0.0.1; `plan(n)` decides how request n (1-based) is answered. */
async function logService(
  plan: (request: number) => Answer,
  path = '/collector',
): Promise<LogService> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const answer = plan(requests.length + 1);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answer,
      });
      switch (answer) {
        case 'ok':
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"text":"Success","code":0}');
          break;
        case 'error':
          res.writeHead(500).end('{"text":"Internal server error"}');
          break;
        case 'redirect':
          res.writeHead(302, { location: '/elsewhere' }).end();
          break;
        case 'drop':
          req.socket.destroy();
          break;
        case 'hang':
          break;
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    accepted: () => requests.filter((r) => r.answer === 'ok').map((r) => r.body),
  };
}

const fast = { attempts: 6, baseDelayMs: 1, maxDelayMs: 5 };

function recordAll(audit: AuditTrail, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) =>
    audit.record({
      type: i % 3 === 0 ? 'feccft' : 'seccft',
      description: `exchange ${i}`,
      client_id: `client-${i}`,
      details: { audience: 'https://api.example.com/' },
    }),
  );
}

describe('httpSink against a real HTTP server', () => {
  it('delivers every event once, in order, as JSON arrays with the configured headers, despite 500s and dropped connections', async () => {
    const failures = new Map<number, Answer>([
      [1, 'error'],
      [2, 'drop'],
      [4, 'error'],
      [5, 'drop'],
      [6, 'error'],
    ]);
    const service = await logService((n) => failures.get(n) ?? 'ok');
    const deadLetters: unknown[] = [];
    const audit = new AuditTrail({
      sinks: [httpSink(service.url, { headers: { Authorization: 'Splunk 0000-hec-token' } })],
      batchSize: 4,
      retry: fast,
      onDeadLetter: (_events, error) => deadLetters.push(error),
    });
    const recorded = recordAll(audit, 10);
    await audit.flush();

    expect(deadLetters).toEqual([]);
    const delivered = service.accepted().flatMap((body) => JSON.parse(body) as AuditEvent[]);
    expect(delivered).toEqual(recorded);
    expect(service.accepted().map((body) => (JSON.parse(body) as unknown[]).length)).toEqual([
      4, 4, 2,
    ]);
    expect(service.requests.map((r) => r.answer)).toEqual([
      'error',
      'drop',
      'ok',
      'error',
      'drop',
      'error',
      'ok',
      'ok',
    ]);
    for (const request of service.requests) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/collector');
      expect(request.headers['authorization']).toBe('Splunk 0000-hec-token');
      expect(request.headers['content-type']).toBe('application/json');
    }
    await audit.close();
  });

  it('sends NDJSON, one transformed event per line, for Splunk HEC style collectors', async () => {
    const service = await logService((n) => (n === 1 ? 'drop' : 'ok'), '/services/collector/event');
    const audit = new AuditTrail({
      sinks: [
        httpSink(new URL(service.url), {
          format: 'ndjson',
          headers: { authorization: 'Splunk abc', 'X-Splunk-Request-Channel': 'chan-1' },
          transform: (event) => ({
            time: Date.parse(event.date) / 1000,
            sourcetype: 'clientele',
            event,
          }),
          types: ['f*'],
        }),
      ],
      retry: fast,
    });
    const recorded = recordAll(audit, 7);
    await audit.flush();

    const lines = service.accepted().flatMap((body) => {
      expect(body.endsWith('\n')).toBe(true);
      return body
        .slice(0, -1)
        .split('\n')
        .map((line) => JSON.parse(line) as { time: number; event: AuditEvent });
    });
    const failures = recorded.filter((event) => event.type === 'feccft');
    expect(lines.map((line) => line.event)).toEqual(failures);
    expect(lines.map((line) => line.time)).toEqual(failures.map((e) => Date.parse(e.date) / 1000));
    for (const request of service.requests) {
      expect(request.headers['content-type']).toBe('application/x-ndjson');
      expect(request.headers['authorization']).toBe('Splunk abc');
      expect(request.headers['x-splunk-request-channel']).toBe('chan-1');
    }
  });

  it('lets a configured Content-Type win over the default', async () => {
    const service = await logService(() => 'ok');
    const audit = new AuditTrail({
      sinks: [
        httpSink(service.url, { format: 'ndjson', headers: { 'Content-Type': 'text/plain' } }),
      ],
    });
    audit.record({ type: 'sapi', description: 'x' });
    await audit.flush();
    expect(service.requests[0]?.headers['content-type']).toBe('text/plain');
  });

  it('dead-letters after the last attempt with an error that names the status, not the URL', async () => {
    const service = await logService(() => 'error', '/bulk/SECRET-LOGGLY-TOKEN/tag/bulk/');
    const deadLetters: { events: readonly AuditEvent[]; error: unknown }[] = [];
    const audit = new AuditTrail({
      sinks: [httpSink(service.url)],
      retry: { attempts: 3, baseDelayMs: 1 },
      onDeadLetter: (events, error) => deadLetters.push({ events, error }),
    });
    const recorded = recordAll(audit, 2);
    await audit.flush();
    expect(service.requests).toHaveLength(3);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.events).toEqual(recorded);
    const error = deadLetters[0]?.error as ClienteleError;
    expect(error).toBeInstanceOf(ClienteleError);
    expect(error.code).toBe('audit_delivery_failed');
    expect(error.message).toBe(
      'audit HTTP sink: the log service answered 500 Internal Server Error',
    );
  });

  it('treats a redirect as a failure instead of following it', async () => {
    const service = await logService((n) => (n === 1 ? 'redirect' : 'ok'));
    const audit = new AuditTrail({ sinks: [httpSink(service.url)], retry: fast });
    const recorded = recordAll(audit, 1);
    await audit.flush();
    expect(service.requests.map((r) => [r.answer, r.url])).toEqual([
      ['redirect', '/collector'],
      ['ok', '/collector'],
    ]);
    expect(JSON.parse(service.accepted()[0]!)).toEqual(recorded);
  });

  it('fails a request that outlives timeoutMs, and retries it', async () => {
    const service = await logService((n) => (n === 1 ? 'hang' : 'ok'));
    const audit = new AuditTrail({
      sinks: [httpSink(service.url, { timeoutMs: 1_000 })],
      retry: fast,
    });
    const recorded = recordAll(audit, 2);
    await audit.flush();
    expect(service.requests.map((r) => r.answer)).toEqual(['hang', 'ok']);
    expect(JSON.parse(service.accepted()[0]!)).toEqual(recorded);
  });

  it('describes network failures without the URL', async () => {
    const service = await logService(() => 'drop', '/token/SECRET');
    const sink = httpSink(service.url);
    const event = new AuditTrail().record({ type: 'sapi', description: 'x' });
    const error = await sink.write([event]).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ClienteleError);
    expect((error as Error).message).toMatch(/^audit HTTP sink: the request failed/);
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const sink = httpSink('https://logs.example.com/bulk', {
      fetch: async (input) => {
        calls.push(String(input));
        return new Response(null, { status: 204 });
      },
    });
    await sink.write([new AuditTrail().record({ type: 'sapi', description: 'x' })]);
    expect(calls).toEqual(['https://logs.example.com/bulk']);
  });

  it.each([
    ['not a url', {}, '/url'],
    ['ftp://logs.example.com/', {}, '/url'],
    ['https://user:pass@logs.example.com/', {}, '/url'],
    ['https://logs.example.com/', { format: 'xml' }, '/options/format'],
    ['https://logs.example.com/', { timeoutMs: 0 }, '/options/timeoutMs'],
    [
      'https://logs.example.com/',
      { headers: { 'bad header': 'x' } },
      '/options/headers/bad header',
    ],
  ])('rejects %s with %j at %s', (url, options, path) => {
    let thrown: unknown;
    try {
      httpSink(url, options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).path).toBe(path);
  });
});
