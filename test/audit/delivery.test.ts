import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuditTrail,
  ClienteleError,
  functionSink,
  memorySink,
  type AuditEvent,
  type AuditSink,
} from '../../src/index.js';
import { captureWarnings, deferred, descriptions, failingFirst, scriptedSink } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const fast = { attempts: 5, baseDelayMs: 1, maxDelayMs: 4 };

function recordMany(audit: AuditTrail, count: number, prefix = 'e'): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i += 1) {
    names.push(`${prefix}${i}`);
    audit.record({ type: 'sapi', description: `${prefix}${i}` });
  }
  return names;
}

describe('delivery order and batching', () => {
  it('delivers events recorded together in batches of at most batchSize, in order', async () => {
    const sink = scriptedSink(() => false);
    const audit = new AuditTrail({ sinks: [sink], batchSize: 100 });
    const names = recordMany(audit, 250);
    expect(sink.calls).toEqual([]); // nothing is written inside record
    await audit.flush();
    expect(sink.batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(descriptions(sink.delivered)).toEqual(names);
  });

  it('gathers events recorded while a write is in flight into the next batch', async () => {
    const gate = deferred();
    const batches: string[][] = [];
    const sink = functionSink(async (batch) => {
      batches.push(descriptions(batch));
      if (batches.length === 1) await gate.promise;
    });
    const audit = new AuditTrail({ sinks: [sink] });
    audit.record({ type: 'sapi', description: 'first' });
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    audit.record({ type: 'sapi', description: 'second' });
    await Promise.resolve();
    audit.record({ type: 'sapi', description: 'third' });
    gate.resolve();
    await audit.flush();
    expect(batches).toEqual([['first'], ['second', 'third']]);
  });

  it('hands sinks frozen batches of the same frozen events that listeners see', async () => {
    const sink = memorySink();
    const seen: AuditEvent[] = [];
    const batches: (readonly AuditEvent[])[] = [];
    const audit = new AuditTrail({
      sinks: [sink, functionSink((batch) => void batches.push(batch))],
    });
    audit.on('event', (event) => seen.push(event));
    recordMany(audit, 3);
    await audit.flush();
    expect(sink.events).toEqual(seen);
    expect(sink.events[0]).toBe(seen[0]);
    expect(Object.isFrozen(batches[0])).toBe(true);
  });
});

describe('retries', () => {
  it('delivers every event exactly once and in order to a sink that fails 3 times then succeeds', async () => {
    const sink = failingFirst(3);
    const deadLetters: AuditEvent[][] = [];
    const audit = new AuditTrail({
      sinks: [sink],
      retry: fast,
      onDeadLetter: (events) => deadLetters.push([...events]),
    });
    const names = recordMany(audit, 5);
    await audit.flush();
    expect(deadLetters).toEqual([]);
    expect(descriptions(sink.delivered)).toEqual(names);
    // The same batch, as the same array, was retried until it went through.
    expect(sink.calls).toHaveLength(4);
    for (const call of sink.calls) expect(call).toBe(sink.calls[0]);
  });

  it('keeps later events behind a batch that is being retried', async () => {
    const retried = deferred();
    const sink = scriptedSink((call) => {
      if (call === 2) retried.resolve();
      return call <= 2;
    });
    const audit = new AuditTrail({ sinks: [sink], retry: fast });
    audit.record({ type: 'sapi', description: 'a' });
    await retried.promise; // 'a' has failed twice and waits for its third try
    audit.record({ type: 'sapi', description: 'b' });
    audit.record({ type: 'sapi', description: 'c' });
    await audit.flush();
    expect(descriptions(sink.delivered)).toEqual(['a', 'b', 'c']);
    expect(sink.calls.map((call) => descriptions(call))).toEqual([['a'], ['a'], ['a'], ['b', 'c']]);
  });

  it('dead-letters every event exactly once after `attempts` tries of a sink that always fails', async () => {
    const sink = scriptedSink(() => true);
    const deadLetters: { events: AuditEvent[]; error: unknown; sink: AuditSink }[] = [];
    const audit = new AuditTrail({
      sinks: [sink],
      retry: { attempts: 3, baseDelayMs: 1 },
      batchSize: 2,
      onDeadLetter: (events, error, failed) =>
        deadLetters.push({ events: [...events], error, sink: failed }),
    });
    const names = recordMany(audit, 5);
    await audit.flush();
    expect(sink.calls).toHaveLength(3 * 3); // three batches (2, 2, 1), three tries each
    expect(deadLetters.flatMap((entry) => descriptions(entry.events))).toEqual(names);
    expect(deadLetters.map((entry) => entry.events.length)).toEqual([2, 2, 1]);
    for (const entry of deadLetters) {
      expect(entry.sink).toBe(sink);
      expect((entry.error as Error).message).toMatch(/^write \d+ failed$/);
    }
  });

  it('reports dead letters as a process warning when there is no onDeadLetter callback', async () => {
    const warnings = captureWarnings();
    const audit = new AuditTrail({
      sinks: [memorySink(), scriptedSink(() => true)],
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    const event = audit.record({ type: 'fapi', description: 'x' });
    await audit.flush();
    expect(warnings).toEqual([
      {
        code: 'CLIENTELE_AUDIT_DEAD_LETTER',
        message: `audit sink 1: 1 event(s) not delivered (log_id ${event.log_id} to ${event.log_id}): Error: write 2 failed`,
      },
    ]);
  });

  it('falls back to a warning when onDeadLetter itself throws, and keeps delivering', async () => {
    const warnings = captureWarnings();
    const sink = scriptedSink((call) => call <= 2);
    const audit = new AuditTrail({
      sinks: [sink],
      retry: { attempts: 2, baseDelayMs: 1 },
      onDeadLetter: () => {
        throw new Error('callback bug');
      },
    });
    audit.record({ type: 'sapi', description: 'lost' });
    await audit.flush();
    audit.record({ type: 'sapi', description: 'kept' });
    await audit.flush();
    expect(descriptions(sink.delivered)).toEqual(['kept']);
    expect(warnings.map((w) => w.code)).toEqual([
      'CLIENTELE_AUDIT_CALLBACK_FAILED',
      'CLIENTELE_AUDIT_DEAD_LETTER',
    ]);
  });

  it('retries a sink whose write throws synchronously, without throwing into record', async () => {
    let calls = 0;
    const delivered: AuditEvent[] = [];
    const sink: AuditSink = {
      write(batch) {
        calls += 1;
        if (calls === 1) throw new Error('sync throw');
        delivered.push(...batch);
        return Promise.resolve();
      },
    };
    const audit = new AuditTrail({ sinks: [sink], retry: fast });
    expect(() => audit.record({ type: 'sapi', description: 'x' })).not.toThrow();
    await audit.flush();
    expect(descriptions(delivered)).toEqual(['x']);
  });
});

describe('isolation', () => {
  it('a stuck sink delays neither record nor the other sinks', async () => {
    const gate = deferred();
    const stuck = functionSink(() => gate.promise);
    const reached = deferred();
    const healthy = memorySink();
    const watcher = functionSink((batch) => {
      if (batch.some((event) => event.description === 'e9')) reached.resolve();
    });
    const audit = new AuditTrail({ sinks: [stuck, healthy, watcher], batchSize: 3 });
    const names = recordMany(audit, 10);
    await reached.promise; // the healthy sinks got everything while `stuck` holds its first batch
    expect(descriptions(healthy.events)).toEqual(names);
    gate.resolve();
    await audit.flush();
  });

  it('a failing sink delays neither record nor the other sinks', async () => {
    const failing = scriptedSink(() => true);
    const healthy = memorySink();
    const deadLettered = deferred();
    const audit = new AuditTrail({
      sinks: [failing, healthy],
      retry: { attempts: 3, baseDelayMs: 60_000 },
      onDeadLetter: () => deadLettered.resolve(),
    });
    vi.useFakeTimers();
    try {
      const names = recordMany(audit, 4);
      await vi.advanceTimersByTimeAsync(0);
      // The failing sink is waiting a (fake) minute before its retry; the other is done.
      expect(failing.calls).toHaveLength(1);
      expect(descriptions(healthy.events)).toEqual(names);
      await vi.runAllTimersAsync();
      await deadLettered.promise;
      expect(failing.calls).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('flush', () => {
  it('waits for retries to finish', async () => {
    const sink = failingFirst(4);
    const audit = new AuditTrail({ sinks: [sink], retry: { attempts: 5, baseDelayMs: 5 } });
    recordMany(audit, 3);
    await audit.flush();
    expect(sink.calls).toHaveLength(5);
    expect(descriptions(sink.delivered)).toEqual(['e0', 'e1', 'e2']);
  });

  it('calls each sink flush after the pending batches are written', async () => {
    const log: string[] = [];
    const sink: AuditSink = {
      async write(batch) {
        log.push(`write ${descriptions(batch).join(',')}`);
      },
      async flush() {
        log.push('flush');
      },
    };
    const audit = new AuditTrail({ sinks: [sink] });
    recordMany(audit, 2);
    await audit.flush();
    expect(log).toEqual(['write e0,e1', 'flush']);
  });

  it('does not wait for events recorded after it was called', async () => {
    const gate = deferred();
    const sink = functionSink(async (batch) => {
      if (batch.some((event) => event.description === 'later')) await gate.promise;
    });
    const audit = new AuditTrail({ sinks: [sink] });
    audit.record({ type: 'sapi', description: 'before' });
    const flushed = audit.flush();
    await Promise.resolve();
    audit.record({ type: 'sapi', description: 'later' });
    await flushed; // would hang if flush waited for 'later'
    gate.resolve();
    await audit.flush();
  });

  it('resolves, with a warning, when a sink flush fails', async () => {
    const warnings = captureWarnings();
    const sink: AuditSink = {
      write: () => Promise.resolve(),
      flush: () => Promise.reject(new Error('disk full')),
    };
    const audit = new AuditTrail({ sinks: [sink] });
    audit.record({ type: 'sapi', description: 'x' });
    await expect(audit.flush()).resolves.toBeUndefined();
    expect(warnings).toEqual([
      {
        code: 'CLIENTELE_AUDIT_SINK_FAILED',
        message: 'audit sink 0: flush() failed: Error: disk full',
      },
    ]);
  });

  it('resolves at once with no sinks or nothing pending', async () => {
    await new AuditTrail().flush();
    await new AuditTrail({ sinks: [memorySink()] }).flush();
  });
});

describe('close', () => {
  it('delivers what was recorded, then flushes and closes every sink, once', async () => {
    const log: string[] = [];
    const sink: AuditSink = {
      async write(batch) {
        log.push(`write ${descriptions(batch).join(',')}`);
      },
      async flush() {
        log.push('flush');
      },
      async close() {
        log.push('close');
      },
    };
    const audit = new AuditTrail({ sinks: [sink] });
    recordMany(audit, 2);
    const first = audit.close();
    expect(audit.closed).toBe(true);
    await Promise.all([first, audit.close(), audit.flush()]);
    expect(log).toEqual(['write e0,e1', 'flush', 'close']);
  });

  it('waits for retries before closing', async () => {
    const sink = failingFirst(2);
    const audit = new AuditTrail({ sinks: [sink], retry: fast });
    recordMany(audit, 2);
    await audit.close();
    expect(descriptions(sink.delivered)).toEqual(['e0', 'e1']);
  });

  it('emits but dead-letters events recorded after close, per matching sink', async () => {
    const sink = memorySink();
    const failuresOnly = memorySink({ types: ['f*'] });
    const deadLetters: { events: readonly AuditEvent[]; error: unknown; sink: AuditSink }[] = [];
    const audit = new AuditTrail({
      sinks: [sink, failuresOnly],
      onDeadLetter: (events, error, target) => deadLetters.push({ events, error, sink: target }),
    });
    await audit.close();
    const emitted: string[] = [];
    audit.on('event', (event) => emitted.push(event.description));
    const late = audit.record({ type: 'sapi', description: 'late' });
    expect(emitted).toEqual(['late']);
    await audit.flush();
    await vi.waitFor(() => expect(deadLetters).toHaveLength(1));
    expect(sink.events).toEqual([]);
    expect(deadLetters[0]?.events).toEqual([late]);
    expect(deadLetters[0]?.sink).toBe(sink);
    const error = deadLetters[0]?.error;
    expect(error).toBeInstanceOf(ClienteleError);
    expect((error as ClienteleError).code).toBe('audit_closed');
  });

  it('resolves, with a warning, when a sink close fails', async () => {
    const warnings = captureWarnings();
    const audit = new AuditTrail({
      sinks: [{ write: () => Promise.resolve(), close: () => Promise.reject(new Error('busy')) }],
    });
    await expect(audit.close()).resolves.toBeUndefined();
    expect(warnings.map((w) => w.message)).toEqual(['audit sink 0: close() failed: Error: busy']);
  });
});
