/**
 * How a {@link LogIndex} keeps its values small. An audit event repeats its entry's id
 * (`log_id`) and time (`date`), and the rest of it (type, description, client, audience,
 * scope, `details`) is the same for every token one client gets. Kept as they came, the
 * 10,000 events of a full `/logs` held 2.4 MiB of a server's heap, and V8 grows its old
 * generation to a multiple of what survives: a server under load had 8–10 MiB more
 * resident memory for them (docs/performance.md, "Memory, the fifth round").
 *
 * So a value whose first two fields are its entry's id and its time (as `toISOString`
 * writes it), and whose other fields are those of a recent value (the same names in the
 * same order, and equal values), is kept as a {@link Remainder} that it shares with them.
 * Reading it builds an equal value: the same fields in the same order, deep-frozen, and
 * registered as frozen JSON when the original was. Such an entry costs its id and three
 * array slots.
 *
 * Objects under the fields are usually the same object (the audit trail shares equal
 * `details`, `src/audit/shared-details.ts`); events read back from a FileStore's file
 * have their own, so unequal objects are compared by content, up to {@link MAX_COMPARED}
 * members, beyond which they count as different.
 *
 * Anything else is kept as it is: the lookup is best effort and never changes what a
 * reader gets. Values reach the index deep-frozen (`checkEntries`), so sharing them is
 * safe.
 *
 * @internal
 * @module
 */
import { freezeAsJson, frozenJsonHeight } from '../lib/frozen-json.js';
import { rememberLast } from '../lib/remember-last.js';
import { setOwn } from '../lib/set-own.js';

/** How many recent values a new one is compared with. */
const RECENT = 8;

/** Most members (at every level) two objects under a field are compared by content. */
const MAX_COMPARED = 64;

/** The largest time (ms) a `Date` holds; `toISOString` throws beyond it. */
const MAX_DATE_MS = 8.64e15;

/** The fields a value shares with other entries; its id and time are put back on read. */
export class Remainder {
  /**
   * @param keys - every field name of the value, in order: the id's, the time's, the rest
   * @param rest - the values of `keys[2]`, `keys[3]`, ...
   * @param height - the frozen-JSON height the value was registered with, if it was
   */
  constructor(
    readonly keys: readonly string[],
    readonly rest: readonly unknown[],
    readonly height: number | undefined,
  ) {}

  /** The value of the entry with this id and time. */
  valueFor(id: string, time: number): Readonly<Record<string, unknown>> {
    const { keys, rest } = this;
    const value: Record<string, unknown> = {};
    setOwn(value, keys[0] as string, id);
    setOwn(value, keys[1] as string, isoTime(time));
    for (let i = 2; i < keys.length; i++) setOwn(value, keys[i] as string, rest[i - 2]);
    return this.height === undefined ? Object.freeze(value) : freezeAsJson(value, this.height);
  }
}

/** A value seen recently, and the remainder made once a second one shared it. */
interface Recent {
  readonly keys: readonly string[];
  readonly value: Readonly<Record<string, unknown>>;
  remainder: Remainder | undefined;
}

/** `new Date(ms).toISOString()`, made once for a run of entries of one millisecond. */
const isoTime = rememberLast((ms: number): string | undefined =>
  Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined,
);

/** Packs the values of one log; see the module comment. */
export class LogValues {
  /** The most recent first. */
  readonly #recent: Recent[] = [];

  /** What the index keeps for this entry: a shared {@link Remainder}, or `value` itself. */
  pack(id: string, time: number, value: unknown): unknown {
    if (!isFrozenPlainObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length < 3 || value[keys[0] as string] !== id) return value;
    if (value[keys[1] as string] !== isoTime(time)) return value;
    const recent = this.#recent;
    for (let at = 0; at < recent.length; at++) {
      const candidate = recent[at] as Recent;
      if (!sameRest(candidate, keys, value)) continue;
      if (at > 0) {
        recent.splice(at, 1);
        recent.unshift(candidate);
      }
      candidate.remainder ??= new Remainder(
        candidate.keys,
        Object.freeze(candidate.keys.slice(2).map((key) => candidate.value[key])),
        frozenJsonHeight(candidate.value),
      );
      return candidate.remainder;
    }
    recent.unshift({ keys, value, remainder: undefined });
    if (recent.length > RECENT) recent.pop();
    return value;
  }

  /** The value of the entry with this id, time and packed value. */
  unpack(id: string, time: number, packed: unknown): unknown {
    return packed instanceof Remainder ? packed.valueFor(id, time) : packed;
  }
}

function isFrozenPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.isFrozen(value)
  );
}

/** True when `value` (with these keys) has the fields of `candidate` after the first two. */
function sameRest(
  candidate: Recent,
  keys: readonly string[],
  value: Readonly<Record<string, unknown>>,
): boolean {
  const known = candidate.keys;
  if (known.length !== keys.length || known[0] !== keys[0] || known[1] !== keys[1]) {
    return false;
  }
  let budget = MAX_COMPARED;
  for (let i = 2; i < keys.length && budget >= 0; i++) {
    const key = keys[i] as string;
    if (known[i] !== key) return false;
    budget = sameJson(candidate.value[key], value[key], budget);
  }
  return budget >= 0;
}

/**
 * Compares two deep-frozen JSON values: leaves by `===`, objects and arrays by content
 * (member names in order included) unless they are the same object. Returns the budget
 * left after the members compared, or -1 when the values differ or the budget ran out.
 */
function sameJson(a: unknown, b: unknown, budget: number): number {
  if (a === b) return budget;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return -1;
  if (Array.isArray(a) !== Array.isArray(b)) return -1;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  budget -= keysA.length;
  if (budget < 0 || keysA.length !== keysB.length) return -1;
  const fieldsA = a as Readonly<Record<string, unknown>>;
  const fieldsB = b as Readonly<Record<string, unknown>>;
  for (let i = 0; i < keysA.length && budget >= 0; i++) {
    const key = keysA[i] as string;
    if (keysB[i] !== key) return -1;
    budget = sameJson(fieldsA[key], fieldsB[key], budget);
  }
  return budget;
}
