import { afterAll, describe, expect } from 'vitest';
import { runStoreConformance } from 'clientele/testing';
import { PostgresStore } from 'clientele/postgres';
import type { Store } from '../../../src/storage/store.js';
import { AVAILABLE, RUN, dropRunSchemas, newPool, terminateFeeds } from './database.js';

// Each operation is a round trip with a WAL flush: on a loaded machine the model-based
// sequences need more than the default 30 s.
describe.skipIf(!AVAILABLE)('PostgreSQL', { timeout: 120_000 }, () => {
  const pool = newPool(8);
  const peerPool = newPool(4);
  let count = 0;

  afterAll(async () => {
    await dropRunSchemas(pool);
    await Promise.all([pool.end(), peerPool.end()]);
  });

  runStoreConformance(
    'PostgresStore',
    () => new PostgresStore({ pool, schema: `${RUN}_c${++count}` }),
    {
      peer: (store: Store) =>
        new PostgresStore({ pool: peerPool, schema: (store as PostgresStore).schema as string }),
      interrupt: async (store: Store) => {
        const schema = (store as PostgresStore).schema as string;
        expect(await terminateFeeds(peerPool, schema)).toBe(1);
      },
    },
  );
});
