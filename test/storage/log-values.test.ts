import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditTrail } from '../../src/audit/trail.js';
import type { AuditEvent } from '../../src/audit/event.js';
import { memorySink } from '../../src/audit/sinks/memory.js';
import { freezeAsJson, frozenJsonHeight } from '../../src/lib/frozen-json.js';
import { LogValues, Remainder } from '../../src/storage/log-values.js';

/** Deep-frozen, as values reach a log index. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A JSON object built field by field, so `__proto__` is an own key as JSON.parse makes it. */
function objectOf(fields: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, inner] of fields) {
    Object.defineProperty(value, key, {
      value: inner,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return value;
}

const shared = deepFreeze({ operation: 'issue_access_token', request: { method: 'POST' } });

/**
 * The fields after the id and the time, from a small pool so that values repeat: some are
 * prefixes of others, some have `__proto__` or integer-like names, some hold a shared
 * object and some an equal one of their own.
 */
const REST: readonly (readonly [string, unknown])[][] = [
  [['type', 'seccft']],
  [
    ['type', 'seccft'],
    ['details', shared],
  ],
  [
    ['type', 'seccft'],
    ['details', shared],
    ['scope', 'read'],
  ],
  [
    ['__proto__', 'x'],
    ['type', 'sapi'],
  ],
  [
    ['0', 1],
    ['17', true],
    ['type', null],
  ],
  [
    ['type', 'seccft'],
    ['details', { operation: 'issue_access_token' }],
  ],
  [
    ['details', shared],
    ['type', 'seccft'],
  ],
];

/** An entry: its id and time, and a value that repeats them (or almost) before other fields. */
const entry = fc
  .record({
    id: fc.constantFrom('a', 'b', '900202612080100', '__proto__'),
    time: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 ** 42 }) },
      fc.constantFrom(-1, 1.5, 8.64e15, 8.64e15 + 1, -8.64e15),
    ),
    idKey: fc.constantFrom('log_id', 'log_id', 'log_id', 'log_id', '__proto__', '5'),
    timeKey: fc.constantFrom('date', 'date', 'date', 'time'),
    idMatches: fc.constantFrom(true, true, true, false),
    dateMatches: fc.constantFrom(true, true, true, false),
    rest: fc.constantFrom(...REST),
    copies: fc.boolean(),
  })
  .map(({ id, time, idKey, timeKey, idMatches, dateMatches, rest, copies }) => {
    const date =
      dateMatches && Math.abs(time) <= 8.64e15
        ? new Date(time).toISOString()
        : '2026-12-08T01:00:00Z';
    const fields: [string, unknown][] = [
      [idKey, idMatches ? id : `${id}-other`],
      [timeKey, date],
    ];
    for (const [key, inner] of rest) {
      if (fields.some(([known]) => known === key)) continue;
      // Objects: the pool's own, or an equal copy (as events read back from a file are).
      const own = typeof inner === 'object' && inner !== null && copies;
      fields.push([key, deepFreeze(own ? structuredClone(inner) : inner)]);
    }
    return { id, time, value: deepFreeze(objectOf(fields)) };
  });

describe('LogValues', () => {
  it('gives back an equal value, fields in the same order, for any sequence of entries', () => {
    let packed = 0;
    fc.assert(
      fc.property(fc.array(entry, { minLength: 10, maxLength: 40 }), (entries) => {
        const values = new LogValues();
        const kept = entries.map((e) => values.pack(e.id, e.time, e.value));
        packed += kept.filter((value) => value instanceof Remainder).length;
        entries.forEach((e, i) => {
          const back = values.unpack(e.id, e.time, kept[i]) as Record<string, unknown>;
          expect(back).toStrictEqual(e.value);
          expect(Object.keys(back)).toStrictEqual(Object.keys(e.value));
          expect(JSON.stringify(back)).toBe(JSON.stringify(e.value));
          expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
          expect(Object.isFrozen(back)).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
    // The pool makes values repeat: many of them were kept packed.
    expect(packed).toBeGreaterThan(500);
  });

  it('shares one remainder among audit events that differ only in log_id and date', () => {
    const sink = memorySink();
    const trail = new AuditTrail({ sinks: [sink], hostname: 'id.example.com' });
    const events: AuditEvent[] = [];
    trail.on('event', (event) => events.push(event));
    const request = {
      ip: '203.0.113.7',
      userAgent: 'curl/8.5',
      method: 'POST',
      path: '/oauth/token',
    };
    for (let i = 0; i < 6; i++) {
      for (const operation of ['client_authentication', 'issue_access_token']) {
        trail.record({
          type: 'seccft',
          description: operation,
          client_id: 'm2m',
          client_name: 'Reports job',
          audience: 'https://api.example.com/',
          scope: 'read:reports',
          request,
          details: { operation },
        });
      }
    }
    const values = new LogValues();
    const timeOf = (event: AuditEvent) => Date.parse(event.date);
    const kept = events.map((event) => values.pack(event.log_id, timeOf(event), event));
    // The first of each kind is kept as it came; the others share one remainder per kind.
    expect(kept[0]).toBe(events[0]);
    expect(kept[1]).toBe(events[1]);
    expect(kept[2]).toBeInstanceOf(Remainder);
    expect(kept[3]).toBeInstanceOf(Remainder);
    expect(kept[2]).not.toBe(kept[3]);
    expect(new Set(kept.slice(2).filter((_, i) => i % 2 === 0)).size).toBe(1);
    expect(new Set(kept.slice(3).filter((_, i) => i % 2 === 0)).size).toBe(1);
    events.forEach((event, i) => {
      const back = values.unpack(event.log_id, timeOf(event), kept[i]) as AuditEvent;
      expect(back).toStrictEqual(event);
      expect(frozenJsonHeight(back)).toBe(frozenJsonHeight(event));
    });
  });

  it('keeps as they are values it cannot rebuild exactly', () => {
    const values = new LogValues();
    const time = Date.UTC(2026, 11, 8, 1, 2, 3, 4);
    const date = new Date(time).toISOString();
    const pack = (id: string, at: number, value: unknown) => {
      values.pack(id, at, value);
      return values.pack(id, at, value);
    };
    const cases: [string, number, unknown][] = [
      // Not frozen: a caller could still change it.
      ['a', time, { log_id: 'a', date, type: 's' }],
      // An array, a class instance, an object without prototype.
      ['a', time, Object.freeze(['a', date, 's'])],
      ['a', time, Object.freeze(Object.assign(new URLSearchParams(), { log_id: 'a', date, t: 1 }))],
      ['a', time, Object.freeze(Object.assign(Object.create(null), { log_id: 'a', date, t: 1 }))],
      // The date written another way, or of another time; the id elsewhere than first.
      ['a', time, deepFreeze({ log_id: 'a', date: '2026-12-08T01:02:03.004+00:00', type: 's' })],
      ['a', time + 1, deepFreeze({ log_id: 'a', date, type: 's' })],
      ['a', time, deepFreeze({ type: 's', log_id: 'a', date })],
      // Beyond what a Date holds: toISOString would throw.
      ['a', 8.64e15 + 1, deepFreeze({ log_id: 'a', date, type: 's' })],
      ['a', Number.NaN, deepFreeze({ log_id: 'a', date, type: 's' })],
      // Only the id and the date: nothing to share.
      ['a', time, deepFreeze({ log_id: 'a', date })],
    ];
    for (const [id, at, value] of cases) expect(pack(id, at, value)).toBe(value);
  });

  it('compares objects under a field by content, names in order, within a budget', () => {
    const values = new LogValues();
    const time = 0;
    const date = new Date(time).toISOString();
    const event = (id: string, details: object, extra: Record<string, unknown> = {}) =>
      freezeAsJson({ log_id: id, date, type: 'sapi', details, ...extra }, 3);
    const details = deepFreeze({ operation: 'create', fields: ['name', 'callbacks'] });
    values.pack('1', time, event('1', details));
    expect(values.pack('2', time, event('2', details))).toBeInstanceOf(Remainder);
    // Equal, as events read back from a file are: shared, and rebuilt with the first's.
    const copy = deepFreeze(structuredClone(details));
    const packed = values.pack('3', time, event('3', copy));
    expect(packed).toBeInstanceOf(Remainder);
    expect((values.unpack('3', time, packed) as { details: unknown }).details).toBe(details);
    const differ = [
      { operation: 'create', fields: ['name', 'callback'] },
      { fields: ['name', 'callbacks'], operation: 'create' },
      { operation: 'create', fields: { 0: 'name', 1: 'callbacks' } },
      { operation: 'create', fields: ['name', 'callbacks'], extra: null },
      { operation: 'create', fields: ['name', ['callbacks']] },
    ];
    for (const other of differ) {
      expect(values.pack('4', time, event('4', deepFreeze(other)))).not.toBeInstanceOf(Remainder);
    }
    // One more field, or the same fields in another order: not the same remainder.
    expect(values.pack('5', time, event('5', details, { scope: 'x' }))).not.toBeInstanceOf(
      Remainder,
    );
    const reordered = freezeAsJson({ log_id: '6', date, details, type: 'sapi' }, 3);
    expect(values.pack('6', time, reordered)).toBe(reordered);
  });

  it('counts objects with more members than its budget as different', () => {
    const values = new LogValues();
    const date = new Date(0).toISOString();
    const wide = (size: number) =>
      deepFreeze(Object.fromEntries(Array.from({ length: size }, (_, i) => [`f${i}`, i])));
    const event = (id: string, details: object) =>
      freezeAsJson({ log_id: id, date, type: 'sapi', details }, 2);
    values.pack('1', 0, event('1', wide(64)));
    expect(values.pack('2', 0, event('2', wide(64)))).toBeInstanceOf(Remainder);
    values.pack('3', 0, event('3', wide(65)));
    expect(values.pack('4', 0, event('4', wide(65)))).not.toBeInstanceOf(Remainder);
  });
});
