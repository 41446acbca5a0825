import { expect } from 'vitest';
import { ValidationError, type Store } from '../../src/index.js';

/** A store that forwards to `base`, with some methods replaced (to stage races and faults). */
export function wrapStore(base: Store, overrides: Partial<Store>): Store {
  return {
    get: (c, id) => base.get(c, id),
    list: (c) => base.list(c),
    insert: (c, id, v) => base.insert(c, id, v),
    replace: (c, id, v, version) => base.replace(c, id, v, version),
    delete: (c, id, version) => base.delete(c, id, version),
    commit: (ops) => base.commit(ops),
    ...overrides,
  };
}

/** Every collection a tenant writes. */
const COLLECTIONS = [
  'clients',
  'connections',
  'apis',
  'grants',
  'registrations',
  'registration_tokens',
  'guards',
  'keys',
];

/** Every record of every collection a tenant writes, versions included, to compare before/after. */
export async function snapshotOf(store: Store) {
  return Object.fromEntries(
    await Promise.all(COLLECTIONS.map(async (c) => [c, await store.list(c)] as const)),
  );
}

/** What `promise` rejected with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** The `[path, code]` pairs of a `ValidationError`. */
export function pathsAndCodes(error: unknown): [string, string][] {
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((issue) => [issue.path, issue.code]);
}
