/**
 * Delivery to one stream: its position in the shared {@link EventBuffer}, the batch it has
 * taken and not delivered yet, and the loop that sends it: a batch goes when it is full or
 * `batchMaxWaitMs` after its first event, one at a time and in order; a failed batch is
 * retried `retries` times with backoff, then the stream is suspended and the batch kept,
 * so setting the stream `active` again delivers it and what followed.
 *
 * @internal
 * @module
 */
import type { AuditEvent } from '../audit/event.js';
import { ClienteleError } from '../errors.js';
import type { EventBuffer } from './buffer.js';
import { filterPredicate } from './categories.js';
import type { LogStreamConfig } from './options.js';
import { deliverySteps, type DeliveryStep } from './requests.js';
import {
  publicStream,
  type LogStream,
  type LogStreamRecord,
  type LogStreamStatus,
} from './stream.js';
import { DeliveryFailure, post } from './transport.js';

/** What a stream has delivered and lost, in this process (`tenant.logStreams.health()`). */
export interface LogStreamHealth {
  /** The stream id. */
  readonly id: string;
  /** Its status as this process knows it. */
  readonly status: LogStreamStatus;
  /** Events waiting for it: taken into a batch or still in the buffer. */
  readonly pending: number;
  /** Events it delivered. */
  readonly delivered: number;
  /** Failed attempts (each retry counts). */
  readonly failedAttempts: number;
  /** Events it lost: past the buffer's bounds, or undelivered at close. */
  readonly deadLettered: number;
  /** Why the last attempt failed, when it did. Never a URL or a secret. */
  readonly lastError?: string;
  /** When it last delivered a batch (ISO 8601). */
  readonly lastDeliveredAt?: string;
}

/** What a stream's delivery shares with the hub. */
export interface DeliveryContext {
  readonly config: LogStreamConfig;
  readonly buffer: EventBuffer;
  /** The stream failed its last retry: mark it suspended in the store, with `reason`. */
  readonly suspend: (stream: LogStreamRecord, reason: string) => void;
  /** The stream moved its position: the buffer may drop what every stream has passed. */
  readonly progressed: () => void;
  /** The clock, for `lastDeliveredAt`. */
  readonly now: () => number;
}

/** The delivery state and loop of one stream. */
export class StreamDelivery {
  #record: LogStreamRecord;
  #accepts: (type: string) => boolean;
  /** Sequence number of the next buffered event not taken into a batch. */
  #position: number;
  /** Accepted events at or after `#position` still in the buffer. */
  #queued = 0;
  #held: { events: AuditEvent[]; done: number } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stopped = false;
  readonly #abort = new AbortController();
  readonly #context: DeliveryContext;
  #delivered = 0;
  #failedAttempts = 0;
  #deadLettered = 0;
  #lastError: string | undefined;
  #lastDeliveredAt: number | undefined;

  constructor(context: DeliveryContext, record: LogStreamRecord) {
    this.#context = context;
    this.#record = record;
    this.#accepts = filterPredicate(record.filters);
    this.#position = context.buffer.end;
  }

  /** The stream's id. */
  get id(): string {
    return this.#record.id;
  }

  /** Sequence number of the oldest event the stream still needs. */
  get position(): number {
    return this.#position;
  }

  /** Takes a changed stream (status, filters, sink) from the registry. */
  update(record: LogStreamRecord): void {
    const filtersChanged = JSON.stringify(record.filters) !== JSON.stringify(this.#record.filters);
    this.#record = record;
    if (filtersChanged) {
      this.#accepts = filterPredicate(record.filters);
      this.#queued = this.#count(this.#position);
    }
    if (record.status === 'active') this.schedule();
    else this.#interrupt();
  }

  /** An event was buffered. */
  offer(event: AuditEvent): void {
    if (this.#accepts(event.type)) this.#queued += 1;
  }

  /** The buffer drops `event` (numbered `seq`): lost for this stream if it still needed it. */
  evicted(seq: number, event: AuditEvent): AuditEvent | undefined {
    if (seq < this.#position) return undefined;
    this.#position = seq + 1;
    if (!this.#accepts(event.type)) return undefined;
    this.#queued -= 1;
    this.#deadLettered += 1;
    return event;
  }

  /** Starts a batch now when one is full, or after `batchMaxWaitMs` otherwise. */
  schedule(): void {
    if (this.#stopped || this.#record.status !== 'active' || this.#running !== undefined) return;
    const waiting = this.#queued + (this.#held?.events.length ?? 0);
    if (waiting === 0) return;
    if (this.#held !== undefined || waiting >= this.#context.config.batchMaxEvents) {
      this.#start(undefined);
    } else {
      this.#timer ??= setTimeout(() => this.#start(undefined), this.#context.config.batchMaxWaitMs);
    }
  }

  /**
   * Delivers every event buffered before `target` now (no batching wait), and resolves when
   * that is done or the stream stopped delivering (paused, suspended, closed).
   */
  async drain(target: number): Promise<void> {
    while (!this.#stopped && this.#record.status === 'active') {
      if (this.#running) {
        await this.#running;
        continue;
      }
      if (this.#held === undefined && (this.#position >= target || this.#queued === 0)) return;
      this.#start(target);
    }
  }

  /** Stops for good: no new attempt, the request in flight aborted. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort(new ClienteleError('log_stream_closed', 'log stream delivery stopped'));
    this.#interrupt();
    await this.#running;
  }

  /** What the stream has not delivered: its batch, then the buffered events it accepts. */
  leftovers(): AuditEvent[] {
    const events = [...(this.#held?.events.slice(this.#held.done) ?? [])];
    const { buffer } = this.#context;
    for (let seq = Math.max(this.#position, buffer.start); seq < buffer.end; seq++) {
      const event = buffer.at(seq);
      if (event !== undefined && this.#accepts(event.type)) events.push(event);
    }
    this.#deadLettered += events.length;
    this.#held = undefined;
    this.#queued = 0;
    return events;
  }

  /** The stream as the app sees it (no secrets). */
  get stream(): LogStream {
    return publicStream(this.#record);
  }

  /** Counters of this process. */
  health(): LogStreamHealth {
    return {
      id: this.#record.id,
      status: this.#record.status,
      pending: this.#queued + (this.#held ? this.#held.events.length - this.#held.done : 0),
      delivered: this.#delivered,
      failedAttempts: this.#failedAttempts,
      deadLettered: this.#deadLettered,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
      ...(this.#lastDeliveredAt === undefined
        ? {}
        : { lastDeliveredAt: new Date(this.#lastDeliveredAt).toISOString() }),
    };
  }

  /** Counts this stream's events still buffered from `from` on. */
  #count(from: number): number {
    const { buffer } = this.#context;
    let count = 0;
    for (let seq = Math.max(from, buffer.start); seq < buffer.end; seq++) {
      const event = buffer.at(seq);
      if (event !== undefined && this.#accepts(event.type)) count += 1;
    }
    return count;
  }

  #start(target: number | undefined): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#run(target).finally(() => {
      this.#running = undefined;
      this.schedule();
    });
  }

  /** Sends batches while there is a full one (or, for `target`, anything before it). */
  async #run(target: number | undefined): Promise<void> {
    const { batchMaxEvents } = this.#context.config;
    do {
      this.#held ??= this.#take(target);
      if (this.#held === undefined) return;
      if (!(await this.#deliverHeld())) return;
      this.#delivered += this.#held.events.length;
      this.#lastDeliveredAt = this.#context.now();
      this.#held = undefined;
      this.#context.progressed();
    } while (
      !this.#stopped &&
      this.#record.status === 'active' &&
      (this.#queued >= batchMaxEvents ||
        (target !== undefined && this.#position < target && this.#queued > 0))
    );
  }

  /** Up to `batchMaxEvents` accepted events from the position on (before `target`). */
  #take(target: number | undefined): { events: AuditEvent[]; done: number } | undefined {
    const { buffer, config } = this.#context;
    const events: AuditEvent[] = [];
    const end = target === undefined ? buffer.end : Math.min(target, buffer.end);
    let seq = Math.max(this.#position, buffer.start);
    while (seq < end && events.length < config.batchMaxEvents) {
      const event = buffer.at(seq);
      seq += 1;
      if (event !== undefined && this.#accepts(event.type)) events.push(event);
    }
    this.#position = seq;
    this.#queued -= events.length;
    return events.length === 0 ? undefined : { events, done: 0 };
  }

  /** Sends the held batch with retries; false when it stopped or suspended the stream. */
  async #deliverHeld(): Promise<boolean> {
    const { retries, retryBaseDelayMs } = this.#context.config;
    const held = this.#held as { events: AuditEvent[]; done: number };
    let reason = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await this.#sleep(backoff(retryBaseDelayMs, attempt));
      if (this.#stopped || this.#record.status !== 'active') return false;
      try {
        // Built from the stream as it is now: a fixed endpoint or secret applies at once.
        for (const step of deliverySteps(this.#record, held.events.slice(held.done))) {
          await this.#send(step);
          held.done += step.events;
        }
        this.#lastError = undefined;
        return true;
      } catch (error) {
        if (this.#stopped) return false;
        this.#failedAttempts += 1;
        reason = error instanceof DeliveryFailure ? error.message : 'the delivery failed';
        this.#lastError = reason;
      }
    }
    this.#record = { ...this.#record, status: 'suspended' };
    this.#context.suspend(this.#record, `${reason} (after ${retries + 1} attempts)`);
    return false;
  }

  async #send(step: DeliveryStep): Promise<void> {
    const { config } = this.#context;
    if (step.kind === 'request') {
      await post(
        step.request,
        {
          fetch: config.fetch,
          allowPrivateNetwork: config.allowPrivateNetwork,
          timeoutMs: config.requestTimeoutMs,
        },
        this.#abort.signal,
      );
      return;
    }
    if (config.eventBridge === undefined) {
      throw new DeliveryFailure(
        'no EventBridge client: pass Tenant.create({ logStreams: { eventBridge } })',
      );
    }
    try {
      await config.eventBridge(step.entries, this.stream);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'an error';
      throw new DeliveryFailure(`the EventBridge function rejected the entries (${name})`, {
        cause: error,
      });
    }
  }

  /** Waits `ms`, or less when the stream is paused, changed or stopped. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.#wake = undefined;
    });
  }

  #interrupt(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wake?.();
  }
}

/** Delay before retry `attempt` (1 for the first): `base × 2^(attempt-1)`, its upper half at random. */
function backoff(base: number, attempt: number): number {
  const ceiling = base * 2 ** (attempt - 1);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
