// @ts-check
/**
 * Runs Auth0 Deploy CLI commands through the functions the package exports for scripts
 * (`deploy` and `dump`), one after another in this one process, as
 * a team's own automation script would. Run by deploy-cli.test.ts in a child process with
 * NODE_EXTRA_CA_CERTS trusting the test certificate.
 *
 * Each message on the IPC channel is one command, `{ command: 'deploy' | 'dump', ...params }`
 * with the CLI's parameters (`input_file`, `output_folder`, `format`, `config_file`,
 * `dry_run`). When it ends, one line `@@a0deploy ok` or `@@a0deploy failed` goes to stdout
 * and to stderr, after everything the command printed there (a failure's error goes to
 * stderr first). The process ends when the channel closes. (Not stdin: a dry run's
 * preview lets go of stdin, and the process would end with it.)
 *
 * Why one process: every import validates the assets twice against the CLI's own 8 MB JSON
 * schema, which ajv 6 compiles anew each time (about 20 s of CPU in a fresh process). In a
 * process that has compiled it once, V8 reuses what it compiled, so the next validations
 * cost about a third of that.
 */
import { inspect } from 'node:util';
import { deploy, dump } from 'auth0-deploy-cli';
import { Agent, interceptors, setGlobalDispatcher } from 'undici';

/**
 * Between using a kept-alive connection and its next request, an import blocks this process
 * for seconds while ajv compiles (see above). A connection the server closed meanwhile (the
 * example server closes idle ones after 5 s, as Node's default does) is found closed only
 * when the next request is written on it: "other side closed". A fresh CLI process reaches
 * the compiler holding one connection, whose close it handles between the two compilations;
 * a process that ran commands before holds more. As RFC 9112 section 9.3.1 allows, an
 * idempotent request whose connection closes under it is sent again, once, on a new one;
 * nothing else is retried (no status code, no POST or PATCH).
 */
setGlobalDispatcher(
  new Agent().compose(
    interceptors.retry({
      maxRetries: 1,
      minTimeout: 0,
      statusCodes: [],
      errorCodes: ['UND_ERR_SOCKET', 'ECONNRESET'],
    }),
  ),
);

/**
 * A dry run sets AUTH0_DRY_RUN in the CLI's process-wide configuration (nconf), and nothing
 * clears it, so any later import in this process would be a dry run too. Refuse that
 * instead of reporting an import that changed nothing as a success.
 */
let dryRunDone = false;

/** @param {Record<string, unknown>} params */
async function run({ command, ...params }) {
  if (command === 'dump') return dump(/** @type {never} */ (params));
  if (command !== 'deploy') throw new Error(`unknown command ${JSON.stringify(command)}`);
  if (dryRunDone) throw new Error('an import after a dry run would be a dry run too');
  if (params['dry_run'] !== undefined && params['dry_run'] !== false) dryRunDone = true;
  return deploy(/** @type {never} */ (params));
}

/** @param {string} status */
function done(status) {
  process.stdout.write(`\n@@a0deploy ${status}\n`);
  process.stderr.write(`\n@@a0deploy ${status}\n`);
}

/** The commands in order: each starts when the one before has ended. */
let queue = Promise.resolve();

process.on('message', (message) => {
  queue = queue.then(async () => {
    try {
      await run(/** @type {Record<string, unknown>} */ (message));
      done('ok');
    } catch (error) {
      process.stderr.write(`${inspect(error)}\n`);
      done('failed');
    }
  });
});
process.on('disconnect', () => void queue.then(() => process.exit(0)));
