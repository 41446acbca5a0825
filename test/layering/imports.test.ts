/**
 * The layering of src/ checked on the real files, independently of ESLint's pattern
 * matching: every relative import is resolved to the folder it lands in and compared with
 * the table eslint.config.js enforces, and the import graph has no cycles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../eslint.config.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `from './x.js'`, `import('./x.js')` and `export … from './x.js'` specifiers. */
function relativeImports(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
}

/** The top-level folder of src/ a path is in (`tenant` for src/tenant.ts, '' for src/*.ts). */
function layerOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  if (parts.length === 1) return parts[0] === 'tenant.ts' ? 'tenant' : '';
  return parts[0]!;
}

const files = sourceFiles(SRC);
const graph = new Map(
  files.map((file) => [
    file,
    relativeImports(readFileSync(file, 'utf8')).map((specifier) =>
      resolve(dirname(file), specifier).replace(/\.js$/, '.ts'),
    ),
  ]),
);

describe('the layering of src/', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(join(SRC, 'tenant.ts'))).toContain(join(SRC, 'tenant', 'clients.ts'));
  });

  it('has no import from a folder to one it sits below', () => {
    const table = LAYERS as Record<string, readonly string[]>;
    const violations = [...graph].flatMap(([file, imports]) => {
      const banned = table[layerOf(file)] ?? [];
      return imports
        .filter((target) => banned.includes(layerOf(target)))
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`);
    });
    expect(violations).toEqual([]);
  });

  it('keeps src/lib/ free of the domain: it imports nothing but src/errors.ts and itself', () => {
    const outside = [...graph]
      .filter(([file]) => layerOf(file) === 'lib')
      .flatMap(([, imports]) => imports.filter((t) => layerOf(t) !== 'lib'))
      .map((target) => relative(SRC, target));
    expect(outside.every((target) => target === 'errors.ts')).toBe(true);
  });

  it('has no import cycle between files', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '),
        );
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
