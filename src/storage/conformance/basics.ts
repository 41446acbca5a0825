/**
 * Conformance: single-record operations, versions, list order and argument checks.
 *
 * @internal
 * @module
 */
import { describe, expect, it } from 'vitest';
import { dump, expectError, plain, required, type CurrentStore } from './helpers.js';

/** Registers the single-record tests. */
export function describeRecords(store: CurrentStore): void {
  describe('reading', () => {
    it('returns undefined for a record that does not exist', async () => {
      expect(await store().get('clients', 'missing')).toBeUndefined();
    });

    it('lists an unknown collection as empty', async () => {
      expect(await store().list('never-written')).toEqual([]);
    });
  });

  describe('insert', () => {
    it('stores a new record at version 1 and returns it', async () => {
      const created = await store().insert('clients', 'abc', { name: 'App' });
      expect(plain(created)).toEqual({ id: 'abc', version: 1, value: { name: 'App' } });
      expect(plain(required(await store().get('clients', 'abc')))).toEqual(plain(created));
    });

    it('refuses an id that exists with ConflictError and keeps the stored record', async () => {
      await store().insert('clients', 'abc', { name: 'first' });
      await expectError(store().insert('clients', 'abc', { name: 'second' }), 'conflict');
      const stored = await store().get('clients', 'abc');
      expect(stored && plain(stored)).toEqual({ id: 'abc', version: 1, value: { name: 'first' } });
    });

    it('keeps collections apart: the same id may live in two collections', async () => {
      await store().insert('clients', 'same', { kind: 'client' });
      await store().insert('apis', 'same', { kind: 'api' });
      expect((await store().get('clients', 'same'))?.value).toEqual({ kind: 'client' });
      expect((await store().get('apis', 'same'))?.value).toEqual({ kind: 'api' });
      expect(await store().list('clients')).toHaveLength(1);
    });
  });

  describe('replace', () => {
    it('replaces the value and increments the version by one each time', async () => {
      let record = await store().insert('clients', 'abc', { n: 0 });
      for (let n = 1; n <= 5; n++) {
        record = await store().replace('clients', 'abc', { n }, record.version);
        expect(plain(record)).toEqual({ id: 'abc', version: n + 1, value: { n } });
      }
      expect(plain(required(await store().get('clients', 'abc')))).toEqual(plain(record));
    });

    it('refuses a stale or future version with ConflictError and changes nothing', async () => {
      const first = await store().insert('clients', 'abc', { n: 0 });
      await store().replace('clients', 'abc', { n: 1 }, first.version);
      await expectError(store().replace('clients', 'abc', { n: 99 }, first.version), 'conflict');
      await expectError(store().replace('clients', 'abc', { n: 99 }, 7), 'conflict');
      const stored = await store().get('clients', 'abc');
      expect(stored && plain(stored)).toEqual({ id: 'abc', version: 2, value: { n: 1 } });
    });

    it('refuses a record that does not exist with NotFoundError and creates nothing', async () => {
      await expectError(store().replace('clients', 'ghost', { n: 1 }, 1), 'not_found');
      expect(await store().get('clients', 'ghost')).toBeUndefined();
    });
  });

  describe('delete', () => {
    it('removes the record from get and list', async () => {
      await store().insert('clients', 'a', { n: 1 });
      await store().insert('clients', 'b', { n: 2 });
      await store().delete('clients', 'a');
      expect(await store().get('clients', 'a')).toBeUndefined();
      expect((await store().list('clients')).map((r) => r.id)).toEqual(['b']);
    });

    it('refuses a record that does not exist with NotFoundError', async () => {
      await expectError(store().delete('clients', 'ghost'), 'not_found');
      await store().insert('clients', 'once', {});
      await store().delete('clients', 'once');
      await expectError(store().delete('clients', 'once'), 'not_found');
    });

    it('checks expectedVersion when given: stale is a ConflictError, current deletes', async () => {
      const first = await store().insert('clients', 'abc', { n: 0 });
      const second = await store().replace('clients', 'abc', { n: 1 }, first.version);
      await expectError(store().delete('clients', 'abc', first.version), 'conflict');
      expect((await store().get('clients', 'abc'))?.version).toBe(2);
      await store().delete('clients', 'abc', second.version);
      expect(await store().get('clients', 'abc')).toBeUndefined();
    });

    it('lets a deleted id be inserted again, at version 1 and listed last', async () => {
      await store().insert('clients', 'a', { n: 1 });
      const b = await store().insert('clients', 'b', { n: 1 });
      await store().replace('clients', 'b', { n: 2 }, b.version);
      await store().insert('clients', 'c', { n: 1 });
      await store().delete('clients', 'b');
      const again = await store().insert('clients', 'b', { n: 3 });
      expect(again.version).toBe(1);
      expect((await store().list('clients')).map((r) => r.id)).toEqual(['a', 'c', 'b']);
    });
  });

  describe('list', () => {
    it('lists records in insertion order, integer-like ids included', async () => {
      const ids = ['10', '2', 'b', '1', 'a', '0', '-1', '1e3', 'z', '007'];
      for (const id of ids) await store().insert('clients', id, { id });
      expect((await store().list('clients')).map((r) => r.id)).toEqual(ids);
      expect((await store().list('clients')).map((r) => r.value)).toEqual(
        ids.map((id) => ({ id })),
      );
    });

    it('keeps a replaced record in its place', async () => {
      for (const id of ['a', 'b', 'c']) await store().insert('clients', id, { v: 1 });
      await store().replace('clients', 'a', { v: 2 }, 1);
      const listed = await store().list('clients');
      expect(listed.map((r) => [r.id, r.version])).toEqual([
        ['a', 2],
        ['b', 1],
        ['c', 1],
      ]);
    });

    it('returns a snapshot: later writes and changes to the array do not reach it', async () => {
      await store().insert('clients', 'a', { v: 1 });
      const before = await store().list('clients');
      await store().insert('clients', 'b', { v: 1 });
      await store().replace('clients', 'a', { v: 2 }, 1);
      expect(before.map(plain)).toEqual([{ id: 'a', version: 1, value: { v: 1 } }]);
      before.length = 0;
      expect(await store().list('clients')).toHaveLength(2);
    });
  });

  describe('arguments', () => {
    const badNames: unknown[] = ['', undefined, null, 42, {}];

    it('refuses a collection name that is not a non-empty string', async () => {
      for (const bad of badNames) {
        const name = bad as string;
        await expectError(store().get(name, 'id'), 'invalid_argument');
        await expectError(store().list(name), 'invalid_argument');
        await expectError(store().insert(name, 'id', {}), 'invalid_argument');
      }
    });

    it('refuses an id that is not a non-empty string, writing nothing', async () => {
      for (const bad of badNames) {
        const id = bad as string;
        await expectError(store().get('clients', id), 'invalid_argument');
        await expectError(store().insert('clients', id, {}), 'invalid_argument');
        await expectError(store().replace('clients', id, {}, 1), 'invalid_argument');
        await expectError(store().delete('clients', id), 'invalid_argument');
      }
      expect(await store().list('clients')).toEqual([]);
    });

    it('refuses an expectedVersion that is not a positive integer, changing nothing', async () => {
      await store().insert('clients', 'abc', { n: 0 });
      for (const bad of [0, -1, 1.5, Number.NaN, '1', null]) {
        const version = bad as number;
        await expectError(store().replace('clients', 'abc', { n: 1 }, version), 'invalid_argument');
        await expectError(store().delete('clients', 'abc', version), 'invalid_argument');
      }
      expect(await dump(store(), ['clients'])).toEqual({
        clients: [{ id: 'abc', version: 1, value: { n: 0 } }],
      });
    });
  });
}
