/**
 * Stack traces of an installed package point at the TypeScript sources: the bundles of
 * the entry points (and their shared chunks) link source maps that name `src/**.ts` files
 * of this repository, without their text (the package does not ship `src/`; the path and
 * line are what a stack trace needs). test/package/pack.e2e.test.ts checks a real stack
 * trace from the installed tarball.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/build.js';

const DIST = path.join(ROOT, 'dist');
const ENTRIES = ['index', 'http/index', 'testing', 'postgres', 'cli/main'];

function bundles(): string[] {
  const chunks = readdirSync(path.join(DIST, 'chunks'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => path.join(DIST, 'chunks', name));
  return [...ENTRIES.map((entry) => path.join(DIST, `${entry}.js`)), ...chunks];
}

describe('the source maps of the bundles', () => {
  beforeAll(async () => {
    await ensureBuilt();
  });

  it('are linked from every bundle and chunk by a relative sourceMappingURL', () => {
    const files = bundles();
    expect(files.length).toBeGreaterThan(ENTRIES.length);
    const problems = files.filter((file) => {
      const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'));
      return !match?.[1] || !existsSync(path.resolve(path.dirname(file), match[1]));
    });
    expect(problems.map((file) => path.relative(ROOT, file))).toEqual([]);
  });

  it('name only TypeScript files of src/ that exist, and carry no source text', () => {
    const problems = bundles().flatMap((file) => {
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown;
      };
      if (map.sourcesContent !== undefined) return [`${file}: sourcesContent`];
      return map.sources
        .map((source) => path.resolve(path.dirname(file), source))
        .filter(
          (source) =>
            !source.startsWith(path.join(ROOT, 'src') + path.sep) ||
            !source.endsWith('.ts') ||
            !existsSync(source),
        )
        .map((source) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, source)}`);
    });
    expect(problems).toEqual([]);
  });
});
