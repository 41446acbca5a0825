/**
 * The semantic comparison of two normalised objects of one type: key order never matters,
 * a missing value, `null`, `[]` and `{}` all mean "nothing", set-like lists are compared
 * entry by entry (`set-lists.ts`), other lists as a whole, and secrets that one side only
 * stands in for (a keyword placeholder, `[redacted]`) are not compared (`secrets.ts`).
 *
 * @module
 */
import type { JsonObject, JsonValue } from '../client/settings.js';
import { isPlaceholder, isSecretAt } from './secrets.js';
import { SET_LISTS, type SetList } from './set-lists.js';
import type { ChangeKind, DiffObjectType } from './types.js';

/** One difference, before severity and masking: where, and the two values as they are. */
export interface RawChange {
  /** Added, removed or changed. */
  kind: ChangeKind;
  /** Reference tokens of the pointer into the object. */
  tokens: (string | number)[];
  /** The value before (absent when added). */
  before?: JsonValue;
  /** The value after (absent when removed). */
  after?: JsonValue;
  /** The object holding `before` (for masking JWK members). */
  beforeParent?: JsonValue | undefined;
  /** The object holding `after`. */
  afterParent?: JsonValue | undefined;
}

/** Options of {@link compareObjects}. */
export interface CompareOptions {
  /** Top-level fields one side does not state: they are not compared. */
  unstated?: ReadonlySet<string>;
}

/** Every difference between `before` and `after`, two normalised objects of `type`. */
export function compareObjects(
  type: DiffObjectType,
  before: JsonObject,
  after: JsonObject,
  options: CompareOptions = {},
): RawChange[] {
  const changes: RawChange[] = [];
  const lists = SET_LISTS[type];
  const unstated = options.unstated ?? new Set<string>();

  const compare = (
    tokens: (string | number)[],
    a: JsonValue | undefined,
    b: JsonValue | undefined,
    parents: { a?: JsonValue; b?: JsonValue },
  ): void => {
    if (isNothing(a) && isNothing(b)) return;
    const list = lists[listPath(tokens)];
    if (list && (isNothing(a) || Array.isArray(a)) && (isNothing(b) || Array.isArray(b))) {
      compareSet(tokens, asArray(a), asArray(b), list);
      return;
    }
    if (isObjectOrNothing(a) && isObjectOrNothing(b)) {
      const left: JsonObject = isNothing(a) ? {} : a;
      const right: JsonObject = isNothing(b) ? {} : b;
      for (const key of unionOfKeys(left, right)) {
        if (tokens.length === 0 && unstated.has(key)) continue;
        compare([...tokens, key], own(left, key), own(right, key), { a: left, b: right });
      }
      return;
    }
    const secret = isSecretAt(tokens, a ?? b ?? null, parents.a ?? parents.b);
    if (secret && (isPlaceholder(a) || isPlaceholder(b))) return;
    if (isNothing(a)) {
      changes.push({ kind: 'added', tokens, after: b as JsonValue, afterParent: parents.b });
    } else if (isNothing(b)) {
      changes.push({ kind: 'removed', tokens, before: a, beforeParent: parents.a });
    } else if (!sameValue(a, b)) {
      changes.push({
        kind: 'changed',
        tokens,
        before: a,
        after: b,
        beforeParent: parents.a,
        afterParent: parents.b,
      });
    }
  };

  const compareSet = (
    tokens: (string | number)[],
    a: readonly JsonValue[],
    b: readonly JsonValue[],
    list: SetList,
  ): void => {
    const firstIndex = (entries: readonly JsonValue[]) => {
      const index = new Map<string, number>();
      entries.forEach((entry, i) => {
        const identity = list.identify(entry);
        if (!index.has(identity)) index.set(identity, i);
      });
      return index;
    };
    const inA = firstIndex(a);
    const inB = firstIndex(b);
    for (const [identity, i] of inA) {
      if (inB.has(identity)) continue;
      changes.push({ kind: 'removed', tokens: [...tokens, i], before: a[i] as JsonValue });
    }
    for (const [identity, j] of inB) {
      const i = inA.get(identity);
      if (i === undefined) {
        changes.push({ kind: 'added', tokens: [...tokens, j], after: b[j] as JsonValue });
      } else if (list.compareMembers) {
        compare([...tokens, j], a[i], b[j], { a: a as JsonValue, b: b as JsonValue });
      }
    }
  };

  compare([], before, after, {});
  return changes;
}

/** Absent, `null`, `[]` and `{}`: what Auth0 treats as no value. */
export function isNothing(value: JsonValue | undefined): value is undefined | null {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Equal as JSON values, ignoring key order and the difference between kinds of nothing. */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isNothing(a) || isNothing(b)) return isNothing(a) && isNothing(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameValue(item, b[i]))
    );
  }
  if (typeof a === 'object' && typeof b === 'object') {
    return unionOfKeys(a, b).every((key) => sameValue(own(a, key), own(b, key)));
  }
  return a === b;
}

/** The list path of a pointer: its member names without array indices. */
function listPath(tokens: readonly (string | number)[]): string {
  return tokens.filter((token) => typeof token === 'string').join('/');
}

function isObjectOrNothing(value: JsonValue | undefined): value is JsonObject | undefined | null {
  return isNothing(value) || (typeof value === 'object' && !Array.isArray(value));
}

function asArray(value: JsonValue | undefined): readonly JsonValue[] {
  return Array.isArray(value) ? value : [];
}

/** Both objects' keys, each once, sorted, so reports come out in a stable order. */
function unionOfKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function own(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
