/** A sink that POSTs batches to a log service (Splunk HEC, Loggly, Datadog, ...). */
import { ClienteleError, InvalidArgumentError } from '../../errors.js';
import type { AuditEvent, AuditSink } from '../event.js';
import { typesOf, type AuditSinkOptions } from './options.js';

/** Options of {@link httpSink}. */
export interface HttpSinkOptions extends AuditSinkOptions {
  /**
   * Request headers, such as `{ Authorization: 'Splunk <hec-token>' }`. They override the
   * default `Content-Type`.
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * Body format: `'json'` (default) sends one JSON array per batch
   * (`application/json`); `'ndjson'` one JSON document per line (`application/x-ndjson`),
   * which is what Splunk HEC and Loggly's bulk endpoint read.
   */
  format?: 'json' | 'ndjson';
  /**
   * Maps each event to what the service expects before serialisation, for example Splunk
   * HEC's envelope `(event) => ({ time: Date.parse(event.date) / 1000, event })`. The event
   * itself by default.
   */
  transform?: (event: AuditEvent) => unknown;
  /** Per-request timeout; a request that takes longer fails and is retried. Default 10,000 ms. */
  timeoutMs?: number;
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof globalThis.fetch;
}

const CONTENT_TYPES = { json: 'application/json', ndjson: 'application/x-ndjson' } as const;

/**
 * Creates a sink that POSTs each batch to `url`. A non-2xx answer (redirects included), a
 * network error or a timeout rejects the write, so the trail retries the batch with
 * backoff. Errors name the status or failure but never the URL, which for some services
 * (Loggly) contains the token.
 *
 * Delivery is at-least-once at the service: when a request fails after the service has
 * stored the batch (a timeout, a connection dropped before the answer), the retry sends
 * it again. Events carry a unique `log_id` to deduplicate on.
 *
 * @param url - an `http:` or `https:` URL
 * @throws {@link InvalidArgumentError} when `url` or an option is malformed.
 * @example
 * ```ts
 * // Splunk HTTP Event Collector
 * const splunk = httpSink('https://splunk.example.com:8088/services/collector/event', {
 *   headers: { Authorization: `Splunk ${process.env.HEC_TOKEN}` },
 *   format: 'ndjson',
 *   transform: (event) => ({ time: Date.parse(event.date) / 1000, event }),
 *   types: ['f*', 'sapi'],
 * });
 * ```
 * @see https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector
 */
export function httpSink(url: string | URL, options: HttpSinkOptions = {}): AuditSink {
  const target = parseTarget(url);
  const {
    headers = {},
    format = 'json',
    transform,
    timeoutMs = 10_000,
    fetch = globalThis.fetch,
  } = options;
  if (format !== 'json' && format !== 'ndjson') {
    throw new InvalidArgumentError('/options/format', 'format must be "json" or "ndjson"');
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError('/options/timeoutMs', 'timeoutMs must be a number > 0');
  }
  if (typeof fetch !== 'function') {
    throw new InvalidArgumentError('/options/fetch', 'fetch must be a function');
  }
  if (transform !== undefined && typeof transform !== 'function') {
    throw new InvalidArgumentError('/options/transform', 'transform must be a function');
  }
  const requestHeaders = new Headers({ 'content-type': CONTENT_TYPES[format] });
  for (const [name, value] of Object.entries(headers)) {
    try {
      requestHeaders.set(name, value);
    } catch {
      throw new InvalidArgumentError(
        `/options/headers/${name}`,
        `headers/${name} is not a valid HTTP header name and value`,
      );
    }
  }

  // A retry sends the same batch again; serialise it once.
  let last: { batch: readonly AuditEvent[]; body: string } | undefined;
  const bodyOf = (batch: readonly AuditEvent[]): string => {
    if (last?.batch !== batch) {
      const items = transform === undefined ? batch : batch.map((event) => transform(event));
      const body =
        format === 'json'
          ? JSON.stringify(items)
          : items.map((item) => `${JSON.stringify(item)}\n`).join('');
      last = { batch, body };
    }
    return last.body;
  };

  // Aborts the requests in flight when the trail closes the sink: after a close deadline
  // they would otherwise keep the process alive until their own timeout.
  const closing = new AbortController();

  return {
    ...typesOf(options),
    close() {
      closing.abort(new ClienteleError('audit_closed', 'audit HTTP sink: closed'));
      return Promise.resolve();
    },
    async write(batch) {
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers: requestHeaders,
          body: bodyOf(batch),
          redirect: 'manual',
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]),
        });
      } catch (error) {
        throw new ClienteleError('audit_delivery_failed', `audit HTTP sink: ${failure(error)}`, {
          cause: error,
        });
      }
      // Release the connection; the answer's content is of no use here.
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) {
        throw new ClienteleError(
          'audit_delivery_failed',
          `audit HTTP sink: the log service answered ${response.status} ${response.statusText}`.trim(),
        );
      }
      last = undefined;
    },
  };
}

function parseTarget(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError('/url', 'url must be an absolute http: or https: URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidArgumentError('/url', 'url must be an absolute http: or https: URL');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InvalidArgumentError(
      '/url',
      'url must not contain credentials; pass them in headers',
    );
  }
  return parsed;
}

/** Why a request failed, without the URL (undici puts the real reason in `cause`). */
function failure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'the request timed out';
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `the request failed (${code})` : 'the request failed';
}
