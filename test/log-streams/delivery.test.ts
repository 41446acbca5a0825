/**
 * Delivery from the audit trail to `http` streams, against receivers on loopback: the
 * three content formats with Auth0's `{ log_id, data }` records and headers, batching
 * within its bounds, category filters, retries then `suspended` (audited, with the
 * reason) and resuming with nothing lost, pausing, the bounded buffer's dead letters,
 * `allowPrivateNetwork: false` at delivery time, and a receiver that never answers
 * holding up neither the operations that record events nor `close()`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemoryStore,
  Tenant,
  memorySink,
  type AuditEvent,
  type LogStreamOptions,
} from '../../src/index.js';
import { jsonLines, receivedIds, startReceiver, type Receiver } from './receiver.js';

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  open.push(started);
  return started;
}

async function tenantWith(logStreams: LogStreamOptions = {}, store = new MemoryStore()) {
  const sink = memorySink();
  const lost: { events: readonly AuditEvent[]; code: string }[] = [];
  const tenant = await Tenant.create({
    domain: 'acme.example.com',
    store,
    auditSinks: [sink],
    logStreams: {
      batchMaxWaitMs: 5,
      retryBaseDelayMs: 1,
      onDeadLetter: (events, error) =>
        lost.push({ events, code: (error as { code?: string }).code ?? '' }),
      ...logStreams,
    },
  });
  open.push(tenant);
  return { tenant, sink, lost };
}

/** Records `count` management events (client creations). */
async function activity(tenant: Tenant, count: number, prefix = 'App'): Promise<void> {
  for (let n = 0; n < count; n++) {
    await tenant.clients.create({ name: `${prefix} ${n}`, app_type: 'regular_web' });
  }
}

describe('http log streams', () => {
  it('POST each content format with the Authorization header, custom headers and { log_id, data } records', async () => {
    const lines = await receiver();
    const array = await receiver();
    const objects = await receiver();
    const { tenant, sink } = await tenantWith();
    const sinkOf = (target: Receiver, format: string) => ({
      httpEndpoint: `${target.origin}/auth0/logs?source=clientele`,
      httpContentFormat: format,
      httpAuthorization: `Bearer ${format.toLowerCase()}-token`,
      httpCustomHeaders: [{ header: 'X-Tenant', value: 'acme' }],
    });
    await tenant.logStreams.create({
      name: 'lines',
      type: 'http',
      sink: sinkOf(lines, 'JSONLINES'),
    });
    await tenant.logStreams.create({
      name: 'array',
      type: 'http',
      sink: sinkOf(array, 'JSONARRAY'),
    });
    await tenant.logStreams.create({
      name: 'objects',
      type: 'http',
      sink: { ...sinkOf(objects, 'JSONOBJECT'), httpContentType: 'application/x-auth0-log' },
    });
    await activity(tenant, 3);
    await tenant.audit.flush();
    const recorded = sink.events;

    for (const [target, format] of [
      [lines, 'jsonlines'],
      [array, 'jsonarray'],
      [objects, 'jsonobject'],
    ] as const) {
      expect(target.accepted.length).toBeGreaterThan(0);
      for (const request of target.accepted) {
        expect(request.method).toBe('POST');
        expect(request.path).toBe('/auth0/logs?source=clientele');
        expect(request.headers.authorization).toBe(`Bearer ${format}-token`);
        expect(request.headers['x-tenant']).toBe('acme');
      }
    }
    expect(lines.accepted[0]?.headers['content-type']).toBe('application/json');
    expect(objects.accepted[0]?.headers['content-type']).toBe('application/x-auth0-log');

    // Each stream gets the events recorded from its creation on, in order.
    const since = (name: string) =>
      recorded.slice(
        recorded.findIndex(
          (e) => e.details.name === name && e.details.operation === 'create_log_stream',
        ),
      );
    const linesRecords = lines.accepted.flatMap((request) => jsonLines(request.body));
    expect(linesRecords).toEqual(
      since('lines').map((event) => ({ log_id: event.log_id, data: event })),
    );
    const arrayRecords = array.accepted.flatMap(
      (request) => JSON.parse(request.body) as { log_id: string; data: AuditEvent }[],
    );
    expect(arrayRecords.map((r) => r.log_id)).toEqual(since('array').map((e) => e.log_id));
    // JSONOBJECT: one request per event, its body one record.
    const objectRecords = objects.accepted.map(
      (request) => JSON.parse(request.body) as { log_id: string; data: AuditEvent },
    );
    expect(objectRecords.every((r) => !Array.isArray(r) && r.data.log_id === r.log_id)).toBe(true);
    expect(objectRecords.map((r) => r.log_id)).toEqual(since('objects').map((e) => e.log_id));
  });

  it('batches within batchMaxEvents, and waits batchMaxWaitMs for a batch that is not full', async () => {
    const target = await receiver();
    const { tenant } = await tenantWith({ batchMaxEvents: 4, batchMaxWaitMs: 60_000 });
    await tenant.logStreams.create({ type: 'http', sink: { httpEndpoint: `${target.origin}/in` } });
    await activity(tenant, 8);
    // 9 events (the stream's own creation first): two full batches go without waiting...
    await tenant.audit.flush();
    const sizes = target.accepted.map((request) => jsonLines(request.body).length);
    expect(sizes.every((size) => size <= 4)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(9);
    // ...while a lone event waits for the batching window (60 s here) until a flush.
    const before = target.accepted.length;
    await tenant.clients.create({
      name: 'Lone',
      app_type: 'spa',
      callbacks: ['https://a.example.com/cb'],
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(target.accepted.length).toBe(before);
    expect(tenant.logStreams.health()[0]?.pending).toBe(1);
    await tenant.logStreams.flush();
    expect(target.accepted.length).toBe(before + 1);
  });

  it('delivers only the categories a stream filters on', async () => {
    const target = await receiver();
    const { tenant, sink } = await tenantWith();
    await tenant.logStreams.create({
      type: 'http',
      filters: [{ type: 'category', name: 'management.fail' }],
      sink: { httpEndpoint: `${target.origin}/in` },
    });
    await activity(tenant, 2);
    await tenant.clients.update('missing-client', { name: 'x' }).catch(() => undefined);
    await tenant.clients.create({ name: '', app_type: 'spa' }).catch(() => undefined);
    await tenant.audit.flush();
    const failures = sink.events.filter((event) => event.type === 'fapi').map((e) => e.log_id);
    expect(failures).toHaveLength(2);
    expect(receivedIds(target)).toEqual(failures);
  });

  it('retries a failing receiver, then suspends the stream with the reason, audited; resuming delivers everything in order', async () => {
    const target = await receiver();
    target.respond(503);
    const { tenant, sink } = await tenantWith({ retries: 3 });
    const stream = await tenant.logStreams.create({
      type: 'http',
      sink: { httpEndpoint: `${target.origin}/in`, httpAuthorization: 'Bearer never-logged' },
    });
    await activity(tenant, 2);
    await tenant.logStreams.flush();
    expect(target.all).toHaveLength(4); // 1 attempt + 3 retries of the same batch
    expect(new Set(target.all.map((request) => request.body)).size).toBe(1);
    expect((await tenant.logStreams.get(stream.id)).status).toBe('suspended');
    await tenant.audit.flush();
    const suspension = sink.events.find(
      (event) => event.details.operation === 'suspend_log_stream',
    );
    expect(suspension).toMatchObject({
      type: 'sapi',
      description: 'Suspend log stream',
      details: {
        log_stream_id: stream.id,
        status: 'suspended',
        reason: 'the receiver answered 503 (after 4 attempts)',
      },
    });
    expect(tenant.logStreams.health()[0]).toMatchObject({
      status: 'suspended',
      failedAttempts: 4,
      lastError: 'the receiver answered 503',
      delivered: 0,
    });

    // Events keep coming while it is suspended; nothing is sent.
    await activity(tenant, 2, 'Later');
    await tenant.logStreams.flush();
    expect(target.all).toHaveLength(4);

    target.respond(200);
    await tenant.logStreams.resume(stream.id);
    await tenant.audit.flush();
    await tenant.logStreams.flush();
    const all = sink.events.map((event) => event.log_id);
    const first = all.indexOf(
      sink.events.find((e) => e.details.operation === 'create_log_stream')!.log_id,
    );
    expect(receivedIds(target)).toEqual(all.slice(first));
    expect(JSON.stringify(sink.events)).not.toContain('never-logged');
  });

  it('keeps what a paused stream misses, within its bounds, and delivers it when resumed', async () => {
    const target = await receiver();
    const { tenant, sink, lost } = await tenantWith({ maxBufferedEvents: 5 });
    const stream = await tenant.logStreams.create({
      type: 'http',
      sink: { httpEndpoint: `${target.origin}/in` },
    });
    await tenant.logStreams.flush();
    await tenant.logStreams.pause(stream.id);
    const deliveredBefore = receivedIds(target);
    await activity(tenant, 8);
    await tenant.audit.flush();
    expect(receivedIds(target)).toEqual(deliveredBefore);
    // What the stream missed: its own pause and 8 creations; 5 are kept, the oldest went
    // to onDeadLetter.
    const all = sink.events.map((event) => event.log_id);
    const missed = all.slice(all.indexOf(deliveredBefore.at(-1)!) + 1);
    expect(missed).toHaveLength(9);
    expect(lost.flatMap((entry) => entry.events.map((e) => e.log_id))).toEqual(missed.slice(0, 4));
    expect(lost.every((entry) => entry.code === 'log_stream_overflow')).toBe(true);
    expect(tenant.logStreams.health()[0]).toMatchObject({ deadLettered: 4, pending: 5 });
    await tenant.logStreams.resume(stream.id);
    await tenant.logStreams.flush();
    // Every event it missed, its resume included, is delivered or dead-lettered, once: the
    // newest (at most 5, the bound) delivered in order, the rest lost oldest first.
    await tenant.audit.flush();
    const resumed = sink.events.map((event) => event.log_id);
    const owed = resumed.slice(resumed.indexOf(deliveredBefore.at(-1)!) + 1);
    const after = receivedIds(target).slice(deliveredBefore.length);
    const dropped = lost.flatMap((entry) => entry.events.map((e) => e.log_id));
    expect([...dropped, ...after]).toEqual(owed);
    expect(after.length).toBeGreaterThanOrEqual(4);
    expect(tenant.logStreams.health()[0]).toMatchObject({
      pending: 0,
      deadLettered: dropped.length,
    });
  });

  it('refuses private destinations at delivery time when allowPrivateNetwork is false', async () => {
    const target = await receiver();
    const store = new MemoryStore();
    const writer = await tenantWith({}, store);
    const stream = await writer.tenant.logStreams.create({
      type: 'http',
      sink: { httpEndpoint: `${target.origin}/in` },
    });
    const strict = await tenantWith({ allowPrivateNetwork: false, retries: 1 }, store);
    await strict.tenant.logStreams.refresh();
    await activity(strict.tenant, 1);
    await strict.tenant.logStreams.flush();
    const health = strict.tenant.logStreams.health().find((h) => h.id === stream.id);
    expect(health?.lastError).toBe(
      "the receiver's host resolves to a loopback address, which the tenant option logStreams.allowPrivateNetwork (false) refuses",
    );
    expect((await strict.tenant.logStreams.get(stream.id)).status).toBe('suspended');
    expect(target.all.every((request) => !request.body.includes('App 0'))).toBe(true);
  });

  it('never holds up the operations that record events, and close() gives up on a receiver that never answers', async () => {
    const target = await receiver();
    target.respond('hang');
    const { tenant, lost } = await tenantWith({ requestTimeoutMs: 60_000 });
    await tenant.logStreams.create({ type: 'http', sink: { httpEndpoint: `${target.origin}/in` } });
    // The first batch is in flight and never answered; operations go on regardless.
    await activity(tenant, 20);
    expect((await tenant.clients.list()).total).toBe(20);
    await tenant.close({ timeoutMs: 50 });
    open.pop();
    const undelivered = lost.flatMap((entry) => entry.events);
    expect(undelivered).toHaveLength(21);
    expect(new Set(lost.map((entry) => entry.code))).toEqual(new Set(['log_stream_closed']));
  });

  it('is delivered by every instance sharing the store, each with the events it records', async () => {
    const target = await receiver();
    const store = new MemoryStore();
    const a = await tenantWith({}, store);
    const b = await tenantWith({}, store);
    await a.tenant.logStreams.create({
      type: 'http',
      sink: { httpEndpoint: `${target.origin}/in` },
    });
    // b learns of the stream through the store's change feed.
    await b.tenant.logStreams.refresh();
    await activity(b.tenant, 2, 'B');
    await b.tenant.audit.flush();
    const fromB = b.sink.events.map((event) => event.log_id);
    expect(receivedIds(target)).toEqual(expect.arrayContaining(fromB));
  });
});
