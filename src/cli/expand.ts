/**
 * Expands the CLI's path arguments. A path that exists is taken as it is; otherwise a
 * path with glob syntax (`*`, `?`, `[…]`, `{a,b}`, `**`, extglobs) is matched with
 * minimatch against a walk of the file system below its literal prefix. Nothing else
 * globs: no shell is involved, so quoting a pattern works the same on every platform.
 *
 * The walk prunes every directory the pattern cannot reach (minimatch's partial
 * matching), never enters dot-directories unless the pattern names them, skips
 * `node_modules` unless the pattern mentions it, and does not follow directory symlinks.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as MinimatchModule from 'minimatch';
import { lazyModule } from '../lib/lazy-module.js';
import type { LoadFailure } from './types.js';

/** Loaded on first use (see lib/lazy-module.ts). */
const minimatch = lazyModule<typeof MinimatchModule>('minimatch');

/** The paths to load and the patterns that matched nothing. */
export interface ExpandedPaths {
  /** Existing paths and glob matches, each once, patterns' matches sorted. */
  paths: string[];
  /** One entry per pattern without a match. */
  failures: LoadFailure[];
}

const MAGIC_SEGMENT = /[*?[\]{}]|[@!+]\(/;

/** True when `arg` uses glob syntax. */
export function isGlob(arg: string): boolean {
  return new (minimatch().Minimatch)(toPosix(arg), { magicalBraces: true }).hasMagic();
}

/**
 * Expands `args` (relative to `cwd`). Missing literal paths are passed through so the
 * loader reports them; a pattern without matches becomes a failure.
 */
export async function expandPaths(args: readonly string[], cwd: string): Promise<ExpandedPaths> {
  const paths: string[] = [];
  const failures: LoadFailure[] = [];
  const seen = new Set<string>();
  const add = (found: string): void => {
    const key = path.resolve(cwd, found);
    if (seen.has(key)) return;
    seen.add(key);
    paths.push(found);
  };
  for (const arg of args) {
    if (!isGlob(arg) || (await exists(path.resolve(cwd, arg)))) {
      add(arg);
      continue;
    }
    const matches = await matchGlob(arg, cwd);
    if (matches.length === 0) failures.push({ file: arg, reason: 'no files match this pattern' });
    matches.forEach(add);
  }
  return { paths, failures };
}

/** Every file or directory below the pattern's literal prefix that the pattern matches. */
export async function matchGlob(pattern: string, cwd: string): Promise<string[]> {
  const posix = toPosix(pattern);
  const matcher = new (minimatch().Minimatch)(posix);
  const segments = posix.split('/');
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (MAGIC_SEGMENT.test(segment)) break;
    literal.push(segment);
  }
  const base = literal.length === 0 ? '' : literal.join('/') || '/';
  const skipNodeModules = !posix.includes('node_modules');
  const matches: string[] = [];

  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.resolve(cwd, dir || '.'), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (skipNodeModules && entry.name === 'node_modules') continue;
      const candidate =
        dir === '' ? entry.name : dir.endsWith('/') ? dir + entry.name : `${dir}/${entry.name}`;
      if (matcher.match(candidate)) matches.push(candidate);
      if (entry.isDirectory() && matcher.match(candidate, true)) await walk(candidate);
    }
  };
  await walk(base);
  return matches.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function toPosix(value: string): string {
  return path.sep === '\\' ? value.replaceAll('\\', '/') : value;
}

async function exists(target: string): Promise<boolean> {
  try {
    await stat(target);
    return true;
  } catch {
    return false;
  }
}
