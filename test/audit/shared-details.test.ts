import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedDetails } from '../../src/audit/shared-details.js';

/** Short strings over an alphabet that holds the key's own punctuation and digits. */
const text = fc.string({ unit: fc.constantFrom('a', ':', '1', 's', 'o'), maxLength: 4 });
const leaf = fc.oneof(text, fc.integer({ min: -3, max: 12 }), fc.boolean(), fc.constant(null));
const details = fc.dictionary(
  text,
  fc.oneof(leaf, fc.dictionary(text, text, { maxKeys: 2 }), fc.array(text, { maxLength: 1 })),
  { maxKeys: 3 },
);

/** A fresh deep-frozen copy, as the trail makes for every event. */
const fresh = (value: Record<string, unknown>) => deepFreeze(structuredClone(value));
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('sharedDetails', () => {
  it('gives equal flat details one object, and never one object to different details', () => {
    fc.assert(
      fc.property(details, details, (a, b) => {
        // The table starts over when full, so `a` is asked again before anything else.
        const first = sharedDetails(fresh(a));
        const again = sharedDetails(fresh(a));
        const second = sharedDetails(fresh(b));
        expect(first).toEqual(a);
        expect(second).toEqual(b);
        expect(again).toEqual(a);
        if (first === second) expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        const flat = Object.values(a).every((v) => !Array.isArray(v));
        if (flat) expect(again).toBe(first);
      }),
      { numRuns: 3000 },
    );
  });

  it('tells apart details that a plain concatenation of names and values would confuse', () => {
    const pairs: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ a: 'xb:sy' }, { a: 'x', b: 'y' }],
      [{ a: 'x', b: 'y' }, { 'a:sxb': 'y' }],
      [{ a: '1' }, { a: 1 }],
      [{ a: 'true' }, { a: true }],
      [{ a: 'null' }, { a: null }],
      [{ r: { m: 'get', p: '/x' } }, { r: { m: 'get/x', p: '' } }],
      [{ r: { m: 'a' } }, { r: 'oma' }],
      [{ a: '1:b1:c' }, { a: '', b: 'c' }],
    ];
    for (const [a, b] of pairs) {
      const first = sharedDetails(fresh(a));
      expect(sharedDetails(fresh(a))).toBe(first);
      const second = sharedDetails(fresh(b));
      expect(second).not.toBe(first);
      expect(second).toEqual(b);
    }
  });

  it('keeps nested or long details as they are', () => {
    const nested = fresh({ request: { method: 'get', auth: { client_id: 'x' } } });
    expect(sharedDetails(nested)).toBe(nested);
    expect(sharedDetails(fresh({ request: { method: 'get', auth: { client_id: 'x' } } }))).not.toBe(
      nested,
    );
    const long = fresh({ message: 'x'.repeat(600) });
    expect(sharedDetails(long)).toBe(long);
    expect(sharedDetails(fresh({ message: 'x'.repeat(600) }))).not.toBe(long);
  });
});
