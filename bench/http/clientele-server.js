// @ts-check
/* global Request */
/**
 * The example identity server as bench/http.js runs it: the same composition
 * (examples/identity-server/app.js), the same tenant options and `node:http` limits as
 * examples/identity-server/server.js, on the store named by `--store` (`memory`, a file
 * path, or a postgres:// URL), seeded in-process with the demo API, a machine-to-machine
 * client (client_secret_basic) and a single-page app. `--logs N` records N audit events
 * first, so `/logs` starts full. Prints one JSON line `{ url, seed }` and answers the
 * parent's `stats` messages with its RSS, CPU time and audit backlog.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { FileStore, MemoryStore, Tenant } from 'clientele';
import { toNodeListener } from 'clientele/http';
import { createApp } from '../../examples/identity-server/app.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'memory' },
    schema: { type: 'string' },
    logs: { type: 'string', default: '0' },
  },
});

/** @param {string} where */
async function openStore(where) {
  if (where === 'memory') return new MemoryStore();
  if (/^postgres(ql)?:\/\//.test(where)) {
    const { PostgresStore } = await import('clientele/postgres');
    return new PostgresStore({
      connectionString: where,
      ...(values.schema === undefined ? {} : { schema: values.schema }),
    });
  }
  return new FileStore(where);
}

const server = createServer();
// examples/identity-server/server.js's limits.
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
server.keepAliveTimeout = 5_000;
server.maxHeadersCount = 100;
server.maxRequestsPerSocket = 1_000;
server.maxConnections = 1_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const issuer = `http://127.0.0.1:${port}/`;

let deadLetters = 0;
const tenant = await Tenant.create({
  domain: new URL(issuer).host,
  issuer,
  store: await openStore(values.store ?? 'memory'),
  audit: { onDeadLetter: (events) => void (deadLetters += events.length) },
  dynamicRegistration: { enabled: true },
  defaultApp: true,
});
await tenant.jwks();

const api = await tenant.apis.create({
  identifier: 'https://api.example.test/',
  name: 'Demo API',
  scopes: [{ value: 'read:reports' }, { value: 'write:reports' }],
});
const machine = await tenant.clients.create({
  name: 'Demo M2M',
  app_type: 'non_interactive',
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials'],
});
await tenant.apis.grant({
  client_id: machine.client_id,
  audience: api.identifier,
  scope: ['read:reports', 'write:reports'],
});
const spa = await tenant.clients.create({
  name: 'Demo SPA',
  app_type: 'spa',
  callbacks: ['http://127.0.0.1:8080/callback'],
  allowed_origins: ['http://127.0.0.1:8080'],
});

const app = createApp(tenant, { onUnexpectedError: (error) => console.error(error) });
server.on('request', toNodeListener(app, { origin: `http://127.0.0.1:${port}` }));

// A full /logs: the Management API keeps events from its first request on (and creates
// its API then). The bench reads /logs with this token to see when the log caught up.
await app(new Request(`${issuer}api/v2/logs`));
await tenant.apis.grant({
  client_id: machine.client_id,
  audience: `${issuer}api/v2/`,
  scope: ['read:logs'],
});
const { access_token: logsToken } = await tenant.issueAccessToken(machine.client_id, {
  audience: `${issuer}api/v2/`,
  scope: 'read:logs',
});
const logs = Number(values.logs);
for (let i = 0; i < logs; i++) {
  tenant.audit.record({
    type: 'sapi',
    description: 'Prefill',
    client_id: machine.client_id,
    details: { i },
  });
  if (i % 1000 === 999) await tenant.audit.flush();
}
await tenant.audit.flush();

process.on('message', (message) => {
  if (message !== 'stats') return;
  const cpu = process.cpuUsage();
  const backlog = /** @type {{ pending?: number } | undefined} */ (
    /** @type {any} */ (tenant.audit).backlog
  );
  process.send?.({
    rss: process.memoryUsage.rss(),
    heap: process.memoryUsage().heapTotal,
    cpuMs: (cpu.user + cpu.system) / 1000,
    pending: backlog?.pending ?? null,
    deadLetters,
  });
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void tenant.close().then(() => process.exit(0));
});

console.log(
  JSON.stringify({
    url: `http://127.0.0.1:${port}`,
    seed: {
      machine: { client_id: machine.client_id, client_secret: machine.client_secret },
      spa: { client_id: spa.client_id, redirect_uri: 'http://127.0.0.1:8080/callback' },
      audience: api.identifier,
      logsToken,
    },
  }),
);
