import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freezeAsJson, frozenJsonHeight } from '../../src/lib/frozen-json.js';

describe('freezeAsJson', () => {
  it('freezes and registers a value without changing anything a reader can see', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue())),
        fc.nat({ max: 255 }),
        (generated, height) => {
          // fast-check may hand the same instance to a later run; register a fresh one.
          const value = structuredClone(generated);
          const twin = structuredClone(generated);
          const keys = Reflect.ownKeys(value);
          const registered = freezeAsJson(value, height);
          expect(registered).toBe(value);
          expect(Object.isFrozen(value)).toBe(true);
          expect(frozenJsonHeight(value)).toBe(height);
          expect(Reflect.ownKeys(value)).toEqual(keys);
          expect(JSON.stringify(value)).toBe(JSON.stringify(twin));
          expect(isDeepStrictEqual(structuredClone(value), twin)).toBe(true);
          expect(value).toStrictEqual(twin);
        },
      ),
    );
  });

  it('knows only what it registered: not a copy, not an equal object, not a frozen one', () => {
    const event = freezeAsJson({ type: 'sapi', details: Object.freeze({}) }, 1);
    expect(frozenJsonHeight(event)).toBe(1);
    expect(frozenJsonHeight({ ...event })).toBeUndefined();
    expect(frozenJsonHeight(structuredClone(event))).toBeUndefined();
    expect(frozenJsonHeight(Object.freeze({ type: 'sapi', details: {} }))).toBeUndefined();
    expect(frozenJsonHeight(event.details)).toBeUndefined();
    expect(frozenJsonHeight(new Proxy(event, {}))).toBeUndefined();
  });

  it('refuses to register one object twice', () => {
    const value = {};
    freezeAsJson(value, 0);
    expect(() => freezeAsJson(value, 3)).toThrow(TypeError);
    expect(frozenJsonHeight(value)).toBe(0);
  });
});
