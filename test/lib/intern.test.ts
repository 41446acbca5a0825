import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestDetails } from '../../src/audit/request-context.js';
import { BoundedTable, intern } from '../../src/lib/intern.js';

describe('BoundedTable', () => {
  it('answers what was set until it holds its limit, then starts over', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 40 }), (keys) => {
        const table = new BoundedTable<number>(4);
        const model = new Map<string, number>();
        keys.forEach((key, i) => {
          if (model.size >= 4) model.clear();
          expect(table.set(key, i)).toBe(i);
          model.set(key, i);
          for (const [k, v] of model) expect(table.get(k)).toBe(v);
        });
      }),
    );
  });
});

describe('intern', () => {
  it('returns a string equal to its argument, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 50 }), (values) => {
        for (const value of values) expect(intern(value)).toBe(value);
      }),
    );
  });
});

describe('requestDetails', () => {
  it('shares one frozen object per method and path when no client was authenticated', () => {
    const a = requestDetails({ method: 'POST', path: '/oauth/token', userAgent: 'a' });
    const b = requestDetails({ method: 'POST', path: '/oauth/token', ip: '10.0.0.1' });
    expect(a).toEqual({ method: 'post', path: '/oauth/token' });
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(requestDetails({ method: 'GET', path: '/oauth/token' })).toEqual({
      method: 'get',
      path: '/oauth/token',
    });
    expect(requestDetails({ method: 'POST', path: '/oauth/revoke' })).not.toBe(a);
  });

  it('builds its own object with auth, or with the method or path missing', () => {
    const auth = { client_id: 'abc' };
    const one = requestDetails({ method: 'GET', path: '/api/v2/logs', auth });
    expect(one).toEqual({
      method: 'get',
      path: '/api/v2/logs',
      auth: { client_id: 'abc', strategy: 'jwt' },
    });
    expect(requestDetails({ method: 'GET', path: '/api/v2/logs', auth })).not.toBe(one);
    expect(requestDetails({ path: '/x' })).toEqual({ path: '/x' });
    expect(requestDetails({ method: 'PROPFIND' })).toEqual({ method: 'propfind' });
    expect(requestDetails({ ip: '10.0.0.1' })).toBeUndefined();
  });
});
