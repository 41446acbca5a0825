/**
 * Conformance: `commit` batches (all or nothing) and concurrent callers.
 *
 * @internal
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { WriteOperation } from '../store.js';
import { dump, expectError, plain, required, type CurrentStore } from './helpers.js';

/** Registers the batch and concurrency tests. */
export function describeBatches(store: CurrentStore): void {
  /** Two collections with a few records, some replaced once. */
  async function seed(): Promise<void> {
    await store().commit([
      { op: 'insert', collection: 'clients', id: 'a', value: { n: 1 } },
      { op: 'insert', collection: 'clients', id: 'b', value: { n: 1 } },
      { op: 'insert', collection: 'grants', id: 'g', value: { client: 'a' } },
    ]);
    await store().replace('clients', 'b', { n: 2 }, 1);
  }

  describe('commit', () => {
    it('applies inserts, replaces and deletes across collections and returns the written records', async () => {
      await seed();
      const written = await store().commit([
        { op: 'replace', collection: 'clients', id: 'b', value: { n: 3 }, expectedVersion: 2 },
        { op: 'delete', collection: 'grants', id: 'g', expectedVersion: 1 },
        { op: 'insert', collection: 'apis', id: 'x', value: { audience: 'https://api' } },
        { op: 'delete', collection: 'clients', id: 'a' },
      ]);
      expect(written.map(plain)).toEqual([
        { id: 'b', version: 3, value: { n: 3 } },
        { id: 'x', version: 1, value: { audience: 'https://api' } },
      ]);
      expect(await dump(store(), ['clients', 'grants', 'apis'])).toEqual({
        clients: [{ id: 'b', version: 3, value: { n: 3 } }],
        grants: [],
        apis: [{ id: 'x', version: 1, value: { audience: 'https://api' } }],
      });
    });

    it('returns an empty array for an empty batch and changes nothing', async () => {
      await seed();
      const before = await dump(store(), ['clients', 'grants']);
      expect(await store().commit([])).toEqual([]);
      expect(await dump(store(), ['clients', 'grants'])).toEqual(before);
    });

    const failing: [string, WriteOperation, 'conflict' | 'not_found' | 'invalid_argument'][] = [
      [
        'a replace on a stale version',
        { op: 'replace', collection: 'clients', id: 'b', value: {}, expectedVersion: 1 },
        'conflict',
      ],
      [
        'a replace of a missing record',
        { op: 'replace', collection: 'clients', id: 'zz', value: {}, expectedVersion: 1 },
        'not_found',
      ],
      [
        'an insert of an existing id',
        { op: 'insert', collection: 'clients', id: 'b', value: {} },
        'conflict',
      ],
      [
        'a delete of a missing record',
        { op: 'delete', collection: 'grants', id: 'zz' },
        'not_found',
      ],
      [
        'a delete on a stale version',
        { op: 'delete', collection: 'clients', id: 'b', expectedVersion: 1 },
        'conflict',
      ],
      [
        'a value JSON cannot hold',
        { op: 'insert', collection: 'apis', id: 'y', value: { when: new Date(0) } },
        'invalid_argument',
      ],
      [
        'an unknown operation',
        { op: 'upsert', collection: 'apis', id: 'y', value: {} } as unknown as WriteOperation,
        'invalid_argument',
      ],
      [
        'a second operation on a record already in the batch',
        { op: 'delete', collection: 'apis', id: 'new' },
        'invalid_argument',
      ],
    ];

    it.each(failing)('writes nothing when the last operation is %s', async (_label, bad, code) => {
      await seed();
      const before = await dump(store(), ['clients', 'grants', 'apis']);
      await expectError(
        store().commit([
          { op: 'insert', collection: 'apis', id: 'new', value: { n: 1 } },
          { op: 'replace', collection: 'clients', id: 'a', value: { n: 9 }, expectedVersion: 1 },
          { op: 'delete', collection: 'grants', id: 'g' },
          bad,
        ]),
        code,
      );
      expect(await dump(store(), ['clients', 'grants', 'apis'])).toEqual(before);
    });

    it('writes nothing when the first operation fails and the rest are valid', async () => {
      await seed();
      const before = await dump(store(), ['clients', 'grants', 'apis']);
      await expectError(
        store().commit([
          { op: 'replace', collection: 'clients', id: 'a', value: {}, expectedVersion: 5 },
          { op: 'insert', collection: 'apis', id: 'new', value: { n: 1 } },
        ]),
        'conflict',
      );
      expect(await dump(store(), ['clients', 'grants', 'apis'])).toEqual(before);
    });

    it('refuses a batch that is not an array', async () => {
      await expectError(store().commit({} as unknown as WriteOperation[]), 'invalid_argument');
    });
  });

  describe('concurrency', () => {
    it('lets exactly one of many concurrent replaces on the same version win', async () => {
      const base = await store().insert('clients', 'race', { winner: -1 });
      const attempts = Array.from({ length: 25 }, (_, i) =>
        store().replace('clients', 'race', { winner: i }, base.version),
      );
      const results = await Promise.allSettled(attempts);
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'conflict' });
      }
      const stored = required(await store().get('clients', 'race'));
      expect(plain(stored)).toEqual({ id: 'race', version: 2, value: { winner: won[0] } });
    });

    it('lets exactly one of many concurrent inserts of the same id win', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 25 }, (_, i) => store().insert('clients', 'dup', { i })),
      );
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      expect((await store().get('clients', 'dup'))?.value).toEqual({ i: won[0] });
    });

    it('keeps every one of many concurrent writes to different records', async () => {
      await store().insert('clients', 'existing', { n: 0 });
      await Promise.all([
        ...Array.from({ length: 30 }, (_, i) => store().insert('clients', `c${i}`, { i })),
        store().replace('clients', 'existing', { n: 1 }, 1),
        store().commit([{ op: 'insert', collection: 'grants', id: 'g', value: {} }]),
      ]);
      const ids = (await store().list('clients')).map((r) => r.id);
      expect(new Set(ids)).toEqual(
        new Set(['existing', ...Array.from({ length: 30 }, (_, i) => `c${i}`)]),
      );
      expect((await store().get('clients', 'existing'))?.version).toBe(2);
      expect(await store().list('grants')).toHaveLength(1);
    });

    it('lets one of a commit and a replace racing on the same version win', async () => {
      const base = await store().insert('clients', 'x', { by: 'none' });
      const results = await Promise.allSettled([
        store().commit([
          {
            op: 'replace',
            collection: 'clients',
            id: 'x',
            value: { by: 'commit' },
            expectedVersion: base.version,
          },
          { op: 'insert', collection: 'grants', id: 'side-effect', value: {} },
        ]),
        store().replace('clients', 'x', { by: 'replace' }, base.version),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const byCommit = results[0]?.status === 'fulfilled';
      expect((await store().get('clients', 'x'))?.value).toEqual({
        by: byCommit ? 'commit' : 'replace',
      });
      // The losing batch wrote none of its operations.
      expect(await store().list('grants')).toHaveLength(byCommit ? 1 : 0);
    });
  });
}
