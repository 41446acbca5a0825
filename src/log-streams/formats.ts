/**
 * What each stream type sends, as pure functions of a batch of audit events: Auth0's
 * record `{ log_id, data }` for each event, laid out as the receiving product documents
 * (an `http` stream's content formats, Datadog's HTTP logs intake, Splunk's HTTP Event
 * Collector, a Sumo Logic HTTP source, EventBridge partner events), and the bounds each
 * product sets on one request. Delivery splits batches with {@link splitBatch}, so no
 * request exceeds them.
 *
 * @see https://docs.datadoghq.com/api/latest/logs/#send-logs
 * @see https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector
 * @see https://help.sumologic.com/docs/send-data/hosted-collectors/http-source/logs-metrics/upload-logs/
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPartnerEvents.html
 * @module
 */
import type { AuditEvent } from '../audit/event.js';
import type { DatadogRegion, HttpContentFormat, LogStreamType } from './stream.js';

/** One delivered event as Auth0 delivers it: its `log_id`, and the event as `data`. */
export interface LogRecord {
  /** The event's `log_id`. */
  readonly log_id: string;
  /** The event (which repeats its `log_id`, as Auth0's do). */
  readonly data: AuditEvent;
}

/** The record of one event. */
export function recordOf(event: AuditEvent): LogRecord {
  return { log_id: event.log_id, data: event };
}

/** What one request of a stream type may carry at most. */
export interface RequestBounds {
  /** Events in one request. */
  readonly events: number;
  /** Bytes of one request body (UTF-8). */
  readonly bytes: number;
  /** Bytes of one event's entry; a larger event is sent with its `details` cut short. */
  readonly eventBytes: number;
}

/**
 * The bounds of each type: Datadog's (1,000 entries, 5 MB, 1 MB per entry), EventBridge's
 * (10 entries and 256 KB per `PutEvents` call), Sumo Logic's advice (at most 1 MB per
 * request), and for webhooks and Splunk the library's own (1 MB, 100 events per request).
 */
export const REQUEST_BOUNDS: Readonly<Record<LogStreamType, RequestBounds>> = Object.freeze({
  http: { events: 100, bytes: 1_000_000, eventBytes: 256_000 },
  datadog: { events: 1_000, bytes: 5_000_000, eventBytes: 1_000_000 },
  splunk: { events: 100, bytes: 1_000_000, eventBytes: 256_000 },
  sumo: { events: 100, bytes: 1_000_000, eventBytes: 256_000 },
  eventbridge: { events: 10, bytes: 256_000, eventBytes: 200_000 },
});

/**
 * `event`, or a copy whose `details` are replaced by `{ truncated: true, bytes }` when its
 * JSON is larger than `maxBytes`: one oversized event must not stop a stream whose
 * receiver refuses it (its fields and description are kept).
 */
export function fitEvent(event: AuditEvent, maxBytes: number): AuditEvent {
  const size = Buffer.byteLength(JSON.stringify(event));
  if (size <= maxBytes) return event;
  return { ...event, details: { truncated: true, bytes: size } };
}

/**
 * Splits events into request-sized runs: at most `bounds.events` per run and, counting
 * each entry's JSON plus `overhead` bytes, at most `bounds.bytes`.
 */
export function splitBatch(
  events: readonly AuditEvent[],
  bounds: RequestBounds,
  entrySize: (event: AuditEvent) => number,
): AuditEvent[][] {
  const runs: AuditEvent[][] = [];
  let run: AuditEvent[] = [];
  let bytes = 2;
  for (const event of events) {
    const size = entrySize(event) + 1;
    if (run.length > 0 && (run.length >= bounds.events || bytes + size > bounds.bytes)) {
      runs.push(run);
      run = [];
      bytes = 2;
    }
    run.push(event);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The body (or bodies) of an `http` stream's request for `events`, and its layout. */
export function httpBodies(events: readonly AuditEvent[], format: HttpContentFormat): string[] {
  const records = events.map(recordOf);
  switch (format) {
    case 'JSONARRAY':
      return [JSON.stringify(records)];
    case 'JSONOBJECT':
      // One object per request: a receiver reads the body as one record.
      return records.map((record) => JSON.stringify(record));
    default:
      return [records.map((record) => `${JSON.stringify(record)}\n`).join('')];
  }
}

/** Datadog's HTTP logs intake of each site (`POST /api/v2/logs`). */
export const DATADOG_INTAKE: Readonly<Record<DatadogRegion, string>> = Object.freeze({
  us: 'https://http-intake.logs.datadoghq.com/api/v2/logs',
  eu: 'https://http-intake.logs.datadoghq.eu/api/v2/logs',
  us3: 'https://http-intake.logs.us3.datadoghq.com/api/v2/logs',
  us5: 'https://http-intake.logs.us5.datadoghq.com/api/v2/logs',
});

/**
 * Datadog log entries: the record's `log_id` and `data` as attributes (what Datadog's
 * Auth0 pipeline reads as `@data.*`), `ddsource: auth0`, `service: auth0`, the tenant's
 * host name and the event's description as the message.
 */
export function datadogBody(events: readonly AuditEvent[]): string {
  return JSON.stringify(
    events.map((event) => ({
      ddsource: 'auth0',
      service: 'auth0',
      ...(event.hostname === undefined ? {} : { hostname: event.hostname }),
      message: event.description,
      ...recordOf(event),
    })),
  );
}

/** Splunk HEC's event endpoint on `domain:port`. */
export function splunkUrl(domain: string, port: string): string {
  const host = domain.includes(':') && !domain.startsWith('[') ? `[${domain}]` : domain;
  return `https://${host}:${port}/services/collector/event`;
}

/**
 * Splunk HEC events, one JSON object after another (HEC's batch format): `time` in epoch
 * seconds (with milliseconds), `host`, `source: auth0`, `sourcetype: auth0_logs` and the
 * record as `event`.
 */
export function splunkBody(events: readonly AuditEvent[]): string {
  return events
    .map((event) =>
      JSON.stringify({
        time: Date.parse(event.date) / 1000,
        ...(event.hostname === undefined ? {} : { host: event.hostname }),
        source: 'auth0',
        sourcetype: 'auth0_logs',
        event: recordOf(event),
      }),
    )
    .join('\n');
}

/** A Sumo Logic HTTP source body: one record per line (Sumo splits messages at lines). */
export function sumoBody(events: readonly AuditEvent[]): string {
  return events.map((event) => JSON.stringify(recordOf(event))).join('\n');
}

/** One EventBridge partner event, as `PutPartnerEvents` (and `PutEvents`) take it. */
export interface EventBridgeEntry {
  /** The stream's partner event source. */
  readonly Source: string;
  /** Always `Auth0 log`. */
  readonly DetailType: string;
  /** The record, as JSON text. */
  readonly Detail: string;
  /** When the event happened. */
  readonly Time: Date;
  /** Always empty. */
  readonly Resources: readonly string[];
}

/** The EventBridge entries of `events` for the partner event source `source`. */
export function eventBridgeEntries(
  events: readonly AuditEvent[],
  source: string,
): EventBridgeEntry[] {
  return events.map((event) => ({
    Source: source,
    DetailType: 'Auth0 log',
    Detail: JSON.stringify(recordOf(event)),
    Time: new Date(event.date),
    Resources: [],
  }));
}
