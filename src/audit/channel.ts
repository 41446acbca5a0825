/**
 * Delivery to one sink: a queue of events, written in order, in batches, one batch at a
 * time. A rejected batch is retried (same array, same events) with backoff until it is
 * written or out of attempts, then dead-lettered; only then does the next batch start.
 * Each sink has its own channel, so a slow or failing sink holds up nobody else.
 */
import { ClienteleError } from '../errors.js';
import type { AuditEvent, AuditSink } from './event.js';
import { retryDelay, type RetryPolicy } from './retry.js';

/** Receives a batch that could not be delivered. Must not throw (the trail wraps the user's). */
export type DeadLetterHandler = (
  events: readonly AuditEvent[],
  error: unknown,
  sink: AuditSink,
) => void;

/** What a channel does when `maxPending` events wait: see {@link AuditSink.overflow}. */
export type OverflowPolicy = 'wait' | 'dead-letter';

/** The queue and delivery loop of one sink. */
export class SinkChannel {
  /** The sink this channel delivers to. */
  readonly sink: AuditSink;
  /** True when the sink wants events of this type; `undefined` when it wants all. */
  readonly accepts: ((type: string) => boolean) | undefined;

  /** What happens at `maxPending`. */
  readonly overflow: OverflowPolicy;

  readonly #batchSize: number;
  readonly #retry: RetryPolicy;
  readonly #onDeadLetter: DeadLetterHandler;
  readonly #maxPending: number;
  /** Events handed to `onDeadLetter` because the queue was full, and in all. */
  #overflowed = 0;
  #deadLettered = 0;
  /** Overflowing events gathered in one synchronous burst, dead-lettered together. */
  #spill: AuditEvent[] | undefined;
  /** Resolved when the queue drops below `maxPending` (for `'wait'`). */
  #roomWaiters: (() => void)[] = [];

  #queue: AuditEvent[] = [];
  #head = 0;
  #enqueued = 0;
  #settled = 0;
  #draining = false;
  /** The batch being written (or waiting to be retried), if any. */
  #inFlight: readonly AuditEvent[] | undefined;
  /** Set by {@link SinkChannel.abandon}: nothing more is delivered. */
  #abandoned = false;
  /** Flush waiters, in increasing `target` order because `#enqueued` only grows. */
  readonly #waiters: { target: number; resolve: () => void }[] = [];

  constructor(
    sink: AuditSink,
    accepts: ((type: string) => boolean) | undefined,
    batchSize: number,
    retry: RetryPolicy,
    onDeadLetter: DeadLetterHandler,
    bound: { maxPending: number; overflow: OverflowPolicy } = {
      maxPending: Number.POSITIVE_INFINITY,
      overflow: 'dead-letter',
    },
  ) {
    this.sink = sink;
    this.accepts = accepts;
    this.#batchSize = batchSize;
    this.#retry = retry;
    this.#maxPending = bound.maxPending;
    this.overflow = bound.overflow;
    this.#onDeadLetter = (events, error, target) => {
      this.#deadLettered += events.length;
      onDeadLetter(events, error, target);
    };
  }

  /** Events queued or being written. */
  get pending(): number {
    return this.#enqueued - this.#settled;
  }

  /** Events dead-lettered because the queue was full (`'dead-letter'` policy). */
  get overflowed(): number {
    return this.#overflowed;
  }

  /** Events handed to `onDeadLetter` for any reason. */
  get deadLettered(): number {
    return this.#deadLettered;
  }

  /** True when `maxPending` events wait (new events are then dead-lettered or waited for). */
  get full(): boolean {
    return this.pending >= this.#maxPending;
  }

  /** Resolves once fewer than `maxPending` events wait. */
  room(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Events handed to this channel so far. */
  get enqueued(): number {
    return this.#enqueued;
  }

  /**
   * Queues `event`; never waits, never throws. With the `'dead-letter'` policy an event
   * that finds `maxPending` events waiting goes to `onDeadLetter` instead (with those of
   * the same synchronous burst, as one batch), with a `ClienteleError` of code
   * `audit_overflow`.
   */
  push(event: AuditEvent): void {
    if (this.overflow === 'dead-letter' && this.full && !this.#abandoned) {
      this.#overflowed += 1;
      if (this.#spill === undefined) {
        const spill: AuditEvent[] = [];
        this.#spill = spill;
        queueMicrotask(() => {
          this.#spill = undefined;
          this.#onDeadLetter(Object.freeze(spill), overflowError(this.#maxPending), this.sink);
        });
      }
      this.#spill.push(event);
      return;
    }
    this.#enqueued += 1;
    if (this.#abandoned) {
      this.#onDeadLetter(Object.freeze([event]), ABANDONED, this.sink);
      this.#settle(this.#enqueued);
      return;
    }
    this.#queue.push(event);
    if (!this.#draining) {
      this.#draining = true;
      // Start after the current synchronous burst, so events recorded together share a batch.
      queueMicrotask(() => void this.#drain());
    }
  }

  /** Resolves once the first `target` events have been written or dead-lettered. */
  settled(target: number): Promise<void> {
    if (this.#settled >= target) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ target, resolve }));
  }

  /**
   * Gives up on delivery for good (the trail's close deadline passed): the batch in flight
   * and everything queued are dead-lettered now, with `error`, and every waiter released.
   * The batch in flight may still reach the sink if its write completes later, so a log
   * service can see an event that was also dead-lettered (its `log_id` tells them apart).
   * Events pushed afterwards are dead-lettered at once.
   */
  abandon(error: unknown): void {
    if (this.#abandoned) return;
    this.#abandoned = true;
    const left = [...(this.#inFlight ?? []), ...this.#queue.slice(this.#head)];
    this.#queue = [];
    this.#head = 0;
    this.#inFlight = undefined;
    if (left.length > 0) this.#onDeadLetter(Object.freeze(left), error, this.sink);
    this.#settle(this.#enqueued);
  }

  async #drain(): Promise<void> {
    // Events that arrive while a batch is in flight wait for it and form the next batch.
    while (this.#head < this.#queue.length && !this.#abandoned) {
      const batch = this.#take();
      this.#inFlight = batch;
      await this.#deliver(batch);
      // An abandoned channel has dead-lettered and settled this batch already.
      if (this.#abandoned) break;
      this.#inFlight = undefined;
      this.#settle(this.#settled + batch.length);
    }
    this.#draining = false;
  }

  #settle(count: number): void {
    this.#settled = count;
    while (this.#waiters[0] !== undefined && this.#waiters[0].target <= this.#settled) {
      this.#waiters.shift()?.resolve();
    }
    if (this.#roomWaiters.length > 0 && !this.full) {
      const waiting = this.#roomWaiters;
      this.#roomWaiters = [];
      for (const resolve of waiting) resolve();
    }
  }

  #take(): readonly AuditEvent[] {
    const end = Math.min(this.#head + this.#batchSize, this.#queue.length);
    const batch = Object.freeze(this.#queue.slice(this.#head, end));
    this.#head = end;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head >= 4096 && this.#head * 2 >= this.#queue.length) {
      // A long backlog behind a failing sink: drop the consumed front now and then.
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  /** Writes `batch`, retrying with backoff; dead-letters it after the last try. Never rejects. */
  async #deliver(batch: readonly AuditEvent[]): Promise<void> {
    let lastError: unknown;
    // A sink that the server waits for keeps everything: it is retried until it takes the
    // batch (the backoff stays at its ceiling), and only the close deadline gives up.
    const attempts = this.overflow === 'wait' ? Number.POSITIVE_INFINITY : this.#retry.attempts;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await sleep(retryDelay(this.#retry, attempt - 1));
      if (this.#abandoned) return;
      try {
        await this.sink.write(batch);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    if (!this.#abandoned) this.#onDeadLetter(batch, lastError, this.sink);
  }
}

function overflowError(maxPending: number): ClienteleError {
  return new ClienteleError(
    'audit_overflow',
    `the audit sink had ${maxPending} events waiting (maxPending): it is down or too slow, ` +
      'so these were not queued for it',
  );
}

/** The error of events pushed after {@link SinkChannel.abandon} (the trail sends none). */
const ABANDONED = new Error('audit delivery was abandoned');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
