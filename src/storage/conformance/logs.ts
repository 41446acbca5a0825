/**
 * Conformance: the optional append-only logs (`store.logs`). Runs only for stores that
 * have them.
 *
 * @internal
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { LogEntryInput, StoreLogs } from '../log.js';
import type { LogCondition } from '../log-condition.js';
import { expectError, type CurrentStore } from './helpers.js';

const LOG = 'audit';

/** `count` entries `e0000`… at times 1000, 1001, …, alternating two types and clients. */
function entries(count: number, from = 0): LogEntryInput[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return {
      id: `e${String(i).padStart(4, '0')}`,
      time: 1_000 + i,
      value: { type: i % 2 === 0 ? 'sapi' : 'fapi', client_id: `c${i % 3}`, n: i },
    };
  });
}

const ids = (list: readonly { id: string }[]) => list.map((entry) => entry.id);

/** Registers the append-only log tests. */
export function describeLogs(store: CurrentStore): void {
  describe('append-only logs (logs)', () => {
    const logsOf = (context: { skip: () => void }): StoreLogs => {
      const logs = store().logs;
      if (!logs) context.skip();
      return logs as StoreLogs;
    };

    it('appends entries and reads them back by id order, with their time and value', async (context) => {
      const logs = logsOf(context);
      expect(await logs.append(LOG, entries(3))).toBe(3);
      const read = await logs.read(LOG, { limit: 10 });
      expect(read.map((entry) => ({ ...entry }))).toEqual(
        entries(3).map((entry) => ({ id: entry.id, time: entry.time, value: entry.value })),
      );
      expect(await logs.count(LOG)).toBe(3);
      expect((await logs.get(LOG, 'e0001'))?.value).toEqual({
        type: 'fapi',
        client_id: 'c1',
        n: 1,
      });
      expect(await logs.get(LOG, 'missing')).toBeUndefined();
    });

    it('orders by id whatever the order of appends, newest first with order desc', async (context) => {
      const logs = logsOf(context);
      const all = entries(6);
      await logs.append(LOG, [all[3], all[5]] as LogEntryInput[]);
      await logs.append(LOG, [all[0], all[4]] as LogEntryInput[]);
      await logs.append(LOG, [all[2], all[1]] as LogEntryInput[]);
      expect(ids(await logs.read(LOG, { limit: 10 }))).toEqual(ids(all));
      expect(ids(await logs.read(LOG, { limit: 10, order: 'desc' }))).toEqual(ids(all).reverse());
    });

    it('skips ids it already holds, in the log and within a batch (a retried batch)', async (context) => {
      const logs = logsOf(context);
      await logs.append(LOG, entries(2));
      const again = [...entries(3), { id: 'e0002', time: 5, value: 'duplicate' }];
      expect(await logs.append(LOG, again)).toBe(1);
      expect(await logs.count(LOG)).toBe(3);
      expect((await logs.get(LOG, 'e0002'))?.value).toEqual({
        type: 'sapi',
        client_id: 'c2',
        n: 2,
      });
    });

    it('pages with after, before, offset and limit', async (context) => {
      const logs = logsOf(context);
      await logs.append(LOG, entries(10));
      expect(ids(await logs.read(LOG, { after: 'e0006', limit: 10 }))).toEqual([
        'e0007',
        'e0008',
        'e0009',
      ]);
      expect(ids(await logs.read(LOG, { before: 'e0002', limit: 10 }))).toEqual(['e0000', 'e0001']);
      expect(
        ids(await logs.read(LOG, { after: 'e0002', before: 'e0006', limit: 10, order: 'desc' })),
      ).toEqual(['e0005', 'e0004', 'e0003']);
      expect(ids(await logs.read(LOG, { offset: 2, limit: 3 }))).toEqual([
        'e0002',
        'e0003',
        'e0004',
      ]);
      expect(ids(await logs.read(LOG, { offset: 1, limit: 2, order: 'desc' }))).toEqual([
        'e0008',
        'e0007',
      ]);
      // A checkpoint that is not an entry's id still marks a place in the order.
      expect(ids(await logs.read(LOG, { after: 'e0007x', limit: 10 }))).toEqual(['e0008', 'e0009']);
      expect(await logs.read(LOG, { offset: 20, limit: 5 })).toEqual([]);
    });

    it('filters by top-level string fields and by time, and counts what it filters', async (context) => {
      const logs = logsOf(context);
      await logs.append(LOG, entries(12));
      await logs.append(LOG, [
        { id: 'x1', time: 5_000, value: ['type', 'sapi'] },
        { id: 'x2', time: 5_000, value: { type: 1, client_id: 'c0' } },
        { id: 'x3', time: 5_000, value: { type: 'sapi\u0000', client_id: 'c\u0000' } },
      ]);
      const sapi = { match: { type: 'sapi' } };
      expect(ids(await logs.read(LOG, { ...sapi, limit: 100 }))).toEqual([
        'e0000',
        'e0002',
        'e0004',
        'e0006',
        'e0008',
        'e0010',
      ]);
      expect(await logs.count(LOG, sapi)).toBe(6);
      const both = { match: { type: 'sapi', client_id: 'c0' } };
      expect(ids(await logs.read(LOG, { ...both, limit: 100 }))).toEqual(['e0000', 'e0006']);
      expect(ids(await logs.read(LOG, { match: { n: '3' }, limit: 100 }))).toEqual([]);
      expect(ids(await logs.read(LOG, { match: { type: 'sapi\u0000' }, limit: 100 }))).toEqual([
        'x3',
      ]);
      expect(await logs.count(LOG, { since: 1_010 })).toBe(5);
      expect(
        ids(await logs.read(LOG, { ...sapi, since: 1_005, offset: 1, limit: 1, order: 'desc' })),
      ).toEqual(['e0008']);
    });

    it('searches with where: equals, like, phrase, exists, time, and, or, not; pages and counts', async (context) => {
      const logs = logsOf(context);
      const long = 'L'.repeat(300);
      const values = [
        { type: 's', user_id: 'auth0|1', description: 'Login ok', isMobile: true },
        { type: 'f', user_id: 'auth0|2', description: 'Wrong email or password.' },
        { type: 'f', user_id: 'auth0|10', description: 'Wrong password', ip: 'a\u0000b' },
        { type: 'sapi', client_id: 'c1', user_agent: long, scope: null },
        { type: 'seccft', client_id: 'c1', audience: 'https://api', n: 5 },
      ];
      await logs.append(
        LOG,
        values.map((value, i) => ({ id: `w${i}`, time: 10_000 + i * 1_000, value })),
      );
      const search = async (where: LogCondition, limit = 10) =>
        ids(await logs.read(LOG, { where, limit }));
      expect(await search({ field: 'type', equals: 'f' })).toEqual(['w1', 'w2']);
      expect(await search({ field: 'user_id', like: 'auth0|1*' })).toEqual(['w0', 'w2']);
      expect(await search({ field: 'user_id', like: 'auth0|?' })).toEqual(['w0', 'w1']);
      expect(await search({ field: 'description', phrase: ['Wrong', 'password'] })).toEqual(['w2']);
      expect(await search({ field: 'description', phrase: ['password'] })).toEqual(['w1', 'w2']);
      expect(await search({ field: 'description', like: 'pass*', words: true })).toEqual([
        'w1',
        'w2',
      ]);
      expect(await search({ field: 'isMobile', equals: 'true' })).toEqual(['w0']);
      expect(await search({ field: 'n', equals: '5' })).toEqual(['w4']);
      expect(await search({ field: 'ip', equals: 'a\u0000b' })).toEqual(['w2']);
      expect(await search({ field: 'user_agent', equals: long })).toEqual(['w3']);
      expect(await search({ field: 'client_id', exists: true })).toEqual(['w3', 'w4']);
      expect(await search({ field: 'scope', exists: true })).toEqual([]);
      expect(await search({ time: { gte: 11_000, lt: 13_000 } })).toEqual(['w1', 'w2']);
      expect(
        await search({
          or: [
            {
              and: [
                { field: 'type', equals: 'f' },
                { not: { field: 'user_id', equals: 'auth0|2' } },
              ],
            },
            { field: 'audience', equals: 'https://api' },
          ],
        }),
      ).toEqual(['w2', 'w4']);
      expect(await search({ not: { field: 'description', like: '*o*' } })).toEqual(['w3', 'w4']);
      expect(await search({ or: [] })).toEqual([]);
      expect(await search({ and: [] })).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
      const notF: LogCondition = { not: { field: 'type', equals: 'f' } };
      expect(
        ids(await logs.read(LOG, { where: notF, order: 'desc', offset: 1, limit: 2 })),
      ).toEqual(['w3', 'w0']);
      expect(await logs.count(LOG, { where: notF })).toBe(3);
      expect(await logs.count(LOG, { where: { field: 'description', phrase: ['Wrong'] } })).toBe(2);
      expect(await logs.count(LOG, { where: { field: 'type', equals: 'f' }, after: 'w1' })).toBe(1);
    });

    it('refuses a malformed where and reads nothing', async (context) => {
      const logs = logsOf(context);
      await logs.append(LOG, entries(2));
      for (const where of [
        { field: 'type' },
        { field: 'a.b', equals: 'x' },
        { field: 'type', equals: 5 },
        { field: 'type', equals: 'x', like: 'y' },
        { time: { gte: 1.5 } },
        { and: {} },
        { field: 'type', exists: false },
        { field: 'type', phrase: [] },
        'type:s',
      ]) {
        await expectError(
          logs.read(LOG, { where: where as LogCondition, limit: 10 }),
          'invalid_argument',
        );
      }
      let deep: LogCondition = { field: 'type', equals: 's' };
      for (let i = 0; i < 40; i++) deep = { not: deep };
      await expectError(logs.count(LOG, { where: deep }), 'invalid_argument');
    });

    it('trims the oldest entries beyond a count or an age, at most limit per call', async (context) => {
      const logs = logsOf(context);
      await logs.append(LOG, entries(20));
      expect(await logs.trim(LOG, { keep: 15, limit: 3 })).toBe(3);
      expect(await logs.trim(LOG, { keep: 15, limit: 3 })).toBe(2);
      expect(await logs.trim(LOG, { keep: 15 })).toBe(0);
      expect(ids(await logs.read(LOG, { limit: 1 }))).toEqual(['e0005']);
      expect(await logs.trim(LOG, { before: 1_008 })).toBe(3);
      expect(await logs.count(LOG)).toBe(12);
      expect(await logs.get(LOG, 'e0007')).toBeUndefined();
      expect(ids(await logs.read(LOG, { limit: 1 }))).toEqual(['e0008']);
      // Trimmed ids are gone for good: appending after a trim starts nothing again.
      await logs.append(LOG, entries(1, 20));
      expect(await logs.count(LOG)).toBe(13);
    });

    it('keeps logs apart by name, and treats an unknown log as empty', async (context) => {
      const logs = logsOf(context);
      await logs.append('a', entries(2));
      await logs.append('b/ü \u0000', entries(1, 5));
      expect(ids(await logs.read('a', { limit: 10 }))).toEqual(['e0000', 'e0001']);
      expect(ids(await logs.read('b/ü \u0000', { limit: 10 }))).toEqual(['e0005']);
      expect(await logs.read('never', { limit: 10 })).toEqual([]);
      expect(await logs.count('never')).toBe(0);
      expect(await logs.trim('never', { keep: 0 })).toBe(0);
    });

    it('returns values that callers cannot change, and keeps no reference to what was appended', async (context) => {
      const logs = logsOf(context);
      const value = { type: 'sapi', nested: { list: ['a'] } };
      await logs.append(LOG, [{ id: 'e1', time: 1, value }]);
      value.nested.list.push('changed');
      const [read] = await logs.read<typeof value>(LOG, { limit: 1 });
      try {
        read?.value.nested.list.push('tampered');
      } catch {
        // frozen
      }
      expect((await logs.get(LOG, 'e1'))?.value).toEqual({ type: 'sapi', nested: { list: ['a'] } });
    });

    it('refuses malformed arguments and appends nothing of a batch with one bad entry', async (context) => {
      const logs = logsOf(context);
      await expectError(logs.append('', entries(1)), 'invalid_argument');
      await expectError(
        logs.append(LOG, [...entries(1), { id: 'bad', time: Number.NaN, value: 1 }]),
        'invalid_argument',
      );
      await expectError(
        logs.append(LOG, [...entries(1), { id: 'bad', time: 1, value: () => 1 }]),
        'invalid_argument',
      );
      await expectError(logs.append(LOG, [{ id: '', time: 1, value: 1 }]), 'invalid_argument');
      expect(await logs.count(LOG)).toBe(0);
      await expectError(logs.read(LOG, { limit: 0 }), 'invalid_argument');
      await expectError(logs.read(LOG, { limit: 10, order: 'up' as 'asc' }), 'invalid_argument');
      await expectError(logs.read(LOG, { limit: 10, offset: -1 }), 'invalid_argument');
      await expectError(
        logs.read(LOG, { limit: 10, match: { type: 1 as unknown as string } }),
        'invalid_argument',
      );
      await expectError(logs.trim(LOG, { keep: -1 }), 'invalid_argument');
      await expectError(logs.trim(LOG, { limit: 0 }), 'invalid_argument');
    });

    it('costs an append the same whatever the log holds: 2,000 entries and then one more', async (context) => {
      const logs = logsOf(context);
      for (let i = 0; i < 2_000; i += 500) await logs.append(LOG, entries(500, i));
      expect(await logs.append(LOG, entries(1, 2_000))).toBe(1);
      expect(ids(await logs.read(LOG, { limit: 2, order: 'desc' }))).toEqual(['e2000', 'e1999']);
    });
  });
}
