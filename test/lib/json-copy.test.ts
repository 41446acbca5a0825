import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyJson } from '../../src/lib/json-copy.js';

describe('copyJson', () => {
  it('copies any JSON value as structuredClone does, sharing no object with it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = copyJson(value);
        expect(copy).toStrictEqual(structuredClone(value));
        const objects = (v: unknown, into: Set<unknown>): Set<unknown> => {
          if (typeof v === 'object' && v !== null) {
            into.add(v);
            for (const item of Object.values(v)) objects(item, into);
          }
          return into;
        };
        const originals = objects(value, new Set());
        for (const made of objects(copy, new Set())) expect(originals.has(made)).toBe(false);
      }),
    );
  });

  it('keeps an own __proto__ key as a key, as JSON.parse makes it', () => {
    const parsed = JSON.parse('{"__proto__": {"admin": true}, "a": 1}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect((copy as { admin?: unknown }).admin).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
