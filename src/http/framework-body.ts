/**
 * Requests that a framework has handled first. Express strips the mount path from
 * `req.url` (the full path is `req.originalUrl`), and a body parser in front of the
 * handler (`express.json()`, `express.urlencoded()`, a Fastify content-type parser) reads
 * the body stream and leaves only its parsed value, so reading the stream again would wait
 * forever. {@link toNodeListener} uses the full path, and turns a parsed JSON or form value
 * (or the raw bytes or text of `express.raw()`/`express.text()`) back into a body; any other
 * consumed body is answered with a 500 that names the cause, never a hang.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';

/** The request target to build the `Request` URL from: the full path where a framework keeps it. */
export function requestTarget(request: IncomingMessage): string {
  const original = (request as { originalUrl?: unknown }).originalUrl;
  return typeof original === 'string' && original.startsWith('/') ? original : (request.url ?? '');
}

/** Whether something else has read (or is reading) the body stream already. */
export function bodyTakenBefore(request: IncomingMessage): boolean {
  return request.readableDidRead || request.readableEnded;
}

/** The body rebuilt from what a body parser left on the request, or why it cannot be. */
export type RebuiltBody = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** The media types whose parsed values can be written back as the same body. */
const REBUILDERS: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  'application/json': (value) => (value === undefined ? undefined : JSON.stringify(value)),
  'application/x-www-form-urlencoded': (value) =>
    isPlainObject(value) ? formEncode(value) : undefined,
};

/** Rebuilds the body of a request whose stream a body parser consumed, from `req.body`. */
export function rebuildBody(request: IncomingMessage): RebuiltBody {
  const value = (request as { body?: unknown }).body;
  if (value instanceof Uint8Array) return { ok: true, bytes: value };
  if (typeof value === 'string') return { ok: true, bytes: new TextEncoder().encode(value) };
  const media = mediaTypeOf(request);
  let text: string | undefined;
  try {
    text = REBUILDERS[media]?.(value);
  } catch {
    text = undefined; // a value no JSON parser makes (a cycle, a BigInt)
  }
  if (text !== undefined) return { ok: true, bytes: new TextEncoder().encode(text) };
  return {
    ok: false,
    reason: `the request body was read by a body parser in front of this handler and req.body holds no ${media || 'body'} value it can use; mount the handler before the body parser, or let the parser handle only JSON and form bodies`,
  };
}

function mediaTypeOf(request: IncomingMessage): string {
  const type = request.headers['content-type'] ?? '';
  const media = type.split(';')[0]?.trim().toLowerCase() ?? '';
  return media.endsWith('+json') ? 'application/json' : media;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A parsed form as `application/x-www-form-urlencoded` again. A repeated parameter (an
 * array) is written once per value, so the form reader still refuses it; nested objects of
 * an "extended" parser (`a[b]=c`) get their bracketed names back.
 */
function formEncode(value: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const add = (name: string, item: unknown): void => {
    if (Array.isArray(item)) {
      for (const each of item) add(name, each);
    } else if (isPlainObject(item)) {
      for (const [key, nested] of Object.entries(item)) add(`${name}[${key}]`, nested);
    } else if (item !== undefined && item !== null) {
      params.append(name, String(item as string | number | boolean));
    }
  };
  for (const [name, item] of Object.entries(value)) add(name, item);
  return params.toString();
}
