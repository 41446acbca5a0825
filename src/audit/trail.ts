/**
 * The audit trail: records events, emits them, and delivers them to sinks reliably.
 *
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { ClienteleError, InvalidArgumentError } from '../errors.js';
import { SinkChannel } from './channel.js';
import { closeTimeout, settlesWithin, type CloseOptions } from './close-deadline.js';
import {
  AUDIT_EVENT_TYPES,
  type AuditEvent,
  type AuditEventType,
  type AuditSink,
} from './event.js';
import { createLogIdGenerator, isoDate } from './log-id.js';
import {
  isMobileAgent,
  MAX_USER_AGENT_LENGTH,
  requestDetails,
  type RequestContext,
} from './request-context.js';
import { freezeAsJson } from '../lib/frozen-json.js';
import { intern } from '../lib/intern.js';
import { MAX_DETAILS_HEIGHT, redactDetails } from '../lib/redact.js';
import { retryPolicy, type AuditRetryOptions } from './retry.js';
import { sharedDetails } from './shared-details.js';
import { compileTypeFilter } from './type-filter.js';
import { warn } from './warn.js';

/** What a caller passes to {@link AuditTrail.record}; the trail adds `log_id` and `date`. */
export interface AuditRecordInput {
  /** Auth0 log type code, a key of `AUDIT_EVENT_TYPES`. */
  type: AuditEventType;
  /** What happened, in words. Must not contain a secret. */
  description: string;
  /** The client concerned, when there is one. */
  client_id?: string | undefined;
  /** That client's name, when known. */
  client_name?: string | undefined;
  /** Caller IP address, when the embedding server passes it. */
  ip?: string | undefined;
  /** Caller user agent, when the embedding server passes it. */
  user_agent?: string | undefined;
  /** Whether the caller is a phone or a tablet. Default: read from the user agent. */
  isMobile?: boolean | undefined;
  /** The hostname the request was served on. Default: the trail's `hostname`. */
  hostname?: string | undefined;
  /** The user concerned (`auth0|42`). */
  user_id?: string | undefined;
  /** That user's name or email. */
  user_name?: string | undefined;
  /** The connection concerned, by name. */
  connection?: string | undefined;
  /** That connection's id. */
  connection_id?: string | undefined;
  /** That connection's strategy (`auth0`, `google-oauth2`, ...). */
  strategy?: string | undefined;
  /** That strategy's kind (`database`, `social`, `enterprise`, `passwordless`). */
  strategy_type?: string | undefined;
  /** The API a token was asked for. */
  audience?: string | undefined;
  /** The scopes asked for or granted, space-separated. */
  scope?: string | undefined;
  /**
   * The HTTP request behind the event: its `ip` and `userAgent` fill the fields of those
   * names (when not given above), its method, path and authenticated caller go to
   * `details.request`.
   */
  request?: RequestContext | undefined;
  /**
   * Structured detail (operation, changed field names, error code). Must not contain a
   * secret; values under secret-looking keys are replaced by `"[redacted]"` regardless.
   */
  details?: Readonly<Record<string, unknown>> | undefined;
}

/** Options of the {@link AuditTrail} constructor. */
export interface AuditTrailOptions {
  /** The `hostname` of every event (the Tenant passes its domain). None by default. */
  hostname?: string;
  /** Where events are delivered, each through its own ordered, retried queue. */
  sinks?: readonly AuditSink[];
  /** How a batch that a sink rejected is retried. */
  retry?: AuditRetryOptions;
  /** Most events handed to one `write` call. Default 100. */
  batchSize?: number;
  /**
   * Most events one sink may have waiting (queued or being written) before its
   * `overflow` policy applies: dead-lettered (the default), or new requests held until
   * there is room (`'wait'`, the store-backed log). Default 10,000.
   */
  maxPending?: number;
  /**
   * Receives every batch a sink still rejected after the last attempt, with the last
   * error, and every event recorded after `close()`. Without it those are reported as a
   * process warning (code `CLIENTELE_AUDIT_DEAD_LETTER`). Nothing is dropped silently.
   */
  onDeadLetter?: (events: readonly AuditEvent[], error: unknown, sink: AuditSink) => void;
}

/** One sink's part of {@link AuditBacklog}. */
export interface AuditSinkBacklog {
  /** The sink. */
  readonly sink: AuditSink;
  /** Its events queued or being written. */
  readonly pending: number;
  /** True when it has `maxPending` events waiting. */
  readonly full: boolean;
  /** Its events dead-lettered because its queue was full, since the trail was created. */
  readonly overflowed: number;
  /** Its events handed to `onDeadLetter` for any reason (overflow, failures, close). */
  readonly deadLettered: number;
}

/** What the trail has not delivered yet, returned by {@link AuditTrail.backlog}. */
export interface AuditBacklog {
  /** Events queued or being written, summed over the sinks. */
  readonly pending: number;
  /** True while a sink with the `'wait'` policy is full: servers hold new requests. */
  readonly full: boolean;
  /** Per sink, in the order of {@link AuditTrail.sinks}. */
  readonly sinks: readonly AuditSinkBacklog[];
}

/** The events an {@link AuditTrail} emits: `'event'` for all, and one per log type code. */
export type AuditTrailEvents = {
  /** Every recorded event, whatever its type. */
  event: [event: AuditEvent];
} & Record<AuditEventType, [event: AuditEvent]>;

type Mutable<T> = { -readonly [Key in keyof T]: T[Key] };

/** The string fields of an event copied as given, in the order they are written. */
const FIELDS = [
  'client_id',
  'client_name',
  'user_id',
  'user_name',
  'connection',
  'connection_id',
  'strategy',
  'strategy_type',
  'audience',
  'scope',
] as const satisfies readonly (keyof AuditRecordInput & keyof AuditEvent)[];

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_MAX_PENDING = 10_000;
const EMPTY_ROUTE: readonly SinkChannel[] = [];

/**
 * Records audit events, emits each one synchronously, and delivers them to sinks in the
 * background: per sink in order, in batches, retried with exponential backoff, and
 * dead-lettered after the last attempt. Recording never waits for, and never fails
 * because of, a sink. The Tenant exposes its trail as `tenant.audit`.
 *
 * After {@link AuditTrail.close}, `record` still returns and emits events, but hands them
 * to `onDeadLetter` (with a `ClienteleError` of code `audit_closed`) instead of the sinks.
 *
 * @example
 * ```ts
 * const sink = memorySink();
 * const audit = new AuditTrail({ sinks: [sink], retry: { attempts: 3 } });
 * audit.on('feccft', (event) => console.log('failed exchange for', event.client_id));
 * audit.record({
 *   type: 'sapi',
 *   description: 'Create a client',
 *   client_id: 'abc',
 *   details: { operation: 'create' },
 * });
 * await audit.flush();
 * sink.events.length; // 1
 * ```
 * @see https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes
 */
export class AuditTrail extends EventEmitter<AuditTrailEvents> {
  #channels: readonly SinkChannel[];
  /** The channels whose sink waits instead of dead-lettering when full. */
  #waiting: readonly SinkChannel[];
  readonly #batchSize: number;
  readonly #retry: ReturnType<typeof retryPolicy>;
  readonly #maxPending: number;
  /** Channels that want each type, worked out on first use of the type. */
  readonly #routes = new Map<string, readonly SinkChannel[]>();
  readonly #nextLogId = createLogIdGenerator();
  readonly #onDeadLetter: AuditTrailOptions['onDeadLetter'];
  readonly #hostname: string | undefined;
  #closing: Promise<void> | undefined;

  /**
   * @param options - sinks, retry policy, batch size and the dead-letter callback
   * @throws {@link InvalidArgumentError} when an option has the wrong shape (a sink without
   *   `write`, a `types` entry that is not a string, `retry.attempts` below 1, ...).
   */
  constructor(options: AuditTrailOptions = {}) {
    super();
    const {
      sinks = [],
      batchSize = DEFAULT_BATCH_SIZE,
      maxPending = DEFAULT_MAX_PENDING,
      onDeadLetter,
    } = options;
    if (!Array.isArray(sinks)) throw new InvalidArgumentError('/sinks', 'sinks must be an array');
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new InvalidArgumentError('/batchSize', 'batchSize must be an integer ≥ 1');
    }
    if (!Number.isSafeInteger(maxPending) || maxPending < 1) {
      throw new InvalidArgumentError('/maxPending', 'maxPending must be an integer ≥ 1');
    }
    if (onDeadLetter !== undefined && typeof onDeadLetter !== 'function') {
      throw new InvalidArgumentError('/onDeadLetter', 'onDeadLetter must be a function');
    }
    if (options.hostname !== undefined && typeof options.hostname !== 'string') {
      throw new InvalidArgumentError('/hostname', 'hostname must be a string');
    }
    this.#hostname = options.hostname;
    this.#retry = retryPolicy(options.retry);
    this.#batchSize = batchSize;
    this.#maxPending = maxPending;
    this.#onDeadLetter = onDeadLetter;
    this.#channels = sinks.map((sink: unknown, index) => this.#channel(sink, `/sinks/${index}`));
    this.#waiting = this.#channels.filter((channel) => channel.overflow === 'wait');
  }

  /**
   * Adds a sink after the trail was created: it receives the events recorded from now on,
   * like the others (its own queue, batches, retries, `types`, `overflow`). The
   * Management API adds its store-backed log this way. Adding a sink already present
   * does nothing.
   *
   * @throws {@link InvalidArgumentError} when `sink` has no `write` or bad `types`
   */
  addSink(sink: AuditSink): void {
    if (this.#channels.some((channel) => channel.sink === sink)) return;
    const channel = this.#channel(sink, '/sink');
    this.#channels = [...this.#channels, channel];
    if (channel.overflow === 'wait') this.#waiting = [...this.#waiting, channel];
    this.#routes.clear();
  }

  /**
   * What is not delivered yet, per sink and in total, and how much overflowed: read it to
   * export metrics or to answer a readiness probe. Cheap (no copying of events).
   */
  get backlog(): AuditBacklog {
    let pending = 0;
    const sinks = this.#channels.map((channel) => {
      pending += channel.pending;
      return {
        sink: channel.sink,
        pending: channel.pending,
        full: channel.full,
        overflowed: channel.overflowed,
        deadLettered: channel.deadLettered,
      };
    });
    return { pending, full: this.full, sinks };
  }

  /**
   * True while a sink with the `'wait'` overflow policy (the store-backed log) has
   * `maxPending` events waiting. The HTTP handlers then hold each new request in
   * {@link AuditTrail.waitForRoom} before serving it: the backlog stays bounded and
   * nothing acknowledged is dropped.
   */
  get full(): boolean {
    for (const channel of this.#waiting) if (channel.full) return true;
    return false;
  }

  /**
   * Resolves once every event recorded before the call has been written to `sink` (or
   * dead-lettered), without waiting for the other sinks or calling `flush` on any: what
   * a reader of that sink (`/logs` on the store-backed log) needs before it answers.
   */
  async delivered(sink: AuditSink): Promise<void> {
    const channel = this.#channels.find((candidate) => candidate.sink === sink);
    if (channel) await channel.settled(channel.enqueued);
  }

  /**
   * Resolves once no `'wait'` sink is full (at once when none is): `true`, or `false` when
   * `timeoutMs` passed first (the store behind the log is down or far too slow).
   */
  async waitForRoom(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (!this.full) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<false>((resolve) => {
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const room = (async () => {
      while (this.full && this.#closing === undefined) {
        await Promise.all(this.#waiting.map((channel) => channel.room()));
      }
      return true as const;
    })();
    try {
      return await Promise.race([room, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  #channel(sink: unknown, pointer: string): SinkChannel {
    if (
      typeof sink !== 'object' ||
      sink === null ||
      typeof (sink as AuditSink).write !== 'function'
    ) {
      throw new InvalidArgumentError(
        pointer,
        `${pointer.slice(1)} must have a write(batch) method`,
      );
    }
    const checked = sink as AuditSink;
    const overflow = checked.overflow ?? 'dead-letter';
    if (overflow !== 'wait' && overflow !== 'dead-letter') {
      throw new InvalidArgumentError(
        `${pointer}/overflow`,
        `${pointer.slice(1)}/overflow must be "wait" or "dead-letter"`,
      );
    }
    const accepts = compileTypeFilter(checked.types, `${pointer}/types`);
    return new SinkChannel(
      checked,
      accepts,
      this.#batchSize,
      this.#retry,
      this.#deadLetter.bind(this),
      { maxPending: this.#maxPending, overflow },
    );
  }

  /** The sinks this trail delivers to, in the order given. */
  get sinks(): readonly AuditSink[] {
    return this.#channels.map((channel) => channel.sink);
  }

  /** True once {@link AuditTrail.close} has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Records one event: assigns `log_id` and `date`, redacts secret-looking keys in
   * `details`, queues it for every sink whose `types` match, then emits it as `'event'`
   * and under its type code. Synchronous and cheap; never waits for a sink.
   *
   * A listener that throws does not fail the caller: the error is reported as a process
   * warning and the event is still delivered.
   *
   * @returns the recorded event (frozen)
   * @throws {@link InvalidArgumentError} when `type` is not a known log type code or
   *   `description` is not a string — a bug in the calling code, not a runtime condition.
   */
  record(input: AuditRecordInput): AuditEvent {
    const event = this.#build(input);
    const route = this.#route(event.type);
    if (this.#closing === undefined) {
      for (const channel of route) channel.push(event);
    } else if (route.length > 0) {
      queueMicrotask(() => {
        const error = new ClienteleError(
          'audit_closed',
          `audit event ${event.log_id} (${event.type}) was recorded after the audit trail was closed`,
        );
        for (const channel of route) this.#deadLetter([event], error, channel.sink);
      });
    }
    this.#emitSafely('event', event);
    this.#emitSafely(event.type, event);
    return event;
  }

  /**
   * Resolves once every event recorded before the call has been written to every sink
   * (after any retries) or dead-lettered, and then every sink's own `flush` (the NDJSON
   * sink fsyncs) has run. Never rejects: a failing sink `flush` is reported as a process
   * warning (code `CLIENTELE_AUDIT_SINK_FAILED`).
   */
  async flush(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    await this.#settleAll();
    await this.#callSinks('flush');
  }

  /**
   * Stops delivery for good: events recorded from now on are emitted but dead-lettered.
   * Then waits, like {@link AuditTrail.flush}, for every event recorded before, runs every
   * sink's `flush` and finally its `close` — for at most `options.timeoutMs` (default
   * 5 s): what is undelivered by then is dead-lettered with a `ClienteleError` of code
   * `audit_close_timeout`, and the sinks' `close` is called without waiting for it.
   * Idempotent (the first call's deadline holds); never rejects.
   *
   * @throws {@link InvalidArgumentError} when `options.timeoutMs` is not a number ≥ 0
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    const timeoutMs = closeTimeout(options);
    this.#closing = (async () => {
      const delivered = this.#settleAll().then(() => this.#callSinks('flush'));
      if (await settlesWithin(delivered, timeoutMs)) {
        await this.#callSinks('close');
        return;
      }
      const error = new ClienteleError(
        'audit_close_timeout',
        `the audit trail closed after ${timeoutMs} ms with events not yet delivered`,
      );
      for (const channel of this.#channels) channel.abandon(error);
      // A sink that hangs in flush would hang close too; closing it is all that is left.
      void this.#callSinks('close');
    })();
    return this.#closing;
  }

  #build(input: AuditRecordInput): AuditEvent {
    const { type, description } = input;
    if (typeof type !== 'string' || !Object.hasOwn(AUDIT_EVENT_TYPES, type)) {
      throw new InvalidArgumentError(
        '/type',
        `type must be an Auth0 log type code such as "sapi", not ${JSON.stringify(type)}`,
      );
    }
    if (typeof description !== 'string') {
      throw new InvalidArgumentError('/description', 'description must be a string');
    }
    const nowMs = Date.now();
    // Built by assignment rather than spreads (this runs inside every operation), with the
    // optional fields only when given and `details` last, for readers of NDJSON files.
    const event = {
      log_id: this.#nextLogId(nowMs),
      date: isoDate(nowMs),
      type,
      description,
    } as Mutable<AuditEvent>;
    const request = input.request;
    // Strings shared with earlier events where equal (lib/intern.ts): a kept log holds
    // thousands of events with the same audience, scope and user agent.
    for (const field of FIELDS) {
      const value = input[field];
      if (typeof value === 'string') event[field] = intern(value);
    }
    const ip = input.ip ?? request?.ip;
    if (typeof ip === 'string') event.ip = intern(ip);
    const agent = input.user_agent ?? request?.userAgent;
    if (typeof agent === 'string') {
      event.user_agent =
        agent.length > MAX_USER_AGENT_LENGTH
          ? agent.slice(0, MAX_USER_AGENT_LENGTH)
          : intern(agent);
    }
    if (typeof input.isMobile === 'boolean') event.isMobile = input.isMobile;
    else if (event.user_agent !== undefined) event.isMobile = isMobileAgent(event.user_agent);
    const hostname = input.hostname ?? this.#hostname;
    if (typeof hostname === 'string') event.hostname = intern(hostname);
    event.details = sharedDetails(
      redactDetails(input.details, request === undefined ? undefined : requestDetails(request)),
    );
    // Strings, a boolean and the details' JSON copy: a store's log keeps it as it is.
    return freezeAsJson(event, MAX_DETAILS_HEIGHT + 1);
  }

  #route(type: string): readonly SinkChannel[] {
    let route = this.#routes.get(type);
    if (route === undefined) {
      const matching = this.#channels.filter((channel) => channel.accepts?.(type) ?? true);
      route = matching.length === 0 ? EMPTY_ROUTE : matching;
      this.#routes.set(type, route);
    }
    return route;
  }

  #emitSafely(name: keyof AuditTrailEvents, event: AuditEvent): void {
    try {
      this.emit(name, event);
    } catch (error) {
      warn('CLIENTELE_AUDIT_CALLBACK_FAILED', `an audit '${name}' listener threw`, error);
    }
  }

  #settleAll(): Promise<unknown> {
    return Promise.all(this.#channels.map((channel) => channel.settled(channel.enqueued)));
  }

  async #callSinks(method: 'flush' | 'close'): Promise<void> {
    await Promise.all(
      this.#channels.map(async ({ sink }, index) => {
        try {
          await sink[method]?.();
        } catch (error) {
          warn('CLIENTELE_AUDIT_SINK_FAILED', `audit sink ${index}: ${method}() failed`, error);
        }
      }),
    );
  }

  #deadLetter(events: readonly AuditEvent[], error: unknown, sink: AuditSink): void {
    const index = this.#channels.findIndex((channel) => channel.sink === sink);
    if (this.#onDeadLetter !== undefined) {
      try {
        this.#onDeadLetter(events, error, sink);
        return;
      } catch (callbackError) {
        warn(
          'CLIENTELE_AUDIT_CALLBACK_FAILED',
          'the audit onDeadLetter callback threw',
          callbackError,
        );
      }
    }
    const first = events[0]?.log_id ?? '';
    const last = events.at(-1)?.log_id ?? '';
    warn(
      'CLIENTELE_AUDIT_DEAD_LETTER',
      `audit sink ${index}: ${events.length} event(s) not delivered (log_id ${first} to ${last})`,
      error,
    );
  }
}
