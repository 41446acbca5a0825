/**
 * Reading request bodies with a size limit. A body over the limit is refused as soon as
 * its `Content-Length` says so, or as soon as the bytes read pass the limit; reading
 * stops there and {@link toNodeListener} decides after the response whether the rest is
 * read and discarded (the connection is kept) or the connection is closed.
 */
import { InvalidArgumentError } from '../errors.js';
import { HttpError, PayloadTooLargeError } from './errors.js';
import { topLevelMemberNames } from './json-member-names.js';

/** Decodes UTF-8, refusing what is not (it keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Default limit of the body readers: 64 KiB, far above any Management API or OAuth body. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Options of the body readers. */
export interface BodyReadOptions {
  /** Most bytes accepted. Default {@link DEFAULT_BODY_LIMIT}. */
  limit?: number;
}

/**
 * The request body as bytes, at most `limit` of them.
 *
 * @throws {@link PayloadTooLargeError} (413) when the body is larger.
 * @throws `InvalidArgumentError` for a `limit` that is not a positive integer.
 */
export async function readBody(
  request: Request,
  options: BodyReadOptions = {},
): Promise<Uint8Array> {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new InvalidArgumentError('/options/limit', 'limit must be a positive integer');
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    throw new PayloadTooLargeError(limit);
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A body that holds one JSON object (`application/json`).
 *
 * @throws {@link HttpError} 400 (`invalid_body`) for another media type, text that is not
 *   UTF-8 JSON, or a value that is not an object; {@link PayloadTooLargeError} (413).
 */
export async function readJsonObject(
  request: Request,
  options: BodyReadOptions = {},
): Promise<Record<string, unknown>> {
  return (await parseJsonObject(request, options)).value;
}

/**
 * An `application/json` body holding one object whose members are all strings, read as
 * OAuth request parameters with the rules of {@link readForm}: a member named twice is
 * refused (`JSON.parse` would silently keep the last), a member that is not a string is
 * refused naming it, and an empty string counts as absent. Auth0 accepts such bodies at
 * `/oauth/token` and `/oauth/revoke`, and its SDKs send them.
 *
 * @throws {@link HttpError} 400 (`invalid_request`) for another media type, text that is
 *   not UTF-8 JSON, a value that is not an object, a repeated name or a value that is not a
 *   string; {@link PayloadTooLargeError} (413).
 * @example
 * ```ts
 * const params = await readJsonParams(request); // { grant_type: 'refresh_token', ... }
 * ```
 */
export async function readJsonParams(
  request: Request,
  options: BodyReadOptions = {},
): Promise<Record<string, string>> {
  let parsed: { value: Record<string, unknown>; text: string };
  try {
    parsed = await parseJsonObject(request, options);
  } catch (error) {
    if (error instanceof HttpError && error.code === 'invalid_body') {
      throw invalidRequest(error.message);
    }
    throw error;
  }
  const seen = new Set<string>();
  for (const name of topLevelMemberNames(parsed.text)) {
    if (seen.has(name)) throw invalidRequest(`${name.slice(0, 64)} must not be repeated`);
    seen.add(name);
  }
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(parsed.value)) {
    if (typeof value !== 'string') {
      throw invalidRequest(`${name.slice(0, 64)} must be a string`);
    }
    if (value !== '') result[name] = value;
  }
  return result;
}

/** The JSON object of an `application/json` body, and its text. */
async function parseJsonObject(
  request: Request,
  options: BodyReadOptions,
): Promise<{ value: Record<string, unknown>; text: string }> {
  if (mediaType(request) !== 'application/json') {
    throw badBody('the request body must be application/json');
  }
  const bytes = await readBody(request, options);
  let text: string;
  let value: unknown;
  try {
    text = UTF8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw badBody('Invalid request payload JSON format');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badBody('the request body must be a JSON object');
  }
  return { value: value as Record<string, unknown>, text };
}

/**
 * An `application/x-www-form-urlencoded` body as single-valued parameters. Any parameter
 * given more than once is refused, whether a copy is empty or not (RFC 6749 §3.1 and §3.2:
 * parameters "MUST NOT be included more than once"), so `grant_type=&grant_type=x` is
 * refused rather than read as `x`. Names and values are compared after decoding, so
 * `grant%5Ftype` repeats `grant_type`. A parameter sent empty counts as absent.
 *
 * @throws {@link HttpError} 400 (`invalid_request`) for another media type, a body that
 *   is not UTF-8, or a repeated parameter; {@link PayloadTooLargeError} (413).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 * @example
 * ```ts
 * const params = await readForm(request); // { grant_type: 'client_credentials', ... }
 * ```
 */
export async function readForm(
  request: Request,
  options: BodyReadOptions = {},
): Promise<Record<string, string>> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') {
    throw invalidRequest('the request body must be application/x-www-form-urlencoded');
  }
  const bytes = await readBody(request, options);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw invalidRequest('the request body is not UTF-8');
  }
  const seen = new Set<string>();
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of formPairs(text)) {
    if (seen.has(name)) throw invalidRequest(`${name.slice(0, 64)} must not be repeated`);
    seen.add(name);
    if (value !== '') result[name] = value;
  }
  return result;
}

/**
 * The name-value pairs of a form body, as `URLSearchParams` reads them. `URLSearchParams`
 * decodes in JavaScript one character at a time, and the long values of OAuth bodies (a
 * JWT, a code, a refresh token) have nothing to decode: a part without `%` or `+` is
 * taken as it is, the others go through `decodeURIComponent`. A malformed escape, which
 * `decodeURIComponent` refuses and the WHATWG decoder keeps or replaces, sends the whole
 * body through `URLSearchParams`, so the result is always what it would give.
 */
function formPairs(text: string): Iterable<[string, string]> {
  const pairs: [string, string][] = [];
  // The URLSearchParams constructor drops one leading `?`; so does this, to read the same.
  const body = text.startsWith('?') ? text.slice(1) : text;
  for (const sequence of body.split('&')) {
    if (sequence === '') continue;
    const equals = sequence.indexOf('=');
    const name = decodeFormPart(equals === -1 ? sequence : sequence.slice(0, equals));
    const value = equals === -1 ? '' : decodeFormPart(sequence.slice(equals + 1));
    if (name === undefined || value === undefined) return new URLSearchParams(text);
    pairs.push([name, value]);
  }
  return pairs;
}

function decodeFormPart(part: string): string | undefined {
  if (!part.includes('%') && !part.includes('+')) return part;
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** The media type of the request's `Content-Type`, lower-cased, without parameters. */
export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function badBody(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid_body',
    message,
    oauthError: 'invalid_request',
  });
}

function invalidRequest(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid_request',
    message,
    oauthError: 'invalid_request',
  });
}
