/**
 * The listeners of a store's change feed, and the differences between two states of a
 * store (for stores that learn of other writers' changes by reading everything again).
 *
 * @internal
 * @module
 */
import type { Collections } from './batch.js';
import type { ChangeListener, RecordChange, StoreChange, StoredRecord } from './store.js';

/** A set of listeners; a listener that throws never stops the others or the writer. */
export class ChangeHub {
  readonly #listeners = new Set<ChangeListener>();
  readonly #onFirst: (() => void) | undefined;
  readonly #onLast: (() => void) | undefined;

  /**
   * @param onFirst - called when the first listener subscribes (start watching)
   * @param onLast - called when the last listener leaves (stop watching)
   */
  constructor(onFirst?: () => void, onLast?: () => void) {
    this.#onFirst = onFirst;
    this.#onLast = onLast;
  }

  /** True while at least one listener is subscribed. */
  get active(): boolean {
    return this.#listeners.size > 0;
  }

  /**
   * Adds `listener` (a function; the same function twice counts once) and returns its
   * unsubscribe function, which is idempotent.
   */
  add(listener: ChangeListener): () => void {
    const wrapped: ChangeListener = (change) => listener(change);
    this.#listeners.add(wrapped);
    if (this.#listeners.size === 1) this.#onFirst?.();
    return () => {
      if (!this.#listeners.delete(wrapped)) return;
      if (this.#listeners.size === 0) this.#onLast?.();
    };
  }

  /** Sends `changes` to every listener, in order. */
  emit(changes: readonly StoreChange[]): void {
    if (changes.length === 0) return;
    for (const listener of [...this.#listeners]) {
      for (const change of changes) {
        try {
          listener(change);
        } catch {
          // A listener's failure is its own business; the write already happened.
        }
      }
    }
  }
}

/** The record changes that turn `before` into `after` (records compared by version and identity). */
export function diffCollections(before: Collections, after: Collections): RecordChange[] {
  const changes: RecordChange[] = [];
  for (const [collection, records] of after) {
    const old = before.get(collection);
    for (const [id, record] of records) {
      const previous = old?.get(id);
      if (!previous || !sameRecord(previous, record)) {
        changes.push({ collection, id, version: record.version });
      }
    }
  }
  for (const [collection, records] of before) {
    const now = after.get(collection);
    for (const id of records.keys()) {
      if (!now?.has(id)) changes.push({ collection, id, version: 0 });
    }
  }
  return changes;
}

/** The changes a batch made: written records at their version, deletes at 0. */
export function changesOf(
  writes: readonly { collection: string; id: string; record: StoredRecord | undefined }[],
): RecordChange[] {
  return writes.map(({ collection, id, record }) => ({
    collection,
    id,
    version: record ? record.version : 0,
  }));
}

function sameRecord(a: StoredRecord, b: StoredRecord): boolean {
  // A delete and re-insert between two reads brings the version back to where it was, so
  // the version alone does not prove the record unchanged; the value's text does.
  return (
    a === b || (a.version === b.version && JSON.stringify(a.value) === JSON.stringify(b.value))
  );
}
