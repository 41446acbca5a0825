import { afterAll, describe, expect } from 'vitest';
import { runStoreConformance } from 'clientele/testing';
import { PostgresStore } from 'clientele/postgres';
import type { Store } from '../../../src/storage/store.js';
import { AVAILABLE, RUN, dropRunSchemas, newPool, terminateFeeds } from './database.js';

describe.skipIf(!AVAILABLE)('PostgreSQL', () => {
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
