/** A sink's `types` globs, compiled once into a predicate over the log type code. */
import type * as MinimatchModule from 'minimatch';
import { lazyModule } from '../lib/lazy-module.js';
import { InvalidArgumentError } from '../errors.js';

/** Loaded on first use (see lib/lazy-module.ts). */
const minimatch = lazyModule<typeof MinimatchModule>('minimatch');

/**
 * Compiles `types` (minimatch globs such as `f*`) into a predicate, or returns `undefined`
 * when every type passes (no `types`). `path` locates the list in error messages.
 */
export function compileTypeFilter(
  types: readonly string[] | undefined,
  path: string,
): ((type: string) => boolean) | undefined {
  if (types === undefined) return undefined;
  if (!Array.isArray(types)) {
    throw new InvalidArgumentError(path, `${path.slice(1)} must be an array of glob strings`);
  }
  const globs = types.map((glob: unknown, index) => {
    if (typeof glob !== 'string' || glob === '') {
      throw new InvalidArgumentError(
        `${path}/${index}`,
        `${path.slice(1)}/${index} must be a non-empty glob string such as "f*"`,
      );
    }
    return new (minimatch().Minimatch)(glob, { platform: 'linux' });
  });
  return (type) => globs.some((glob) => glob.match(type));
}
