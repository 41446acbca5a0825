/**
 * The bound on what waits behind responses: a sink that falls `maxPending` events behind
 * either has further events dead-lettered (counted, never silent) or, with the `'wait'`
 * policy of the store-backed log, makes the trail `full` so that servers hold new
 * requests; the backlog getter says where things stand.
 */
import { describe, expect, it } from 'vitest';
import { AuditTrail, MemoryStore, storeAuditSink, type AuditEvent } from 'clientele';

/** A sink whose writes wait until `open()` is called. */
function gatedSink(overflow?: 'wait' | 'dead-letter') {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const written: AuditEvent[] = [];
  return {
    sink: {
      ...(overflow === undefined ? {} : { overflow }),
      async write(batch: readonly AuditEvent[]) {
        await gate;
        written.push(...batch);
      },
    },
    written,
    open: () => open(),
  };
}

const record = (trail: AuditTrail, count: number) => {
  for (let i = 0; i < count; i++) trail.record({ type: 'sapi', description: `event ${i}` });
};

describe('the audit backlog', () => {
  it('dead-letters what overflows a stuck sink, counts it, and delivers the rest in order', async () => {
    const stuck = gatedSink();
    const dead: { events: readonly AuditEvent[]; code: unknown }[] = [];
    const trail = new AuditTrail({
      sinks: [stuck.sink],
      maxPending: 50,
      batchSize: 10,
      onDeadLetter: (events, error) =>
        dead.push({ events, code: (error as { code?: unknown }).code }),
    });
    record(trail, 80);
    await Promise.resolve();
    await Promise.resolve();
    expect(trail.backlog.pending).toBe(50);
    expect(trail.backlog.sinks[0]).toMatchObject({ pending: 50, full: true, overflowed: 30 });
    // A dead-lettering sink never holds requests back.
    expect(trail.full).toBe(false);
    expect(dead.map((d) => [d.events.length, d.code])).toEqual([[30, 'audit_overflow']]);
    expect(trail.backlog.sinks[0]?.deadLettered).toBe(30);
    stuck.open();
    await trail.flush();
    expect(stuck.written.map((e) => e.description)).toEqual(
      Array.from({ length: 50 }, (_, i) => `event ${i}`),
    );
    expect(trail.backlog).toMatchObject({ pending: 0, full: false });
  });

  it('keeps every event of a waiting sink, and reports full until it has room again', async () => {
    const slow = gatedSink('wait');
    const dead: AuditEvent[] = [];
    const trail = new AuditTrail({
      sinks: [slow.sink],
      maxPending: 20,
      onDeadLetter: (events) => dead.push(...events),
    });
    record(trail, 25);
    expect(trail.full).toBe(true);
    let roomAt: number | undefined;
    const room = trail.waitForRoom().then(() => (roomAt = slow.written.length));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(roomAt).toBeUndefined();
    slow.open();
    await room;
    expect(roomAt).toBeGreaterThan(0);
    await trail.flush();
    expect(slow.written).toHaveLength(25);
    expect(dead).toEqual([]);
    expect(trail.full).toBe(false);
    expect(trail.backlog.sinks[0]).toMatchObject({ pending: 0, overflowed: 0, deadLettered: 0 });
  });

  it('makes the store-backed log a waiting sink, added once however often it is added', () => {
    const log = storeAuditSink(new MemoryStore());
    expect(log.overflow).toBe('wait');
    const trail = new AuditTrail();
    trail.addSink(log);
    trail.addSink(log);
    expect(trail.sinks).toEqual([log]);
  });

  it('delivers to a sink added later the events recorded from then on', async () => {
    const trail = new AuditTrail();
    trail.record({ type: 'sapi', description: 'before' });
    const later = gatedSink();
    later.open();
    trail.addSink(later.sink);
    trail.record({ type: 'sapi', description: 'after' });
    await trail.delivered(later.sink);
    expect(later.written.map((e) => e.description)).toEqual(['after']);
  });

  it('refuses a bad maxPending and a bad overflow policy', () => {
    expect(() => new AuditTrail({ maxPending: 0 })).toThrow(/maxPending/);
    expect(
      () =>
        new AuditTrail({
          sinks: [{ write: async () => undefined, overflow: 'drop' as 'wait' }],
        }),
    ).toThrow(/overflow/);
  });
});
