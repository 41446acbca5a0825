/**
 * The built package (`dist/`) for the tests that run it as a user would (the CLI bin, the
 * example programs, the example server). `npm test` builds before Vitest starts, so this
 * is normally a few `stat` calls; a bare `npx vitest` after editing src/ builds once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST_INDEX = path.join(ROOT, 'dist', 'index.js');
// Inside the checkout (.tmp/ is ignored by git): checkouts side by side do not wait for
// each other's builds.
const BUILD_LOCK = path.join(ROOT, '.tmp', 'build.lock');
const LOCK_WAIT_MS = 120_000;

async function newest(dir: string): Promise<number> {
  let time = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? await newest(full) : (await stat(full)).mtimeMs);
  }
  return time;
}

async function stale(): Promise<boolean> {
  if (!existsSync(DIST_INDEX)) return true;
  return (await stat(DIST_INDEX)).mtimeMs < (await newest(path.join(ROOT, 'src')));
}

/**
 * Builds `dist/` when it is older than `src/`. Test files run in parallel, so one build
 * at a time: the others wait for the lock and then find it fresh.
 */
export async function ensureBuilt(): Promise<void> {
  if (!(await stale())) return;
  await mkdir(path.dirname(BUILD_LOCK), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      break;
    } catch {
      const held = await stat(BUILD_LOCK).catch(() => undefined);
      // A lock left by a killed run is older than any build takes.
      if (held && Date.now() - held.mtimeMs > LOCK_WAIT_MS) {
        await rmdir(BUILD_LOCK).catch(() => undefined);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${BUILD_LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (await stale()) {
      // Other folders may be mid-change; tsc still emits, so only a missing dist is fatal.
      // The package, then the admin console's browser code (`npm run build` does both).
      for (const project of ['tsconfig.build.json', 'tsconfig.console.json']) {
        spawnSync(
          process.execPath,
          [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project],
          { cwd: ROOT, stdio: 'ignore' },
        );
      }
      // Then the bundles of the entry points, as npm run build ends.
      spawnSync(process.execPath, [path.join(ROOT, 'scripts/bundle.js')], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    }
  } finally {
    await rmdir(BUILD_LOCK);
  }
  if (!existsSync(DIST_INDEX)) throw new Error(`the build did not produce ${DIST_INDEX}`);
}
