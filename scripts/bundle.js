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
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The entry points, as package.json "exports" and "bin" name their files. */
export const ENTRIES = ['index', 'http/index', 'testing', 'postgres', 'cli/main'];

await rm(path.join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
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
});
