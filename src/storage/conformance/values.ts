/**
 * Conformance: what values and ids a store keeps, and that callers cannot change stored
 * data through objects they passed in or got back.
 *
 * @internal
 * @module
 */
import { describe, expect, it } from 'vitest';
import { expectError, plain, required, sampleValue, tamper, type CurrentStore } from './helpers.js';

/** JSON values of every kind, each expected back exactly as given. */
const SAMPLES: Record<string, unknown> = {
  'a nested object': {
    name: 'App',
    nested: { list: [1, 'two', null, true, { deep: [[], {}] }] },
    empty: {},
    emptyList: [],
  },
  'unusual strings': {
    text: 'ünïcödé ✓ 😀 \u2028\u2029 "quotes" \\ back\nslash\ttab\u0000nul',
    loneSurrogate: '\ud800',
    keys: { ключ: 'значение', '': 'empty key', 'a/b~c': 'pointer characters', ' ': 'space' },
  },
  numbers: {
    int: 42,
    negative: -7,
    float: 3.14159,
    tiny: 5e-324,
    huge: 1.7976931348623157e308,
    maxSafe: Number.MAX_SAFE_INTEGER,
    zero: 0,
  },
  'a bare string': 'just a string',
  'a bare number': 12.5,
  false: false,
  null: null,
  'an array at the top': [1, [2, [3]], { a: 'b' }],
};

class Point {
  x = 1;
}

/** Values JSON cannot hold unchanged; every store must refuse them. */
function nonJsonValues(): Record<string, unknown> {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic['self'] = cyclic;
  return {
    undefined: undefined,
    'a function': () => 1,
    'a symbol': Symbol('s'),
    'a bigint': 10n,
    NaN: Number.NaN,
    'Infinity inside an object': { n: Number.POSITIVE_INFINITY },
    'a Date': new Date(0),
    'a Map': new Map([['a', 1]]),
    'a class instance': new Point(),
    'a cycle': cyclic,
    'undefined inside an array': [1, undefined],
    'a function deep inside': { a: { b: [{ c: () => 1 }] } },
  };
}

/** Ids and collection names that break naive implementations (prototype keys, paths). */
const UNUSUAL_IDS = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'a/b',
  '../../etc/passwd',
  'with space',
  ' leading',
  'quote"and\'apostrophe',
  'back\\slash',
  'new\nline',
  'nul\u0000char',
  'ünïcödé',
  '😀',
  '%2e%2e',
  '0',
  '-0',
  'x'.repeat(1000),
];

/** Registers the value, id and isolation tests. */
export function describeValues(store: CurrentStore): void {
  describe('values', () => {
    it.each(Object.entries(SAMPLES))('returns %s exactly as stored', async (_label, value) => {
      await store().insert('values', 'v', value);
      expect((await store().get('values', 'v'))?.value).toEqual(value);
      const again = await store().replace('values', 'v', value, 1);
      expect(again.value).toEqual(value);
      expect((await store().list('values'))[0]?.value).toEqual(value);
    });

    it('drops object properties set to undefined, as JSON does', async () => {
      await store().insert('values', 'v', {
        kept: 1,
        dropped: undefined,
        inner: { gone: undefined },
      });
      const stored = (await store().get('values', 'v'))?.value;
      expect(stored).toEqual({ kept: 1, inner: {} });
      expect(Object.keys(stored as object)).toEqual(['kept', 'inner']);
    });

    it.each(Object.keys(nonJsonValues()))(
      'refuses %s with InvalidArgumentError and stores nothing',
      async (label) => {
        const value = nonJsonValues()[label];
        await expectError(store().insert('values', 'bad', value), 'invalid_argument');
        expect(await store().get('values', 'bad')).toBeUndefined();
        await store().insert('values', 'good', { ok: true });
        await expectError(store().replace('values', 'good', value, 1), 'invalid_argument');
        expect(plain(required(await store().get('values', 'good')))).toEqual({
          id: 'good',
          version: 1,
          value: { ok: true },
        });
      },
    );

    it('keeps a "__proto__" key as plain data without touching any prototype', async () => {
      const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
      await store().insert('values', 'p', value);
      const stored = (await store().get('values', 'p'))?.value as object;
      expect(Object.keys(stored)).toEqual(['__proto__', 'a']);
      expect(Object.getOwnPropertyDescriptor(stored, '__proto__')?.value).toEqual({
        polluted: true,
      });
      expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('keeps a value of about 1 MB and an array of 10,000 objects', async () => {
      const big = { blob: 'x'.repeat(1024 * 1024), unicode: 'é😀'.repeat(10_000) };
      const many = Array.from({ length: 10_000 }, (_, i) => ({ i, name: `item-${i}` }));
      await store().insert('values', 'big', big);
      await store().insert('values', 'many', many);
      expect((await store().get('values', 'big'))?.value).toEqual(big);
      expect((await store().get('values', 'many'))?.value).toEqual(many);
    });

    it('keeps 1,000 records in one collection, in order', async () => {
      const operations = Array.from({ length: 1000 }, (_, i) => ({
        op: 'insert' as const,
        collection: 'bulk',
        id: `r${(i * 7919) % 1000}`,
        value: { i },
      }));
      await store().commit(operations);
      const listed = await store().list('bulk');
      expect(listed.map((r) => r.id)).toEqual(operations.map((o) => o.id));
      expect((await store().get('bulk', 'r999'))?.value).toEqual(
        operations.find((o) => o.id === 'r999')?.value,
      );
    });
  });

  describe('unusual ids and collection names', () => {
    it.each(UNUSUAL_IDS.map((id) => [JSON.stringify(id).slice(0, 40), id]))(
      'supports the id %s through insert, get, list, replace and delete',
      async (_label, id) => {
        await store().insert('clients', 'neighbour', { n: 0 });
        const created = await store().insert('clients', id, { id });
        expect(created.id).toBe(id);
        expect((await store().get('clients', id))?.value).toEqual({ id });
        expect((await store().list('clients')).map((r) => r.id)).toEqual(['neighbour', id]);
        await store().replace('clients', id, { id, n: 2 }, 1);
        expect((await store().get('clients', id))?.version).toBe(2);
        await store().delete('clients', id, 2);
        expect(await store().get('clients', id)).toBeUndefined();
        expect((await store().list('clients')).map((r) => r.id)).toEqual(['neighbour']);
      },
    );

    it('supports unusual collection names, each kept apart', async () => {
      const names = ['__proto__', 'constructor', 'a/b', 'ünï', ' ', '0'];
      for (const name of names) await store().insert(name, 'id', { name });
      for (const name of names) {
        expect((await store().list(name)).map((r) => r.value)).toEqual([{ name }]);
      }
      expect(await store().get('toString', 'id')).toBeUndefined();
    });
  });

  describe('isolation', () => {
    it('is not changed by later changes to the object that was inserted or replaced', async () => {
      const input = sampleValue();
      await store().insert('clients', 'abc', input);
      tamper(input);
      expect((await store().get('clients', 'abc'))?.value).toEqual(sampleValue());
      const next = sampleValue();
      await store().replace('clients', 'abc', next, 1);
      tamper(next);
      expect((await store().get('clients', 'abc'))?.value).toEqual(sampleValue());
    });

    it('is not changed through values returned by insert, replace, get and list', async () => {
      tamper((await store().insert('clients', 'abc', sampleValue())).value);
      tamper((await store().get('clients', 'abc'))?.value);
      tamper((await store().replace('clients', 'abc', sampleValue(), 1)).value);
      tamper((await store().list('clients'))[0]?.value);
      const [written] = await store().commit([
        {
          op: 'replace',
          collection: 'clients',
          id: 'abc',
          value: sampleValue(),
          expectedVersion: 2,
        },
      ]);
      tamper(written?.value);
      expect((await store().get('clients', 'abc'))?.value).toEqual(sampleValue());
      expect((await store().list('clients'))[0]?.value).toEqual(sampleValue());
    });

    it('is not changed through a returned record: id and version stay', async () => {
      const record = await store().insert('clients', 'abc', sampleValue());
      try {
        (record as { version: number }).version = 99;
        (record as { id: string }).id = 'other';
      } catch {
        // Frozen records refuse the change.
      }
      const stored = await store().get('clients', 'abc');
      expect(stored && [stored.id, stored.version]).toEqual(['abc', 1]);
    });

    it('is not changed by later changes to values passed to commit', async () => {
      const value = sampleValue();
      const operation = { op: 'insert' as const, collection: 'clients', id: 'abc', value };
      await store().commit([operation]);
      tamper(value);
      operation.id = 'changed';
      expect((await store().get('clients', 'abc'))?.value).toEqual(sampleValue());
      expect(await store().get('clients', 'changed')).toBeUndefined();
    });
  });
}
