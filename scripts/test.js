#!/usr/bin/env node
/**
 * `npm test`: the same four steps as before (lint, build, typecheck, vitest), run as
 * they can overlap instead of one after another, since a 2-core machine otherwise idles
 * while one single-threaded tool runs:
 *
 *   lint ──────────────────────────────────┐
 *   build:emit ──┬── typecheck ────────────┼── exit code: the first failure, else 0
 *                └── vitest run ───────────┘
 *
 * typecheck waits for the build because bench/ and examples/ import dist/*.d.ts; vitest
 * waits for it because a few tests run the built bin and programs. Output of lint and
 * typecheck is held and printed whole when each ends, so it does not interleave with
 * Vitest's; Vitest writes as it goes. Arguments are passed on to Vitest
 * (`npm test -- test/urls`).
 */
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `command args`, holding its output unless `live`; resolves to its exit code. */
function step(name, command, args, live = false) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      output += `${error.message}\n`;
      resolve(finish(name, 127, output, started));
    });
    child.on('close', (code, signal) =>
      resolve(finish(name, code ?? (signal ? 1 : 0), output, started)),
    );
  });
}

function finish(name, code, output, started) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  process.stdout.write(`${code === 0 ? '✓' : '✗'} ${name} (${seconds} s)\n`);
  return code;
}

const started = Date.now();
const lint = step('npm run lint', npm, ['run', '--silent', 'lint']);
// The build only emits (`build:emit`, the same output as `npm run build`): the typecheck
// step checks the same sources, so checking them in the build too would only delay Vitest.
const afterBuild = step('npm run build:emit', npm, ['run', '--silent', 'build:emit']).then(
  (built) =>
    built !== 0
      ? [built]
      : Promise.all([
          step('npm run typecheck', npm, ['run', '--silent', 'typecheck']),
          step(
            'vitest run',
            process.execPath,
            ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)],
            true,
          ),
        ]),
);
const codes = [await lint, ...(await afterBuild)];
const failed = codes.find((code) => code !== 0);
process.stdout.write(
  `npm test: ${failed === undefined ? 'passed' : 'failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exitCode = failed ?? 0;
