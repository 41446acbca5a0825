import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rememberLast } from '../../src/lib/remember-last.js';

describe('rememberLast', () => {
  it('answers as the function does, computing only when the argument changes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }), (keys) => {
        let calls = 0;
        const square = rememberLast((n: number) => {
          calls += 1;
          return n * n;
        });
        for (const key of keys) expect(square(key)).toBe(key * key);
        const runs = keys.filter((key, i) => i === 0 || keys[i - 1] !== key).length;
        expect(calls).toBe(runs);
      }),
    );
  });

  it('remembers an undefined argument and result too', () => {
    let calls = 0;
    const f = rememberLast((key: string | undefined) => {
      calls += 1;
      return key === undefined ? undefined : key.length;
    });
    expect([f(undefined), f(undefined), f('ab'), f('ab')]).toEqual([undefined, undefined, 2, 2]);
    expect(calls).toBe(2);
  });
});
