/**
 * Shutdown with a log service that never answers: `close({ timeoutMs })` hands what is
 * undelivered to onDeadLetter at the deadline instead of waiting attempts × the sink's
 * timeout per batch, and the HTTP sink's requests in flight are aborted.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditTrail,
  ClienteleError,
  DEFAULT_CLOSE_TIMEOUT_MS,
  InvalidArgumentError,
  Tenant,
  httpSink,
  type AuditEvent,
  type AuditSink,
} from '../../src/index.js';
import { scriptedSink } from './helpers.js';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A log service that reads every request and never answers; `open` counts live ones. */
async function silentService(): Promise<{
  url: string;
  received: () => number;
  open: () => number;
}> {
  const live = new Set<IncomingMessage>();
  let received = 0;
  const server = createServer((req) => {
    received += 1;
    live.add(req);
    req.on('close', () => live.delete(req));
    req.resume();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, received: () => received, open: () => live.size };
}

interface DeadLetter {
  events: readonly AuditEvent[];
  error: unknown;
}

function record(trail: AuditTrail, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, index) =>
    trail.record({ type: 'sapi', description: `event ${index}` }),
  );
}

describe('AuditTrail.close({ timeoutMs })', () => {
  it('dead-letters every undelivered event once, in order, when the log service never answers', async () => {
    const service = await silentService();
    const dead: DeadLetter[] = [];
    const trail = new AuditTrail({
      sinks: [httpSink(service.url)],
      onDeadLetter: (events, error) => dead.push({ events, error }),
    });
    const recorded = record(trail, 150);
    // The first batch is on the wire and unanswered.
    await expect.poll(service.received, { timeout: 20_000 }).toBe(1);
    await trail.close({ timeoutMs: 200 });

    expect(dead.flatMap((letter) => letter.events.map((event) => event.log_id))).toEqual(
      recorded.map((event) => event.log_id),
    );
    for (const { error } of dead) {
      expect(error).toBeInstanceOf(ClienteleError);
      expect((error as ClienteleError).code).toBe('audit_close_timeout');
    }
    // The sink's close aborted the request in flight: nothing holds the process open.
    await expect.poll(service.open, { timeout: 10_000 }).toBe(0);
  });

  it('keeps the default deadline when no options are given', async () => {
    expect(DEFAULT_CLOSE_TIMEOUT_MS).toBe(5_000);
    const dead: AuditEvent[] = [];
    const hanging: AuditSink = { write: () => new Promise<void>(() => undefined) };
    const trail = new AuditTrail({
      sinks: [hanging],
      onDeadLetter: (events) => dead.push(...events),
    });
    const recorded = record(trail, 3);
    await trail.close();
    expect(dead).toEqual(recorded);
  });

  it('dead-letters nothing when delivery finishes first, retries included', async () => {
    const sink = scriptedSink((call) => call <= 2);
    const dead: AuditEvent[] = [];
    const trail = new AuditTrail({
      sinks: [sink],
      retry: { baseDelayMs: 1 },
      onDeadLetter: (events) => dead.push(...events),
    });
    const recorded = record(trail, 5);
    await trail.close({ timeoutMs: Infinity });
    expect(sink.delivered).toEqual(recorded);
    expect(dead).toEqual([]);
  });

  it('dead-letters events recorded after the deadline, as after any close', async () => {
    const dead: DeadLetter[] = [];
    const trail = new AuditTrail({
      sinks: [{ write: () => new Promise<void>(() => undefined) }],
      onDeadLetter: (events, error) => dead.push({ events, error }),
    });
    await trail.close({ timeoutMs: 0 });
    const late = trail.record({ type: 'sapi', description: 'late' });
    await expect.poll(() => dead.length).toBe(1);
    expect(dead[0]?.events).toEqual([late]);
    expect((dead[0]?.error as ClienteleError).code).toBe('audit_closed');
  });

  it('refuses a timeout that is not a number ≥ 0, naming it', () => {
    for (const timeoutMs of [-1, Number.NaN, '100', null]) {
      const trail = new AuditTrail();
      let thrown: unknown;
      try {
        void trail.close({ timeoutMs } as unknown as { timeoutMs: number });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).message).toContain('timeoutMs');
      expect(trail.closed).toBe(false);
    }
  });
});

describe('Tenant.close({ timeoutMs })', () => {
  it('passes the deadline to the audit trail and still closes the store', async () => {
    const service = await silentService();
    const dead: AuditEvent[] = [];
    const tenant = await Tenant.create({
      domain: 'auth.example.com',
      auditSinks: [httpSink(service.url)],
      audit: { onDeadLetter: (events) => dead.push(...events) },
    });
    const client = await tenant.clients.create({ name: 'Shop', app_type: 'spa' });
    await tenant.close({ timeoutMs: 100 });
    expect(dead.map((event) => [event.type, event.client_id])).toEqual([
      ['sapi', client.client_id],
    ]);
  });
});
