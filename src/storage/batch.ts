/**
 * Checking and applying write batches, shared by `MemoryStore` and `FileStore` so both
 * enforce the same rules with the same messages.
 *
 * A batch goes through three steps: {@link normaliseBatch} checks its shape and makes
 * frozen copies of the values (argument errors), {@link planBatch} checks it against the
 * current data (conflicts and missing records) and {@link applyPlan} writes it. Nothing
 * is written until the first two steps have passed for every operation, which is what
 * makes `commit` all-or-nothing.
 *
 * @internal
 * @module
 */
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors.js';
import { frozenJsonCopy } from './json-value.js';
import type { StoredRecord, WriteOperation } from './store.js';

/** Every collection of a store: name → (id → record), each map in insertion order. */
export type Collections = Map<string, Map<string, StoredRecord>>;

/** A write whose arguments are checked and whose value is a frozen JSON copy. */
export interface CheckedWrite {
  readonly op: 'insert' | 'replace' | 'delete';
  readonly collection: string;
  readonly id: string;
  readonly value: unknown;
  readonly expectedVersion: number | undefined;
  /** Prefix for messages: `''` for a single call, `operations/2: ` inside a batch. */
  readonly where: string;
}

/** What a checked write does: the record to store, or `undefined` to delete. */
export interface PlannedWrite {
  readonly collection: string;
  readonly id: string;
  readonly record: StoredRecord | undefined;
}

/** @throws {@link InvalidArgumentError} unless `name` is a non-empty string */
export function checkCollection(name: unknown, pointer = '/collection'): string {
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError(pointer, `${pointer} must be a non-empty string`);
  }
  return name;
}

/** @throws {@link InvalidArgumentError} unless `id` is a non-empty string */
export function checkId(id: unknown, pointer = '/id'): string {
  if (typeof id !== 'string' || id === '') {
    throw new InvalidArgumentError(pointer, `${pointer} must be a non-empty string`);
  }
  return id;
}

/** @throws {@link InvalidArgumentError} unless `version` is a positive safe integer */
export function checkVersion(version: unknown, pointer = '/expectedVersion'): number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new InvalidArgumentError(pointer, `${pointer} must be a positive integer`);
  }
  return version;
}

/**
 * Checks the shape of one operation and copies its value.
 *
 * @param base - JSON pointer of the operation in the caller's arguments (`''` for a
 *   single-record call, `/operations/2` in a batch)
 */
export function checkWrite(operation: unknown, base: string, where: string): CheckedWrite {
  if (typeof operation !== 'object' || operation === null) {
    throw new InvalidArgumentError(base, `${base} must be an operation object`);
  }
  const op = operation as Partial<
    Record<keyof WriteOperation | 'value' | 'expectedVersion', unknown>
  >;
  if (op.op !== 'insert' && op.op !== 'replace' && op.op !== 'delete') {
    throw new InvalidArgumentError(
      `${base}/op`,
      `${base}/op must be "insert", "replace" or "delete"`,
    );
  }
  const collection = checkCollection(op.collection, `${base}/collection`);
  const id = checkId(op.id, `${base}/id`);
  let expectedVersion: number | undefined;
  if (op.op === 'replace' || op.expectedVersion !== undefined) {
    expectedVersion = checkVersion(op.expectedVersion, `${base}/expectedVersion`);
  }
  const value = op.op === 'delete' ? undefined : frozenJsonCopy(op.value, `${base}/value`);
  return { op: op.op, collection, id, value, expectedVersion, where };
}

/**
 * Checks every operation of a batch. Two operations on the same record are refused:
 * their combined meaning (which version does the second one expect?) is ambiguous, and
 * every caller can express its intent with one operation per record.
 *
 * @throws {@link InvalidArgumentError} on the first malformed operation
 */
export function normaliseBatch(operations: unknown): CheckedWrite[] {
  if (!Array.isArray(operations)) {
    throw new InvalidArgumentError('/operations', '/operations must be an array');
  }
  const seen = new Map<string, number>();
  return operations.map((operation: unknown, index) => {
    const base = `/operations/${index}`;
    const write = checkWrite(operation, base, `operations/${index}: `);
    // The NUL separator cannot make two different (collection, id) pairs collide because
    // the collection part is JSON-quoted.
    const key = `${JSON.stringify(write.collection)}\u0000${write.id}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InvalidArgumentError(
        base,
        `${base} targets ${describe(write.collection, write.id)} like /operations/${first}; ` +
          'a batch may touch each record once',
      );
    }
    seen.set(key, index);
    return write;
  });
}

/**
 * Checks checked writes against the current data, without changing it.
 *
 * @throws {@link ConflictError} on an existing id for insert or a stale version
 * @throws {@link NotFoundError} when a replaced or deleted record is absent
 */
export function planBatch(writes: readonly CheckedWrite[], data: Collections): PlannedWrite[] {
  return writes.map((write) => {
    const current = data.get(write.collection)?.get(write.id);
    const name = describe(write.collection, write.id);
    if (write.op === 'insert') {
      if (current) throw new ConflictError(`${write.where}${name} already exists`);
      return { collection: write.collection, id: write.id, record: record(write, 1) };
    }
    if (!current) throw new NotFoundError(`${write.where}${name} does not exist`);
    if (write.expectedVersion !== undefined && write.expectedVersion !== current.version) {
      throw new ConflictError(
        `${write.where}${name} is at version ${current.version}, not ${write.expectedVersion}: ` +
          'it changed since it was read; read it again and retry',
      );
    }
    return {
      collection: write.collection,
      id: write.id,
      record: write.op === 'replace' ? record(write, current.version + 1) : undefined,
    };
  });
}

/**
 * Applies a plan. With `copyOnWrite` the touched collections are copied first and a new
 * top-level map is returned, leaving `data` as it was (FileStore only adopts the result
 * once the file is safely written); otherwise `data` is changed in place and returned.
 * A replaced record keeps its position; an inserted one goes last.
 */
export function applyPlan(
  plan: readonly PlannedWrite[],
  data: Collections,
  copyOnWrite: boolean,
): Collections {
  const result: Collections = copyOnWrite ? new Map(data) : data;
  const copied = new Set<string>();
  for (const { collection, id, record: written } of plan) {
    let records = result.get(collection);
    if (copyOnWrite && records && !copied.has(collection)) {
      records = new Map(records);
      result.set(collection, records);
    }
    copied.add(collection);
    if (written) {
      if (!records) {
        records = new Map();
        result.set(collection, records);
      }
      records.set(id, written);
    } else if (records) {
      records.delete(id);
      if (records.size === 0) result.delete(collection);
    }
  }
  return result;
}

/** The records a plan wrote, in operation order (deletes write none). */
export function writtenRecords(plan: readonly PlannedWrite[]): StoredRecord[] {
  const written: StoredRecord[] = [];
  for (const step of plan) if (step.record) written.push(step.record);
  return written;
}

/** How messages name a record: `clients/"abc"` (the id quoted, as it may hold anything). */
export function describe(collection: string, id: string): string {
  return `${collection}/${JSON.stringify(id)}`;
}

function record(write: CheckedWrite, version: number): StoredRecord {
  return Object.freeze({ id: write.id, version, value: write.value });
}
