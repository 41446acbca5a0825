/**
 * Auth0 fields the library stores but does not interpret ("pass-through" fields): each
 * API and connection field of that kind has one {@link PassThroughRule} in a table
 * (`API_PASS_THROUGH_FIELDS` in `api.ts`, `CONNECTION_PASS_THROUGH_FIELDS` in
 * `connection.ts`), and everything here reads those tables: the type and size check, the
 * deep-frozen copy a returned object holds, and the redaction of secret fields when it is
 * printed or serialised.
 *
 * @internal
 * @module
 */
import { REDACTED } from '../lib/redact.js';
import { setOwn } from '../lib/set-own.js';
import { labelOf, oneOf } from '../client/messages.js';
import type { JsonValue } from '../client/settings.js';
import type { Issue } from '../errors.js';
import { checkString, pointerOf } from './input-checks.js';

/** A JSON type a pass-through value may have (`integer`: a number without a fraction). */
export type JsonTypeName = 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** How one pass-through field (or one entry or member of it) is checked and kept. */
export interface PassThroughRule {
  /** The JSON types the value may have. */
  readonly types: readonly JsonTypeName[];
  /** Strings: fewest code points. */
  readonly minLength?: number;
  /** Strings: most code points. */
  readonly maxLength?: number;
  /** Integers: smallest value. */
  readonly minimum?: number;
  /** Integers: largest value. */
  readonly maximum?: number;
  /** Arrays: most entries. */
  readonly maxItems?: number;
  /** Objects: most members. */
  readonly maxProperties?: number;
  /** Arrays and objects: most characters of their JSON. */
  readonly maxJsonLength?: number;
  /** Arrays: the rule of every entry; objects: the rule of every member's value. */
  readonly each?: PassThroughRule;
  /**
   * Read-only in Auth0 (found in Management API responses and exports): accepted on create
   * after its check and dropped from the value; in a patch, a `read_only` issue with this
   * message.
   */
  readonly readOnly?: string;
  /** A secret: readable on the returned object, `[redacted]` wherever it is printed. */
  readonly secret?: boolean;
  /** A further rule for a value of the right type: the reason (completing "<field> …"). */
  readonly refine?: (value: JsonValue) => string | undefined;
}

/** Field name → its rule; the table's order is the order of the fields on returned objects. */
export type PassThroughTable = Readonly<Record<string, PassThroughRule>>;

/** The accepted pass-through values of an input, as JSON data. */
export type PassThroughValues = Record<string, JsonValue>;

const TYPE_PHRASES: Readonly<Record<JsonTypeName, string>> = {
  string: 'a string',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** Kept fields per table, computed once: returned objects are built on hot paths. */
const STORED = new WeakMap<PassThroughTable, readonly string[]>();

/** The fields of `table` the library keeps (not read-only), in table order. */
export function storedFields(table: PassThroughTable): readonly string[] {
  let fields = STORED.get(table);
  if (fields === undefined) {
    fields = Object.freeze(
      Object.keys(table).filter((field) => table[field]?.readOnly === undefined),
    );
    STORED.set(table, fields);
  }
  return fields;
}

/** Every field of `table` (read-only ones included): what an input may carry. */
export function acceptedFields(table: PassThroughTable): string[] {
  return Object.keys(table);
}

/** Field → `read_only` message, for the read-only fields of `table` (refused in patches). */
export function readOnlyMessages(table: PassThroughTable): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const [field, rule] of Object.entries(table)) {
    if (rule.readOnly !== undefined) messages[field] = rule.readOnly;
  }
  return messages;
}

/**
 * Checks the pass-through fields present in `input` (a JSON copy) against `table` and
 * returns the valid ones the library keeps. Read-only fields are checked and dropped on
 * create, and skipped in a patch (where `checkProperties` reports them as `read_only`).
 *
 * @param input - the copied input
 * @param table - the field rules
 * @param partial - whether `input` is a patch
 * @param issues - where problems go, one per problem, at its JSON pointer
 */
export function checkPassThrough(
  input: Readonly<Record<string, unknown>>,
  table: PassThroughTable,
  partial: boolean,
  issues: Issue[],
): PassThroughValues {
  const kept: PassThroughValues = {};
  for (const field of Object.keys(input)) {
    if (!Object.hasOwn(table, field)) continue;
    const rule = table[field];
    const value = input[field];
    if (rule === undefined || value === undefined) continue;
    if (partial && rule.readOnly !== undefined) continue;
    if (checkValue(value, rule, pointerOf(field), issues) && rule.readOnly === undefined) {
      setOwn(kept, field, value as JsonValue);
    }
  }
  return kept;
}

function checkValue(value: unknown, rule: PassThroughRule, pointer: string, issues: Issue[]) {
  const label = labelOf(pointer);
  const type = jsonTypeOf(value);
  if (
    !rule.types.some((allowed) => allowed === type || (allowed === 'integer' && type === 'number'))
  ) {
    issues.push({
      path: pointer,
      code: 'invalid_type',
      message: `${label} must be ${oneOf(rule.types.map((name) => TYPE_PHRASES[name]))} (got ${type})`,
    });
    return false;
  }
  const before = issues.length;
  switch (type) {
    case 'number':
      checkInteger(value as number, rule, pointer, issues);
      break;
    case 'string':
      checkString(
        value,
        pointer,
        { min: rule.minLength ?? 0, max: rule.maxLength ?? Number.MAX_SAFE_INTEGER },
        issues,
      );
      break;
    case 'array':
    case 'object':
      checkContainer(value as object, rule, pointer, issues);
      break;
    default:
      break;
  }
  if (issues.length > before) return false;
  const reason = rule.refine?.(value as JsonValue);
  if (reason !== undefined) {
    issues.push({ path: pointer, code: 'invalid_value', message: `${label} ${reason}` });
    return false;
  }
  return true;
}

function checkInteger(value: number, rule: PassThroughRule, pointer: string, issues: Issue[]) {
  const min = rule.minimum ?? Number.MIN_SAFE_INTEGER;
  const max = rule.maximum ?? Number.MAX_SAFE_INTEGER;
  if (Number.isInteger(value) && value >= min && value <= max) return;
  const range =
    rule.minimum === undefined && rule.maximum === undefined ? '' : ` from ${min} to ${max}`;
  issues.push({
    path: pointer,
    code: 'out_of_range',
    // A secret is never quoted back, whatever its type.
    message: `${labelOf(pointer)} must be an integer${range}${rule.secret ? '' : ` (got ${value})`}`,
  });
}

function checkContainer(value: object, rule: PassThroughRule, pointer: string, issues: Issue[]) {
  const label = labelOf(pointer);
  const entries = Array.isArray(value)
    ? value.map((item: unknown, index) => [String(index), item] as const)
    : Object.entries(value);
  const limit = Array.isArray(value) ? rule.maxItems : rule.maxProperties;
  if (limit !== undefined && entries.length > limit) {
    issues.push({
      path: pointer,
      code: Array.isArray(value) ? 'too_many_items' : 'too_many_properties',
      message: `${label} must have at most ${limit} ${Array.isArray(value) ? 'entries' : 'members'} (got ${entries.length})`,
    });
    return;
  }
  if (rule.maxJsonLength !== undefined) {
    const length = JSON.stringify(value).length;
    if (length > rule.maxJsonLength) {
      issues.push({
        path: pointer,
        code: 'too_large',
        message: `${label} must be at most ${rule.maxJsonLength} characters as JSON (got ${length})`,
      });
      return;
    }
  }
  const each = rule.each;
  if (each === undefined) return;
  for (const [key, item] of entries) {
    checkValue(item, each, `${pointer}${pointerOf(key)}`, issues);
  }
}

/** The JSON type of a value read by `jsonSnapshot` (so only JSON values occur). */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Deep-frozen copies of the pass-through fields `record` holds (kept ones only, in table
 * order), so a returned object shares nothing with the store.
 */
export function frozenPassThrough(record: object, table: PassThroughTable): PassThroughValues {
  const out: PassThroughValues = {};
  for (const field of storedFields(table)) {
    if (!Object.hasOwn(record, field)) continue;
    const value = (record as Record<string, unknown>)[field];
    if (value !== undefined) setOwn(out, field, deepFrozenCopy(value));
  }
  return out;
}

/**
 * A mutable JSON copy of `values` with the secret fields of `table` replaced by
 * `[redacted]`: what `toJSON()` and `util.inspect` show.
 */
export function redactedPassThrough(values: object, table: PassThroughTable): PassThroughValues {
  const out: PassThroughValues = {};
  for (const field of storedFields(table)) {
    if (!Object.hasOwn(values, field)) continue;
    const value = (values as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const secret = table[field]?.secret === true && value !== null;
    setOwn(out, field, secret ? REDACTED : (structuredClone(value) as JsonValue));
  }
  return out;
}

/** A deep copy of JSON data, every object and array in it frozen. */
export function deepFrozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(deepFrozenCopy)) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwn(out, key, deepFrozenCopy((value as Record<string, unknown>)[key]));
  }
  return Object.freeze(out) as T;
}
