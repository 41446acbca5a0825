#!/usr/bin/env node
/**
 * The `clientele` executable (package.json `bin`). Everything happens in `run`.
 *
 * @module
 */
import { run } from './run.js';

// `clientele check … | head` closes stdout early; that is not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await run({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  env: process.env,
});
