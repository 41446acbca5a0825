/**
 * Turns any input into a plain JSON-like copy before validation reads it, so nothing
 * downstream (ajv, the rules, normalisation) ever touches a hostile object: getters run
 * exactly once and a throwing one becomes an issue, cycles and runaway nesting stop,
 * proxies whose traps throw are reported, and values JSON cannot hold are refused. The
 * copy also makes the check-then-use safe: a getter cannot return one value to the check
 * and another to the result.
 */
import { escapePointer } from '../lib/json-pointer.js';
import { setOwn } from '../lib/set-own.js';
import type { Issue } from '../errors.js';
import { describeValue, labelOf } from './messages.js';

/** Deepest nesting read; client settings need a handful of levels. */
export const MAX_DEPTH = 64;
/** Longest array read; every list setting allows far fewer entries. */
export const MAX_ARRAY_ENTRIES = 10_000;
/**
 * Most values read in total. Bounds the work on inputs that share one object many times
 * (a DAG of depth 64 with two references per level would otherwise take 2^64 steps).
 */
export const MAX_VALUES = 200_000;

interface Context {
  readonly issues: Issue[];
  /** Objects from the root down to the value being copied (depth ≤ MAX_DEPTH). */
  readonly ancestors: object[];
  /**
   * Reference tokens from the root to the value being copied. The pointer string is only
   * built when an issue needs it, which keeps the common path free of string building.
   */
  readonly tokens: (string | number)[];
  /** Values read so far. */
  count: number;
}

/** The copy and what made parts of it unreadable. */
export interface JsonSnapshot {
  /** The copy: plain objects, arrays, strings, finite numbers, booleans and null. */
  readonly value: unknown;
  /** One issue per unreadable or non-JSON part; that part is `null` in the copy. */
  readonly issues: Issue[];
}

/** Copies `input` (see the module comment). Never throws. */
export function jsonSnapshot(input: unknown): JsonSnapshot {
  const context: Context = { issues: [], ancestors: [], tokens: [], count: 0 };
  const value = copy(input, context);
  return { value, issues: context.issues };
}

export { escapePointer };

function copy(value: unknown, context: Context): unknown {
  if (++context.count > MAX_VALUES) {
    // Report once, where the budget ran out; everything after it is simply not read.
    if (context.count !== MAX_VALUES + 1) return null;
    return refuse(context, 'too_large', `makes the input exceed ${MAX_VALUES} values`);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      return refuse(context, 'invalid_type', `must be a finite number (got ${String(value)})`);
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return refuse(context, 'invalid_type', `must be a JSON value (got ${typeof value})`);
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  const { ancestors } = context;
  if (ancestors.includes(object)) {
    return refuse(context, 'circular', 'must not contain itself (circular structure)');
  }
  if (ancestors.length >= MAX_DEPTH) {
    return refuse(context, 'too_deep', `must not be nested more than ${MAX_DEPTH} levels deep`);
  }
  let isArray: boolean;
  let isPlain: boolean;
  try {
    isArray = Array.isArray(object);
    isPlain = isArray || isPlainObject(object);
  } catch {
    return refuse(context, 'unreadable', 'could not be read (the object threw when inspected)');
  }
  if (!isPlain) {
    return refuse(
      context,
      'invalid_type',
      `must be a plain JSON value (got ${describeValue(object)})`,
    );
  }
  ancestors.push(object);
  try {
    return isArray
      ? copyArray(object as unknown[], context)
      : copyObject(object as Record<string, unknown>, context);
  } finally {
    ancestors.pop();
  }
}

function copyArray(array: unknown[], context: Context): unknown {
  let length: number;
  try {
    length = array.length;
  } catch {
    return refuse(context, 'unreadable', 'could not be read (its length threw)');
  }
  if (length > MAX_ARRAY_ENTRIES) {
    return refuse(
      context,
      'too_many_items',
      `must have at most ${MAX_ARRAY_ENTRIES} entries to be read (got ${length})`,
    );
  }
  const { tokens } = context;
  const out: unknown[] = new Array<unknown>(length);
  for (let i = 0; i < length; i++) {
    tokens.push(i);
    let item: unknown;
    try {
      item = array[i];
    } catch {
      out[i] = refuse(context, 'unreadable', 'could not be read (its getter threw)');
      tokens.pop();
      continue;
    }
    out[i] = copy(item, context);
    tokens.pop();
  }
  return out;
}

function copyObject(object: Record<string, unknown>, context: Context): unknown {
  let keys: string[];
  try {
    keys = Object.keys(object);
  } catch {
    return refuse(context, 'unreadable', 'could not be read (listing its keys threw)');
  }
  const { tokens } = context;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    let item: unknown;
    try {
      item = object[key];
    } catch {
      tokens.push(key);
      setOwn(out, key, refuse(context, 'unreadable', 'could not be read (its getter threw)'));
      tokens.pop();
      continue;
    }
    // Like JSON.stringify: an own property set to undefined is the same as an absent one.
    if (item === undefined) continue;
    if (typeof item !== 'string' && typeof item !== 'boolean') {
      tokens.push(key);
      item = copy(item, context);
      tokens.pop();
    }
    setOwn(out, key, item);
  }
  return out;
}

/** Plain objects only (any realm's `Object.prototype`, or none): never class instances. */
function isPlainObject(object: object): boolean {
  const proto: unknown = Object.getPrototypeOf(object);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** The JSON pointer of the value being copied. */
function pointer(context: Context): string {
  let path = '';
  for (const token of context.tokens) {
    path += `/${typeof token === 'number' ? token : escapePointer(token)}`;
  }
  return path;
}

function refuse(context: Context, code: string, predicate: string): null {
  const path = pointer(context);
  context.issues.push({ path, code, message: `${labelOf(path)} ${predicate}` });
  return null;
}
