// @ts-check
/**
 * HTTP plumbing shared by the endpoints: bounded request bodies (form and JSON), OAuth
 * error responses, and the few response shapes an OpenID Provider sends.
 */

import { Buffer } from 'node:buffer';
import { URLSearchParams } from 'node:url';
import { oauthErrorDescription } from 'clientele';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/** Largest request body accepted. Token and registration requests are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * How much of a body over the limit is read and thrown away before the 413 is sent. A
 * client that sends its body without `Expect: 100-continue` is still writing when the
 * server answers; closing the connection under it resets it, and the client sees EPIPE or
 * ECONNRESET instead of the 413. Reading the rest (up to this bound, and for at most
 * {@link DRAIN_MS}) lets the answer arrive; beyond it the connection is closed.
 */
export const MAX_DRAIN_BYTES = 4 * 1024 * 1024;
/** How long a body over the limit is drained at most before the 413 goes out anyway. */
export const DRAIN_MS = 5_000;

/**
 * An error response: OAuth's `{ error, error_description }` with its HTTP status and any
 * extra headers (`WWW-Authenticate`).
 */
export class OAuthError extends Error {
  /**
   * @param {number} status - HTTP status
   * @param {string} error - OAuth error code (RFC 6749 §5.2, RFC 7591 §3.2.2, ...)
   * @param {string} description - what was wrong, for a developer
   * @param {Record<string, string>} [headers] - extra response headers
   */
  constructor(status, error, description, headers = {}) {
    super(description);
    this.name = 'OAuthError';
    this.status = status;
    this.error = error;
    this.headers = headers;
  }

  /** The response body; the description keeps to RFC 6749 §5.2's characters. */
  toJSON() {
    return { error: this.error, error_description: oauthErrorDescription(this.message) };
  }
}

/**
 * Reads a request body of at most `limit` bytes.
 *
 * @param {IncomingMessage} request
 * @param {number} [limit]
 * @returns {Promise<Buffer>}
 * @throws {OAuthError} 413 when the body is larger than `limit`.
 */
export async function readBody(request, limit = MAX_BODY_BYTES) {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    if (declared <= limit + MAX_DRAIN_BYTES) await drain(request, MAX_DRAIN_BYTES + limit);
    throw tooLarge(limit);
  }
  const body = await collect(request, limit);
  if (body === undefined) {
    await drain(request, MAX_DRAIN_BYTES);
    throw tooLarge(limit);
  }
  return body;
}

/**
 * The request body, or undefined as soon as it grows over `limit` (the stream is then
 * paused with the rest unread, for {@link drain}).
 *
 * @param {IncomingMessage} request
 * @param {number} limit
 * @returns {Promise<Buffer | undefined>}
 */
function collect(request, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
    };
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      request.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    /** @param {Error} error */
    const onError = (error) => {
      stop();
      reject(error);
    };
    request.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

/**
 * Reads and discards the rest of a request body: until it ends, `budget` more bytes
 * arrived, {@link DRAIN_MS} passed, or the connection failed. Never throws.
 *
 * @param {IncomingMessage} request
 * @param {number} budget
 * @returns {Promise<void>}
 */
function drain(request, budget) {
  return new Promise((resolve) => {
    if (request.readableEnded || request.destroyed) {
      resolve();
      return;
    }
    let left = budget;
    const done = () => {
      clearTimeout(timer);
      request.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      left -= chunk.length;
      if (left < 0) done();
    };
    const timer = setTimeout(done, DRAIN_MS);
    request.on('data', onData).once('end', done).once('error', done).once('close', done);
    request.resume();
  });
}

/**
 * A `WWW-Authenticate: Bearer` challenge (RFC 6750 §3). When a token was presented and
 * refused, it carries `error` and `error_description` (in RFC 6749 §5.2 characters, so
 * the quoted string needs no escaping).
 *
 * @param {string} realm - the issuer
 * @param {{ error: string, description: string } | undefined} [failure]
 * @returns {string}
 */
export function bearerChallenge(realm, failure) {
  const parts = [`realm="${oauthErrorDescription(realm)}"`];
  if (failure) {
    parts.push(`error="${failure.error}"`);
    const description = oauthErrorDescription(failure.description);
    if (description !== '') parts.push(`error_description="${description}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}

/**
 * Reads an `application/x-www-form-urlencoded` body into single-valued parameters.
 *
 * @param {IncomingMessage} request
 * @returns {Promise<Record<string, string>>}
 * @throws {OAuthError} `invalid_request` for another content type or a repeated parameter.
 */
export async function readForm(request) {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(
      400,
      'invalid_request',
      'the request body must be application/x-www-form-urlencoded',
    );
  }
  const body = await readBody(request);
  return singleValued(new URLSearchParams(body.toString('utf8')));
}

/**
 * Reads an `application/json` body that holds one JSON object.
 *
 * @param {IncomingMessage} request
 * @returns {Promise<Record<string, unknown>>}
 * @throws {OAuthError} `invalid_request` for another content type, malformed JSON or a
 *   value that is not an object.
 */
export async function readJson(request) {
  if (mediaType(request) !== 'application/json') {
    throw new OAuthError(400, 'invalid_request', 'the request body must be application/json');
  }
  const text = (await readBody(request)).toString('utf8');
  /** @type {unknown} */
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OAuthError(400, 'invalid_request', 'the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OAuthError(400, 'invalid_request', 'the request body must be a JSON object');
  }
  return /** @type {Record<string, unknown>} */ (value);
}

/**
 * Request parameters as single strings. A parameter sent without a value counts as
 * absent, and a repeated one is an error (RFC 6749 §3.1).
 *
 * @param {URLSearchParams} params
 * @returns {Record<string, string>}
 * @throws {OAuthError} `invalid_request` naming the repeated parameter.
 */
export function singleValued(params) {
  /** @type {Record<string, string>} */
  const result = Object.create(null);
  for (const [name, value] of params) {
    if (Object.hasOwn(result, name)) {
      throw new OAuthError(400, 'invalid_request', `${name} must not be repeated`);
    }
    if (value !== '') result[name] = value;
  }
  return result;
}

/**
 * The bearer token of the `Authorization` header (RFC 6750 §2.1), or undefined.
 *
 * @param {IncomingMessage} request
 * @returns {string | undefined}
 */
export function bearerToken(request) {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * The caller's address and user agent, for the audit trail.
 *
 * @param {IncomingMessage} request
 * @returns {{ ip: string | undefined, userAgent: string | undefined }}
 */
export function caller(request) {
  return { ip: request.socket.remoteAddress, userAgent: request.headers['user-agent'] };
}

/**
 * Sends a JSON body. OAuth responses carry credentials or one-time values, so they are
 * `no-store` unless the caller says how long they may be cached.
 *
 * @param {ServerResponse} response
 * @param {number} status
 * @param {unknown} body
 * @param {{ maxAge?: number, headers?: Record<string, string> }} [options]
 */
export function sendJson(response, status, body, options = {}) {
  const cache =
    options.maxAge === undefined
      ? noStore
      : { 'Cache-Control': `public, max-age=${options.maxAge}` };
  send(response, status, JSON.stringify(body), {
    'Content-Type': 'application/json; charset=utf-8',
    ...cache,
    ...options.headers,
  });
}

/**
 * Sends an OAuth error response.
 *
 * @param {ServerResponse} response
 * @param {OAuthError} error
 */
export function sendError(response, error) {
  sendJson(response, error.status, error.toJSON(), { headers: error.headers });
}

/**
 * Sends a plain-text page: what a person sees when the server refuses to redirect.
 *
 * @param {ServerResponse} response
 * @param {number} status
 * @param {string} text
 */
export function sendText(response, status, text) {
  send(response, status, `${text}\n`, {
    'Content-Type': 'text/plain; charset=utf-8',
    ...noStore,
  });
}

/**
 * Redirects the browser (302 Found).
 *
 * @param {ServerResponse} response
 * @param {string | URL} location
 */
export function redirect(response, location) {
  send(response, 302, '', { Location: String(location), ...noStore });
}

/**
 * Sends an empty response.
 *
 * @param {ServerResponse} response
 * @param {number} status
 * @param {Record<string, string>} [headers]
 */
export function sendEmpty(response, status, headers = {}) {
  send(response, status, '', headers);
}

/**
 * `uri` with parameters added to its query. The query it already has is kept as it was
 * written (RFC 6749 §3.1.2), not re-encoded.
 *
 * @param {string} uri - an allowed redirect or logout URL (never one with a fragment)
 * @param {Record<string, string | undefined>} parameters - undefined ones are left out
 * @returns {string}
 */
export function withParameters(uri, parameters) {
  const added = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) added.append(name, value);
  }
  if (added.size === 0) return uri;
  const separator = !uri.includes('?') ? '?' : uri.endsWith('?') ? '' : '&';
  return `${uri}${separator}${added}`;
}

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * @param {ServerResponse} response
 * @param {number} status
 * @param {string} body
 * @param {Record<string, string>} headers
 */
function send(response, status, body, headers) {
  const length = status === 204 ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
  response.writeHead(status, {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...headers,
    ...length,
  });
  response.end(body);
}

/** @param {IncomingMessage} request */
function mediaType(request) {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
}

/** @param {number} limit */
function tooLarge(limit) {
  return new OAuthError(413, 'invalid_request', `the request body exceeds ${limit} bytes`, {
    Connection: 'close',
  });
}
