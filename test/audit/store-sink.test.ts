import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AuditTrail,
  FileStore,
  MemoryStore,
  storeAuditSink,
  type AuditEvent,
  type Store,
  type StoreLogs,
} from 'clientele';

function event(logId: string, date: string, type: AuditEvent['type'] = 'sapi'): AuditEvent {
  return { log_id: logId, date, type, description: 'x', details: {} };
}

/** A store without `logs`, as a third-party adapter written before they existed. */
function withoutLogs(inner: Store): Store {
  return {
    get: (c, id) => inner.get(c, id),
    list: (c) => inner.list(c),
    insert: (c, id, v) => inner.insert(c, id, v),
    replace: (c, id, v, version) => inner.replace(c, id, v, version),
    delete: (c, id, version) => inner.delete(c, id, version),
    commit: (operations) => inner.commit(operations),
  };
}

/** Every call made to the store and its logs, by method name. */
function counting(inner: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const wrap = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (key === 'logs' && value) return wrap(value as StoreLogs, 'logs.');
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          count(`${prefix}${String(key)}`);
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  return { store: wrap(inner, ''), calls };
}

const STORES = {
  'a store with logs (MemoryStore)': () => new MemoryStore(),
  'a store without logs': () => withoutLogs(new MemoryStore()),
};

describe.each(Object.entries(STORES))('storeAuditSink on %s', (_name, makeStore) => {
  it('keeps at most maxEvents, the newest, in log_id order', async () => {
    const store = makeStore();
    const sink = storeAuditSink(store, { maxEvents: 3 });
    const now = new Date().toISOString();
    await sink.write([event('0001', now), event('0002', now)]);
    await sink.write([event('0003', now), event('0004', now), event('0005', now)]);
    expect((await sink.list()).map((e) => e.log_id)).toEqual(['0003', '0004', '0005']);
    expect(await sink.count()).toBe(3);
    expect(await sink.get('0001')).toBeUndefined();
    expect((await sink.get('0004'))?.log_id).toBe('0004');
  });

  it('drops events older than maxAgeDays: hidden on read, removed by the sweep', async () => {
    const store = makeStore();
    let clock = Date.parse('2026-01-31T00:00:00Z');
    const sink = storeAuditSink(store, { maxAgeDays: 30, now: () => clock });
    await sink.write([event('a1', '2026-01-01T00:00:00Z'), event('a2', '2026-01-30T00:00:00Z')]);
    expect((await sink.list()).map((e) => e.log_id)).toEqual(['a1', 'a2']);
    clock = Date.parse('2026-02-05T00:00:00Z');
    expect((await sink.list()).map((e) => e.log_id)).toEqual(['a2']);
    expect(await sink.get('a1')).toBeUndefined();
    await sink.write([event('a3', '2026-02-05T00:00:00Z')]);
    await sink.sweep();
    const kept = store.logs
      ? (await store.logs.read('logs', { limit: 10 })).map((entry) => entry.id)
      : (await store.list('logs')).map((record) => record.id);
    expect(kept).toEqual(['a2', 'a3']);
  });

  it('pages, filters and counts through the log', async () => {
    const sink = storeAuditSink(makeStore());
    const now = new Date().toISOString();
    await sink.write(
      Array.from({ length: 10 }, (_, i) => event(`e${i}`, now, i % 2 === 0 ? 'sapi' : 'fapi')),
    );
    const ids = (list: readonly AuditEvent[]) => list.map((e) => e.log_id);
    expect(ids(await sink.query({ match: { type: 'fapi' }, limit: 2, order: 'desc' }))).toEqual([
      'e9',
      'e7',
    ]);
    expect(ids(await sink.query({ after: 'e6', limit: 10 }))).toEqual(['e7', 'e8', 'e9']);
    expect(await sink.count({ type: 'sapi' })).toBe(5);
  });

  it('writes a redelivered batch once, and works as a trail sink', async () => {
    const store = makeStore();
    const sink = storeAuditSink(store);
    const trail = new AuditTrail({ sinks: [sink] });
    const recorded = trail.record({ type: 'sapi', description: 'Create client', client_id: 'c1' });
    await trail.flush();
    await sink.write([recorded]);
    expect(await sink.list()).toEqual([recorded]);
  });
});

/**
 * Store operations for `writes` events written one batch each after `kept` events, with a
 * log bounded at `maxEvents` (a sweep after every tenth of it).
 */
async function operationsFor(
  makeStore: () => Store,
  kept: number,
  { maxEvents = 10_000, writes = 2_500 } = {},
) {
  const now = Date.now();
  const { store, calls } = counting(makeStore());
  const sink = storeAuditSink(store, { maxEvents, now: () => now });
  const date = new Date(now).toISOString();
  for (let i = 0; i < kept; i += 1_000) {
    await sink.write(
      Array.from({ length: 1_000 }, (_, n) => event(`a${String(i + n).padStart(6, '0')}`, date)),
    );
  }
  await sink.sweep();
  calls.clear();
  for (let i = 0; i < writes; i++)
    await sink.write([event(`b${String(i).padStart(6, '0')}`, date)]);
  await sink.settled();
  return Object.fromEntries(calls);
}

describe('the cost of an event with a full log', () => {
  it('is the same store operations with 10,000 events kept as with none (MemoryStore)', async () => {
    const empty = await operationsFor(() => new MemoryStore(), 0);
    const full = await operationsFor(() => new MemoryStore(), 10_000);
    expect(full).toEqual(empty);
    // One append per batch, and a bounded trim after every 1,000 events: nothing else.
    expect(empty).toEqual({ 'logs.append': 2_500, 'logs.trim': 2 });
  });

  it('is the same with FileStore, whose log is a file of its own (1,000 kept)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'clientele-log-cost-'));
    try {
      let n = 0;
      const make = () => new FileStore(join(root, `store-${++n}.json`));
      const bounds = { maxEvents: 1_000, writes: 250 };
      const empty = await operationsFor(make, 0, bounds);
      const full = await operationsFor(make, 1_000, bounds);
      expect(full).toEqual(empty);
      expect(empty).toEqual({ 'logs.append': 250, 'logs.trim': 2 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('on a store without logs: one commit per batch, and one per sweep that removes events', async () => {
    const empty = await operationsFor(() => withoutLogs(new MemoryStore()), 0);
    const full = await operationsFor(() => withoutLogs(new MemoryStore()), 10_000);
    expect(empty).toEqual({ commit: 2_500, list: 2 });
    expect(full).toEqual({ commit: 2_502, list: 2 });
  });
});

describe('an event in the store log', () => {
  it('is the recorded event itself, not a second copy, and reads back the same', async () => {
    const store = new MemoryStore();
    const sink = storeAuditSink(store);
    const trail = new AuditTrail({ sinks: [sink] });
    const event = trail.record({
      type: 'sapi',
      description: 'x',
      details: { n: Number.NaN, nested: { list: [1, 'two'] } },
    });
    await trail.flush();
    const [kept] = await sink.list();
    expect(kept).toBe(event);
    expect(kept).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it('is copied when it was not made by a trail', async () => {
    const store = new MemoryStore();
    const given = event('900' + '1'.repeat(53), new Date().toISOString());
    await store.logs.append('logs', [{ id: given.log_id, time: Date.now(), value: given }]);
    const [entry] = await store.logs.read('logs', { limit: 1 });
    expect(entry?.value).toEqual(given);
    expect(entry?.value).not.toBe(given);
    expect(Object.isFrozen(entry?.value)).toBe(true);
  });
});

describe('storeAuditSink', () => {
  it('moves events an earlier release kept as records into the store log, once', async () => {
    const store = new MemoryStore();
    const date = new Date().toISOString();
    await store.commit(
      ['old1', 'old2'].map((id) => ({
        op: 'insert' as const,
        collection: 'logs',
        id,
        value: event(id, date),
      })),
    );
    const sink = storeAuditSink(store);
    await sink.write([event('p3', date)]);
    expect((await sink.list()).map((e) => e.log_id)).toEqual(['old1', 'old2', 'p3']);
    expect(await store.list('logs')).toEqual([]);
  });

  it('refuses bad bounds', () => {
    expect(() => storeAuditSink(new MemoryStore(), { maxEvents: 0 })).toThrow(/maxEvents/);
    expect(() => storeAuditSink(new MemoryStore(), { maxAgeDays: 1.5 })).toThrow(/maxAgeDays/);
  });
});
