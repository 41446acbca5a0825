/**
 * The admin console's browser assets: the compiled ES modules of `browser/` and its style
 * sheet, read once from disk and served from memory.
 *
 * The browser code is compiled by `tsconfig.console.json` into
 * `dist/http/console/browser/` of the package, found from the package root whether this
 * module runs from `src/` (tests), from `dist/` or from a bundle.
 *
 * @module
 * @internal
 */
import { readdir, readFile } from 'node:fs/promises';
import { packageRoot } from '../../lib/package-root.js';

/** One asset, ready to be served. */
export interface Asset {
  readonly body: string;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Reads every `.js` and `.css` file of the compiled browser folder into a map keyed by
 * file name. Only these names are ever served, so a request path can never reach another
 * file. Source maps and declaration files are left out.
 *
 * @throws Error when the browser code has not been built (`npm run build`).
 */
export async function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  const browserDir = new URL('dist/http/console/browser/', packageRoot());
  let names: string[];
  try {
    names = await readdir(browserDir);
  } catch {
    throw new Error(
      `the admin console's browser code is not built (${browserDir.pathname}): run npm run build`,
    );
  }
  const assets = new Map<string, Asset>();
  for (const name of names.sort()) {
    const extension = name.slice(name.lastIndexOf('.'));
    const contentType = CONTENT_TYPES[extension];
    if (contentType === undefined || name.endsWith('.d.ts')) continue;
    const text = await readFile(new URL(name, browserDir), 'utf8');
    // The package ships no browser sources, so a map reference would only 404.
    const body = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    assets.set(name, { body, contentType });
  }
  return assets;
}
