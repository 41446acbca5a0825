/**
 * A `node:http` request body as a Web `ReadableStream`, read only as fast as the handler
 * pulls, counting the bytes that went through; and what happens to the unread rest after
 * the response: read and discarded up to a bound (the connection is kept) or left behind
 * with the connection closed once the client had time to read the response.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** The body of one request, as a stream, with its byte count. */
export class BodyTap {
  /** Bytes the handler has been given so far. */
  received = 0;
  /** The stream handed to the `Request`. */
  readonly stream: ReadableStream<Uint8Array>;
  #open = true;

  /** @param request - the incoming request; it is paused until the stream is pulled */
  constructor(request: IncomingMessage) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          request.on('data', (chunk: Buffer) => {
            if (!this.#open) return;
            this.received += chunk.byteLength;
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) <= 0) request.pause();
          });
          request.once('end', () => {
            if (!this.#open) return;
            this.#open = false;
            controller.close();
          });
          request.once('error', (error) => {
            if (!this.#open) return;
            this.#open = false;
            controller.error(error);
          });
          request.pause();
        },
        pull: () => {
          request.resume();
        },
        cancel: () => {
          this.#open = false;
          request.pause();
        },
      },
      { highWaterMark: 16 * 1024, size: (chunk) => chunk.byteLength },
    );
  }
}

/** The declared `Content-Length`, or `undefined` (chunked, absent or malformed). */
export function declaredLength(request: IncomingMessage): number | undefined {
  const value = request.headers['content-length'];
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads and discards what is left of a request body so the connection can serve the next
 * request; destroys the socket if more than `limit` bytes arrive (the client lied about
 * the length).
 */
export function discardRest(request: IncomingMessage, limit: number): void {
  let discarded = 0;
  request.removeAllListeners('data');
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > limit) request.socket.destroy();
  });
  request.resume();
}

/**
 * Closes a connection whose request body was not read, after the response has been
 * written with `Connection: close`: the socket's write side is ended at once (Node did
 * that), but incoming bytes are read and discarded for up to `lingerMs` (or until the
 * client closes its side), so the kernel does not answer the unread bytes with a reset
 * that could destroy the response before the client read it.
 */
export function lingeringClose(request: IncomingMessage, socket: Socket, lingerMs: number): void {
  // node:http ended the socket when the response finished and destroys it once the end is
  // flushed; take over the destroy so the unread body drains first.
  socket.removeListener('finish', socket.destroy);
  const destroy = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(destroy, lingerMs);
  socket.once('end', destroy);
  socket.once('close', () => clearTimeout(timer));
  request.removeAllListeners('data');
  request.on('data', () => undefined);
  request.resume();
  socket.resume();
  if (socket.destroyed) clearTimeout(timer);
}
