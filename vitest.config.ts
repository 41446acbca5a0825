import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { ALL, MOCKS_MODULES, OUT_OF_PROCESS, SLOWEST_FIRST } from './test/support/projects.js';

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
 * Three projects run side by side:
 *
 * - `unit`: the in-process suite, in worker threads that each run many files on one module
 *   registry (`isolate: false` on the threads pool). Importing the library and its dependencies anew for every
 *   file cost more than the tests themselves: on 113 files on 2 cores, 171 s of CPU with
 *   isolation and 47 s without. So a file must leave no state behind; spies, stubbed
 *   globals and environment variables are restored after each test (see below).
 * - `isolated`: the files that replace a module (`vi.mock`), which holds only in a registry
 *   of their own (MOCKS_MODULES), in forks.
 * - `processes`: the files listed in OUT_OF_PROCESS, in forks: they spend their time
 *   waiting for child processes, servers, databases or browsers, so they run next to the
 *   in-process suite instead of queueing behind it.
 */
const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      name: 'unit',
      include: ALL,
      exclude: [...OUT_OF_PROCESS, ...MOCKS_MODULES],
      pool: 'threads',
    },
  },
  {
    extends: true,
    test: { name: 'isolated', include: MOCKS_MODULES, pool: 'forks' },
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
    restoreMocks: true,
    unstubEnvs: true,
    unstubGlobals: true,
    projects,
    sequence: { sequencer: SlowestFirst },
    // Vitest's default is one worker per pool on a 2-core machine (cores - 1). Two threads
    // keep both cores busy with in-process tests; the out-of-process files mostly wait on
    // their children, so two forks overlap those waits. Workers are set up per pool, not
    // per project: the threads (only `unit` uses them) keep their module registry from file
    // to file, and every fork runs one file alone.
    poolOptions: { threads: { maxThreads: 2, isolate: false }, forks: { maxForks: 2 } },
  },
});
