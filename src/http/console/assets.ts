/**
 * The admin console's browser assets: the compiled ES modules of `browser/` and its style
 * sheet, read once from disk and served from memory.
 *
 * The browser code is compiled by `tsconfig.console.json` into
 * `dist/http/console/browser/`. That folder is found at the same relative path from this
 * module whether it runs from `src/` (tests) or from `dist/` (the package), so one lookup
 * serves both.
 *
 * @module
 * @internal
 */
import { readdir, readFile } from 'node:fs/promises';

/** One asset, ready to be served. */
export interface Asset {
  readonly body: string;
  readonly contentType: string;
}

const BROWSER_DIR = new URL('../../../dist/http/console/browser/', import.meta.url);

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
  let names: string[];
  try {
    names = await readdir(BROWSER_DIR);
  } catch {
    throw new Error(
      `the admin console's browser code is not built (${BROWSER_DIR.pathname}): run npm run build`,
    );
  }
  const assets = new Map<string, Asset>();
  for (const name of names.sort()) {
    const extension = name.slice(name.lastIndexOf('.'));
    const contentType = CONTENT_TYPES[extension];
    if (contentType === undefined || name.endsWith('.d.ts')) continue;
    const text = await readFile(new URL(name, BROWSER_DIR), 'utf8');
    // The package ships no browser sources, so a map reference would only 404.
    const body = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    assets.set(name, { body, contentType });
  }
  return assets;
}
