/**
 * The objects and arrays known to be deep-frozen JSON data: plain objects and arrays of
 * strings, finite numbers, booleans and `null` (no `undefined`, no `-0`), frozen at every
 * level. Code that makes such a value freezes it here, with its height (levels of objects
 * below it), and a store that would copy it to freeze it may take it as it is instead.
 *
 * Used by the store's own copies (`frozenJsonCopy`, for list items) and by the audit
 * trail (every event it records), so a record that lists a stored item again, and an
 * event appended to the store's log, are not copied a second time.
 *
 * The height is a private field of the object itself rather than an entry of a `WeakMap`:
 * a `WeakMap` keeps a slot for every key until a full garbage collection finds it dead, so
 * under load (an audit event for every request) its table grew to 2 MiB between two
 * collections. A private field costs one property slot, is invisible to `Object.keys`,
 * `JSON.stringify`, `structuredClone` and equality checks, and dies with its object.
 *
 * @internal
 * @module
 */

/** A base class whose constructor returns its argument, so a subclass's fields land on it. */
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a constructor is its job
class Adopt {
  constructor(target: object) {
    return target;
  }
}

/** Adds the private `#height` field to an existing object (`new FrozenJson(value, h)`). */
class FrozenJson extends Adopt {
  readonly #height: number;

  constructor(target: object, height: number) {
    super(target);
    this.#height = height;
  }

  static heightOf(value: object): number | undefined {
    return #height in value ? (value as FrozenJson).#height : undefined;
  }
}

/**
 * Freezes `value`, whose maker guarantees that everything below it is deep-frozen JSON
 * `height` levels tall, and registers it as such. `value` must not be frozen yet (a
 * private field cannot be added to a frozen object in every JavaScript engine) nor
 * registered already.
 */
export function freezeAsJson<T extends object>(value: T, height: number): Readonly<T> {
  new FrozenJson(value, height);
  return Object.freeze(value);
}

/** The height `value` was registered with, or `undefined` when it was not. */
export function frozenJsonHeight(value: object): number | undefined {
  return FrozenJson.heightOf(value);
}
