/**
 * Copying values into a store as deep-frozen JSON.
 *
 * Stores hand the same record object to every reader, so it must be immutable: a caller
 * that mutated a returned value would otherwise change what everyone else reads. Freezing
 * once on write (≈ 4–5 µs for a typical client record) makes `get` a plain map lookup
 * (≈ 10 ns), where cloning on every read would cost ≈ 4–10 µs with `structuredClone` or
 * a JSON round trip. Measurements in docs/storage.md.
 *
 * The copy also pins the stored shape to what JSON can hold, so `MemoryStore` and
 * `FileStore` (and adapters that pass the conformance suite) return exactly the same data
 * for the same input instead of `FileStore` silently turning a `Date` into a string.
 *
 * An object or array in a list that an earlier copy made (as an item of a list) is already
 * deep-frozen JSON, so it is taken as it is rather than copied again: a record that is a
 * list read before with one more entry (the per-user session index) costs the new entry
 * and the list, not every entry again. Only list items are remembered, so other records
 * pay nothing for it. The value itself is always a new object, so a new record never has
 * the identity of an old one.
 *
 * @internal
 * @module
 */
import { freezeAsJson, frozenJsonHeight } from '../lib/frozen-json.js';
import { escapePointer } from '../lib/json-pointer.js';
import { setOwn } from '../lib/set-own.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * Nesting deeper than this is refused: the copy, `JSON.stringify` and `deepFreeze` are
 * recursive, and a hostile value must not be able to overflow the stack.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * A deep-frozen copy of `value`, which must be a JSON value: a plain object, array,
 * string, finite number, boolean or `null`. Object properties whose value is `undefined`
 * are dropped, as `JSON.stringify` does; `-0` becomes `0`.
 *
 * @param value - what the caller wants to store
 * @param pointer - JSON pointer of `value` in the caller's arguments, used in errors
 * @throws {@link InvalidArgumentError} at the pointer of the first non-JSON part
 */
export function frozenJsonCopy(value: unknown, pointer: string): unknown {
  if (value === undefined) {
    throw new InvalidArgumentError(pointer, `${pointer} must be a JSON value, got undefined`);
  }
  return copy(value, pointer, new Set(), 0, false);
}

/**
 * `value` itself when it is registered as deep-frozen JSON (an audit event appended to a
 * store's log), else {@link frozenJsonCopy}'s copy. For values whose identity does not
 * matter, such as log entries; a record's value is always a new object.
 *
 * @throws {@link InvalidArgumentError} at the pointer of the first non-JSON part
 */
export function frozenJsonValue(value: unknown, pointer: string): unknown {
  if (typeof value === 'object' && value !== null) {
    const height = frozenJsonHeight(value);
    if (height !== undefined && height < MAX_JSON_DEPTH) return value;
  }
  return frozenJsonCopy(value, pointer);
}

/** The height of the object {@link copyObject} returned last (0 after a leaf). */
let madeHeight = 0;

function copy(
  value: unknown,
  pointer: string,
  ancestors: Set<object>,
  depth: number,
  listItem: boolean,
): unknown {
  madeHeight = 0;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new InvalidArgumentError(
          pointer,
          `${pointer} must be a finite number (JSON has no ${String(value)})`,
        );
      }
      // JSON writes -0 as 0; normalising here keeps every store returning the same thing.
      return value === 0 ? 0 : value;
    case 'object':
      if (value === null) return null;
      return copyObject(value, pointer, ancestors, depth, listItem);
    default:
      throw new InvalidArgumentError(
        pointer,
        `${pointer} must be a JSON value; a ${typeof value} cannot be stored`,
      );
  }
}

function copyObject(
  value: object,
  pointer: string,
  ancestors: Set<object>,
  depth: number,
  listItem: boolean,
): unknown {
  // Copies register the objects they make as list items (see frozen-json.ts), so a later
  // copy can reuse one where the depth limit still holds.
  const made = listItem ? frozenJsonHeight(value) : undefined;
  if (made !== undefined && depth + made < MAX_JSON_DEPTH) {
    madeHeight = made;
    return value;
  }
  if (depth >= MAX_JSON_DEPTH) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} is nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  if (ancestors.has(value)) {
    throw new InvalidArgumentError(pointer, `${pointer} refers back to itself (a cycle)`);
  }
  ancestors.add(value);
  let result: unknown[] | Record<string, unknown>;
  let below = -1; // the height of the tallest object inside, -1 when there is none
  if (Array.isArray(value)) {
    result = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (isPlainLeaf(item)) {
        result[index] = item === 0 ? 0 : item;
        continue;
      }
      const at = `${pointer}/${index}`;
      // JSON would write a hole or `undefined` as null: refuse rather than change the data.
      if (item === undefined) {
        throw new InvalidArgumentError(at, `${at} is undefined; arrays must hold JSON values`);
      }
      result[index] = copy(item, at, ancestors, depth + 1, true);
      if (madeHeight > below) below = madeHeight;
    }
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: unknown } }).constructor?.name;
      throw new InvalidArgumentError(
        pointer,
        `${pointer} must be a plain object, got ${typeof kind === 'string' ? kind : 'an instance'}` +
          ' (store its JSON form instead, e.g. an ISO string for a Date)',
      );
    }
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      // Leaves need no pointer unless they fail, so the pointer is only built for the rest.
      let copied: unknown;
      if (isPlainLeaf(item)) {
        copied = item === 0 ? 0 : item;
      } else {
        copied = copy(item, `${pointer}/${escapePointer(key)}`, ancestors, depth + 1, false);
        if (madeHeight > below) below = madeHeight;
      }
      setOwn(object, key, copied);
    }
    result = object;
  }
  ancestors.delete(value);
  madeHeight = below + 1;
  return listItem ? freezeAsJson(result, madeHeight) : Object.freeze(result);
}

/** A string, boolean, `null` or finite number: stored as it is (`-0` becomes `0`). */
function isPlainLeaf(value: unknown): value is string | boolean | number | null {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * Freezes, in place, a value that came from `JSON.parse` (so it is already a fresh,
 * private JSON value and needs no copy).
 *
 * @returns `false` when it is nested deeper than {@link MAX_JSON_DEPTH}
 */
export function deepFreezeParsed(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_JSON_DEPTH) return false;
  for (const item of Object.values(value)) {
    if (!deepFreezeParsed(item, depth + 1)) return false;
  }
  Object.freeze(value);
  return true;
}

export { escapePointer };
