/**
 * Log streams as Auth0's Management API shapes them: a stream has a `name`, a `type` (where
 * it delivers), a `status`, optional category `filters`, and a `sink` whose fields depend
 * on the type. The types, the sink fields of each type and which of them are secrets live
 * here, in one place.
 *
 * Sink secrets (`httpAuthorization`, `datadogApiKey`, `splunkToken`) are write-only: a
 * {@link LogStream} never holds them, so neither its JSON nor `util.inspect` can show
 * them; only delivery reads them from the store.
 *
 * @see https://auth0.com/docs/customize/log-streams
 * @see https://auth0.com/docs/api/management/v2/log-streams/post-log-streams
 * @module
 */
import { deepFreeze } from '../lib/deep-freeze.js';
import type { LogStreamCategory } from './categories.js';

/** Where a stream delivers, of Auth0's stream types: the ones clientele delivers to. */
export type LogStreamType = 'http' | 'datadog' | 'splunk' | 'sumo' | 'eventbridge';

/** Every {@link LogStreamType}, in the order messages list them. */
export const LOG_STREAM_TYPES: readonly LogStreamType[] = Object.freeze([
  'http',
  'datadog',
  'splunk',
  'sumo',
  'eventbridge',
]);

/**
 * Auth0's stream types clientele does not deliver to (they need the vendor's own
 * partnership): refused on create with a message that says so.
 */
export const UNSUPPORTED_LOG_STREAM_TYPES: readonly string[] = Object.freeze([
  'eventgrid',
  'segment',
  'mixpanel',
]);

/**
 * `active` delivers; `paused` keeps events for later (bounded) without delivering;
 * `suspended` is what delivery sets after the last retry failed (events kept the same
 * way): setting `active` again resumes from where it stopped.
 */
export type LogStreamStatus = 'active' | 'paused' | 'suspended';

/** Every {@link LogStreamStatus}. */
export const LOG_STREAM_STATUSES: readonly LogStreamStatus[] = Object.freeze([
  'active',
  'paused',
  'suspended',
]);

/** One of Auth0's event filters: events of the category `name` are delivered. */
export interface LogStreamFilter {
  /** Always `category` (Auth0's only filter type). */
  type: 'category';
  /** The category (`auth.login.fail`, `management.success`, …). */
  name: LogStreamCategory;
}

/** How an `http` stream lays out a request body: see docs/audit.md. */
export type HttpContentFormat = 'JSONLINES' | 'JSONARRAY' | 'JSONOBJECT';

/** Every {@link HttpContentFormat}. */
export const HTTP_CONTENT_FORMATS: readonly HttpContentFormat[] = Object.freeze([
  'JSONLINES',
  'JSONARRAY',
  'JSONOBJECT',
]);

/** One header an `http` stream adds to its requests. */
export interface HttpCustomHeader {
  /** The header name. */
  header: string;
  /** Its value. */
  value: string;
}

/** The sink of an `http` stream (Auth0's "Custom Webhook"). */
export interface HttpSink {
  /** Where batches are POSTed: an absolute http(s) URL. */
  httpEndpoint: string;
  /** Body layout; `JSONLINES` when absent. */
  httpContentFormat?: HttpContentFormat;
  /** The `Content-Type` of requests; `application/json` when absent. */
  httpContentType?: string;
  /** The `Authorization` header of requests. Write-only. */
  httpAuthorization?: string;
  /** More headers for every request. */
  httpCustomHeaders?: HttpCustomHeader[];
}

/** Datadog's log intake sites, as Auth0 names them. */
export type DatadogRegion = 'us' | 'eu' | 'us3' | 'us5';

/** Every {@link DatadogRegion}. */
export const DATADOG_REGIONS: readonly DatadogRegion[] = Object.freeze(['us', 'eu', 'us3', 'us5']);

/** The sink of a `datadog` stream. */
export interface DatadogSink {
  /** The Datadog site whose HTTP logs intake receives the events. */
  datadogRegion: DatadogRegion;
  /** The `DD-API-KEY` of requests. Write-only. */
  datadogApiKey: string;
}

/** The sink of a `splunk` stream: an HTTP Event Collector. */
export interface SplunkSink {
  /** The collector's host name (no scheme, port or path). */
  splunkDomain: string;
  /** Its port, as a string of digits (Auth0's type); 8088 is HEC's default. */
  splunkPort: string;
  /** The HEC token (`Authorization: Splunk <token>`). Write-only. */
  splunkToken: string;
  /** Whether the collector's TLS certificate is verified. */
  splunkSecure: boolean;
}

/** The sink of a `sumo` stream. */
export interface SumoSink {
  /** The URL of a Sumo Logic HTTP source. */
  sumoSourceAddress: string;
}

/** The sink of an `eventbridge` stream. */
export interface EventBridgeSink {
  /** The AWS account (12 digits) that receives the partner event source. */
  awsAccountId: string;
  /** Its AWS region (`us-east-1`, …). */
  awsRegion: string;
  /**
   * The partner event source events are put to (`aws.partner/auth0.com/…/auth0.logs`),
   * assigned on create; read-only.
   */
  awsPartnerEventSource: string;
}

/** The sink of each stream type. */
export interface LogStreamSinks {
  /** A webhook. */
  http: HttpSink;
  /** Datadog's HTTP logs intake. */
  datadog: DatadogSink;
  /** A Splunk HTTP Event Collector. */
  splunk: SplunkSink;
  /** A Sumo Logic HTTP source. */
  sumo: SumoSink;
  /** An Amazon EventBridge partner event source. */
  eventbridge: EventBridgeSink;
}

/** Any stream's sink. */
export type LogStreamSink = LogStreamSinks[LogStreamType];

/**
 * The sink fields of each type that are secrets: accepted on create and update, stored
 * (sealed with `secretsKey`), used by delivery, never returned.
 */
export const SINK_SECRETS: Readonly<Record<LogStreamType, readonly string[]>> = Object.freeze({
  http: Object.freeze(['httpAuthorization']),
  datadog: Object.freeze(['datadogApiKey']),
  splunk: Object.freeze(['splunkToken']),
  sumo: Object.freeze([]),
  eventbridge: Object.freeze([]),
});

/** Every sink field that is a secret, whatever the type. */
export const ALL_SINK_SECRETS: readonly string[] = Object.freeze(
  Object.values(SINK_SECRETS).flat(),
);

/** A stream as stored: what the registry writes, secrets included. @internal */
export interface LogStreamRecord {
  /** `lst_…`. */
  id: string;
  name: string;
  type: LogStreamType;
  status: LogStreamStatus;
  /** Absent or empty: every event. */
  filters?: LogStreamFilter[];
  /** Auth0's priority flag; kept as given. */
  isPriority?: boolean;
  sink: LogStreamSink;
}

/**
 * A log stream as the Management API shows it: its sink without the secrets. Frozen.
 *
 * @example
 * ```ts
 * const stream = await tenant.logStreams.create({
 *   name: 'SIEM',
 *   type: 'http',
 *   sink: { httpEndpoint: 'https://siem.example.com/auth0', httpAuthorization: 'Bearer s3cr3t' },
 * });
 * stream.sink; // { httpEndpoint: 'https://siem.example.com/auth0' }
 * ```
 */
export interface LogStream {
  /** The stream id (`lst_…`). */
  readonly id: string;
  /** Its name, unique in the tenant. */
  readonly name: string;
  /** Where it delivers. */
  readonly type: LogStreamType;
  /** Whether it delivers now. */
  readonly status: LogStreamStatus;
  /** Category filters; absent or empty when every event is delivered. */
  readonly filters?: readonly Readonly<LogStreamFilter>[];
  /** Auth0's priority flag, as given. */
  readonly isPriority?: boolean;
  /** The sink, without its secrets. */
  readonly sink: Readonly<Record<string, unknown>>;
}

/**
 * What `tenant.logStreams.create` accepts: Auth0's create body (and a stream as the
 * Management API shows it, but for its `id`).
 */
export interface LogStreamInput {
  /** 1–255 characters, unique in the tenant. Default: the type (`http`, …). */
  name?: string;
  /** One of {@link LOG_STREAM_TYPES}. */
  type: string;
  /** The sink of that type, secrets included. */
  sink: object;
  /** Category filters; none delivers every event. */
  filters?: LogStreamFilter[];
  /** Auth0's priority flag. */
  isPriority?: boolean;
  /** `active` (default) or `paused` (keeps events for later without delivering). */
  status?: string;
}

/**
 * What `tenant.logStreams.update` accepts (Auth0's PATCH body): `sink` is merged into the
 * stored sink, so a secret left out keeps its stored value (as the Deploy CLI sends it);
 * `status` may be `active` or `paused`.
 */
export interface LogStreamPatch {
  /** A new name, unique in the tenant. */
  name?: string;
  /** `active` (resume) or `paused`. */
  status?: string;
  /** New filters, replacing the stored ones (`[]`: every event). */
  filters?: LogStreamFilter[];
  /** Auth0's priority flag. */
  isPriority?: boolean;
  /** Sink fields to change; the others keep their stored values. */
  sink?: object;
}

/** The stream without its secrets, frozen: what the registry returns. @internal */
export function publicStream(record: LogStreamRecord): LogStream {
  const secrets = SINK_SECRETS[record.type];
  const sink = Object.fromEntries(
    Object.entries(record.sink).filter(([field]) => !secrets.includes(field)),
  );
  const stream = {
    id: record.id,
    name: record.name,
    type: record.type,
    status: record.status,
    ...(record.filters === undefined
      ? {}
      : { filters: record.filters.map((filter) => Object.freeze({ ...filter })) }),
    ...(record.isPriority === undefined ? {} : { isPriority: record.isPriority }),
    sink: deepFreeze(structuredClone(sink)),
  };
  if (stream.filters) Object.freeze(stream.filters);
  return Object.freeze(stream);
}
