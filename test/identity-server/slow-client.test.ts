/**
 * The example server's documented limit holds for clients that dribble their headers:
 * `headersTimeout` is 10 s, and Node enforces it only when it checks the connections
 * (every 30 s unless the server is created with a shorter `connectionsCheckingInterval`),
 * so before, 50 such connections were all still open after 25 s. Real sockets against the
 * real example server: each sends a request line and then one header line every 500 ms,
 * never the blank line that ends the headers.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './helpers.js';

const CONNECTIONS = 50;
/** The example's headersTimeout. */
const HEADERS_TIMEOUT_MS = 10_000;
/**
 * Latest acceptable close: the timeout, Node's check every second, and slack for a loaded
 * machine. Node's default check (30 s) closes them between 30 and 40 s.
 */
const LATEST_CLOSE_MS = HEADERS_TIMEOUT_MS + 5_000;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer([]);
});

afterAll(async () => {
  await server?.stop();
});

interface Dribble {
  /** Milliseconds from the connection to its close, or undefined while open. */
  closedAfter: number | undefined;
  /** What the server answered before closing. */
  answer: string;
  socket: Socket;
}

/** Opens a connection that sends its headers one line every 500 ms, never finishing them. */
function dribble(port: number): Promise<Dribble> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const state: Dribble = { closedAfter: undefined, answer: '', socket };
    socket.setEncoding('latin1');
    socket.once('error', reject);
    socket.once('connect', () => {
      const opened = Date.now();
      socket.write('GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      let line = 0;
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(`X-Slow-${line++}: ${'a'.repeat(8)}\r\n`);
      }, 500);
      socket.on('data', (chunk: string) => (state.answer += chunk));
      socket.on('error', () => undefined);
      socket.once('close', () => {
        clearInterval(timer);
        state.closedAfter = Date.now() - opened;
      });
      resolve(state);
    });
  });
}

describe('the example server and clients that dribble their headers', () => {
  it('closes every such connection with 408 soon after headersTimeout, not at Node’s 30 s check', async () => {
    const port = Number(new URL(server.url).port);
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => dribble(port)));
    try {
      await new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (clients.every((client) => client.closedAfter !== undefined)) {
            clearInterval(poll);
            resolve();
          } else if (Date.now() - started > LATEST_CLOSE_MS) {
            clearInterval(poll);
            const open = clients.filter((client) => client.closedAfter === undefined).length;
            reject(
              new Error(
                `${open} of ${CONNECTIONS} connections still open after ${LATEST_CLOSE_MS} ms`,
              ),
            );
          }
        }, 100);
      });
      for (const client of clients) {
        expect(client.answer).toMatch(/^HTTP\/1\.1 408 /);
        // Not closed before the limit: the headers kept coming, so nothing else closed it.
        expect(client.closedAfter).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
      }
      // The server still answers a normal request.
      expect((await fetch(`${server.url}/.well-known/openid-configuration`)).status).toBe(200);
    } finally {
      for (const client of clients) client.socket.destroy();
    }
  });
});
