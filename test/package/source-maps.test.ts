/**
 * Stack traces of an installed package point into `node_modules/clientele/src/*.ts`
 * through the source maps of `dist/`: every map's sources must be files the package ships
 * (package.json "files"), at the path the map names.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/build.js';

const DIST = path.join(ROOT, 'dist');

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, suffix);
    return entry.name.endsWith(suffix) ? [full] : [];
  });
}

/** Whether `file` is in the package: under one of the "files" entries of package.json. */
function shipped(file: string, entries: readonly string[]): boolean {
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  return entries.some((entry) => relative === entry || relative.startsWith(`${entry}/`));
}

describe('the source maps of the package', () => {
  let entries: string[];
  beforeAll(async () => {
    await ensureBuilt();
    entries = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        files: string[];
      }
    ).files;
  });

  it('name, for every emitted file, a source the package ships', () => {
    const maps = [...files(DIST, '.js.map'), ...files(DIST, '.d.ts.map')];
    expect(maps.length).toBeGreaterThan(100);
    const problems = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      return sources
        .map((source) => path.resolve(path.dirname(map), source))
        .filter((source) => !existsSync(source) || !shipped(source, entries))
        .map((source) => `${path.relative(ROOT, map)} -> ${path.relative(ROOT, source)}`);
    });
    expect(problems).toEqual([]);
  });

  it('are linked from every emitted .js file by a relative sourceMappingURL', () => {
    const problems = files(DIST, '.js').filter((file) => {
      const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'));
      return !match?.[1] || !existsSync(path.resolve(path.dirname(file), match[1]));
    });
    expect(problems.map((file) => path.relative(ROOT, file))).toEqual([]);
  });

  it('would fail without src in "files"', () => {
    const map = path.join(DIST, 'index.js.map');
    const source = path.resolve(
      DIST,
      (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources[0]!,
    );
    expect(shipped(source, entries)).toBe(true);
    expect(
      shipped(
        source,
        entries.filter((entry) => entry !== 'src'),
      ),
    ).toBe(false);
  });
});
