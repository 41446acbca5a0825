/**
 * Delivery from the audit trail to every log stream: one {@link AuditSink} on the trail
 * whose `write` only buffers (so the trail's own queue for it never grows and nothing
 * waits for a receiver), and one {@link StreamDelivery} per stream reading the shared
 * buffer from its own position. The buffer is bounded by `maxBufferedEvents` and
 * `maxBufferedSeconds`; what a stream still needed when an event leaves it goes to
 * `onDeadLetter` and is counted in the stream's health, never dropped silently.
 *
 * @internal
 * @module
 */
import type { AuditEvent, AuditSink } from '../audit/event.js';
import { warn } from '../audit/warn.js';
import { ClienteleError } from '../errors.js';
import { EventBuffer } from './buffer.js';
import type { LogStreamConfig } from './options.js';
import type { LogStream, LogStreamRecord } from './stream.js';
import { StreamDelivery, type LogStreamHealth } from './stream-delivery.js';

/** Why a stream lost events, by cause. */
const LOST = {
  overflow: (max: number) =>
    new ClienteleError(
      'log_stream_overflow',
      `more than ${max} events waited for log streams (logStreams.maxBufferedEvents): the oldest were dropped`,
    ),
  expired: (seconds: number) =>
    new ClienteleError(
      'log_stream_expired',
      `events waited longer than ${seconds} s for a log stream (logStreams.maxBufferedSeconds)`,
    ),
  closed: () =>
    new ClienteleError('log_stream_closed', 'the tenant closed before these events were delivered'),
};

/** The log streams' sink on the audit trail. */
export class LogStreamHub implements AuditSink {
  readonly #config: LogStreamConfig;
  readonly #buffer = new EventBuffer();
  readonly #streams = new Map<string, StreamDelivery>();
  readonly #now: () => number;
  readonly #suspend: (stream: LogStreamRecord, reason: string) => void;
  /** Dead letters gathered in one synchronous burst, per stream and cause. */
  #lost:
    Map<string, { stream: LogStream; events: AuditEvent[]; error: ClienteleError }> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  /**
   * @param config - the tenant option `logStreams`, checked
   * @param suspend - records that a stream failed its last retry (the registry writes the
   *   status and audits it)
   * @param now - the clock
   */
  constructor(
    config: LogStreamConfig,
    suspend: (stream: LogStreamRecord, reason: string) => void,
    now: () => number,
  ) {
    this.#config = config;
    this.#suspend = suspend;
    this.#now = now;
  }

  /** Buffers `batch` for the streams that want it. Never waits for a receiver, never fails. */
  write(batch: readonly AuditEvent[]): Promise<void> {
    if (this.#closed || this.#streams.size === 0) return Promise.resolve();
    for (const event of batch) {
      this.#buffer.push(event);
      for (const stream of this.#streams.values()) stream.offer(event);
    }
    this.#bound();
    for (const stream of this.#streams.values()) stream.schedule();
    return Promise.resolve();
  }

  /** Makes the streams exactly `records` (what the store holds now). */
  replaceAll(records: readonly LogStreamRecord[]): void {
    const ids = new Set(records.map((record) => record.id));
    for (const id of [...this.#streams.keys()]) if (!ids.has(id)) this.remove(id);
    for (const record of records) this.upsert(record);
  }

  /** Adds a stream (delivering events recorded from now on) or takes its changes. */
  upsert(record: LogStreamRecord): void {
    if (this.#closed) return;
    const known = this.#streams.get(record.id);
    if (known) {
      known.update(record);
      return;
    }
    const delivery = new StreamDelivery(
      {
        config: this.#config,
        buffer: this.#buffer,
        suspend: this.#suspend,
        progressed: () => this.#trim(),
        now: this.#now,
      },
      record,
    );
    this.#streams.set(record.id, delivery);
    delivery.schedule();
  }

  /** Forgets a deleted stream (what it had not delivered is no one's any more). */
  remove(id: string): void {
    const stream = this.#streams.get(id);
    if (!stream) return;
    this.#streams.delete(id);
    void stream.stop();
    this.#trim();
  }

  /** This process's counters of one stream, or of every stream. */
  health(): LogStreamHealth[] {
    return [...this.#streams.values()].map((stream) => stream.health());
  }

  /**
   * Delivers at once everything buffered so far to the active streams, and resolves when
   * each has delivered it or stopped delivering (paused, suspended after its retries).
   */
  async flush(): Promise<void> {
    const target = this.#buffer.end;
    await Promise.all([...this.#streams.values()].map((stream) => stream.drain(target)));
  }

  /**
   * Stops every stream (a request in flight is aborted) and hands what they had not
   * delivered to `onDeadLetter`, with a `ClienteleError` of code `log_stream_closed`.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      const streams = [...this.#streams.values()];
      await Promise.all(streams.map((stream) => stream.stop()));
      const error = LOST.closed();
      for (const stream of streams) {
        const events = stream.leftovers();
        if (events.length > 0) this.#report(stream.stream, events, error);
      }
      this.#streams.clear();
      this.#buffer.dropBefore(this.#buffer.end);
    })();
    return this.#closing;
  }

  /** Drops the oldest events past the count and age bounds. */
  #bound(): void {
    const { maxBufferedEvents, maxBufferedMs } = this.#config;
    while (this.#buffer.size > maxBufferedEvents) this.#evict(LOST.overflow(maxBufferedEvents));
    const oldest = this.#now() - maxBufferedMs;
    for (;;) {
      const front = this.#buffer.at(this.#buffer.start);
      if (front === undefined || Date.parse(front.date) >= oldest) break;
      this.#evict(LOST.expired(maxBufferedMs / 1000));
    }
  }

  #evict(error: ClienteleError): void {
    const seq = this.#buffer.start;
    const event = this.#buffer.at(seq);
    if (event === undefined) return;
    for (const stream of this.#streams.values()) {
      if (stream.evicted(seq, event) !== undefined) this.#deadLetter(stream.stream, [event], error);
    }
    this.#buffer.dropBefore(seq + 1);
  }

  /** Drops what every stream has passed. */
  #trim(): void {
    let oldest = this.#buffer.end;
    for (const stream of this.#streams.values()) oldest = Math.min(oldest, stream.position);
    this.#buffer.dropBefore(oldest);
  }

  /** Gathers lost events and reports them together after the current burst. */
  #deadLetter(stream: LogStream, events: readonly AuditEvent[], error: ClienteleError): void {
    const key = `${stream.id} ${error.code}`;
    if (this.#lost === undefined) {
      const lost = new Map<
        string,
        { stream: LogStream; events: AuditEvent[]; error: ClienteleError }
      >();
      this.#lost = lost;
      queueMicrotask(() => {
        this.#lost = undefined;
        for (const entry of lost.values()) this.#report(entry.stream, entry.events, entry.error);
      });
    }
    const entry = this.#lost.get(key);
    if (entry) entry.events.push(...events);
    else this.#lost.set(key, { stream, events: [...events], error });
  }

  #report(stream: LogStream, events: readonly AuditEvent[], error: ClienteleError): void {
    if (this.#config.onDeadLetter !== undefined) {
      try {
        this.#config.onDeadLetter(Object.freeze([...events]), error, stream);
        return;
      } catch (callbackError) {
        warn(
          'CLIENTELE_AUDIT_CALLBACK_FAILED',
          'the logStreams onDeadLetter callback threw',
          callbackError,
        );
      }
    }
    warn(
      'CLIENTELE_AUDIT_DEAD_LETTER',
      `log stream ${stream.id}: ${events.length} event(s) not delivered (log_id ${events[0]?.log_id ?? ''} to ${events.at(-1)?.log_id ?? ''})`,
      error,
    );
  }
}
