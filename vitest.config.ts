import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const alias = [
  {
    find: /^clientele\/testing$/,
    replacement: fileURLToPath(new URL('./src/testing.ts', import.meta.url)),
  },
  {
    find: /^clientele\/http$/,
    replacement: fileURLToPath(new URL('./src/http/index.ts', import.meta.url)),
  },
  {
    find: /^clientele\/postgres$/,
    replacement: fileURLToPath(new URL('./src/postgres.ts', import.meta.url)),
  },
  {
    find: /^clientele$/,
    replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
  },
];

/**
 * Test files that spend their time in child processes, servers or external services (the
 * example server, the built CLI, other processes locking a FileStore; PostgreSQL and
 * Chromium tests belong here too: put them under one of these folders or add them). They
 * run in their own project so that they start at once, next to the in-process suite,
 * instead of queueing behind it.
 */
const OUT_OF_PROCESS = [
  'test/identity-server/**/*.test.ts',
  'test/cli/cli.test.ts',
  'test/storage/file-store-processes.test.ts',
  'test/postgres/**/*.test.ts',
  'test/storage/postgres/**/*.test.ts',
  'test/browser/**/*.test.ts',
  'test/**/browser.test.ts',
  'test/**/*.browser.test.ts',
  'test/**/*.e2e.test.ts',
  'examples/**/*.test.ts',
];

const ALL = ['test/**/*.test.ts', 'examples/**/*.test.ts'];

/**
 * Two projects run side by side, each with its own pool:
 *
 * - `unit`: the in-process suite, in worker threads (cheaper to start than forks; each file
 *   still gets a fresh module registry: turning isolation off saved 3% of CPU time on 27
 *   files, measured, not worth a test that leaks state into another).
 * - `processes`: the files listed in OUT_OF_PROCESS, in forks: they spend their time
 *   waiting for child processes, servers, databases or browsers, so they run next to the
 *   in-process suite instead of queueing behind it.
 */
const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: { name: 'unit', include: ALL, exclude: OUT_OF_PROCESS, pool: 'threads' },
  },
  {
    extends: true,
    test: {
      name: 'processes',
      include: OUT_OF_PROCESS,
      pool: 'forks',
      // Child processes start slowly on a loaded machine; this bounds a hang, it is not a
      // speed goal.
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  },
];

/**
 * The longest files (measured in CI), started first: on a fresh clone Vitest has no timings
 * yet and would start them in path order, so a 2–3 minute file starting late would set
 * the length of the whole run. After a first run Vitest's own timings order the rest.
 */
const SLOWEST_FIRST = [
  'test/identity-server/deploy-cli.test.ts',
  'test/readme/blocks.e2e.test.ts',
  'test/storage/file-store-processes.test.ts',
  'test/storage/postgres/conformance.test.ts',
  'test/identity-server/lifecycle.test.ts',
  'test/http/admin-console.browser.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FIRST.findIndex((slow) => file.moduleId.endsWith(slow));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects,
    sequence: { sequencer: SlowestFirst },
    // Vitest's default is one worker per pool on a 2-core machine (cores - 1). Two threads
    // keep both cores busy with in-process tests; the out-of-process files mostly wait on
    // their children, so two forks overlap those waits.
    poolOptions: { threads: { maxThreads: 2 }, forks: { maxForks: 2 } },
  },
});
