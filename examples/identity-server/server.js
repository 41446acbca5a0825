#!/usr/bin/env node
// @ts-check
/**
 * A small OpenID Provider on `node:http`, composed of clientele's handlers (app.js) and a
 * demo login (demo-login.js); this file only reads the command line, opens the store,
 * listens and stops.
 *
 *   npm run example:server -- --port 3000 --store ./data/tenant.json
 *
 * prints `listening on http://127.0.0.1:3000` and serves discovery, JWKS, authorize,
 * token, revoke, introspect, userinfo, Dynamic Client Registration, logout, the
 * Management API at /api/v2/ and the admin console at /console/ for the tenant kept in the
 * FileStore (or PostgresStore) at `--store`, which another process may have prepared with
 * the library. SIGTERM or SIGINT stops it cleanly: no new connections, requests in flight
 * finish, the tenant is closed (audit events delivered, store closed), exit code 0.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { parseArgs } from 'node:util';
import { FileStore, MemoryStore, ndjsonFileSink, Tenant } from 'clientele';
import { toNodeListener } from 'clientele/http';
import { createApp } from './app.js';

const USAGE = `usage: node examples/identity-server/server.js [options]

  --port <n>                    port to listen on; 0 picks a free one (default 3000)
  --host <address>              address to listen on (default 127.0.0.1)
  --store <file|postgres://…>   the tenant's FileStore, or a PostgresStore on that database
                                (default: in memory, lost on exit)
  --audit-log <file>            append audit events to this NDJSON file
  --issuer <url>                issuer when behind a proxy (default http://<host>:<port>/)
  --initial-access-token <t>    require this bearer token to register clients (RFC 7591 §3)
  --tls-cert <file>             serve HTTPS with this PEM certificate (chain); needs --tls-key
  --tls-key <file>              the PEM private key of --tls-cert
  --cimd                        dynamic Client ID Metadata Documents: an https URL client_id
                                is fetched and becomes a third-party client (MCP clients)
  --cimd-allow-private          with --cimd, fetch documents from loopback and private
                                addresses: for local testing only, never on a network
  --dpop-nonce                  require a server nonce in every DPoP proof (RFC 9449 §8)
  -h, --help                    show this help`;

/** How long requests in flight may take to finish after a stop signal. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * How often Node looks for connections past `headersTimeout` or `requestTimeout` (ms).
 * Node's default is 30 s: a client dribbling its headers then keeps its connection for up
 * to 40 s instead of 10 (50 such connections were all still open after 25 s). A check is
 * one pass over the open connections, so once a second costs nothing. A constructor
 * option only: it cannot be set on a server afterwards.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * Limits for a server on a network (the `node:http` defaults wait minutes for slow
 * clients): headers within 10 s, the whole request within 30 s (each enforced within
 * {@link CONNECTIONS_CHECKING_INTERVAL_MS} more), idle keep-alive connections closed after
 * 5 s, at most 1,000 connections at once.
 *
 * @param {import('node:http').Server | import('node:https').Server} server
 */
function limit(server) {
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  server.maxRequestsPerSocket = 1_000;
  server.maxConnections = 1_000;
}

/**
 * @typedef {object} ServerOptions
 * @property {number} port
 * @property {string} host
 * @property {string | undefined} store
 * @property {string | undefined} auditLog
 * @property {string | undefined} issuer
 * @property {string | undefined} initialAccessToken
 * @property {string | undefined} tlsCert
 * @property {string | undefined} tlsKey
 * @property {boolean} cimd
 * @property {boolean} cimdAllowPrivate
 * @property {boolean} dpopNonce
 * @property {boolean} help
 */

/**
 * @param {string[]} args
 * @returns {ServerOptions}
 * @throws {Error} naming the option that is wrong
 */
function readOptions(args) {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '3000' },
      host: { type: 'string', default: '127.0.0.1' },
      store: { type: 'string' },
      'audit-log': { type: 'string' },
      issuer: { type: 'string' },
      'initial-access-token': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      cimd: { type: 'boolean', default: false },
      'cimd-allow-private': { type: 'boolean', default: false },
      'dpop-nonce': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port > 65_535) {
    throw new Error(`--port must be a number from 0 to 65535 (got ${JSON.stringify(values.port)})`);
  }
  if (values.issuer !== undefined && !/^https?:\/\/[^/?#]+\/$/.test(values.issuer)) {
    throw new Error('--issuer must be an http(s) URL whose path is / (https://id.example.com/)');
  }
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new Error('--tls-cert and --tls-key go together');
  }
  if (values['cimd-allow-private'] && !values.cimd) {
    throw new Error('--cimd-allow-private needs --cimd');
  }
  return {
    port,
    host: values.host,
    store: values.store,
    auditLog: values['audit-log'],
    issuer: values.issuer,
    initialAccessToken: values['initial-access-token'],
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    cimd: values.cimd,
    cimdAllowPrivate: values['cimd-allow-private'],
    dpopNonce: values['dpop-nonce'],
    help: values.help,
  };
}

/**
 * The issuer for a listening address: wildcard addresses are reached on loopback.
 *
 * @param {string} host
 * @param {number} port
 * @param {'http' | 'https'} [scheme]
 */
function localIssuer(host, port, scheme = 'http') {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `${scheme}://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/`;
}

/**
 * @param {import('node:http').Server | import('node:https').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<number>} the port listened on
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** @param {string[]} args */
async function main(args) {
  /** @type {ServerOptions} */
  let options;
  try {
    options = readOptions(args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }

  // Listen first (port 0 is only known then), answering 503 until the tenant is ready.
  /** @type {((request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void) | undefined} */
  let handle;
  /** @type {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void} */
  const listener = (request, response) => {
    if (handle) handle(request, response);
    else response.writeHead(503, { 'Retry-After': '1' }).end();
  };
  const tls = options.tlsCert !== undefined && options.tlsKey !== undefined;
  const connectionsCheckingInterval = CONNECTIONS_CHECKING_INTERVAL_MS;
  const server = tls
    ? createHttpsServer(
        {
          cert: readFileSync(options.tlsCert ?? ''),
          key: readFileSync(options.tlsKey ?? ''),
          connectionsCheckingInterval,
        },
        listener,
      )
    : createServer({ connectionsCheckingInterval }, listener);
  limit(server);
  const port = await listen(server, options.port, options.host);
  const issuer = options.issuer ?? localIssuer(options.host, port, tls ? 'https' : 'http');

  /** @type {import('clientele').Tenant} */
  let tenant;
  try {
    tenant = await Tenant.create({
      domain: new URL(issuer).host,
      issuer,
      store: await openStore(options.store),
      auditSinks: options.auditLog === undefined ? [] : [ndjsonFileSink(options.auditLog)],
      audit: {
        // One line per batch, without a stack: during a store outage every batch for the
        // store-backed /logs ends here, and the outage itself is logged once (openStore).
        onDeadLetter: (events, error) => {
          console.error(
            `identity-server: ${events.length} audit event(s) undelivered: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      },
      dynamicRegistration:
        options.initialAccessToken === undefined
          ? { enabled: true }
          : { enabled: true, initialAccessToken: options.initialAccessToken },
      // A new tenant starts with Auth0's "Default App", as the console shows it.
      defaultApp: true,
      ...(options.cimd
        ? {
            clientIdMetadataDocuments: {
              enabled: true,
              allowPrivateNetwork: options.cimdAllowPrivate,
            },
          }
        : {}),
      ...(options.dpopNonce ? { dpop: { nonce: true } } : {}),
    });
    // Read the store (and create the first signing key) now: a bad store fails here.
    await tenant.jwks();
  } catch (error) {
    server.close();
    throw error;
  }

  /** @param {unknown} error */
  const onUnexpectedError = (error) => console.error('identity-server: request failed:', error);
  handle = toNodeListener(createApp(tenant, { onUnexpectedError }), {
    origin: new URL(issuer).origin,
    onUnexpectedError,
  });
  console.log(`listening on ${issuer.slice(0, -1)}`);

  let signals = 0;
  /** @param {NodeJS.Signals} signal */
  const stop = (signal) => {
    signals += 1;
    if (signals > 1) {
      console.error(`identity-server: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    shutdown(server, tenant).then(
      () => console.error(`identity-server: stopped (${signal})`),
      (/** @type {unknown} */ error) => {
        console.error('identity-server: shutdown failed:', error);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * Stops accepting connections, lets requests in flight finish (for at most
 * {@link SHUTDOWN_GRACE_MS}), then closes the tenant: audit delivered, store closed.
 *
 * @param {import('node:http').Server | import('node:https').Server} server
 * @param {import('clientele').Tenant} tenant
 */
async function shutdown(server, tenant) {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(force);
  await tenant.close();
}

main(process.argv.slice(2)).catch((/** @type {unknown} */ error) => {
  console.error(`identity-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

/**
 * The store named by `--store`: in memory when absent, a PostgresStore for a
 * `postgres://` or `postgresql://` URL (imported only then, so `pg` is needed only then),
 * a FileStore otherwise.
 *
 * @param {string | undefined} spec
 * @returns {Promise<import('clientele').Store>}
 */
async function openStore(spec) {
  if (spec === undefined) return new MemoryStore();
  if (/^postgres(ql)?:\/\//i.test(spec)) {
    const { PostgresStore } = await import('clientele/postgres');
    return new PostgresStore({
      connectionString: spec,
      // One line when the database goes and one when it is back; requests meanwhile are
      // answered 503 with Retry-After, and are not logged one by one.
      onAvailabilityChange: (change) =>
        console.error(
          change.available
            ? `identity-server: store available again (unavailable for ${(change.unavailableForMs / 1000).toFixed(1)} s)`
            : `identity-server: store unavailable: ${change.error.message}`,
        ),
    });
  }
  return new FileStore(spec);
}
