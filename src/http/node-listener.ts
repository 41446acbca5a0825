/**
 * `toNodeListener`: runs a {@link Handler} under `node:http` or `node:https`. The request
 * body streams into the Fetch `Request` as the handler reads it, the response body
 * streams back with backpressure, a client that goes away aborts `request.signal` and is
 * counted (never printed), and a body the handler did not read is drained or the
 * connection closed so the response always reaches the client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../errors.js';
import { bodyTakenBefore, rebuildBody, requestTarget } from './framework-body.js';
import type { Handler } from './handler.js';
import { BodyTap, declaredLength, discardRest, lingeringClose } from './request-body.js';
import { ListenerRequest } from './listener-request.js';
import { preparedBody, preparedHeaders } from './prepared-body.js';
import { BASE_HEADERS } from './responses.js';

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /**
   * Scheme, host and port of the `Request` URLs (`https://id.example.com`). The `Host`
   * header is the client's to choose, so it never builds a URL. Default `http://localhost`.
   */
  origin?: string;
  /**
   * Most bytes of an unread request body that are read and discarded after the response
   * so the connection can be kept; a longer (or chunked) rest closes the connection
   * (`Connection: close`). Default 1 MiB.
   */
  drainLimit?: number;
  /**
   * How long a connection being closed keeps reading (and discarding) the rest of a body,
   * so the client reads the response before the socket goes. Default 2000 ms.
   */
  lingerMs?: number;
  /**
   * Called with what the handler threw (it is answered `500` with a body that says
   * nothing about the cause). Default: a process warning, code
   * `CLIENTELE_HTTP_HANDLER_FAILED`.
   */
  onUnexpectedError?: (error: unknown) => void;
}

/** What a listener has counted since it was created. */
export interface NodeListenerStats {
  /** Requests whose client went away before the response was complete. */
  aborted: number;
  /** Handler calls that threw or returned something that is not a `Response`. */
  failed: number;
}

/** A `node:http` request listener with its counters. */
export interface NodeListener {
  /** Serves one request. */
  (request: IncomingMessage, response: ServerResponse): void;
  /** Counters, updated as requests are served. */
  readonly stats: Readonly<NodeListenerStats>;
}

/**
 * The address of the socket a `Request` came in on, when {@link toNodeListener} built it
 * (undefined otherwise). Behind a proxy it is the proxy's: read the proxy's header instead.
 *
 * @example
 * ```ts
 * createProvider(tenant, { clientIp: (request) => remoteAddressOf(request) });
 * ```
 */
export function remoteAddressOf(request: Request): string | undefined {
  return request instanceof ListenerRequest ? request.remoteAddress : undefined;
}

/**
 * Adapts a {@link Handler} to a `node:http` (or `node:https`) request listener.
 *
 * It also serves as middleware or a raw route handler of a Node framework: the URL is
 * built from `req.originalUrl` when the framework sets it (Express strips the mount path
 * from `req.url`), and when a body parser in front of it has read the body, a JSON or
 * form value it left in `req.body` (or the bytes or text of a raw or text parser) becomes
 * the body again; any other body read before is answered `500` with an error description
 * that names the cause. See docs/frameworks.md.
 *
 * Recommended server settings (a listener cannot set them; the defaults of `node:http`
 * are too lenient for an identity server on the internet):
 * `server.headersTimeout = 10_000` (a client must send its headers within 10 s),
 * `server.requestTimeout = 30_000` (and the whole request within 30 s),
 * `server.keepAliveTimeout = 5_000` (idle keep-alive connections close after 5 s),
 * `server.maxHeadersCount = 100`, `server.maxRequestsPerSocket = 1000`, and a connection
 * cap such as `server.maxConnections = 1000`. Node enforces the two timeouts only when it
 * checks the connections, every 30 s by default, so a slow client keeps its connection up
 * to 40 s despite a 10 s `headersTimeout`: create the server with
 * `connectionsCheckingInterval: 1_000` (a constructor option only).
 *
 * @throws `InvalidArgumentError` for a handler that is not a function or a bad option.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * const server = createServer(
 *   { connectionsCheckingInterval: 1_000 },
 *   toNodeListener(createManagementApi(tenant)),
 * );
 * server.headersTimeout = 10_000;
 * server.requestTimeout = 30_000;
 * server.keepAliveTimeout = 5_000;
 * server.maxConnections = 1_000;
 * server.listen(3000, '127.0.0.1');
 * ```
 */
export function toNodeListener(handler: Handler, options: NodeListenerOptions = {}): NodeListener {
  if (typeof handler !== 'function') {
    throw new InvalidArgumentError(
      '/handler',
      'handler must be a function (request) => Promise<Response>',
    );
  }
  const config = readOptions(options);
  const stats: NodeListenerStats = { aborted: 0, failed: 0 };
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    void serve(handler, request, response, config, stats);
  };
  return Object.assign(listener, { stats });
}

type Config = Required<NodeListenerOptions>;

function readOptions(options: NodeListenerOptions): Config {
  const origin = options.origin ?? 'http://localhost';
  if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
    throw new InvalidArgumentError(
      '/options/origin',
      'origin must be scheme://host[:port] without a path',
    );
  }
  for (const name of ['drainLimit', 'lingerMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new InvalidArgumentError(`/options/${name}`, `${name} must be an integer ≥ 0`);
    }
  }
  return {
    origin,
    drainLimit: options.drainLimit ?? 1024 * 1024,
    lingerMs: options.lingerMs ?? 2_000,
    onUnexpectedError: options.onUnexpectedError ?? warnUnexpected,
  };
}

async function serve(
  handler: Handler,
  req: IncomingMessage,
  res: ServerResponse,
  config: Config,
  stats: NodeListenerStats,
): Promise<void> {
  const method = req.method ?? 'GET';
  const bodyless = method === 'GET' || method === 'HEAD';
  const taken = !bodyless && bodyTakenBefore(req);
  const rebuilt = taken ? rebuildBody(req) : undefined;
  const tap = bodyless || taken ? undefined : new BodyTap(req);
  const body = rebuilt?.ok ? rebuilt.bytes : tap?.stream;
  const request = buildRequest(req, method, body, config);
  res.once('close', () => {
    if (!res.writableFinished) {
      stats.aborted += 1;
      request?.clientGone();
    }
  });
  // An aborted upload errors the request stream; the close above counts it.
  req.on('error', ignore);
  let response: Response;
  if (rebuilt && !rebuilt.ok) {
    stats.failed += 1;
    config.onUnexpectedError(new Error(rebuilt.reason));
    response = new Response(
      JSON.stringify({ error: 'server_error', error_description: rebuilt.reason }),
      {
        status: 500,
        headers: { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
      },
    );
  } else if (!request) {
    response = new Response('Bad request\n', {
      status: 400,
      headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
    });
  } else {
    try {
      response = await handler(request);
      if (!(response instanceof Response))
        throw new TypeError('the handler did not return a Response');
    } catch (error) {
      stats.failed += 1;
      config.onUnexpectedError(error);
      response = new Response(JSON.stringify({ error: 'server_error' }), {
        status: 500,
        headers: { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
      });
    }
  }
  if (res.destroyed) {
    await response.body?.cancel().catch(ignore);
    return;
  }
  await write(req, res, response, tap?.received ?? 0, config);
}

function ignore(): undefined {
  return undefined;
}

function buildRequest(
  req: IncomingMessage,
  method: string,
  body: ReadableStream<Uint8Array> | Uint8Array | undefined,
  config: Config,
): ListenerRequest | undefined {
  const target = requestTarget(req);
  if (!target.startsWith('/')) return undefined;
  try {
    const headers = new Headers();
    const raw = req.rawHeaders;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      headers.append(raw[index] as string, raw[index + 1] as string);
    }
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (body instanceof Uint8Array) {
      // Rebuilt from a parsed value: its length, not the length of what was sent.
      headers.delete('transfer-encoding');
      headers.set('content-length', String(body.byteLength));
      init.body = body;
    } else if (body) {
      init.body = body;
      init.duplex = 'half';
    }
    return new ListenerRequest(`${config.origin}${target}`, init, req.socket.remoteAddress);
  } catch {
    return undefined; // a header or method the Fetch API refuses
  }
}

/** The headers of `response` for `writeHead`: one entry per name, `set-cookie` as a list. */
function headersOf(response: Response): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return headers;
}

async function write(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  received: number,
  config: Config,
): Promise<void> {
  // Decide now, while the headers can still say so, what happens to an unread body.
  let close = false;
  if (!req.complete) {
    const declared = declaredLength(req);
    close = declared === undefined || declared - received > config.drainLimit;
  }
  const record = preparedHeaders(response);
  const headers: Record<string, string | string[]> =
    record === undefined ? headersOf(response) : { ...record };
  if (close) headers.connection = 'close';
  if (!req.complete) {
    res.once('finish', () => {
      if (req.complete) return;
      if (close || !res.shouldKeepAlive) lingeringClose(req, req.socket, config.lingerMs);
      else discardRest(req, config.drainLimit);
    });
  }
  const prepared = preparedBody(response);
  res.writeHead(response.status, headers);
  if (prepared !== undefined) {
    // A body the library serialised: headers and body leave in one write.
    res.end(req.method === 'HEAD' ? undefined : prepared);
    return;
  }
  if (response.body === null || req.method === 'HEAD') {
    await response.body?.cancel().catch(ignore);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(ignore);
  res.once('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
  } catch {
    // The body stream failed or was cancelled: the client gets a truncated response.
    res.destroy();
    return;
  } finally {
    res.off('close', stop);
  }
  if (!res.destroyed) res.end();
}

function warnUnexpected(error: unknown): void {
  process.emitWarning(
    `an HTTP handler failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    { type: 'ClienteleHttpWarning', code: 'CLIENTELE_HTTP_HANDLER_FAILED' },
  );
}
