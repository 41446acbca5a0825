/**
 * Which test files run in which Vitest project (vitest.config.ts builds the projects from
 * these lists; test/support/projects.test.ts keeps them true to the files).
 */

/** Every test file. */
export const ALL = ['test/**/*.test.ts', 'examples/**/*.test.ts'];

/**
 * Test files that spend their time in child processes, servers or external services (the
 * example server, the built CLI, other processes locking a FileStore; PostgreSQL and
 * Chromium tests belong here too: put them under one of these folders or add them). They
 * run in their own project so that they start at once, next to the in-process suite,
 * instead of queueing behind it.
 */
export const OUT_OF_PROCESS = [
  'test/identity-server/**/*.test.ts',
  'test/cli/cli.test.ts',
  'test/http/frameworks/express.test.ts',
  'test/http/frameworks/fastify.test.ts',
  'test/storage/file-store-processes.test.ts',
  'test/postgres/**/*.test.ts',
  'test/storage/postgres/**/*.test.ts',
  'test/browser/**/*.test.ts',
  'test/**/browser.test.ts',
  'test/**/*.browser.test.ts',
  'test/**/*.e2e.test.ts',
  'examples/**/*.test.ts',
  'test/cimd/fetch.test.ts',
  'test/cimd/mcp-sdk.test.ts',
  'test/cimd/management-sdk.test.ts',
];

/**
 * Test files that replace a module with `vi.mock`. A mock holds only in a module registry
 * of the file's own, so these run in a pool that gives each file one (`vmForks`); every
 * other worker shares its registry between the files it runs.
 */
export const MOCKS_MODULES = ['test/tokens/client-auth.test.ts'];

/**
 * The longest files (measured in CI), started first: on a fresh clone Vitest has no timings
 * yet and would start them in path order, so a 2–3 minute file starting late would set
 * the length of the whole run. After a first run Vitest's own timings order the rest.
 */
export const SLOWEST_FIRST = [
  'test/identity-server/deploy-cli.test.ts',
  'test/readme/blocks.e2e.test.ts',
  'test/package/pack.e2e.test.ts',
  'test/storage/file-store-processes.test.ts',
  'test/storage/postgres/conformance.test.ts',
  'test/identity-server/lifecycle.test.ts',
  'test/http/admin-console.browser.test.ts',
];
