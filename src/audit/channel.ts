/**
 * Delivery to one sink: a queue of events, written in order, in batches, one batch at a
 * time. A rejected batch is retried (same array, same events) with backoff until it is
 * written or out of attempts, then dead-lettered; only then does the next batch start.
 * Each sink has its own channel, so a slow or failing sink holds up nobody else.
 */
import type { AuditEvent, AuditSink } from './event.js';
import { retryDelay, type RetryPolicy } from './retry.js';

/** Receives a batch that could not be delivered. Must not throw (the trail wraps the user's). */
export type DeadLetterHandler = (
  events: readonly AuditEvent[],
  error: unknown,
  sink: AuditSink,
) => void;

/** The queue and delivery loop of one sink. */
export class SinkChannel {
  /** The sink this channel delivers to. */
  readonly sink: AuditSink;
  /** True when the sink wants events of this type; `undefined` when it wants all. */
  readonly accepts: ((type: string) => boolean) | undefined;

  readonly #batchSize: number;
  readonly #retry: RetryPolicy;
  readonly #onDeadLetter: DeadLetterHandler;

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
  ) {
    this.sink = sink;
    this.accepts = accepts;
    this.#batchSize = batchSize;
    this.#retry = retry;
    this.#onDeadLetter = onDeadLetter;
  }

  /** Events handed to this channel so far. */
  get enqueued(): number {
    return this.#enqueued;
  }

  /** Queues `event`; never waits, never throws. */
  push(event: AuditEvent): void {
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
    for (let attempt = 1; attempt <= this.#retry.attempts; attempt += 1) {
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

/** The error of events pushed after {@link SinkChannel.abandon} (the trail sends none). */
const ABANDONED = new Error('audit delivery was abandoned');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
