/**
 * Input checks shared by the API, client-grant and connection validators: reading the
 * input as a plain JSON copy, unknown and read-only properties, bounded strings and lists
 * of unique strings. Every check reports into an issue list and never throws.
 *
 * @internal
 * @module
 */
import { closestName } from '../lib/closest-name.js';
import { escapePointer, jsonSnapshot } from '../client/json-snapshot.js';
import { codePointLength, describeValue, labelOf, oneOf, quote } from '../client/messages.js';
import type { Issue } from '../errors.js';

/** Unknown properties reported one by one; the rest are summed up in one issue. */
const MAX_UNKNOWN_REPORTED = 20;

/** Longest property name that gets a "did you mean" hint (bounds the work per name). */

/**
 * RFC 6749 §3.3 `scope-token = 1*NQCHAR`, `NQCHAR = %x21 / %x23-5B / %x5D-7E`: printable
 * ASCII except space, `"` and `\`.
 */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** What {@link readInput} found: a plain object to check, and any problems reading it. */
export interface ReadInput {
  /** The copied object, or `undefined` when the input is not a plain object. */
  readonly value: Record<string, unknown> | undefined;
  /** Problems found while copying (throwing getters, cycles, non-JSON values). */
  readonly issues: Issue[];
}

/**
 * Copies `input` as plain JSON data (getters run once, cycles and non-JSON values are
 * reported) and requires the root to be a plain object.
 *
 * @param input - anything
 * @param what - how messages name the input at the root (`API`, `connection`)
 */
export function readInput(input: unknown, what: string): ReadInput {
  const snapshot = jsonSnapshot(input);
  const value = snapshot.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return { value: value as Record<string, unknown>, issues: snapshot.issues };
  }
  return {
    value: undefined,
    issues: [
      {
        path: '',
        code: 'invalid_type',
        message: `${what} must be a plain object (got ${describeValue(input)})`,
      },
    ],
  };
}

/** The JSON pointer of a top-level property. */
export function pointerOf(key: string): string {
  return `/${escapePointer(key)}`;
}

/**
 * Reports properties that are read-only (with their own message) or neither in `known` nor
 * in `accepted`. Messages list `known` only (the fields the library interprets); a name
 * within two edits of any accepted one gets a "did you mean" hint.
 *
 * @param value - the copied input
 * @param known - interpreted property names, in the order messages list them
 * @param readOnly - property name → why it cannot be given
 * @param issues - where problems go
 * @param accepted - further property names accepted without being listed (Auth0 fields
 *   passed through unchanged)
 */
export function checkProperties(
  value: Readonly<Record<string, unknown>>,
  known: readonly string[],
  readOnly: Readonly<Record<string, string>>,
  issues: Issue[],
  accepted: readonly string[] = [],
): void {
  let unknown = 0;
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(readOnly, key)) {
      issues.push({ path: pointerOf(key), code: 'read_only', message: readOnly[key] ?? '' });
    } else if (!known.includes(key) && !accepted.includes(key)) {
      unknown++;
      if (unknown <= MAX_UNKNOWN_REPORTED) {
        const suggestion = closestName(key, [...known, ...accepted], (name) =>
          Object.hasOwn(readOnly, name),
        );
        const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
        issues.push({
          path: pointerOf(key),
          code: 'unknown_property',
          message: `${labelOf(pointerOf(key))} is not a known property: use ${oneOf(known)}${hint}`,
        });
      }
    }
  }
  if (unknown > MAX_UNKNOWN_REPORTED) {
    issues.push({
      path: '',
      code: 'unknown_property',
      message: `${unknown - MAX_UNKNOWN_REPORTED} more unknown properties are not listed`,
    });
  }
}

/** Limits of {@link checkString}. */
export interface StringRule {
  /** Fewest code points. */
  readonly min: number;
  /** Most code points. */
  readonly max: number;
  /** Extra rule: returns a reason (completing "<field> must …") when the text breaks it. */
  readonly refine?: (text: string) => string | undefined;
}

/**
 * Checks that `value` is a string within the rule's limits; returns it when it is.
 *
 * @param value - the value at `pointer`
 * @param pointer - where it is in the input
 * @param rule - length limits and an optional extra rule
 * @param issues - where problems go
 */
export function checkString(
  value: unknown,
  pointer: string,
  rule: StringRule,
  issues: Issue[],
): string | undefined {
  const label = labelOf(pointer);
  if (typeof value !== 'string') {
    issues.push({
      path: pointer,
      code: 'invalid_type',
      message: `${label} must be a string (got ${describeValue(value)})`,
    });
    return undefined;
  }
  const length = codePointLength(value);
  if (length < rule.min) {
    issues.push({
      path: pointer,
      code: rule.min === 1 ? 'blank' : 'too_short',
      message:
        rule.min === 1
          ? `${label} must not be empty`
          : `${label} must be at least ${rule.min} characters (got ${length})`,
    });
    return undefined;
  }
  if (length > rule.max) {
    issues.push({
      path: pointer,
      code: 'too_long',
      message: `${label} must be at most ${rule.max} characters (got ${length})`,
    });
    return undefined;
  }
  const reason = rule.refine?.(value);
  if (reason !== undefined) {
    issues.push({ path: pointer, code: 'invalid_format', message: `${label} ${reason}` });
    return undefined;
  }
  return value;
}

/**
 * Checks a list of unique strings (`enabled_clients`, a grant's `scope`); returns the list
 * when every entry is valid.
 *
 * @param value - the value at `pointer`
 * @param pointer - where it is in the input
 * @param maxItems - most entries
 * @param rule - the rule for each entry
 * @param issues - where problems go
 */
export function checkUniqueStrings(
  value: unknown,
  pointer: string,
  maxItems: number,
  rule: StringRule,
  issues: Issue[],
): string[] | undefined {
  const label = labelOf(pointer);
  if (!Array.isArray(value)) {
    issues.push({
      path: pointer,
      code: 'invalid_type',
      message: `${label} must be an array of strings (got ${describeValue(value)})`,
    });
    return undefined;
  }
  if (value.length > maxItems) {
    issues.push({
      path: pointer,
      code: 'too_many_items',
      message: `${label} must have at most ${maxItems} entries (got ${value.length})`,
    });
    return undefined;
  }
  const before = issues.length;
  const seen = new Map<string, number>();
  const out: string[] = [];
  value.forEach((entry: unknown, index) => {
    const at = `${pointer}/${index}`;
    const text = checkString(entry, at, rule, issues);
    if (text === undefined) return;
    const first = seen.get(text);
    if (first !== undefined) {
      issues.push({
        path: at,
        code: 'duplicate',
        message: `${labelOf(at)} ${quote(text)} repeats ${labelOf(`${pointer}/${first}`)}`,
      });
      return;
    }
    seen.set(text, index);
    out.push(text);
  });
  return issues.length === before ? out : undefined;
}

/**
 * Every problem in one list: those found while copying the input first, then the field
 * checks' problems, except those at or inside a part the copy already refused (it reads
 * as `null` there, and one issue per problem is enough).
 */
export function mergeIssues(copyIssues: readonly Issue[], fieldIssues: readonly Issue[]): Issue[] {
  if (copyIssues.length === 0) return [...fieldIssues];
  const refused = copyIssues.map((issue) => issue.path);
  const covered = (path: string) =>
    refused.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  return [...copyIssues, ...fieldIssues.filter((issue) => !covered(issue.path))];
}

/** True when `text` has a C0/C1 control character or a Unicode line/paragraph separator. */
export function hasControlCharacter(text: string): boolean {
  return /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(text);
}
