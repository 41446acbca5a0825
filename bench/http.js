// @ts-check
/* global performance, Buffer, URLSearchParams, fetch */
/**
 * `node bench/http.js`: the example identity server against node-oidc-provider, side by
 * side on this machine, in interleaved rounds (clientele, peer, peer, clientele, ...), so a
 * burst of load from elsewhere hits both. Prints the ratios of issue #25's goal table and
 * writes bench/http-results.json. Needs `npm run build` (it runs dist/ through the
 * example's imports) and, for the PostgresStore line, PostgreSQL at DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test; the line is skipped when unreachable).
 *
 *   node bench/http.js [--rounds 3] [--seconds 5] [--only cc16,cc64,file,postgres,code,introspect,discovery,rss]
 *
 * Each server is a child process; "drain" is how long it keeps using CPU (or, for the
 * example server, holds audit work) after the last response of a round was read. The RSS
 * line starts a fresh pair of servers per round and compares their median RSS.
 */
import { fork } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, send } from './http/load.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const DURATION_MS = Number(values.seconds) * 1000;
const ONLY = values.only?.split(',');
const wants = (/** @type {string} */ name) => ONLY === undefined || ONLY.includes(name);
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const FULL_LOGS = 10_000;

/**
 * @typedef {object} Server
 * @property {string} name
 * @property {string} url
 * @property {any} seed
 * @property {{ token: string, authorize: string, introspect: string, jwks: string }} endpoints
 * @property {import('node:child_process').ChildProcess} child
 * @property {() => Promise<{ rss: number, heap: number, cpuMs: number, pending: number | null, deadLetters: number }>} stats
 * @property {() => Promise<void>} stop
 */

/**
 * @param {string} name
 * @param {string} script
 * @param {string[]} args
 * @returns {Promise<Server>}
 */
async function start(name, script, args = []) {
  const profile = process.env['CLIENTELE_BENCH_PROFILE'];
  const child = fork(new URL(script, import.meta.url), args, {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    // CLIENTELE_BENCH_PROFILE=dir writes a CPU profile of each example server there.
    execArgv: profile && name === 'clientele' ? ['--cpu-prof', '--cpu-prof-dir', profile] : [],
  });
  const first = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(out.slice(0, end)));
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening`)));
  });
  const discovery = JSON.parse(
    await (await fetch(`${first.url}/.well-known/openid-configuration`)).text(),
  );
  /** @type {((value: any) => void)[]} */
  const waiting = [];
  child.on('message', (message) => waiting.shift()?.(message));
  return {
    name,
    url: first.url,
    seed: first.seed,
    endpoints: {
      token: new URL(discovery.token_endpoint).pathname,
      authorize: new URL(discovery.authorization_endpoint).pathname,
      introspect: new URL(discovery.introspection_endpoint).pathname,
      jwks: new URL(discovery.jwks_uri).pathname,
    },
    child,
    stats: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.send('stats');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/**
 * How long `server` keeps working after a round: until its CPU use falls under 5 ms per
 * 100 ms and, for the example server, `/logs` answers (it first waits until every event
 * recorded before it is in the store: the audit work queued behind the responses, which
 * may wait on the disk or the database rather than the CPU).
 */
async function drain(/** @type {Server} */ server) {
  const begin = performance.now();
  const caughtUp =
    typeof server.seed.logsToken === 'string'
      ? fetch(`${server.url}/api/v2/logs?per_page=1`, {
          headers: { authorization: `Bearer ${server.seed.logsToken}` },
        })
          .then(async (response) => {
            await response.text();
            if (response.status !== 200) throw new Error(`/logs: ${response.status}`);
            return (performance.now() - begin) / 1000;
          })
          .catch((error) => {
            process.stderr.write(`drain: /logs did not answer: ${String(error)}\n`);
            return Infinity;
          })
      : Promise.resolve(0);
  const idle = await cpuDrain(server, begin);
  return Math.max(idle, await caughtUp);
}

/** Seconds from `begin` until `server` used under 5 ms of CPU in 100 ms (and holds no audit backlog). */
async function cpuDrain(/** @type {Server} */ server, /** @type {number} */ begin) {
  let last = await server.stats();
  let quietSince = begin;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await server.stats();
    const busy = now.cpuMs - last.cpuMs > 5 || (now.pending ?? 0) > 0;
    last = now;
    if (busy) quietSince = performance.now();
    else if (performance.now() - quietSince >= 100) return (quietSince - begin) / 1000;
    if (performance.now() - begin > 300_000) return Infinity;
  }
}

const basic = (/** @type {any} */ seed) =>
  `Basic ${Buffer.from(
    `${encodeURIComponent(seed.machine.client_id)}:${encodeURIComponent(seed.machine.client_secret)}`,
  ).toString('base64')}`;

/** One client-credentials token request. */
function clientCredentials(/** @type {Server} */ server, audience = server.seed.audience) {
  const body =
    server.name === 'oidc-provider'
      ? `grant_type=client_credentials&resource=${encodeURIComponent(audience)}&scope=read%3Areports`
      : `grant_type=client_credentials&audience=${encodeURIComponent(audience)}&scope=read%3Areports`;
  const headers = {
    authorization: basic(server.seed),
    'content-type': 'application/x-www-form-urlencoded',
  };
  return async (/** @type {import('undici').Client} */ client) => {
    const { status, text } = await send(client, {
      method: 'POST',
      path: server.endpoints.token,
      headers,
      body,
    });
    if (status !== 200) throw new Error(`token: ${status} ${text.slice(0, 200)}`);
    return JSON.parse(text).access_token;
  };
}

/** One authorization code flow with PKCE: /authorize (and the peer's interaction hops), then the exchange. */
function codeFlow(/** @type {Server} */ server) {
  const { client_id, redirect_uri } = server.seed.spa;
  return async (/** @type {import('undici').Client} */ client) => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(8).toString('hex');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id,
      redirect_uri,
      scope: 'openid offline_access',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'consent',
    });
    if (server.name !== 'oidc-provider') query.set('audience', server.seed.audience);
    /** @type {Map<string, string>} */
    const jar = new Map();
    let next = `${server.endpoints.authorize}?${query}`;
    for (let hop = 0; hop < 6; hop++) {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const { status, headers, text } = await send(client, {
        method: 'GET',
        path: next,
        headers: cookie ? { cookie } : {},
      });
      const setCookie = headers['set-cookie'];
      for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
      }
      const location = headers['location'];
      if (status < 300 || status >= 400 || typeof location !== 'string') {
        throw new Error(`authorize: ${status} ${text.slice(0, 200)}`);
      }
      const target = new URL(location, server.url);
      if (location.startsWith(redirect_uri)) {
        const code = target.searchParams.get('code');
        if (!code) throw new Error(`authorize: no code in ${location}`);
        const { status: tokenStatus, text: tokenText } = await send(client, {
          method: 'POST',
          path: server.endpoints.token,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri,
            client_id,
            code_verifier: verifier,
          }).toString(),
        });
        if (tokenStatus !== 200)
          throw new Error(`exchange: ${tokenStatus} ${tokenText.slice(0, 200)}`);
        return;
      }
      next = `${target.pathname}${target.search}`;
    }
    throw new Error('authorize: too many redirects');
  };
}

/** Introspection of a client-credentials access token by its client. */
async function introspection(/** @type {Server} */ server) {
  const { Client } = await import('undici');
  const once = new Client(server.url);
  const token = await clientCredentials(
    server,
    server.seed.opaqueAudience ?? server.seed.audience,
  )(once);
  await once.close();
  const body = `token=${encodeURIComponent(token)}`;
  const headers = {
    authorization: basic(server.seed),
    'content-type': 'application/x-www-form-urlencoded',
  };
  return async (/** @type {import('undici').Client} */ client) => {
    const { status, text } = await send(client, {
      method: 'POST',
      path: server.endpoints.introspect,
      headers,
      body,
    });
    if (status !== 200 || !text.includes('"active":true')) {
      throw new Error(`introspect: ${status} ${text.slice(0, 200)}`);
    }
  };
}

function get(/** @type {string} */ pathname) {
  return async (/** @type {import('undici').Client} */ client) => {
    const { status } = await send(client, { method: 'GET', path: pathname });
    if (status !== 200) throw new Error(`GET ${pathname}: ${status}`);
  };
}

/**
 * Interleaved rounds of `operation` on both servers. Each keeps its median round.
 *
 * @param {Server} ours
 * @param {Server} peer
 * @param {(server: Server) => Promise<(client: import('undici').Client) => Promise<unknown>>} make
 * @param {number} connections
 */
async function compare(ours, peer, make, connections) {
  const operations = new Map([
    [ours, await make(ours)],
    [peer, await make(peer)],
  ]);
  /** @type {Map<Server, { perSecond: number, p99: number, sustained: number, drain: number, cpuUs: number, errors: number, firstError?: string }[]>} */
  const rounds = new Map([
    [ours, []],
    [peer, []],
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [ours, peer] : [peer, ours];
    for (const server of order) {
      const operation = /** @type {(client: import('undici').Client) => Promise<void>} */ (
        operations.get(server)
      );
      const before = await server.stats();
      const result = await runLoad({
        url: server.url,
        connections,
        durationMs: DURATION_MS,
        operation,
      });
      const drained = await drain(server);
      const after = await server.stats();
      rounds.get(server)?.push({
        perSecond: result.perSecond,
        p99: result.p99,
        sustained: result.requests / (result.seconds + drained),
        drain: drained,
        // CPU time of the server process (all its threads) per operation, round and drain:
        // unlike requests per second, it hardly moves with load from other processes.
        cpuUs: ((after.cpuMs - before.cpuMs) * 1000) / Math.max(1, result.requests),
        errors: result.errors,
        ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
      });
    }
  }
  const summary = (/** @type {Server} */ server) => {
    const list = rounds.get(server) ?? [];
    return {
      perSecond: median(list.map((r) => r.perSecond)),
      p99: median(list.map((r) => r.p99)),
      sustained: median(list.map((r) => r.sustained)),
      drain: Math.max(...list.map((r) => r.drain)),
      cpuUs: median(list.map((r) => r.cpuUs)),
      errors: list.reduce((sum, r) => sum + r.errors, 0),
      firstError: list.find((r) => r.firstError)?.firstError,
    };
  };
  return { ours: summary(ours), peer: summary(peer) };
}

/** The middle value (the upper one of an even count). */
function median(/** @type {number[]} */ list) {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** @type {{ line: string, ours: string, peer: string, ratio: string, goal: string, met: boolean }[]} */
const table = [];
const fmt = (/** @type {number} */ n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
/**
 * @param {string} line
 * @param {Awaited<ReturnType<typeof compare>>} result
 * @param {{ sustained?: boolean, p99?: boolean, atLeast?: number }} [options]
 */
function report(line, result, { sustained = false, p99 = false, atLeast = 1 } = {}) {
  const key = sustained ? 'sustained' : 'perSecond';
  const ratio = result.ours[key] / result.peer.perSecond;
  const errors =
    result.ours.errors + result.peer.errors > 0
      ? ` [errors ${result.ours.errors}/${result.peer.errors}: ${result.ours.firstError ?? result.peer.firstError}]`
      : '';
  table.push({
    line: `${line}${errors}`,
    ours: `${fmt(result.ours[key])}/s p99 ${fmt(result.ours.p99)} ms drain ${result.ours.drain.toFixed(2)} s cpu ${fmt(result.ours.cpuUs)} us`,
    peer: `${fmt(result.peer.perSecond)}/s p99 ${fmt(result.peer.p99)} ms drain ${result.peer.drain.toFixed(2)} s cpu ${fmt(result.peer.cpuUs)} us`,
    ratio:
      `${ratio.toFixed(2)} x` +
      (p99 ? `, p99 ${(result.ours.p99 / result.peer.p99).toFixed(2)} x` : ''),
    goal: `>= ${atLeast} x` + (p99 ? ', p99 <= 2 x' : '') + ', drain <= 1 s',
    met:
      ratio >= atLeast &&
      (!p99 || result.ours.p99 <= 2 * result.peer.p99) &&
      result.ours.drain <= 1,
  });
  process.stderr.write(
    `${line}: ${table.at(-1)?.ours} | peer ${table.at(-1)?.peer} | ${table.at(-1)?.ratio}\n`,
  );
}

const peer = await start('oidc-provider', './http/oidc-provider-server.js');
const scratch = await mkdtemp(path.join(os.tmpdir(), 'clientele-bench-'));
try {
  if (
    wants('cc16') ||
    wants('cc64') ||
    wants('code') ||
    wants('introspect') ||
    wants('discovery')
  ) {
    const memory = await start('clientele', './http/clientele-server.js', [
      '--logs',
      String(FULL_LOGS),
    ]);
    const cc = async (/** @type {Server} */ s) => clientCredentials(s);
    if (wants('cc16'))
      report(
        'client_credentials, MemoryStore, full /logs, 16 connections',
        await compare(memory, peer, cc, 16),
        { p99: true },
      );
    if (wants('cc64'))
      report(
        'client_credentials, MemoryStore, full /logs, 64 connections',
        await compare(memory, peer, cc, 64),
        { p99: true },
      );
    if (wants('code'))
      report(
        'authorization code + PKCE flows, MemoryStore',
        await compare(memory, peer, async (s) => codeFlow(s), 16),
      );
    if (wants('introspect'))
      report('introspection, MemoryStore', await compare(memory, peer, introspection, 16));
    if (wants('discovery')) {
      report(
        'discovery',
        await compare(memory, peer, async () => get('/.well-known/openid-configuration'), 16),
      );
      report('JWKS', await compare(memory, peer, async (s) => get(s.endpoints.jwks ?? ''), 16));
    }
    await memory.stop();
  }
  if (wants('file')) {
    const file = await start('clientele', './http/clientele-server.js', [
      '--store',
      path.join(scratch, 'tenant.json'),
      '--logs',
      String(FULL_LOGS),
    ]);
    report(
      'client_credentials, FileStore, full /logs, 16 connections, sustained',
      await compare(file, peer, async (s) => clientCredentials(s), 16),
      { sustained: true, atLeast: 0.5 },
    );
    await file.stop();
  }
  if (wants('postgres')) {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    let pgServer;
    try {
      pgServer = await start('clientele', './http/clientele-server.js', [
        '--store',
        DATABASE_URL,
        '--schema',
        schema,
        '--logs',
        String(FULL_LOGS),
      ]);
    } catch (error) {
      process.stderr.write(
        `PostgresStore line skipped: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    if (pgServer) {
      report(
        'client_credentials, PostgresStore, full /logs, 16 connections, sustained',
        await compare(pgServer, peer, async (s) => clientCredentials(s), 16),
        { sustained: true, atLeast: 0.5 },
      );
      await pgServer.stop();
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
  if (wants('rss')) {
    // A fresh pair per round, in alternating order, each keeping its median: one server's
    // RSS alone moves by ±5 % from start to start, the peer's as much as ours.
    /** @type {Record<string, { rss: number, heap: number }[]>} */
    const memory = { clientele: [], 'oidc-provider': [] };
    const pair = /** @type {const} */ ([
      ['clientele', './http/clientele-server.js'],
      ['oidc-provider', './http/oidc-provider-server.js'],
    ]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, script] of round % 2 === 0 ? pair : [...pair].reverse()) {
        const server = await start(name, script);
        await runLoad({
          url: server.url,
          connections: 16,
          total: 50_000,
          operation: clientCredentials(server),
        });
        await drain(server);
        const { rss, heap } = await server.stats();
        memory[name]?.push({ rss, heap });
        await server.stop();
      }
    }
    const middle = (/** @type {string} */ name) => {
      const runs = memory[name] ?? [];
      const rss = median(runs.map((m) => m.rss));
      return { rss, heap: runs.find((m) => m.rss === rss)?.heap ?? NaN, runs };
    };
    const ours = middle('clientele');
    const theirs = middle('oidc-provider');
    const ratio = ours.rss / theirs.rss;
    // The V8 heap's share of the RSS (committed, live or not), which is most of the difference.
    const mib = (/** @type {ReturnType<typeof middle>} */ m) =>
      `${(m.rss / 2 ** 20).toFixed(0)} MiB (heap ${(m.heap / 2 ** 20).toFixed(0)}; ` +
      `${m.runs.map((run) => (run.rss / 2 ** 20).toFixed(0)).join(', ')})`;
    table.push({
      line: `RSS after 50,000 client_credentials requests (MemoryStore), median of ${ROUNDS}`,
      ours: mib(ours),
      peer: mib(theirs),
      ratio: `${ratio.toFixed(2)} x`,
      goal: '<= 1.2 x',
      met: ratio <= 1.2,
    });
  }
} finally {
  await peer.stop();
  // A server still writing its backlog may add files while this runs: never fail on it.
  await rm(scratch, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
}

const rows = [
  ['line', 'example server', 'node-oidc-provider', 'ratio', 'goal', 'met'],
  ...table.map((r) => [r.line, r.ours, r.peer, r.ratio, r.goal, r.met ? 'met' : 'NOT MET']),
];
const widths = rows.reduce(
  (acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)),
  /** @type {number[]} */ ([]),
);
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
console.log(
  `load average ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}, ${os.cpus().length} CPUs, Node ${process.version}`,
);
await writeFile(
  new URL('./http-results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), load: os.loadavg(), rounds: ROUNDS, seconds: DURATION_MS / 1000, table }, null, 2)}\n`,
);
