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
 * Three projects run side by side. No worker starts a fresh module registry per file:
 * importing the library and its dependencies anew for every file cost more than the tests
 * themselves (113 in-process files on 2 cores: 171 s of CPU with a fresh registry per
 * file, 47 s without; the 22 out-of-process files: 211 s and 180 s). So a file must leave
 * no state behind; spies, stubbed globals and environment variables are restored after
 * each test (see below), and test/support/projects.test.ts keeps the lists true.
 *
 * - `unit`: the in-process suite, in worker threads.
 * - `processes`: the files listed in OUT_OF_PROCESS, in forks: they spend their time
 *   waiting for child processes, servers, databases or browsers, so they run next to the
 *   in-process suite instead of queueing behind it.
 * - `isolated`: the files that replace a module (`vi.mock`, MOCKS_MODULES). A mock
 *   registered in a shared registry would hold for every file after it, so these run in
 *   `vmForks`, which gives each file a context of its own.
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
    test: { name: 'isolated', include: MOCKS_MODULES, pool: 'vmForks' },
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
    // their children, so two forks overlap those waits (four made the run longer: the
    // Deploy CLI file, which sets its length, got less of the CPU). Isolation is set per
    // pool, not per project (see above).
    poolOptions: {
      threads: { maxThreads: 2, isolate: false },
      forks: { maxForks: 2, isolate: false },
    },
  },
});
