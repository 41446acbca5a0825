import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AUDIT_EVENT_TYPES,
  AuditTrail,
  InvalidArgumentError,
  memorySink,
  type AuditEvent,
  type AuditEventType,
  type AuditSink,
} from '../../src/index.js';
import { captureWarnings } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('AuditTrail.record', () => {
  it('returns a frozen Auth0-shaped event with log_id, ISO date and only the fields given', () => {
    const audit = new AuditTrail();
    const before = Date.now();
    const event = audit.record({
      type: 'sapi',
      description: 'Create a client',
      client_id: 'abc',
      client_name: undefined,
      details: { operation: 'create' },
    });
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.keys(event)).toEqual([
      'log_id',
      'date',
      'type',
      'description',
      'client_id',
      'details',
    ]);
    expect(event).toMatchObject({ type: 'sapi', description: 'Create a client', client_id: 'abc' });
    expect(event.details).toEqual({ operation: 'create' });
    expect(event.log_id).toMatch(/^900\d{53}$/);
    expect(new Date(event.date).toISOString()).toBe(event.date);
    expect(Date.parse(event.date)).toBeGreaterThanOrEqual(before);
  });

  it('keeps ip and user_agent, and gives an empty details object when none is passed', () => {
    const event = new AuditTrail().record({
      type: 's',
      description: 'Success Login',
      ip: '203.0.113.7',
      user_agent: 'curl/8',
    });
    expect(event.ip).toBe('203.0.113.7');
    expect(event.user_agent).toBe('curl/8');
    expect(event.details).toEqual({});
  });

  it('assigns unique log_ids that sort in recording order', () => {
    const audit = new AuditTrail();
    const ids = Array.from(
      { length: 20_000 },
      () => audit.record({ type: 'sapi', description: 'x' }).log_id,
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('gives two trails different log_ids for the same millisecond', () => {
    const a = new AuditTrail().record({ type: 'sapi', description: 'a' }).log_id;
    const b = new AuditTrail().record({ type: 'sapi', description: 'b' }).log_id;
    expect(a.slice(16)).not.toBe(b.slice(16));
  });

  it('accepts every type in AUDIT_EVENT_TYPES', () => {
    const audit = new AuditTrail();
    for (const type of Object.keys(AUDIT_EVENT_TYPES) as AuditEventType[]) {
      expect(audit.record({ type, description: type }).type).toBe(type);
    }
  });

  it('throws InvalidArgumentError for an unknown type or a missing description', () => {
    const audit = new AuditTrail();
    const bogus = { type: 'nope', description: 'x' } as unknown as Parameters<
      AuditTrail['record']
    >[0];
    expect(() => audit.record(bogus)).toThrow(InvalidArgumentError);
    expect(() => audit.record(bogus)).toThrow(/type must be an Auth0 log type code/);
    const inherited = { type: 'toString', description: 'x' } as unknown as Parameters<
      AuditTrail['record']
    >[0];
    expect(() => audit.record(inherited)).toThrow(InvalidArgumentError);
    const noDescription = { type: 'sapi' } as unknown as Parameters<AuditTrail['record']>[0];
    expect(() => audit.record(noDescription)).toThrow(/description must be a string/);
  });
});

describe('AuditTrail as an event emitter', () => {
  it("emits every event as 'event' and under its type code, in recording order", () => {
    const audit = new AuditTrail();
    const all: string[] = [];
    const failures: AuditEvent[] = [];
    audit.on('event', (event) => all.push(event.type));
    audit.on('feccft', (event) => failures.push(event));
    audit.record({ type: 'sapi', description: 'one' });
    const failed = audit.record({ type: 'feccft', description: 'two', client_id: 'abc' });
    audit.record({ type: 'seccft', description: 'three' });
    expect(all).toEqual(['sapi', 'feccft', 'seccft']);
    expect(failures).toEqual([failed]);
  });

  it("emits 'event' before the type name, synchronously inside record", () => {
    const audit = new AuditTrail();
    const seen: string[] = [];
    audit.on('event', () => seen.push('event'));
    audit.on('s', () => seen.push('s'));
    audit.record({ type: 's', description: 'login' });
    expect(seen).toEqual(['event', 's']);
  });

  it('still delivers the event, and does not throw, when a listener throws', async () => {
    const warnings = captureWarnings();
    const sink = memorySink();
    const audit = new AuditTrail({ sinks: [sink] });
    audit.on('event', () => {
      throw new Error('listener bug');
    });
    const seenByType: string[] = [];
    audit.on('sapi', (event) => seenByType.push(event.description));
    expect(() => audit.record({ type: 'sapi', description: 'kept' })).not.toThrow();
    await audit.flush();
    expect(sink.events.map((e) => e.description)).toEqual(['kept']);
    expect(seenByType).toEqual(['kept']);
    expect(warnings).toEqual([
      { code: 'CLIENTELE_AUDIT_CALLBACK_FAILED', message: expect.stringContaining('listener bug') },
    ]);
  });
});

describe('AuditTrail options', () => {
  const write = (): Promise<void> => Promise.resolve();

  it.each([
    [{ batchSize: 0 }, '/batchSize'],
    [{ batchSize: 1.5 }, '/batchSize'],
    [{ retry: { attempts: 0 } }, '/retry/attempts'],
    [{ retry: { baseDelayMs: -1 } }, '/retry/baseDelayMs'],
    [{ retry: { baseDelayMs: 100, maxDelayMs: 10 } }, '/retry/maxDelayMs'],
    [{ sinks: [{}] }, '/sinks/0'],
    [{ sinks: [{ write }, { write, types: ['s', 3] }] }, '/sinks/1/types/1'],
    [{ sinks: [{ write, types: 'f*' }] }, '/sinks/0/types'],
    [{ onDeadLetter: 'log' }, '/onDeadLetter'],
  ])('rejects %j with InvalidArgumentError at %s', (options, path) => {
    let thrown: unknown;
    try {
      new AuditTrail(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).path).toBe(path);
  });

  it('lists its sinks in the order given', () => {
    const a: AuditSink = { write };
    const b: AuditSink = { write };
    expect(new AuditTrail({ sinks: [a, b] }).sinks).toEqual([a, b]);
  });
});
