/**
 * The product sinks against receivers on loopback, checking the request each product
 * documents: Datadog's HTTP logs intake (`POST /api/v2/logs` on the region's site,
 * `DD-API-KEY`, a JSON array of entries with `ddsource`), Splunk's HTTP Event Collector
 * (`/services/collector/event`, `Authorization: Splunk <token>`, events with `time` and
 * `event`, TLS verification per `splunkSecure`), a Sumo Logic HTTP source (one record per
 * line), and EventBridge entries through the app's function.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemoryStore,
  Tenant,
  memorySink,
  type AuditEvent,
  type EventBridgeEntry,
  type LogStream,
  type LogStreamOptions,
} from '../../src/index.js';
import { startReceiver, type Receiver } from './receiver.js';

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function receiver(options: { tls?: boolean } = {}): Promise<Receiver> {
  const started = await startReceiver(options);
  open.push(started);
  return started;
}

async function tenantWith(logStreams: LogStreamOptions = {}) {
  const sink = memorySink();
  const tenant = await Tenant.create({
    domain: 'acme.example.com',
    store: new MemoryStore(),
    auditSinks: [sink],
    logStreams: {
      batchMaxWaitMs: 5,
      retryBaseDelayMs: 1,
      // A suspended stream's events are dead-lettered at close (delivery.test.ts checks it).
      onDeadLetter: () => undefined,
      ...logStreams,
    },
  });
  open.push(tenant);
  return { tenant, sink };
}

/** The events recorded from the stream's creation on. */
function since(events: readonly AuditEvent[], stream: LogStream): AuditEvent[] {
  const start = events.findIndex((event) => event.details.log_stream_id === stream.id);
  return events.slice(start);
}

async function activity(tenant: Tenant): Promise<void> {
  await tenant.clients.create({ name: 'Shop', app_type: 'regular_web' });
  await tenant.clients.update('no-such-client', { name: 'x' }).catch(() => undefined);
}

describe('datadog streams', () => {
  it("POST Datadog's intake of the region with DD-API-KEY and ddsource auth0 entries", async () => {
    const target = await receiver();
    const urls: string[] = [];
    // The region's intake is on the internet: this fetch hands the request to the receiver.
    const fetch = ((input: string | URL | Request, init?: RequestInit) => {
      urls.push(String(input));
      return globalThis.fetch(`${target.origin}/api/v2/logs`, init);
    }) as typeof globalThis.fetch;
    const { tenant, sink } = await tenantWith({ fetch });
    const stream = await tenant.logStreams.create({
      type: 'datadog',
      sink: { datadogRegion: 'eu', datadogApiKey: 'dd-key-123' },
    });
    await activity(tenant);
    await tenant.audit.flush();
    expect(new Set(urls)).toEqual(new Set(['https://http-intake.logs.datadoghq.eu/api/v2/logs']));
    const entries = target.accepted.flatMap((request) => {
      expect(request.method).toBe('POST');
      expect(request.headers['dd-api-key']).toBe('dd-key-123');
      expect(request.headers['content-type']).toBe('application/json');
      const body = JSON.parse(request.body) as Record<string, unknown>[];
      expect(Array.isArray(body)).toBe(true);
      return body;
    });
    const expected = since(sink.events, stream);
    expect(entries).toEqual(
      expected.map((event) => ({
        ddsource: 'auth0',
        service: 'auth0',
        hostname: 'acme.example.com',
        message: event.description,
        log_id: event.log_id,
        data: JSON.parse(JSON.stringify(event)) as unknown,
      })),
    );
  });

  it('uses the documented intake of every region', async () => {
    const urls = new Set<string>();
    const fetch = ((input: string | URL | Request) => {
      urls.add(String(input));
      return Promise.resolve(new Response(null, { status: 202 }));
    }) as typeof globalThis.fetch;
    const { tenant } = await tenantWith({ fetch });
    for (const region of ['us', 'eu', 'us3', 'us5']) {
      await tenant.logStreams.create({
        name: region,
        type: 'datadog',
        sink: { datadogRegion: region, datadogApiKey: 'k' },
      });
    }
    await tenant.audit.flush();
    expect([...urls].sort()).toEqual([
      'https://http-intake.logs.datadoghq.com/api/v2/logs',
      'https://http-intake.logs.datadoghq.eu/api/v2/logs',
      'https://http-intake.logs.us3.datadoghq.com/api/v2/logs',
      'https://http-intake.logs.us5.datadoghq.com/api/v2/logs',
    ]);
  });
});

describe('splunk streams', () => {
  it('POST HEC events to splunkDomain:splunkPort with the token, without verifying TLS when splunkSecure is false', async () => {
    const hec = await receiver({ tls: true });
    const { tenant, sink } = await tenantWith();
    const stream = await tenant.logStreams.create({
      type: 'splunk',
      sink: {
        splunkDomain: '127.0.0.1',
        splunkPort: String(hec.port),
        splunkToken: '11111111-2222-3333-4444-555555555555',
        splunkSecure: false,
      },
    });
    await activity(tenant);
    await tenant.audit.flush();
    const events = hec.accepted.flatMap((request) => {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/services/collector/event');
      expect(request.headers.authorization).toBe('Splunk 11111111-2222-3333-4444-555555555555');
      // HEC's batch format: event objects one after another.
      return request.body.split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
    });
    const expected = since(sink.events, stream);
    expect(events).toEqual(
      expected.map((event) => ({
        time: Date.parse(event.date) / 1000,
        host: 'acme.example.com',
        source: 'auth0',
        sourcetype: 'auth0_logs',
        event: { log_id: event.log_id, data: JSON.parse(JSON.stringify(event)) as unknown },
      })),
    );
    expect(tenant.logStreams.health()[0]).toMatchObject({ status: 'active', failedAttempts: 0 });
  });

  it('refuses a certificate it cannot verify when splunkSecure is true, and suspends the stream', async () => {
    const hec = await receiver({ tls: true });
    const { tenant } = await tenantWith({ retries: 1 });
    const stream = await tenant.logStreams.create({
      type: 'splunk',
      sink: {
        splunkDomain: '127.0.0.1',
        splunkPort: String(hec.port),
        splunkToken: 'token',
        splunkSecure: true,
      },
    });
    await activity(tenant);
    await tenant.logStreams.flush();
    expect(hec.all).toEqual([]);
    expect((await tenant.logStreams.get(stream.id)).status).toBe('suspended');
    expect(tenant.logStreams.health()[0]?.lastError).toMatch(
      /^the request failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|ERR_TLS_CERT_ALTNAME_INVALID)\)$/,
    );
  });
});

describe('sumo streams', () => {
  it('POST one record per line to the HTTP source address', async () => {
    const source = await receiver();
    const { tenant, sink } = await tenantWith();
    const address = `${source.origin}/receiver/v1/http/ZaVnC4dhaV1sOGMAEb9Q==`;
    const stream = await tenant.logStreams.create({
      type: 'sumo',
      sink: { sumoSourceAddress: address },
    });
    await activity(tenant);
    await tenant.audit.flush();
    const lines = source.accepted.flatMap((request) => {
      expect(request.path).toBe('/receiver/v1/http/ZaVnC4dhaV1sOGMAEb9Q==');
      return request.body.split('\n').map((line) => JSON.parse(line) as { log_id: string });
    });
    expect(lines.map((record) => record.log_id)).toEqual(
      since(sink.events, stream).map((event) => event.log_id),
    );
    // The address holds Sumo's token: it is in no audit event.
    expect(JSON.stringify(sink.events)).not.toContain('ZaVnC4dhaV1sOGMAEb9Q');
  });
});

describe('eventbridge streams', () => {
  it("put Auth0's partner events through the app's function, at most 10 a call", async () => {
    const calls: { entries: readonly EventBridgeEntry[]; stream: LogStream }[] = [];
    const { tenant, sink } = await tenantWith({
      eventBridge: (entries, target) => {
        calls.push({ entries, stream: target });
        return Promise.resolve();
      },
    });
    const stream = await tenant.logStreams.create({
      type: 'eventbridge',
      sink: { awsAccountId: '123456789012', awsRegion: 'eu-central-1' },
    });
    for (let n = 0; n < 12; n++) await activity(tenant);
    await tenant.audit.flush();
    expect(calls.every((call) => call.entries.length <= 10)).toBe(true);
    expect(calls.every((call) => call.stream.id === stream.id)).toBe(true);
    const entries = calls.flatMap((call) => call.entries);
    const expected = since(sink.events, stream);
    expect(entries).toEqual(
      expected.map((event) => ({
        Source: stream.sink.awsPartnerEventSource,
        DetailType: 'Auth0 log',
        Detail: JSON.stringify({ log_id: event.log_id, data: event }),
        Time: new Date(event.date),
        Resources: [],
      })),
    );
  });

  it('is suspended, with the reason, when the app lent no EventBridge function', async () => {
    const { tenant } = await tenantWith({ retries: 0 });
    const stream = await tenant.logStreams.create({
      type: 'eventbridge',
      sink: { awsAccountId: '123456789012', awsRegion: 'eu-central-1' },
    });
    await tenant.logStreams.flush();
    expect((await tenant.logStreams.get(stream.id)).status).toBe('suspended');
    expect(tenant.logStreams.health()[0]?.lastError).toBe(
      'no EventBridge client: pass Tenant.create({ logStreams: { eventBridge } })',
    );
  });
});
