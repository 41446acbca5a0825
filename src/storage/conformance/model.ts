/**
 * Conformance: long random sequences of operations, checked step by step against a
 * simple model of the contract. Seeded, so a failure reproduces; no extra dependency, so
 * adapter authors need nothing but Vitest.
 *
 * @internal
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { StoredRecord, WriteOperation } from '../store.js';
import { plain, type CurrentStore } from './helpers.js';

type Outcome = { ok: true; value?: unknown } | { ok: false; code: string };
type Model = Map<string, Map<string, { version: number; value: unknown }>>;

const COLLECTIONS = ['clients', 'grants'];
const IDS = ['a', 'b', 'c', '1', '__proto__'];

/** Mulberry32: tiny, fast and good enough to drive test choices. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Applies `operations` to the model the way the contract says: all checks, then all writes. */
function modelCommit(model: Model, operations: readonly WriteOperation[]): Outcome {
  for (const operation of operations) {
    const current = model.get(operation.collection)?.get(operation.id);
    if (operation.op === 'insert') {
      if (current) return { ok: false, code: 'conflict' };
    } else if (!current) {
      return { ok: false, code: 'not_found' };
    } else if (
      operation.expectedVersion !== undefined &&
      operation.expectedVersion !== current.version
    ) {
      return { ok: false, code: 'conflict' };
    }
  }
  const written: unknown[] = [];
  for (const operation of operations) {
    let records = model.get(operation.collection);
    if (!records) model.set(operation.collection, (records = new Map()));
    if (operation.op === 'delete') {
      records.delete(operation.id);
      continue;
    }
    const version = operation.op === 'insert' ? 1 : (records.get(operation.id)?.version ?? 0) + 1;
    records.set(operation.id, { version, value: operation.value });
    written.push({ id: operation.id, version, value: operation.value });
  }
  return { ok: true, value: written };
}

async function outcome(promise: Promise<StoredRecord[]>): Promise<Outcome> {
  try {
    return { ok: true, value: (await promise).map(plain) };
  } catch (error) {
    return { ok: false, code: String((error as { code?: unknown }).code) };
  }
}

/** Registers the model-based sequences. */
export function describeModel(store: CurrentStore, seeds: readonly number[], steps: number): void {
  describe('random operation sequences', () => {
    it.each(seeds)('matches the model at every step (seed %i)', async (seed) => {
      const next = random(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
      const model: Model = new Map();
      const versionOf = (collection: string, id: string) => {
        const known = model.get(collection)?.get(id)?.version ?? 1;
        // Mostly the right version, sometimes a stale or future one.
        const roll = next();
        return roll < 0.7 ? known : roll < 0.85 ? Math.max(1, known - 1) : known + 1;
      };
      const operation = (used: Set<string>): WriteOperation | undefined => {
        const collection = pick(COLLECTIONS);
        const id = pick(IDS);
        if (used.has(`${collection}/${id}`)) return undefined;
        used.add(`${collection}/${id}`);
        const value = { seed, n: Math.floor(next() * 1000), tags: next() < 0.5 ? [] : ['t'] };
        const kind = pick(['insert', 'replace', 'delete', 'delete-any'] as const);
        if (kind === 'insert') return { op: 'insert', collection, id, value };
        if (kind === 'replace') {
          return {
            op: 'replace',
            collection,
            id,
            value,
            expectedVersion: versionOf(collection, id),
          };
        }
        if (kind === 'delete') {
          return { op: 'delete', collection, id, expectedVersion: versionOf(collection, id) };
        }
        return { op: 'delete', collection, id };
      };

      for (let step = 0; step < steps; step++) {
        const used = new Set<string>();
        const batch = Array.from({ length: next() < 0.7 ? 1 : 2 + Math.floor(next() * 3) }, () =>
          operation(used),
        ).filter((op): op is WriteOperation => op !== undefined);
        const expected = modelCommit(model, batch);
        const single = batch.length === 1 ? batch[0] : undefined;
        let actual: Outcome;
        if (single && next() < 0.5) {
          // The single-record methods must behave exactly like a one-operation commit.
          const s = store();
          actual = await outcome(
            single.op === 'insert'
              ? s.insert(single.collection, single.id, single.value).then((r) => [r])
              : single.op === 'replace'
                ? s
                    .replace(single.collection, single.id, single.value, single.expectedVersion)
                    .then((r) => [r])
                : s.delete(single.collection, single.id, single.expectedVersion).then(() => []),
          );
        } else {
          actual = await outcome(store().commit(batch));
        }
        expect({ step, batch, outcome: actual }).toEqual({ step, batch, outcome: expected });
        if (step % 10 === 9 || step === steps - 1) {
          for (const collection of COLLECTIONS) {
            const records = [
              ...(model.get(collection) ?? new Map<string, { version: number; value: unknown }>()),
            ];
            expect((await store().list(collection)).map(plain)).toEqual(
              records.map(([id, record]) => ({ id, ...record })),
            );
          }
        }
      }
    });
  });
}
