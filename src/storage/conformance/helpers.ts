/**
 * Shared pieces of the store conformance suite (`clientele/testing`).
 *
 * @internal
 * @module
 */
import { expect } from 'vitest';
import type { CollectionName, Store, StoredRecord } from '../store.js';

/** Returns the store under test: a fresh, empty one for every test. */
export type CurrentStore = () => Store;

/** The stable error codes the contract promises, with the class name that carries each. */
export const ERRORS = {
  conflict: 'ConflictError',
  not_found: 'NotFoundError',
  invalid_argument: 'InvalidArgumentError',
} as const;

/**
 * Asserts that `promise` rejects with the library's error of `code`. Compares `code` and
 * `name` rather than `instanceof`, so an adapter built against another copy of
 * clientele passes too.
 */
export async function expectError(
  promise: Promise<unknown>,
  code: keyof typeof ERRORS,
): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code, name: ERRORS[code] });
}

/** The records of `collections` as plain data, to compare a store before and after. */
export async function dump(
  store: Store,
  collections: readonly CollectionName[],
): Promise<Record<string, { id: string; version: number; value: unknown }[]>> {
  const result: Record<string, { id: string; version: number; value: unknown }[]> = {};
  for (const collection of collections) {
    result[collection] = (await store.list(collection)).map(plain);
  }
  return result;
}

/** A record as a plain object (drops any extra properties an adapter may add). */
export function plain(record: StoredRecord): { id: string; version: number; value: unknown } {
  return { id: record.id, version: record.version, value: record.value };
}

/**
 * Tries to change `target` the way careless code would. A store that returns frozen
 * values makes these assignments throw (ignored here); one that returns copies lets them
 * succeed on the copy. Either is fine as long as the stored data does not change.
 */
export function tamper(target: unknown): void {
  const attempts: (() => void)[] = [
    () => {
      (target as Record<string, unknown>)['name'] = 'tampered';
    },
    () => {
      (target as { nested: { list: unknown[] } }).nested.list.push('tampered');
    },
    () => {
      (target as { nested: { count: number } }).nested.count = -1;
    },
    () => {
      delete (target as Record<string, unknown>)['tags'];
    },
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch {
      // Frozen: the store refused the change, which is what we want.
    }
  }
}

/** A fresh sample value with nesting, for the isolation tests. */
export function sampleValue(): {
  name: string;
  nested: { list: string[]; count: number };
  tags: string[];
} {
  return { name: 'original', nested: { list: ['a', 'b'], count: 2 }, tags: ['x'] };
}

/** Asserts that a record was found and returns it. */
export function required<T>(record: T | undefined): T {
  expect(record).toBeDefined();
  return record as T;
}
