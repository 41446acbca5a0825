/** The project lists of vitest.config.ts stay true to the test files they name. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { ROOT } from './build.js';
import { ALL, MOCKS_MODULES, OUT_OF_PROCESS, SLOWEST_FIRST } from './projects.js';

/** Every test file, relative to the root with `/` separators. */
const TEST_FILES = ['test', 'examples']
  .flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((file) =>
      `${dir}/${file}`.split(path.sep).join('/'),
    ),
  )
  .filter((file) => ALL.some((glob) => minimatch(file, glob)));

describe('the Vitest projects', () => {
  it('find the test files', () => {
    expect(TEST_FILES.length).toBeGreaterThan(100);
    expect(TEST_FILES).toContain('test/support/projects.test.ts');
  });

  it('run every file that replaces a module in a registry of its own', () => {
    const mocking = TEST_FILES.filter((file) =>
      /\bvi\.(?:do)?[mM]ock\(/.test(readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(mocking).toContain('test/tokens/client-auth.test.ts');
    expect([...MOCKS_MODULES].sort()).toEqual(mocking.sort());
  });

  it('run each file in exactly one project', () => {
    const matches = (globs: readonly string[], file: string) =>
      globs.some((glob) => minimatch(file, glob));
    for (const file of TEST_FILES) {
      const out = matches(OUT_OF_PROCESS, file);
      const mocks = MOCKS_MODULES.includes(file);
      const projects = [!out && !mocks, out, mocks].filter(Boolean).length;
      expect(projects, file).toBe(1);
    }
  });

  it('name only files that exist', () => {
    for (const file of [...MOCKS_MODULES, ...SLOWEST_FIRST]) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    }
  });
});
