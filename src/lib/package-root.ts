/**
 * The directory of this package (where its package.json is), found from the module that
 * asks, upwards. The package's modules run from `src/` (tests), from `dist/` (tsc's
 * output) and from the bundles and their shared chunks, at different depths, so a fixed
 * relative path (`../../package.json`) cannot serve them all.
 */
import { readFileSync } from 'node:fs';

let root: URL | undefined;

/**
 * The package's root directory as a `file:` URL ending in `/`.
 *
 * @internal
 */
export function packageRoot(): URL {
  if (root) return root;
  let directory = new URL('./', import.meta.url);
  for (;;) {
    if (isThisPackage(new URL('package.json', directory))) return (root = directory);
    const parent = new URL('../', directory);
    if (parent.href === directory.href) throw new Error('clientele: its package.json is missing');
    directory = parent;
  }
}

function isThisPackage(file: URL): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'clientele';
  } catch {
    return false;
  }
}
