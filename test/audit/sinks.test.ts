import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuditTrail,
  InvalidArgumentError,
  functionSink,
  memorySink,
  type AuditEvent,
} from '../../src/index.js';
import { captureWarnings } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('memorySink', () => {
  it('keeps delivered events in order in a readable array', async () => {
    const sink = memorySink();
    const audit = new AuditTrail({ sinks: [sink], batchSize: 2 });
    const recorded = [1, 2, 3].map((i) => audit.record({ type: 'sapi', description: `${i}` }));
    await audit.flush();
    expect(sink.events).toEqual(recorded);
    expect('types' in sink).toBe(false);
  });

  it('carries a frozen copy of its types', () => {
    const types = ['f*'];
    const sink = memorySink({ types });
    expect(sink.types).toEqual(['f*']);
    expect(sink.types).not.toBe(types);
    expect(Object.isFrozen(sink.types)).toBe(true);
  });

  it('rejects types that are not an array', () => {
    expect(() => memorySink({ types: 'f*' as never })).toThrow(/types must be an array/);
  });
});

describe('functionSink', () => {
  it('calls the function once per batch, in order', async () => {
    const batches: string[][] = [];
    const audit = new AuditTrail({
      sinks: [functionSink((batch) => void batches.push(batch.map((e) => e.description)))],
      batchSize: 2,
    });
    for (const d of ['a', 'b', 'c']) audit.record({ type: 'sapi', description: d });
    await audit.flush();
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('has its batch retried when the function throws', async () => {
    let calls = 0;
    const delivered: AuditEvent[] = [];
    const sink = functionSink(
      (batch) => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        delivered.push(...batch);
      },
      { types: ['s'] },
    );
    const audit = new AuditTrail({ sinks: [sink], retry: { baseDelayMs: 1 } });
    audit.record({ type: 'sapi', description: 'filtered out' });
    const login = audit.record({ type: 's', description: 'login' });
    await audit.flush();
    expect(calls).toBe(3);
    expect(delivered).toEqual([login]);
  });

  it('rejects something that is not a function', () => {
    expect(() => functionSink('nope' as never)).toThrow(InvalidArgumentError);
  });
});

describe('the warning path', () => {
  it('reports events recorded after close as dead letters when there is no callback', async () => {
    const warnings = captureWarnings();
    const audit = new AuditTrail({ sinks: [memorySink()] });
    await audit.close();
    const event = audit.record({ type: 'sapi', description: 'late' });
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]).toEqual({
      code: 'CLIENTELE_AUDIT_DEAD_LETTER',
      message: `audit sink 0: 1 event(s) not delivered (log_id ${event.log_id} to ${event.log_id}): ClienteleError: audit event ${event.log_id} (sapi) was recorded after the audit trail was closed`,
    });
  });

  it('says nothing for events recorded after close that no sink wanted', async () => {
    const warnings = captureWarnings();
    const audit = new AuditTrail({ sinks: [memorySink({ types: ['f*'] })] });
    await audit.close();
    audit.record({ type: 'sapi', description: 'late' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warnings).toEqual([]);
  });
});
