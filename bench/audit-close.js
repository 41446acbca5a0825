// @ts-check
/**
 * `node bench/audit-close.js [events]`: how long `tenant.close()` takes when the log
 * service behind the default `httpSink` accepts connections and never answers, with the
 * default close deadline, a 1 s deadline and no deadline (`timeoutMs: Infinity`, the
 * behaviour before the deadline existed). Prints one line per case; the numbers in
 * docs/audit.md come from it. Not part of `npm run bench`: the last case takes minutes.
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Tenant, httpSink } from '../dist/index.js';

const events = Number(process.argv[2] ?? 150);

const server = createServer((request) => request.resume());
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('no port');
const url = `http://127.0.0.1:${address.port}/`;

/** @param {string} label @param {{ timeoutMs?: number } | undefined} options */
async function measure(label, options) {
  let deadLettered = 0;
  const tenant = await Tenant.create({
    domain: 'auth.example.com',
    auditSinks: [httpSink(url)],
    audit: { onDeadLetter: (batch) => void (deadLettered += batch.length) },
  });
  for (let index = 0; index < events; index += 1) {
    tenant.audit.record({ type: 'sapi', description: `event ${index}` });
  }
  const started = performance.now();
  await tenant.close(options);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label}: close() took ${seconds.toFixed(2)} s; ${deadLettered} of ${events} events dead-lettered`,
  );
}

await measure('default deadline', undefined);
await measure('timeoutMs: 1000', { timeoutMs: 1000 });
if (!process.argv.includes('--skip-unbounded'))
  await measure('timeoutMs: Infinity', { timeoutMs: Infinity });
server.closeAllConnections();
server.close();
