/**
 * A real HTTPS server on loopback for the metadata-document tests: a certificate made for
 * the test (127.0.0.1, ::1 and the made-up names the tests resolve with a custom lookup),
 * one handler per path, and a count of the requests that reached it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface TlsServer {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  /** PEM of the certificate, to trust it (and nothing else). */
  readonly ca: string;
  /** Requests that reached the server, by path. */
  readonly hits: string[];
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

/** Made-up names the certificate also covers. */
export const TEST_NAMES = ['cimd.example.test', 'app.example.test'];

export async function startTlsServer(): Promise<TlsServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cimd-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const san = ['IP:127.0.0.1', 'IP:::1', ...TEST_NAMES.map((name) => `DNS:${name}`)].join(',');
  const made = spawnSync(
    '/usr/bin/openssl',
    // prettier-ignore
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
     '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', `subjectAltName=${san}`],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const ca = await readFile(cert, 'utf8');
  const routes = new Map<string, Route>();
  const hits: string[] = [];
  const server: Server = createServer(
    { cert: ca, key: await readFile(key, 'utf8') },
    (request, response) => {
      const target = new URL(request.url ?? '/', 'https://x').pathname;
      hits.push(target);
      const handler = routes.get(target);
      if (handler) handler(request, response);
      else response.writeHead(404).end();
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await rm(dir, { recursive: true, force: true });
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    ca,
    hits,
    route: (at, handler) => routes.set(at, handler),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A handler answering `body` as JSON with extra headers. */
export function json(body: unknown, headers: Record<string, string> = {}): Route {
  return (_request, response) => {
    const text = JSON.stringify(body);
    response
      .writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...headers,
      })
      .end(text);
  };
}
