/**
 * `clientele/testing`: the conformance suite every {@link Store} must pass.
 *
 * Needs Vitest (an optional peer dependency of this entry point only; the main
 * `clientele` entry never imports it).
 *
 * @module
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { describeRecords } from './storage/conformance/basics.js';
import { describeBatches } from './storage/conformance/batches.js';
import { describeLogs } from './storage/conformance/logs.js';
import { describeModel } from './storage/conformance/model.js';
import { describeValues } from './storage/conformance/values.js';
import { describeWatch } from './storage/conformance/watch.js';
import type { Store } from './storage/store.js';

/** Creates the store under test. Called once per test; must return an empty store. */
export type StoreFactory = () => Store | Promise<Store>;

/** Optional hooks of {@link runStoreConformance} for the change-feed (`watch`) cases. */
export interface StoreConformanceOptions {
  /**
   * Returns a second store on the same data as `store` (another instance: a second pool,
   * another process's view of the same file). Enables the cases about other instances'
   * writes. Closed by the suite after each such case.
   */
  peer?: (store: Store) => Store | Promise<Store>;
  /**
   * Cuts `store`'s change feed from the outside (for PostgreSQL: terminate its LISTEN
   * connection on the server). Enables the reconnection case: the feed must come back by
   * itself and report what changed while it was away (or a reset).
   */
  interrupt?: (store: Store) => Promise<void>;
}

/**
 * Registers, inside a Vitest `describe(name)`, the tests that pin down the {@link Store}
 * contract: insert/get/list/replace/delete, versions, `ConflictError` on a duplicate id
 * or a stale version, `NotFoundError`, all-or-nothing `commit`, isolation of stored
 * values from callers' objects, insertion order, concurrent writers (exactly one of many
 * racing replaces wins), JSON value rules, large values, unusual ids, and seeded random
 * operation sequences checked against a model. `MemoryStore` and `FileStore` run this
 * same suite.
 *
 * `factory` is called before every test and must return a new, empty store (a fresh
 * database schema, a new key prefix, a new file); `close()` is called after each test
 * when the store has it. Errors are recognised by `code` and `name`, so an adapter may
 * throw the errors of its own copy of clientele.
 *
 * Stores with `watch` also run the change-feed cases: their own writes reported with
 * versions and in order, nothing for refused writes or after unsubscribing, a throwing
 * listener isolated; with `options.peer`, another instance's writes; with
 * `options.interrupt` as well, recovery after the feed is cut. Stores with `logs` (the
 * append-only logs) run their cases: order by id, idempotent appends, paging, filters,
 * bounded trims, isolation and argument checks.
 *
 * @param name - title of the suite, usually the adapter's class name
 * @param factory - creates an empty store for one test
 * @param options - hooks for the change-feed cases
 * @example
 * ```ts
 * // test/redis-store.test.ts
 * import { runStoreConformance } from 'clientele/testing';
 * import { RedisStore } from '../src/redis-store.js';
 *
 * runStoreConformance('RedisStore', async () => {
 *   const store = new RedisStore({ url: process.env.REDIS_URL, prefix: crypto.randomUUID() });
 *   await store.connect();
 *   return store;
 * });
 * ```
 */
export function runStoreConformance(
  name: string,
  factory: StoreFactory,
  options: StoreConformanceOptions = {},
): void {
  describe(name, () => {
    let current: Store | undefined;

    beforeEach(async () => {
      current = await factory();
    });

    afterEach(async () => {
      await current?.close?.();
      current = undefined;
    });

    const store = (): Store => {
      if (!current) throw new Error('runStoreConformance: the store factory has not run');
      return current;
    };

    describeRecords(store);
    describeValues(store);
    describeBatches(store);
    describeModel(store, [1, 2, 3], 120);
    describeWatch(store, { peer: options.peer, interrupt: options.interrupt });
    describeLogs(store);
  });
}
