#!/usr/bin/env node
/**
 * The last step of `npm run build` and `build:emit`: one ES module per entry point of the
 * package (`clientele`, `clientele/http`, `clientele/testing`, `clientele/postgres`, the
 * `clientele` bin), bundled by esbuild from src/ over tsc's output of the same files, with
 * the code two entries share in `dist/chunks/` (one copy, so `instanceof` holds across
 * entries). A program loads a handful of files instead of ~170 (`import 'clientele'` went
 * from 7.8× to ~1.4× `import 'jose'`, docs/performance.md). Dependencies stay external;
 * comments go (the .d.ts files keep the TSDoc). Source maps name the TypeScript sources
 * (`../src/…`, without their text), so stack traces under `--enable-source-maps` point at
 * `src/<file>.ts:<line>`.
 *
 * esbuild keeps some comments inside functions and classes after all. The few of them
 * with a character beyond ASCII (`§`, `—`, `≥`) made V8 hold the whole bundle's source as
 * two-byte text, twice its size in memory (0.9 MiB of a server's heap): such characters
 * are written as `\u{…}` escapes. esbuild already escapes them in strings, so they are
 * only ever on comment lines, which this checks; the lines keep their code columns, so
 * the source maps still hold.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The entry points, as package.json "exports" and "bin" name their files. */
export const ENTRIES = ['index', 'http/index', 'testing', 'postgres', 'cli/main'];

await rm(path.join(root, 'dist', 'chunks'), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRIES.map((entry) => `src/${entry}.ts`),
  outbase: 'src',
  outdir: 'dist',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
});
for (const file of Object.keys(result.metafile.outputs).filter((out) => out.endsWith('.js'))) {
  const where = path.join(root, file);
  const text = await readFile(where, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) continue;
  const lines = text.split('\n').map((line, index) => {
    if (!/[^\x00-\x7f]/.test(line)) return line;
    if (!/^\s*(\*|\/\/|\/\*)/.test(line)) {
      throw new Error(`${file}:${index + 1}: a character beyond ASCII outside a comment line`);
    }
    return line.replace(/[^\x00-\x7f]/gu, (char) => `\\u{${char.codePointAt(0)?.toString(16)}}`);
  });
  await writeFile(where, lines.join('\n'));
}
