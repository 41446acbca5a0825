/**
 * One shared instance for values that repeat from request to request: the strings of audit
 * events (a client's `User-Agent`, the audience and scope it asks for, the request path),
 * which a store-backed log keeps 10,000 of. Every request brings its own copy of those
 * strings; without this, each kept event held its own.
 *
 * Bounded: when a table is full it starts over, so values that never repeat (an attacker's
 * random paths) cost churn, never memory.
 *
 * @internal
 * @module
 */

/** A map from string keys that forgets everything once it holds `limit` entries. */
export class BoundedTable<V> {
  #map = new Map<string, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** Stores `value` under `key` and returns it. */
  set(key: string, value: V): V {
    if (this.#map.size >= this.#limit) this.#map = new Map();
    this.#map.set(key, value);
    return value;
  }
}

/** Longer strings are not shared: the table stays small, and long values rarely repeat. */
const MAX_INTERNED_LENGTH = 256;

const STRINGS = new BoundedTable<string>(1024);

/** The first instance seen of a string equal to `value` (`value` itself when it is new). */
export function intern(value: string): string {
  if (value.length > MAX_INTERNED_LENGTH) return value;
  return STRINGS.get(value) ?? STRINGS.set(value, value);
}
