/**
 * Any event of the audit trail serialises to a record each sink accepts: for arbitrary
 * batches of audit events (every log type code, any text in the fields and details), the
 * requests of each stream type parse as the product documents them, stay within its
 * bounds (Datadog: 1,000 entries, 5 MB, 1 MB an entry; EventBridge: 10 entries and
 * 256 KB a call), and carry every event once, in order, as `{ log_id, data }` with `data`
 * equal to the event. An event too large for its product is sent with its details cut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventType } from '../../src/index.js';
import { REQUEST_BOUNDS } from '../../src/log-streams/formats.js';
import { deliverySteps, type DeliveryStep } from '../../src/log-streams/requests.js';
import type { LogStreamRecord, LogStreamType } from '../../src/log-streams/stream.js';

const TYPES = Object.keys(AUDIT_EVENT_TYPES) as AuditEventType[];

const text = fc.string({ unit: 'binary', maxLength: 200 });
const event: fc.Arbitrary<AuditEvent> = fc
  .record(
    {
      log_id: fc.stringMatching(/^900\d{53}$/),
      date: fc
        .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
        .map((ms) => new Date(ms).toISOString()),
      type: fc.constantFrom(...TYPES),
      description: text,
      client_id: text,
      client_name: text,
      ip: fc.ipV6(),
      user_agent: text,
      isMobile: fc.boolean(),
      hostname: fc.domain(),
      user_id: text,
      user_name: text,
      connection: text,
      strategy: text,
      audience: fc.webUrl(),
      scope: text,
      details: fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    },
    { requiredKeys: ['log_id', 'date', 'type', 'description', 'details'] },
  )
  .map((value) => value as unknown as AuditEvent);

const STREAMS: Record<string, LogStreamRecord> = {
  JSONLINES: http('JSONLINES'),
  JSONARRAY: http('JSONARRAY'),
  JSONOBJECT: http('JSONOBJECT'),
  datadog: stream('datadog', { datadogRegion: 'us', datadogApiKey: 'k' }),
  splunk: stream('splunk', {
    splunkDomain: 'splunk.example.com',
    splunkPort: '8088',
    splunkToken: 't',
    splunkSecure: true,
  }),
  sumo: stream('sumo', {
    sumoSourceAddress: 'https://collectors.sumologic.com/receiver/v1/http/x',
  }),
  eventbridge: stream('eventbridge', {
    awsAccountId: '123456789012',
    awsRegion: 'us-east-1',
    awsPartnerEventSource: 'aws.partner/auth0.com/acme-1/auth0.logs',
  }),
};

function stream(type: LogStreamType, sink: object): LogStreamRecord {
  return { id: 'lst_1', name: type, type, status: 'active', sink } as LogStreamRecord;
}

function http(format: string): LogStreamRecord {
  return stream('http', { httpEndpoint: 'https://siem.example.com/', httpContentFormat: format });
}

/** The records of one step, read as the receiving product reads its body. */
function recordsOf(kind: string, step: DeliveryStep): { log_id: string; data: unknown }[] {
  if (step.kind === 'eventbridge') {
    const bytes = step.entries.reduce(
      (sum, entry) =>
        sum + Buffer.byteLength(entry.Detail) + entry.DetailType.length + entry.Source.length,
      0,
    );
    expect(step.entries.length).toBeLessThanOrEqual(10);
    expect(bytes).toBeLessThanOrEqual(256 * 1024);
    for (const entry of step.entries) {
      expect(entry.DetailType).toBe('Auth0 log');
      expect(entry.Time).toBeInstanceOf(Date);
      expect(Number.isNaN(entry.Time.getTime())).toBe(false);
    }
    return step.entries.map(
      (entry) => JSON.parse(entry.Detail) as { log_id: string; data: unknown },
    );
  }
  const { body, headers } = step.request;
  switch (kind) {
    case 'JSONLINES':
    case 'sumo':
      return body
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { log_id: string; data: unknown });
    case 'JSONARRAY':
      return JSON.parse(body) as { log_id: string; data: unknown }[];
    case 'JSONOBJECT': {
      const record = JSON.parse(body) as { log_id: string; data: unknown };
      expect(Array.isArray(record)).toBe(false);
      return [record];
    }
    case 'datadog': {
      expect(headers['dd-api-key']).toBe('k');
      const entries = JSON.parse(body) as { ddsource: string; log_id: string; data: unknown }[];
      expect(entries.length).toBeLessThanOrEqual(1000);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(5_000_000);
      for (const entry of entries) {
        expect(entry.ddsource).toBe('auth0');
        expect(Buffer.byteLength(JSON.stringify(entry))).toBeLessThanOrEqual(1_000_000);
      }
      return entries.map(({ log_id, data }) => ({ log_id, data }));
    }
    case 'splunk':
      return body.split('\n').map((line) => {
        const hec = JSON.parse(line) as { time: number; event: { log_id: string; data: unknown } };
        expect(Number.isFinite(hec.time)).toBe(true);
        return hec.event;
      });
    default:
      throw new Error(kind);
  }
}

describe('any audit event serialises to a record each sink accepts', () => {
  it.each(Object.keys(STREAMS))('%s', (kind) => {
    const target = STREAMS[kind]!;
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), (events) => {
        const steps = deliverySteps(target, events);
        const bounds = REQUEST_BOUNDS[target.type];
        const records = steps.flatMap((step) => {
          if (step.kind === 'request') {
            expect(Buffer.byteLength(step.request.body)).toBeLessThanOrEqual(bounds.bytes);
          }
          const read = recordsOf(kind, step);
          expect(read).toHaveLength(step.events);
          return read;
        });
        expect(records).toEqual(
          events.map((e) => ({ log_id: e.log_id, data: JSON.parse(JSON.stringify(e)) as unknown })),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('cuts the details of an event too large for its product, and keeps the rest', () => {
    const huge: AuditEvent = {
      log_id: `900${'1'.repeat(53)}`,
      date: new Date(0).toISOString(),
      type: 'sapi',
      description: 'Create client',
      client_id: 'abc',
      details: { blob: 'x'.repeat(300_000) },
    };
    const size = Buffer.byteLength(JSON.stringify(huge));
    for (const [kind, target] of Object.entries(STREAMS)) {
      const [step] = deliverySteps(target, [huge]);
      const [record] = recordsOf(kind, step!);
      const data = record!.data as AuditEvent;
      // Datadog takes 1 MB a log: this one goes whole there.
      const fits = size <= REQUEST_BOUNDS[target.type].eventBytes;
      expect(fits ? data.details === huge.details || 'whole' : data.details, kind).toEqual(
        fits ? 'whole' : { truncated: true, bytes: size },
      );
      expect({ ...data, details: huge.details }).toEqual(huge);
    }
    expect(Object.values(REQUEST_BOUNDS).filter((b) => size > b.eventBytes)).toHaveLength(4);
  });
});
