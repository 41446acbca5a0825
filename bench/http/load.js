// @ts-check
/* global performance */
/**
 * A small closed-loop HTTP load generator on undici (a devDependency already): `connections`
 * keep-alive connections, each sending its next request as soon as the previous answer is
 * read, for `durationMs` or until `total` requests. A request is a function of the
 * connection, so one "request" may be a whole flow (authorize, then the code exchange).
 * Written here rather than taken from autocannon or wrk because the code + PKCE flow is a
 * sequence of dependent requests with fresh PKCE values, which those tools cannot script
 * without one of their own scripting runtimes.
 */
import { Client } from 'undici';

/**
 * @typedef {object} LoadResult
 * @property {number} requests     completed operations
 * @property {number} errors       operations that failed (wrong status, network error)
 * @property {number} seconds      how long the round ran
 * @property {number} perSecond    requests / seconds
 * @property {number} p50          median latency of one operation, ms
 * @property {number} p99          99th percentile, ms
 * @property {string | undefined} firstError the first failure, for the report
 */

/**
 * @param {object} options
 * @param {string} options.url      base URL (scheme, host, port)
 * @param {number} options.connections
 * @param {number} [options.durationMs]
 * @param {number} [options.total]  stop after this many operations instead
 * @param {(client: Client) => Promise<void>} options.operation  one operation; throws on failure
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ url, connections, durationMs = 5_000, total, operation }) {
  /** @type {number[]} */
  const latencies = [];
  let errors = 0;
  let started = 0;
  /** @type {string | undefined} */
  let firstError;
  const clients = Array.from(
    { length: connections },
    () => new Client(url, { pipelining: 1, keepAliveTimeout: 60_000 }),
  );
  const begin = performance.now();
  const deadline = begin + durationMs;
  const more = () => (total === undefined ? performance.now() < deadline : started < total);
  await Promise.all(
    clients.map(async (client) => {
      while (more()) {
        started += 1;
        const t0 = performance.now();
        try {
          await operation(client);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  await Promise.all(clients.map((client) => client.close()));
  latencies.sort((a, b) => a - b);
  const at = (/** @type {number} */ q) =>
    latencies.length === 0
      ? NaN
      : (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    firstError,
  };
}

/**
 * Sends one request and returns the status, headers and body text.
 *
 * @param {Client} client
 * @param {import('undici').Dispatcher.RequestOptions} options
 */
export async function send(client, options) {
  const response = await client.request(options);
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}
