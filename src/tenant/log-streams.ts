/**
 * `tenant.logStreams`: Auth0's log streams, kept in the store (collection `log_streams`,
 * sink secrets sealed with `secretsKey` like the other secrets) and delivered from the
 * audit trail by one {@link LogStreamHub} per tenant. Every write validates first, writes
 * one atomic store change with optimistic concurrency, is audited without the sink, and
 * leaves stored data as it was when it fails. Sink secrets are write-only: nothing this
 * registry returns holds them.
 *
 * Every instance sharing the store delivers the events it records itself, to every
 * stream: it learns of other instances' changes through the store's change feed (or, on a
 * store without one, by reading the streams every 30 seconds).
 */
import { randomUUID } from 'node:crypto';
import { generateClientId } from '../client/credentials.js';
import { quote } from '../client/messages.js';
import { NotFoundError } from '../errors.js';
import { LogStreamHub } from '../log-streams/hub.js';
import type { LogStreamConfig } from '../log-streams/options.js';
import type { LogStreamHealth } from '../log-streams/stream-delivery.js';
import {
  publicStream,
  type LogStream,
  type LogStreamInput,
  type LogStreamPatch,
  type LogStreamRecord,
} from '../log-streams/stream.js';
import { validateLogStreamInput, validateLogStreamPatch } from '../log-streams/validate-stream.js';
import type { StoredRecord } from '../storage/store.js';
import { audited, type TenantContext, type WriteOptions } from './context.js';
import { RegistryWrites, checkId, fieldsOf, invalid, stringField, valid } from './registry-kit.js';

/** The store collection of log streams. */
export const LOG_STREAMS = 'log_streams';
/** Most streams a tenant holds (the library's bound). */
export const MAX_LOG_STREAMS = 20;
/** How often a store without a change feed is read for other instances' changes. */
const REREAD_MS = 30_000;

/** The log stream registry behind `tenant.logStreams`. */
export class LogStreamRegistry {
  readonly #context: TenantContext;
  readonly #config: LogStreamConfig;
  readonly #writes: RegistryWrites;
  readonly #hub: LogStreamHub;
  readonly #unwatch: (() => void) | undefined;
  readonly #reread: ReturnType<typeof setInterval> | undefined;
  /** Bumped by every local write, so a read that raced one is not applied. */
  #generation = 0;
  #refreshing: Promise<void> | undefined;
  #again = false;

  /** @internal */
  constructor(context: TenantContext, config: LogStreamConfig) {
    this.#context = context;
    this.#config = config;
    this.#writes = new RegistryWrites(context.store, LOG_STREAMS);
    this.#hub = new LogStreamHub(
      config,
      (record, reason) => void this.#suspend(record, reason),
      context.now,
    );
    context.audit.addSink(this.#hub);
    const { store } = context;
    if (store.watch) {
      this.#unwatch = store.watch.call(store, (change) => {
        if ('reset' in change || change.collection === LOG_STREAMS) void this.#quietRefresh();
      });
    } else {
      this.#reread = setInterval(() => void this.#quietRefresh(), REREAD_MS);
      this.#reread.unref();
    }
  }

  /**
   * Validates `input` (Auth0's create body), assigns an id (`lst_…`), and stores the
   * stream, `active` unless `status: 'paused'` is given: it delivers the events recorded
   * from now on. An `eventbridge` stream gets its partner event source
   * (`aws.partner/auth0.com/…/auth0.logs`). Names are unique in the tenant; a tenant holds
   * at most 20 streams.
   *
   * @throws {@link ValidationError} (kind `log_stream`) listing every problem at JSON
   *   pointers into `input` (a taken name is `already_exists` at `/name`). Messages never
   *   quote a sink value.
   * @example
   * ```ts
   * const siem = await tenant.logStreams.create({
   *   name: 'SIEM',
   *   type: 'http',
   *   filters: [{ type: 'category', name: 'auth.login.fail' }],
   *   sink: {
   *     httpEndpoint: 'https://siem.example.com/auth0',
   *     httpContentFormat: 'JSONARRAY',
   *     httpAuthorization: `Bearer ${process.env.SIEM_TOKEN}`,
   *   },
   * });
   * ```
   */
  async create(input: LogStreamInput, options: WriteOptions = {}): Promise<LogStream> {
    return audited(
      this.#context,
      {
        operation: 'create_log_stream',
        request: options.request,
        description: 'Create log stream',
        details: { name: stringField(input, 'name', 255), type: stringField(input, 'type', 32) },
      },
      async () => {
        const settings = valid(
          validateLogStreamInput(input, { allowPrivateNetwork: this.#config.allowPrivateNetwork }),
          'log_stream',
        );
        return this.#writes.guarded(async (guard) => {
          const all = await this.#context.store.list<LogStreamRecord>(LOG_STREAMS);
          this.#requireFreeName(all, settings.name, undefined);
          if (all.length >= MAX_LOG_STREAMS) {
            throw invalid(
              [
                {
                  path: '',
                  code: 'limit_exceeded',
                  message: `a tenant holds at most ${MAX_LOG_STREAMS} log streams; delete one first`,
                },
              ],
              'log_stream',
            );
          }
          const record: LogStreamRecord = {
            id: generateClientId({ prefix: 'lst_' }),
            ...settings,
            ...(settings.type === 'eventbridge'
              ? { sink: { ...settings.sink, awsPartnerEventSource: this.#partnerSource() } }
              : {}),
          };
          await this.#context.store.commit([
            { op: 'insert', collection: LOG_STREAMS, id: record.id, value: record },
            guard,
          ]);
          this.#applied(record);
          return publicStream(record);
        });
      },
      (stream) => ({ details: describe(stream) }),
    );
  }

  /**
   * The stream with this id, without its sink secrets.
   *
   * @throws {@link NotFoundError} when there is none.
   */
  async get(id: string): Promise<LogStream> {
    const found = await this.find(id);
    if (!found) throw notFound(id);
    return found;
  }

  /** The stream with this id, or `undefined`. */
  async find(id: string): Promise<LogStream | undefined> {
    checkId(id, '/id');
    const stored = await this.#context.store.get<LogStreamRecord>(LOG_STREAMS, id);
    return stored && publicStream(stored.value);
  }

  /** Every stream, in creation order, without sink secrets. */
  async list(): Promise<LogStream[]> {
    const records = await this.#context.store.list<LogStreamRecord>(LOG_STREAMS);
    return records.map((record) => publicStream(record.value));
  }

  /**
   * Applies Auth0's PATCH: `name`, `status` (`active` resumes, from where the stream
   * stopped; `paused` keeps events for later, within `maxBufferedEvents` and
   * `maxBufferedSeconds`), `filters`, `isPriority`, and `sink` merged field by field into
   * the stored sink (a secret left out keeps its value). The type cannot change, nor an
   * EventBridge sink.
   *
   * @throws {@link NotFoundError} for an unknown stream; {@link ValidationError} (kind
   *   `log_stream`) for an invalid change.
   * @example
   * ```ts
   * await tenant.logStreams.update(siem.id, { sink: { httpEndpoint: 'https://siem2.example.com/auth0' } });
   * ```
   */
  async update(id: string, patch: LogStreamPatch, options: WriteOptions = {}): Promise<LogStream> {
    checkId(id, '/id');
    return audited(
      this.#context,
      {
        operation: 'update_log_stream',
        request: options.request,
        description: 'Update log stream',
        details: { log_stream_id: id, fields: fieldsOf(patch) },
      },
      () =>
        this.#writes.guarded(async (guard) => {
          const stored = await this.#require(id);
          const record = valid(
            validateLogStreamPatch(patch, stored.value, {
              allowPrivateNetwork: this.#config.allowPrivateNetwork,
            }),
            'log_stream',
          );
          if (record.name !== stored.value.name) {
            const all = await this.#context.store.list<LogStreamRecord>(LOG_STREAMS);
            this.#requireFreeName(all, record.name, id);
          }
          await this.#context.store.commit([
            {
              op: 'replace',
              collection: LOG_STREAMS,
              id,
              value: record,
              expectedVersion: stored.version,
            },
            guard,
          ]);
          this.#applied(record);
          return publicStream(record);
        }),
      (stream) => ({ details: { ...describe(stream), fields: fieldsOf(patch) } }),
    );
  }

  /** Pauses a stream: `update(id, { status: 'paused' })`. */
  pause(id: string, options: WriteOptions = {}): Promise<LogStream> {
    return this.update(id, { status: 'paused' }, options);
  }

  /**
   * Resumes a paused or suspended stream: `update(id, { status: 'active' })`. It delivers
   * what it kept first (the batch that failed, then what followed).
   */
  resume(id: string, options: WriteOptions = {}): Promise<LogStream> {
    return this.update(id, { status: 'active' }, options);
  }

  /**
   * Deletes the stream; what it had not delivered is dropped with it.
   *
   * @throws {@link NotFoundError} for an unknown id.
   */
  async delete(id: string, options: WriteOptions = {}): Promise<void> {
    checkId(id, '/id');
    await audited(
      this.#context,
      {
        operation: 'delete_log_stream',
        request: options.request,
        description: 'Delete log stream',
        details: { log_stream_id: id },
      },
      () =>
        this.#writes.queued(async () => {
          const stored = await this.#require(id);
          await this.#context.store.delete(LOG_STREAMS, id, stored.version);
          this.#generation += 1;
          this.#hub.remove(id);
          return publicStream(stored.value);
        }),
      (stream) => ({ details: describe(stream) }),
    );
  }

  /**
   * What each stream delivered, failed and lost in this process (counters start at zero
   * with the process), for metrics and health checks. Never a URL or a secret.
   */
  health(): LogStreamHealth[] {
    return this.#hub.health();
  }

  /**
   * Delivers now what the active streams have waiting (no batching wait) and resolves
   * when they have, or stopped delivering (paused, or suspended after their retries).
   * `tenant.audit.flush()` and `tenant.close()` do it too.
   */
  flush(): Promise<void> {
    return this.#hub.flush();
  }

  /** Reads the streams from the store for delivery (at start, and on others' changes). @internal */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          const generation = this.#generation;
          const records = await this.#context.store.list<LogStreamRecord>(LOG_STREAMS);
          // A local write while reading: read again rather than undo it.
          if (generation !== this.#generation) this.#again = true;
          else this.#hub.replaceAll(records.map((record) => record.value));
        } while (this.#again);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /**
   * Stops delivery (the trail's `close` does it first, within its deadline) and waits for
   * what the streams had not delivered to be handed to `onDeadLetter`. @internal
   */
  close(): Promise<void> {
    return this.#hub.close();
  }

  /** Stops following the store. @internal */
  dispose(): void {
    this.#unwatch?.();
    clearInterval(this.#reread);
  }

  /** A failed refresh is retried by the next change or re-read. */
  async #quietRefresh(): Promise<void> {
    await this.refresh().catch(() => undefined);
  }

  #applied(record: LogStreamRecord): void {
    this.#generation += 1;
    this.#hub.upsert(record);
  }

  /** Delivery gave up on `record` after its retries: mark it suspended, audited with `reason`. */
  async #suspend(record: LogStreamRecord, reason: string): Promise<void> {
    // While the tenant closes, the stream stays as stored: a restarted process resumes it,
    // and what this one could not deliver goes to onDeadLetter.
    if (this.#context.audit.closed) return;
    await audited(
      this.#context,
      {
        operation: 'suspend_log_stream',
        description: 'Suspend log stream',
        details: { ...describe(publicStream(record)), reason },
      },
      () =>
        this.#writes.queued(async () => {
          const stored = await this.#context.store.get<LogStreamRecord>(LOG_STREAMS, record.id);
          // Paused, deleted or changed meanwhile: what the store says stands.
          if (!stored || stored.value.status !== 'active') {
            if (stored) this.#applied(stored.value);
            return false;
          }
          const next: LogStreamRecord = { ...stored.value, status: 'suspended' };
          await this.#context.store.replace(LOG_STREAMS, record.id, next, stored.version);
          this.#applied(next);
          return true;
        }),
      (changed) => ({ details: { ...describe(publicStream(record)), reason, changed } }),
    ).catch(() => undefined);
  }

  async #require(id: string): Promise<StoredRecord<LogStreamRecord>> {
    const stored = await this.#context.store.get<LogStreamRecord>(LOG_STREAMS, id);
    if (!stored) throw notFound(id);
    return stored;
  }

  #requireFreeName(
    all: readonly StoredRecord<LogStreamRecord>[],
    name: string,
    ownId: string | undefined,
  ): void {
    const taken = all.find((record) => record.value.name === name && record.id !== ownId);
    if (!taken) return;
    throw invalid(
      [
        {
          path: '/name',
          code: 'already_exists',
          message: `name ${quote(name)} is already used by log stream ${taken.id}; names are unique per tenant`,
        },
      ],
      'log_stream',
    );
  }

  /** `aws.partner/auth0.com/<tenant>-<uuid>/auth0.logs`, as Auth0 names its sources. */
  #partnerSource(): string {
    const tenant =
      this.#context.domain.split(/[.:]/)[0]?.replace(/[^a-zA-Z0-9-]/g, '-') ?? 'tenant';
    return `aws.partner/auth0.com/${tenant}-${randomUUID()}/auth0.logs`;
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`log stream ${quote(id)} does not exist`);
}

/** What audit details say about a stream: never its sink. */
function describe(stream: LogStream): Record<string, unknown> {
  return { log_stream_id: stream.id, name: stream.name, type: stream.type, status: stream.status };
}
