import { describe, expect, it } from 'vitest';
import { AuditTrail, MemoryStore, storeAuditSink, type AuditEvent } from 'clientele';

function event(logId: string, date: string): AuditEvent {
  return { log_id: logId, date, type: 'sapi', description: 'x', details: {} };
}

describe('storeAuditSink', () => {
  it('keeps at most maxEvents, the newest, in log_id order', async () => {
    const store = new MemoryStore();
    const sink = storeAuditSink(store, { maxEvents: 3 });
    const now = new Date().toISOString();
    await sink.write([event('0001', now), event('0002', now)]);
    await sink.write([event('0003', now), event('0004', now), event('0005', now)]);
    expect((await sink.list()).map((e) => e.log_id)).toEqual(['0003', '0004', '0005']);
    expect(await store.list('logs')).toHaveLength(3);
    expect(await sink.get('0001')).toBeUndefined();
    expect((await sink.get('0004'))?.log_id).toBe('0004');
  });

  it('drops events older than maxAgeDays, on read and on the next write', async () => {
    const store = new MemoryStore();
    let clock = Date.parse('2026-01-31T00:00:00Z');
    const sink = storeAuditSink(store, { maxAgeDays: 30, now: () => clock });
    await sink.write([event('a1', '2026-01-01T00:00:00Z'), event('a2', '2026-01-30T00:00:00Z')]);
    expect((await sink.list()).map((e) => e.log_id)).toEqual(['a1', 'a2']);
    clock = Date.parse('2026-02-05T00:00:00Z');
    expect((await sink.list()).map((e) => e.log_id)).toEqual(['a2']);
    expect(await sink.get('a1')).toBeUndefined();
    await sink.write([event('a3', '2026-02-05T00:00:00Z')]);
    expect((await store.list('logs')).map((r) => r.id)).toEqual(['a2', 'a3']);
  });

  it('writes a redelivered batch once, and works as a trail sink', async () => {
    const store = new MemoryStore();
    const sink = storeAuditSink(store);
    const trail = new AuditTrail({ sinks: [sink] });
    const recorded = trail.record({ type: 'sapi', description: 'Create client', client_id: 'c1' });
    await trail.flush();
    await sink.write([recorded]);
    expect(await sink.list()).toEqual([recorded]);
  });

  it('refuses bad bounds', () => {
    expect(() => storeAuditSink(new MemoryStore(), { maxEvents: 0 })).toThrow(/maxEvents/);
    expect(() => storeAuditSink(new MemoryStore(), { maxAgeDays: 1.5 })).toThrow(/maxAgeDays/);
  });
});
