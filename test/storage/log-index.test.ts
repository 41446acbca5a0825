import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checkFilter, checkQuery, checkRetention } from '../../src/storage/log-checks.js';
import { LogIndex } from '../../src/storage/log-index.js';
import type { LogEntry } from '../../src/storage/log.js';

/** One step against the index and against a sorted array that is obviously right. */
const step = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      id: fc.stringMatching(/^[a-c]{1,2}$/),
      time: fc.integer({ min: 0, max: 2 ** 42 }),
      kind: fc.constantFrom('sapi', 'seccft'),
      // An audit event repeats its id and time, which the index keeps packed (log-values.ts).
      event: fc.boolean(),
    }),
  },
  fc.record({ op: fc.constant('drop' as const), count: fc.nat({ max: 4 }) }),
  fc.record({
    op: fc.constant('trim' as const),
    keep: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
    before: fc.option(fc.integer({ min: 0, max: 2 ** 42 }), { nil: undefined }),
    limit: fc.integer({ min: 1, max: 5 }),
  }),
);

describe('LogIndex', () => {
  it('answers get, read, count and doomed as a sorted array of entries does', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.record({
          after: fc.option(fc.stringMatching(/^[a-c]{0,2}$/), { nil: undefined }),
          since: fc.option(fc.integer({ min: 0, max: 2 ** 42 }), { nil: undefined }),
          order: fc.constantFrom('asc' as const, 'desc' as const),
          offset: fc.nat({ max: 3 }),
          limit: fc.integer({ min: 1, max: 8 }),
          type: fc.option(fc.constantFrom('sapi', 'seccft'), { nil: undefined }),
        }),
        (steps, q) => {
          const index = new LogIndex();
          let model: LogEntry[] = [];
          for (const s of steps) {
            if (s.op === 'add') {
              const value = s.event
                ? Object.freeze({
                    log_id: s.id,
                    date: new Date(s.time).toISOString(),
                    type: s.kind,
                  })
                : { type: s.kind };
              const entry = { id: s.id, time: s.time, value };
              const fresh = !model.some((e) => e.id === s.id);
              expect(index.add(entry)).toBe(fresh);
              if (fresh) model = [...model, entry].sort((a, b) => (a.id < b.id ? -1 : 1));
            } else if (s.op === 'drop') {
              index.dropOldest(s.count);
              model = model.slice(s.count);
            } else {
              const retention = checkRetention({ keep: s.keep, before: s.before, limit: s.limit });
              const excess = s.keep === undefined ? 0 : Math.max(0, model.length - s.keep);
              const expected: LogEntry[] = [];
              for (const e of model) {
                if (expected.length >= s.limit) break;
                const old = s.before !== undefined && e.time < s.before;
                if (expected.length >= excess && !old) break;
                expected.push(e);
              }
              expect(index.doomed(retention)).toEqual(expected.map((e) => e.id));
            }
            expect(index.size).toBe(model.length);
          }
          for (const e of model) expect(index.get(e.id)).toStrictEqual(e);
          expect(index.get('zz')).toBeUndefined();
          expect([...index]).toEqual(model);

          const match = q.type === undefined ? {} : { match: { type: q.type } };
          const filter = { after: q.after, since: q.since, ...match };
          const passing = model.filter(
            (e) =>
              (q.after === undefined || e.id > q.after) &&
              (q.since === undefined || e.time >= q.since) &&
              (q.type === undefined || (e.value as { type: string }).type === q.type),
          );
          const ordered = q.order === 'asc' ? passing : [...passing].reverse();
          const page = index.read(
            checkQuery({ ...filter, order: q.order, offset: q.offset, limit: q.limit }),
          );
          expect(page).toStrictEqual(ordered.slice(q.offset, q.offset + q.limit));
          for (const entry of page) expect(Object.isFrozen(entry)).toBe(true);
          expect(index.count(checkFilter(filter))).toBe(passing.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lets go of what it dropped at once, not at its next compaction', async () => {
    const index = new LogIndex();
    for (let i = 0; i < 10_000; i++) {
      index.add({ id: String(i).padStart(5, '0'), time: i, value: { i } });
    }
    const weakValue = (id: string) => new WeakRef(index.get(id)?.value as object);
    const dropped = weakValue('00000');
    const still = weakValue('01500');
    index.dropOldest(1_500);
    expect(index.size).toBe(8_500);
    await collectGarbage();
    expect(dropped.deref()).toBeUndefined();
    expect(still.deref()).toEqual({ i: 1_500 });
  });
});

/** A full garbage collection, from V8's own `gc` (exposed here for this test only). */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // A WeakRef's target lives until the end of the job that made or read it.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
