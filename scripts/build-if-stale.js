#!/usr/bin/env node
/**
 * `npm start`, `npm run example:server` and `npm pack` run or pack the built code: this builds it first only
 * when something it is built from (src/, the tsconfig files, package.json) is newer than
 * the last build, and then only emits (`build:emit`, tsc --noCheck: the same output as
 * `npm run build`, without type-checking the whole project on every start). `npm run
 * typecheck` and `npm test` check the types.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
// The bundle of the main entry point is the last file every build writes (scripts/bundle.js).
const lastBuilt = path.join(root, 'dist', 'index.js');
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'tsconfig.console.json', 'package.json'];

/** The newest modification time under `target` (a file or a directory), in ms. */
function newest(target) {
  const stats = statSync(target, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs; // a deleted file changes its directory
  for (const entry of readdirSync(target))
    latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

const built = statSync(lastBuilt, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(
  newest(path.join(root, 'src')),
  ...inputs.map((file) => newest(path.join(root, file))),
);
if (sources >= built) {
  process.stderr.write('sources changed since the last build: npm run build:emit\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build:emit'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
