import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Collections } from '../../src/storage/batch.js';
import { decodeEnvelope, encodeEnvelope, peekRevision } from '../../src/storage/envelope.js';
import { FileStore } from '../../src/storage/file-store.js';
import { frozenJsonCopy, MAX_JSON_DEPTH } from '../../src/storage/json-value.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import type { Store, StoredRecord, WriteOperation } from '../../src/storage/store.js';

const root = mkdtempSync(join(tmpdir(), 'clientele-storage-properties-'));
let count = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe('stored values', () => {
  it('are a deep-frozen copy equal to the JSON round trip of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = frozenJsonCopy(value, '/value');
        expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
        expect(isDeepFrozen(copy)).toBe(true);
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
    );
  });

  it('take the list items an earlier copy made as they are, and still equal the JSON round trip', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.jsonValue(), (parts, extra) => {
        const stored = frozenJsonCopy({ list: parts.map((part) => ({ part })) }, '/value') as {
          list: readonly object[];
        };
        // A record rebuilt from the one read: the same list with one more entry.
        const value = { list: [...stored.list, { part: extra }], first: stored.list[0] ?? null };
        const copy = frozenJsonCopy(value, '/value') as typeof value;
        expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
        expect(isDeepFrozen(copy)).toBe(true);
        expect(copy).not.toBe(value);
        stored.list.forEach((item, index) => expect(copy.list[index]).toBe(item));
        // Only list items are taken as they are; the value itself is always new.
        if (stored.list[0]) expect(copy.first).not.toBe(stored.list[0]);
        expect(frozenJsonCopy(stored, '/value')).not.toBe(stored);
      }),
    );
  });

  it('refuse a made part that would end deeper than the limit where it is put', () => {
    const nest = (levels: number): unknown => {
      let value: unknown = {};
      for (let level = 0; level < levels; level++) value = { next: value };
      return value;
    };
    const [tall] = frozenJsonCopy([nest(MAX_JSON_DEPTH - 3)], '/value') as [object];
    // At depth 2 its deepest object is at 255, the last level allowed; at depth 3, past it.
    expect((frozenJsonCopy({ a: [tall] }, '/value') as { a: object[] }).a[0]).toBe(tall);
    expect(() => frozenJsonCopy({ a: { b: [tall] } }, '/value')).toThrow(/nested deeper/);
  });
});

const name = fc.string({ minLength: 1, maxLength: 8 });
const collectionsArb = fc
  .array(
    fc.tuple(
      name,
      fc.uniqueArray(fc.tuple(name, fc.integer({ min: 1, max: 1e6 }), fc.jsonValue()), {
        selector: (r) => r[0],
        maxLength: 6,
      }),
    ),
    {
      maxLength: 4,
    },
  )
  .map((entries) => {
    const collections: Collections = new Map();
    for (const [collection, records] of entries) {
      const byId = new Map<string, StoredRecord>();
      for (const [id, version, value] of records) {
        byId.set(id, { id, version, value: frozenJsonCopy(value, '/value') });
      }
      if (byId.size > 0) collections.set(collection, byId);
    }
    return collections;
  });

describe('the store file envelope', () => {
  it('decodes what it encodes: same revision, collections, records and order', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        collectionsArb,
        (revision, collections) => {
          const text = encodeEnvelope(revision, collections);
          expect(peekRevision(text.slice(0, 96))).toBe(revision);
          const decoded = decodeEnvelope(text);
          if (!decoded.ok) throw new Error(decoded.reason);
          expect(decoded.snapshot.revision).toBe(revision);
          // Records keep their order within a collection; the order of collections is not
          // part of the contract (JSON puts integer-like names first).
          const asList = (c: Collections) =>
            Object.fromEntries([...c].map(([n, records]) => [n, [...records.values()]]));
          expect(asList(decoded.snapshot.collections)).toEqual(asList(collections));
        },
      ),
    );
  });

  it('refuses every truncation of a valid file (a torn write) without throwing', () => {
    fc.assert(
      fc.property(
        collectionsArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (collections, cut) => {
          const text = encodeEnvelope(3, collections);
          const at = Math.min(text.length - 2, Math.floor(cut * (text.length - 1)));
          expect(decodeEnvelope(text.slice(0, at)).ok).toBe(false);
        },
      ),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) =>
            JSON.stringify({
              format: 'clientele-store',
              formatVersion: 1,
              revision: 1,
              collections: v,
            }),
          ),
        ),
        (text) => {
          const result = decodeEnvelope(text);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });
});

type Model = Map<string, Map<string, { version: number; value: unknown }>>;

const ids = fc.constantFrom('a', 'b', '1', '__proto__');
const collectionNames = fc.constantFrom('clients', 'grants');
const version = fc.integer({ min: 1, max: 4 });
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ n: fc.integer() }));
const operationArb: fc.Arbitrary<WriteOperation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), collection: collectionNames, id: ids, value }),
  fc.record({
    op: fc.constant('replace' as const),
    collection: collectionNames,
    id: ids,
    value,
    expectedVersion: version,
  }),
  fc.record({ op: fc.constant('delete' as const), collection: collectionNames, id: ids }),
  fc.record({
    op: fc.constant('delete' as const),
    collection: collectionNames,
    id: ids,
    expectedVersion: version,
  }),
);
/** A step is a batch of one to three operations on distinct records. */
const stepArb = fc.uniqueArray(operationArb, {
  minLength: 1,
  maxLength: 3,
  selector: (op) => `${op.collection}/${op.id}`,
});

function modelStep(model: Model, batch: readonly WriteOperation[]): { ok: boolean; code?: string } {
  for (const op of batch) {
    const current = model.get(op.collection)?.get(op.id);
    if (op.op === 'insert' && current) return { ok: false, code: 'conflict' };
    if (op.op !== 'insert' && !current) return { ok: false, code: 'not_found' };
    if (
      op.op !== 'insert' &&
      op.expectedVersion !== undefined &&
      op.expectedVersion !== current?.version
    ) {
      return { ok: false, code: 'conflict' };
    }
  }
  for (const op of batch) {
    const records =
      model.get(op.collection) ?? new Map<string, { version: number; value: unknown }>();
    model.set(op.collection, records);
    if (op.op === 'delete') records.delete(op.id);
    else {
      const next = op.op === 'insert' ? 1 : (records.get(op.id)?.version ?? 0) + 1;
      records.set(op.id, { version: next, value: JSON.parse(JSON.stringify(op.value)) as unknown });
    }
  }
  return { ok: true };
}

async function agreesWithModel(
  store: Store,
  steps: readonly (readonly WriteOperation[])[],
): Promise<void> {
  const model: Model = new Map();
  for (const batch of steps) {
    const expected = modelStep(model, batch);
    const actual = await store.commit(batch).then(
      () => ({ ok: true }),
      (error: { code: string }) => ({ ok: false, code: error.code }),
    );
    expect(actual).toEqual(expected);
  }
  for (const collection of ['clients', 'grants']) {
    const listed = (await store.list(collection)).map((r) => ({
      id: r.id,
      version: r.version,
      value: r.value,
    }));
    const modelled = [...(model.get(collection) ?? [])].map(([id, r]) => ({ id, ...r }));
    expect(listed).toEqual(modelled);
    for (const { id, version: v, value: stored } of modelled) {
      expect(await store.get(collection, id)).toMatchObject({ version: v, value: stored });
    }
  }
}

describe('random sequences of batches', () => {
  it('MemoryStore agrees with the model of the contract', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), (steps) =>
        agreesWithModel(new MemoryStore(), steps),
      ),
      { numRuns: 200 },
    );
  });

  it('FileStore agrees with the model of the contract, and a new instance reads the same data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 15 }), async (steps) => {
        const path = join(root, `model-${++count}.json`);
        await agreesWithModel(new FileStore(path), steps);
        const reopened = new FileStore(path);
        const memory = new MemoryStore();
        for (const batch of steps) await memory.commit(batch).catch(() => undefined);
        for (const collection of ['clients', 'grants']) {
          expect(await reopened.list(collection)).toEqual(await memory.list(collection));
        }
      }),
      { numRuns: 25 },
    );
  });
});
