/**
 * One request to a Management API, as `readManagementApiTenant` makes them: JSON out,
 * a time limit, a bound on the body, no redirects (a bearer token is never sent on),
 * and a few retries when the API answers 429 (Auth0's rate limits), after the wait it asks
 * for. Every failure is a {@link TenantReadError} naming the request and Auth0's message,
 * never the token or a secret.
 *
 * @module
 */
import { TenantReadError } from '../errors.js';
import { oneLine } from '../cli/text.js';

/** How requests are made. */
export interface RequestSettings {
  /** The `fetch` to use. */
  readonly fetch: typeof fetch;
  /** Milliseconds one request (retries aside) may take. */
  readonly timeoutMs: number;
  /** Retries after a 429. */
  readonly maxRetries: number;
  /** The longest wait before a retry, in milliseconds. */
  readonly maxWaitMs: number;
  /** What errors name as their source (the Management API URL). */
  readonly source: string;
}

/** The largest response body read: a tenant's page of 100 clients is far below it. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** One request: `GET`/`POST` `url` with `headers` and an optional form body. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** How the request is named in errors (`GET /clients`). */
  readonly label: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A form body (`application/x-www-form-urlencoded`, as RFC 6749 §4.4.2 sends it). */
  readonly form?: Readonly<Record<string, string>>;
}

/** Sends `request` and returns its JSON body; see the module comment. */
export async function requestJson(
  request: ApiRequest,
  settings: RequestSettings,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await settings.fetch(request.url, {
        method: request.method,
        headers: { accept: 'application/json', ...request.headers },
        ...(request.form === undefined ? {} : { body: new URLSearchParams(request.form) }),
        redirect: 'error',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      throw failed(request, settings, `the request failed: ${reasonOf(error)}`);
    }
    if (response.status === 429 && attempt < settings.maxRetries) {
      await response.body?.cancel().catch(() => undefined);
      await sleep(retryDelay(response.headers, settings.maxWaitMs));
      continue;
    }
    const text = await boundedText(response, request, settings);
    if (!response.ok) {
      throw failed(request, settings, `${response.status} ${describeError(text)}`, response.status);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw failed(request, settings, 'the response is not JSON', response.status);
    }
  }
}

/** The body as text, refusing one larger than {@link MAX_BODY_BYTES}. */
async function boundedText(
  response: Response,
  request: ApiRequest,
  settings: RequestSettings,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw failed(request, settings, `the response is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        await response.body.cancel().catch(() => undefined);
        throw failed(request, settings, `the response is larger than ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof TenantReadError) throw error;
    throw failed(request, settings, `reading the response failed: ${reasonOf(error)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * How long to wait before retrying a 429: `retry-after` in seconds, or Auth0's
 * `x-ratelimit-reset` (the epoch second the limit resets), at most `maxWaitMs`; one
 * second when neither is usable.
 */
export function retryDelay(headers: Headers, maxWaitMs: number): number {
  const after = Number(headers.get('retry-after'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  let wait = 1000;
  if (headers.get('retry-after') !== null && Number.isFinite(after) && after >= 0) {
    wait = after * 1000;
  } else if (headers.get('x-ratelimit-reset') !== null && Number.isFinite(reset)) {
    wait = reset * 1000 - Date.now();
  }
  return Math.min(Math.max(wait, 0), maxWaitMs);
}

/**
 * Auth0's error body (`{ statusCode, error, message, errorCode }`) or an OAuth error
 * (`{ error, error_description }`) on one line; the start of any other body.
 */
function describeError(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return oneLine(text.slice(0, 200)) || '(no body)';
  }
  if (typeof body !== 'object' || body === null) return oneLine(String(body).slice(0, 200));
  const { error, message, error_description: description } = body as Record<string, unknown>;
  const parts = [error, message ?? description].filter((part) => typeof part === 'string');
  return parts.length > 0 ? oneLine(parts.join(': ')).slice(0, 500) : '(no error message)';
}

function failed(
  request: ApiRequest,
  settings: RequestSettings,
  why: string,
  status?: number,
): TenantReadError {
  return new TenantReadError(
    settings.source,
    `${request.label}: ${why}`,
    status === undefined ? {} : { status },
  );
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'it timed out';
  const cause =
    error instanceof Error ? (error.cause as { message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
  return `${oneLine(error)}${detail}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
