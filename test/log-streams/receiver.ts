/**
 * A log receiver on loopback for the log stream tests: node:http (or node:https with a
 * certificate made for the test), recording every request it gets, answering with the
 * status the test chooses (or never answering).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEvent } from '../../src/index.js';

/** One request the receiver got. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` (or `https://`). */
  readonly origin: string;
  readonly port: number;
  /** Requests answered 2xx, in arrival order. */
  readonly accepted: Received[];
  /** Every request, answered or not. */
  readonly all: Received[];
  /** The status of the next answers: 200 by default; `'hang'` never answers. */
  respond(status: number | 'hang'): void;
  close(): Promise<void>;
}

/** Starts a receiver; `tls` serves HTTPS with a self-signed certificate for 127.0.0.1. */
export async function startReceiver(options: { tls?: boolean } = {}): Promise<Receiver> {
  let status: number | 'hang' = 200;
  const accepted: Received[] = [];
  const all: Received[] = [];
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const received = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
      };
      all.push(received);
      if (status === 'hang') return;
      if (status >= 200 && status < 300) accepted.push(received);
      response.writeHead(status).end();
    });
  };
  const server: Server = options.tls
    ? createTlsServer(await selfSigned(), handler)
    : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    accepted,
    all,
    respond: (next) => {
      status = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function selfSigned(): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'log-receiver-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const made = spawnSync(
    '/usr/bin/openssl',
    // prettier-ignore
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
     '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
     '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const pair = { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
  await rm(dir, { recursive: true, force: true });
  return pair;
}

/** The `{ log_id, data }` records of a JSON Lines body. */
export function jsonLines(body: string): { log_id: string; data: AuditEvent }[] {
  return body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { log_id: string; data: AuditEvent });
}

/** The log ids of the records the receiver accepted, read with `parse`. */
export function receivedIds(
  receiver: Receiver,
  parse: (body: string) => { log_id: string }[] = jsonLines,
): string[] {
  return receiver.accepted.flatMap((request) => parse(request.body).map((r) => r.log_id));
}
