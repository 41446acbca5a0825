import { describe, expect, it } from 'vitest';
import { createLogIdGenerator } from '../../src/audit/log-id.js';
import { retryDelay, retryPolicy } from '../../src/audit/retry.js';

describe('log ids', () => {
  it('encode the millisecond, then a sequence within it, then a per-generator random part', () => {
    const next = createLogIdGenerator();
    const a = next(0x18f0000000a);
    const b = next(0x18f0000000a);
    const c = next(0x18f0000000b);
    expect(a.slice(0, 16)).toBe('018f0000000a0000');
    expect(b.slice(0, 16)).toBe('018f0000000a0001');
    expect(c.slice(0, 16)).toBe('018f0000000b0000');
    expect(new Set([a.slice(16), b.slice(16), c.slice(16)]).size).toBe(1);
  });

  it('keep increasing when the wall clock steps back', () => {
    const next = createLogIdGenerator();
    const ids = [next(5_000), next(4_000), next(3_000), next(5_001)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('borrow the next millisecond after 65,536 ids in one, instead of repeating', () => {
    const next = createLogIdGenerator();
    const ids = Array.from({ length: 65_538 }, () => next(1_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.at(-1)!.slice(0, 16)).toBe(`${(1_001).toString(16).padStart(12, '0')}0001`);
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
