/**
 * The objects and arrays known to be deep-frozen JSON data: plain objects and arrays of
 * strings, finite numbers, booleans and `null` (no `undefined`, no `-0`), frozen at every
 * level. Code that makes such a value registers it, with its height (levels of objects
 * below it), and a store that would copy it to freeze it may take it as it is instead.
 *
 * Registered by the store's own copies (`frozenJsonCopy`, for list items) and by the audit
 * trail (every event it records), so a record that lists a stored item again, and an
 * event appended to the store's log, are not copied a second time.
 *
 * @internal
 * @module
 */

const KNOWN = new WeakMap<object, number>();

/** Registers `value`, which its maker guarantees is deep-frozen JSON `height` levels tall. */
export function markFrozenJson<T extends object>(value: T, height: number): T {
  KNOWN.set(value, height);
  return value;
}

/** The height `value` was registered with, or `undefined` when it was not. */
export function frozenJsonHeight(value: object): number | undefined {
  return KNOWN.get(value);
}
