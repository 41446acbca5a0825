import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogIdGenerator, isoDate } from '../../src/audit/log-id.js';
import { retryDelay, retryPolicy } from '../../src/audit/retry.js';

describe('log ids', () => {
  it("are Auth0's 56 digits: 900, the UTC time to the ms, a sequence, a per-generator random part", () => {
    const next = createLogIdGenerator();
    const ms = Date.UTC(2024, 4, 1, 12, 34, 56, 789);
    const [a, b, c] = [next(ms), next(ms), next(ms + 1)];
    for (const id of [a, b, c]) expect(id).toMatch(/^\d{56}$/);
    expect(a.slice(0, 26)).toBe('900' + '20240501123456789' + '000000');
    expect(b.slice(0, 26)).toBe('900' + '20240501123456789' + '000001');
    expect(c.slice(0, 26)).toBe('900' + '20240501123456790' + '000000');
    expect(new Set([a.slice(26), b.slice(26), c.slice(26)]).size).toBe(1);
    expect(createLogIdGenerator()(ms).slice(26)).not.toBe(a.slice(26));
  });

  it('carry the digits of the event date, for any millisecond of years 1970 to 9999', () => {
    const lastMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lastMs }), fc.integer({ min: 0, max: 3 }), (ms, n) => {
        const next = createLogIdGenerator();
        // Interleave other milliseconds, so the shared date of one is never stale.
        for (let i = 0; i < n; i++) next(ms - 1 - i);
        const date = isoDate(ms);
        expect(date).toBe(new Date(ms).toISOString());
        expect(createLogIdGenerator()(ms).slice(0, 20)).toBe(`900${date.replace(/\D/g, '')}`);
      }),
    );
  });

  it('keep increasing when the wall clock steps back', () => {
    const next = createLogIdGenerator();
    const ids = [next(5_000), next(4_000), next(3_000), next(5_001)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('borrow the next millisecond after a million ids in one, instead of repeating', () => {
    const next = createLogIdGenerator();
    let last = '';
    for (let i = 0; i < 1_000_000; i++) last = next(1_000);
    const borrowed = next(1_000);
    expect(last.slice(0, 26)).toBe('900' + '19700101000001000' + '999999');
    expect(borrowed.slice(0, 26)).toBe('900' + '19700101000001001' + '000000');
    expect(borrowed > last).toBe(true);
  });
});

describe('retry policy', () => {
  it('defaults to 5 attempts from 50 ms, capped at 5 s', () => {
    expect(retryPolicy(undefined)).toEqual({ attempts: 5, baseDelayMs: 50, maxDelayMs: 5_000 });
    expect(retryPolicy({ baseDelayMs: 10_000 }).maxDelayMs).toBe(10_000);
  });

  it('draws each delay from the upper half of a doubling, capped ceiling', () => {
    const policy = retryPolicy({ baseDelayMs: 50, maxDelayMs: 300 });
    const low = (retry: number): number => retryDelay(policy, retry, () => 0);
    const high = (retry: number): number => retryDelay(policy, retry, () => 1);
    expect([1, 2, 3, 4, 5].map(low)).toEqual([25, 50, 100, 150, 150]);
    expect([1, 2, 3, 4, 5].map(high)).toEqual([50, 100, 200, 300, 300]);
  });

  it('allows zero delays', () => {
    expect(retryDelay(retryPolicy({ baseDelayMs: 0 }), 3)).toBe(0);
  });
});
