/**
 * The response shapes every handler sends: JSON with the security headers every answer
 * carries, and an empty response. API answers carry credentials or change with every
 * write, so they are `no-store` unless the caller says otherwise.
 */
import { preparedResponse } from './prepared-body.js';

/** Headers on every response a clientele handler builds. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const NO_STORE: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

/** Options of {@link jsonResponse}. */
export interface JsonResponseOptions {
  /** Seconds a shared cache may keep the answer (`public, max-age`); `no-store` when absent. */
  maxAge?: number;
  /** Extra headers, applied last. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * A JSON response (`application/json; charset=utf-8`).
 *
 * @example
 * ```ts
 * return jsonResponse(201, { client_id: client.client_id });
 * ```
 */
export function jsonResponse(
  status: number,
  body: unknown,
  options: JsonResponseOptions = {},
): Response {
  return jsonTextResponse(status, JSON.stringify(body), options);
}

/** {@link jsonResponse} of a body already serialised (`text` is `JSON.stringify`'s). */
export function jsonTextResponse(
  status: number,
  text: string,
  options: JsonResponseOptions = {},
): Response {
  const cache =
    options.maxAge === undefined
      ? NO_STORE
      : { 'Cache-Control': `public, max-age=${options.maxAge}` };
  const headers = {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    // Known length: node:http then sends headers and body in one write, without
    // chunked framing and the extra write of its last chunk.
    'Content-Length': String(Buffer.byteLength(text)),
    ...cache,
  };
  // A caller's headers go through `Headers`, which refuses invalid names and values now.
  return options.headers === undefined
    ? preparedResponse(text, status, headers)
    : new Response(text, { status, headers: { ...headers, ...options.headers } });
}

/** A response without a body (`204 No Content` by default). */
export function emptyResponse(
  status = 204,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(null, { status, headers: { ...BASE_HEADERS, ...NO_STORE, ...headers } });
}
