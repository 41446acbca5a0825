/**
 * The tenant option `logStreams`: where deliveries may go, how events are batched and
 * retried, how many are kept for streams that do not deliver now, and the functions the app
 * lends (its `fetch`, its EventBridge client, where dead letters go).
 *
 * @module
 */
import type { AuditEvent } from '../audit/event.js';
import { InvalidArgumentError } from '../errors.js';
import type { EventBridgeEntry } from './formats.js';
import type { LogStream } from './stream.js';

/** Options of log stream delivery (`Tenant.create({ logStreams })`). */
export interface LogStreamOptions {
  /**
   * `false` refuses deliveries to private, loopback, link-local and other special
   * addresses: on create and update for IP-literal hosts, and before each request for the
   * addresses a host name resolves to. Default `true`: an administrator may point a stream
   * at any http(s) endpoint, a collector on localhost included.
   */
  allowPrivateNetwork?: boolean;
  /**
   * The `fetch` deliveries go through (a proxy, a test). Default: the global `fetch`, and
   * for a Splunk stream with `splunkSecure: false` node:https without certificate
   * verification; a `fetch` given here is used for that stream too, as it is.
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Puts EventBridge entries to the stream's partner event source (with the app's AWS
   * credentials): `PutPartnerEvents` or `PutEvents` from the AWS SDK, at most 10 entries a
   * call. Resolve when AWS accepted every entry; reject to have the call retried. Without
   * it, an `eventbridge` stream cannot deliver and is suspended after its retries.
   */
  eventBridge?: (entries: readonly EventBridgeEntry[], stream: LogStream) => Promise<void>;
  /** Most events in one batch of a stream, 1..1,000. Default 100. */
  batchMaxEvents?: number;
  /**
   * Milliseconds a stream waits after an event for more to batch with it, 0..60,000.
   * Default 1,000 (a full batch goes at once).
   */
  batchMaxWaitMs?: number;
  /** Retries of a failed batch before the stream is suspended, 0..10. Default 3. */
  retries?: number;
  /** Milliseconds before the first retry, doubled for each next one (with jitter), 0..60,000. Default 1,000. */
  retryBaseDelayMs?: number;
  /** Milliseconds one request may take, 100..120,000. Default 10,000. */
  requestTimeoutMs?: number;
  /**
   * Most events kept in memory for streams that do not deliver now (paused, suspended,
   * behind), 1..1,000,000. Default 10,000. Past it the oldest go to `onDeadLetter`.
   */
  maxBufferedEvents?: number;
  /**
   * Seconds an undelivered event is kept, 1..604,800. Default 86,400 (a day): resuming a
   * stream within it delivers what it missed. Older ones go to `onDeadLetter`.
   */
  maxBufferedSeconds?: number;
  /**
   * Receives the events a stream lost: past `maxBufferedEvents` or `maxBufferedSeconds`,
   * or undelivered when the tenant closed. Without it they are reported as a process
   * warning (code `CLIENTELE_AUDIT_DEAD_LETTER`) and counted in the stream's health.
   */
  onDeadLetter?: (events: readonly AuditEvent[], error: Error, stream: LogStream) => void;
}

/** Checked options with defaults. @internal */
export interface LogStreamConfig {
  readonly allowPrivateNetwork: boolean;
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly eventBridge: LogStreamOptions['eventBridge'];
  readonly batchMaxEvents: number;
  readonly batchMaxWaitMs: number;
  readonly retries: number;
  readonly retryBaseDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly maxBufferedEvents: number;
  readonly maxBufferedMs: number;
  readonly onDeadLetter: LogStreamOptions['onDeadLetter'];
}

/** Checks the tenant option `logStreams`. @internal */
export function readLogStreamOptions(value: unknown): LogStreamConfig {
  const given = (value ?? {}) as LogStreamOptions;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new InvalidArgumentError('/logStreams', 'logStreams must be an object');
  }
  const integer = (name: keyof LogStreamOptions, min: number, max: number, fallback: number) => {
    const found = given[name];
    if (found === undefined) return fallback;
    if (typeof found !== 'number' || !Number.isInteger(found) || found < min || found > max) {
      throw new InvalidArgumentError(
        `/logStreams/${name}`,
        `logStreams.${name} must be a whole number from ${min} to ${max}`,
      );
    }
    return found;
  };
  for (const name of ['fetch', 'eventBridge', 'onDeadLetter'] as const) {
    if (given[name] !== undefined && typeof given[name] !== 'function') {
      throw new InvalidArgumentError(
        `/logStreams/${name}`,
        `logStreams.${name} must be a function`,
      );
    }
  }
  if (given.allowPrivateNetwork !== undefined && typeof given.allowPrivateNetwork !== 'boolean') {
    throw new InvalidArgumentError(
      '/logStreams/allowPrivateNetwork',
      'logStreams.allowPrivateNetwork must be true or false',
    );
  }
  return {
    allowPrivateNetwork: given.allowPrivateNetwork ?? true,
    fetch: given.fetch,
    eventBridge: given.eventBridge,
    batchMaxEvents: integer('batchMaxEvents', 1, 1_000, 100),
    batchMaxWaitMs: integer('batchMaxWaitMs', 0, 60_000, 1_000),
    retries: integer('retries', 0, 10, 3),
    retryBaseDelayMs: integer('retryBaseDelayMs', 0, 60_000, 1_000),
    requestTimeoutMs: integer('requestTimeoutMs', 100, 120_000, 10_000),
    maxBufferedEvents: integer('maxBufferedEvents', 1, 1_000_000, 10_000),
    maxBufferedMs: integer('maxBufferedSeconds', 1, 604_800, 86_400) * 1000,
    onDeadLetter: given.onDeadLetter,
  };
}
