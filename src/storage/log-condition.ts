/**
 * Conditions on log entries ({@link LogFilter.where}): the store-level form of a log
 * search, independent of any query syntax (`/api/v2/logs` parses Auth0's `q` into one).
 * Checked once per read and compiled into a predicate; PostgresStore also turns them into
 * SQL over its indexes.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/**
 * A condition on a log entry: on the top-level fields of its value (an object), or on its
 * time. Field values are compared as strings (a number or boolean field by its JSON text:
 * `isMobile` `"true"`), case-sensitively; a field that is absent, `null`, an object or an
 * array matches nothing but the negation of a condition.
 */
export type LogCondition =
  | {
      /** Every condition holds (an empty list: always). */
      readonly and: readonly LogCondition[];
    }
  | {
      /** At least one condition holds (an empty list: never). */
      readonly or: readonly LogCondition[];
    }
  | {
      /** The condition does not hold. */
      readonly not: LogCondition;
    }
  | {
      /** The field's name. */
      readonly field: string;
      /** The field's value is exactly this. */
      readonly equals: string;
    }
  | {
      /** The field's name. */
      readonly field: string;
      /**
       * A pattern the value matches as a whole: `*` any run of characters, `?` one, and a
       * backslash makes the character after it literal (`\\*`).
       */
      readonly like: string;
      /** When true, the pattern is matched against each word of the value instead. */
      readonly words?: boolean;
    }
  | {
      /** The field's name. */
      readonly field: string;
      /**
       * These words appear in this order, next to each other, among the value's words
       * (runs of letters and digits).
       */
      readonly phrase: readonly string[];
    }
  | {
      /** The field's name. */
      readonly field: string;
      /** The field holds a string, a number or a boolean. */
      readonly exists: true;
    }
  | {
      /**
       * The entry's time, in whole milliseconds (`Math.trunc(time)`), is at or after
       * `gte` and before `lt` (each integer bound optional).
       */
      readonly time: {
        /** Earliest millisecond included. */
        readonly gte?: number;
        /** First millisecond excluded. */
        readonly lt?: number;
      };
    };

/** A checked condition with its predicate, compiled once. */
export interface CompiledCondition {
  /** The condition, as given (frozen). */
  readonly condition: LogCondition;
  /** Whether an entry's value and time satisfy it. */
  readonly test: (value: unknown, time: number) => boolean;
}

/** How deep conditions may nest, and how many leaves they may have. */
const MAX_DEPTH = 16;
const MAX_LEAVES = 256;
const MAX_TEXT = 1_024;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Splits text into words: runs of letters and digits (any script). */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Checks `where` and compiles it.
 *
 * @throws {@link InvalidArgumentError} at the pointer of the first malformed part
 */
export function compileCondition(where: unknown, pointer: string): CompiledCondition {
  const budget = { leaves: 0 };
  const test = compile(where, pointer, 0, budget);
  return { condition: where as LogCondition, test };
}

/** The words of `text`, as phrases and word patterns see them. */
export function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** A field value as conditions compare it, or `undefined` when it has none. */
export function fieldText(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (!Object.hasOwn(value, field)) return undefined;
  const found = (value as Record<string, unknown>)[field];
  if (typeof found === 'string') return found;
  if (typeof found === 'number' || typeof found === 'boolean') return JSON.stringify(found);
  return undefined;
}

/** `*` in a compiled `like` pattern: any run of characters. */
const ANY = 0;
/** `?` in a compiled `like` pattern: one character. */
const ONE = 1;
/** Surrogates: a string without them indexes its code points by code unit. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of `text`: the string itself where each is one code unit. */
function codePoints(text: string): string | readonly string[] {
  return SURROGATE.test(text) ? Array.from(text) : text;
}

/**
 * A `like` pattern compiled into a matcher of whole values: `*` any run of characters,
 * `?` one (a code point), a backslash makes the character after it literal, and a trailing
 * backslash stands for itself. Matching takes at most (value length × pattern length)
 * steps, however many wildcards the pattern holds (a backtracking regular expression took
 * seconds on `*a*a*a*a*a*!` against a 60-character value).
 */
export function likeMatcher(pattern: string): (value: string) => boolean {
  const tokens: (string | typeof ANY | typeof ONE)[] = [];
  let literal = false;
  for (const char of pattern) {
    if (!literal && char === '\\') literal = true;
    else if (!literal && char === '*') {
      if (tokens.at(-1) !== ANY) tokens.push(ANY);
    } else if (!literal && char === '?') tokens.push(ONE);
    else {
      tokens.push(char);
      literal = false;
    }
  }
  if (literal) tokens.push('\\');
  return (value) => matchesTokens(tokens, codePoints(value));
}

/**
 * The classic wildcard walk: on a mismatch, go back to the last `*` and let it take one
 * more character. Earlier stars never need revisiting, so no step is repeated for them.
 */
function matchesTokens(
  tokens: readonly (string | typeof ANY | typeof ONE)[],
  chars: string | readonly string[],
): boolean {
  let t = 0;
  let c = 0;
  let star = -1;
  let starAt = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token === ANY) {
      star = t++;
      starAt = c;
    } else if (token !== undefined && (token === ONE || token === chars[c])) {
      t++;
      c++;
    } else if (star >= 0) {
      t = star + 1;
      c = ++starAt;
    } else {
      return false;
    }
  }
  while (tokens[t] === ANY) t++;
  return t === tokens.length;
}

type Test = (value: unknown, time: number) => boolean;

function compile(node: unknown, pointer: string, depth: number, budget: { leaves: number }): Test {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new InvalidArgumentError(pointer, `${pointer} must be a condition object`);
  }
  if (depth > MAX_DEPTH) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer}: conditions nest at most ${MAX_DEPTH} deep`,
    );
  }
  const keys = Object.keys(node);
  const record = node as Record<string, unknown>;
  if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
    const key = keys[0];
    const list = record[key];
    if (!Array.isArray(list)) {
      throw new InvalidArgumentError(`${pointer}/${key}`, `${pointer}/${key} must be an array`);
    }
    const parts = list.map((part, index) =>
      compile(part, `${pointer}/${key}/${index}`, depth + 1, budget),
    );
    return key === 'and'
      ? (value, time) => parts.every((part) => part(value, time))
      : (value, time) => parts.some((part) => part(value, time));
  }
  if (keys.length === 1 && keys[0] === 'not') {
    const inner = compile(record.not, `${pointer}/not`, depth + 1, budget);
    return (value, time) => !inner(value, time);
  }
  budget.leaves += 1;
  if (budget.leaves > MAX_LEAVES) {
    throw new InvalidArgumentError(pointer, `conditions hold at most ${MAX_LEAVES} terms`);
  }
  if (keys.length === 1 && keys[0] === 'time') return timeTest(record.time, `${pointer}/time`);
  return fieldTest(record, keys, pointer);
}

function timeTest(bounds: unknown, pointer: string): Test {
  if (typeof bounds !== 'object' || bounds === null || Array.isArray(bounds)) {
    throw new InvalidArgumentError(pointer, `${pointer} must be an object with gte and/or lt`);
  }
  const { gte, lt, ...other } = bounds as Record<string, unknown>;
  const extra = Object.keys(other)[0];
  if (extra !== undefined) {
    throw new InvalidArgumentError(`${pointer}/${extra}`, `${pointer} takes only gte and lt`);
  }
  for (const [name, bound] of [
    ['gte', gte],
    ['lt', lt],
  ] as const) {
    if (bound !== undefined && !Number.isSafeInteger(bound)) {
      throw new InvalidArgumentError(
        `${pointer}/${name}`,
        `${pointer}/${name} must be a whole number of milliseconds`,
      );
    }
  }
  const low = gte as number | undefined;
  const high = lt as number | undefined;
  return (_value, time) => {
    const ms = Math.trunc(time);
    return (low === undefined || ms >= low) && (high === undefined || ms < high);
  };
}

function fieldTest(
  record: Record<string, unknown>,
  keys: readonly string[],
  pointer: string,
): Test {
  const { field } = record;
  if (typeof field !== 'string' || !FIELD.test(field)) {
    throw new InvalidArgumentError(
      `${pointer}/field`,
      `${pointer}/field must be a field name (letters, digits and _)`,
    );
  }
  const operator = keys.find((key) => key !== 'field' && key !== 'words');
  const allowed = operator === 'like' ? ['field', 'like', 'words'] : ['field', operator];
  const stray = keys.find((key) => !allowed.includes(key));
  if (operator === undefined || stray !== undefined) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} must be one of { field, equals }, { field, like, words? }, { field, phrase }, { field, exists: true }, { time }, { and }, { or }, { not }`,
    );
  }
  const operand = record[operator];
  switch (operator) {
    case 'equals': {
      const expected = text(operand, `${pointer}/equals`);
      return (value) => fieldText(value, field) === expected;
    }
    case 'like': {
      const matches = likeMatcher(text(operand, `${pointer}/like`));
      const words = record.words;
      if (words !== undefined && typeof words !== 'boolean') {
        throw new InvalidArgumentError(`${pointer}/words`, `${pointer}/words must be a boolean`);
      }
      return (value) => {
        const found = fieldText(value, field);
        if (found === undefined) return false;
        return words === true ? wordsOf(found).some((word) => matches(word)) : matches(found);
      };
    }
    case 'phrase': {
      if (!Array.isArray(operand) || operand.length === 0) {
        throw new InvalidArgumentError(
          `${pointer}/phrase`,
          `${pointer}/phrase must be a non-empty array of words`,
        );
      }
      const phrase = operand.map((word, index) => text(word, `${pointer}/phrase/${index}`));
      return (value) => {
        const found = fieldText(value, field);
        return found !== undefined && containsRun(wordsOf(found), phrase);
      };
    }
    case 'exists':
      if (operand !== true) {
        throw new InvalidArgumentError(`${pointer}/exists`, `${pointer}/exists must be true`);
      }
      return (value) => fieldText(value, field) !== undefined;
    default:
      throw new InvalidArgumentError(
        `${pointer}/${operator}`,
        `${pointer}/${operator} is not a condition (equals, like, phrase or exists)`,
      );
  }
}

function text(value: unknown, pointer: string): string {
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    throw new InvalidArgumentError(pointer, `${pointer} must be a string of at most ${MAX_TEXT}`);
  }
  return value;
}

/** Whether `run` appears in `words` as consecutive elements. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  for (let start = 0; start + run.length <= words.length; start++) {
    let index = 0;
    while (index < run.length && words[start + index] === run[index]) index++;
    if (index === run.length) return true;
  }
  return false;
}
