/**
 * What a value of the log search means on its field: the {@link LogCondition} a
 * `field:value` term makes, by the field's kind (whole keyword values and their wildcards,
 * description words and phrases, booleans, dates with their comparisons and spans). The
 * grammar around the values is parse-query.ts's.
 *
 * @internal
 * @module
 */
import { LogQueryError } from '../errors.js';
import { wordsOf, type LogCondition } from '../storage/log-condition.js';
import { dateSpan, type DateSpan } from './dates.js';
import type { LogFieldKind } from './fields.js';

/** A value as written: its text, whether it was quoted, which characters were escaped. */
export interface Value {
  readonly text: string;
  readonly quoted: boolean;
  readonly escaped: readonly boolean[];
  readonly at: number;
}

/** The condition `field` (of `kind`) makes of `value`. */
export function condition(field: string, kind: LogFieldKind, value: Value): LogCondition {
  const { text, quoted } = value;
  const wildcard = !quoted && hasUnescaped(value, ['*', '?']);
  if (!quoted && text === '*' && value.escaped[0] !== true) return { field, exists: true };
  switch (kind) {
    case 'keyword':
      return wildcard ? { field, like: pattern(value) } : { field, equals: text };
    case 'text': {
      if (wildcard) return { field, like: pattern(value), words: true };
      const words = wordsOf(text);
      if (words.length === 0) {
        throw new LogQueryError(
          `q: ${field}:${quoted ? JSON.stringify(text) : text} has no words to search for (at ${value.at})`,
          value.at,
        );
      }
      return { field, phrase: words };
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') {
        throw new LogQueryError(
          `q: ${field} is true or false, not ${JSON.stringify(text)} (at ${value.at})`,
          value.at,
        );
      }
      return { field, equals: text };
    case 'date':
      return dateCondition(field, value);
  }
}

/** `date:value`, `date:>value`, ... */
function dateCondition(field: string, value: Value): LogCondition {
  const comparison = value.quoted ? undefined : /^(>=|<=|>|<)/.exec(value.text)?.[1];
  const text = comparison === undefined ? value.text : value.text.slice(comparison.length);
  const span = requireDate(field, text, value.at);
  switch (comparison) {
    case '>':
      return timeCondition(span.end, undefined);
    case '>=':
      return timeCondition(span.start, undefined);
    case '<':
      return timeCondition(undefined, span.start);
    case '<=':
      return timeCondition(undefined, span.end);
    default:
      return timeCondition(span.start, span.end);
  }
}

/** A condition on the event time: from `gte` (included) to `lt` (excluded). */
export function timeCondition(gte: number | undefined, lt: number | undefined): LogCondition {
  return {
    time: { ...(gte === undefined ? {} : { gte }), ...(lt === undefined ? {} : { lt }) },
  };
}

/** The span `text` names as a date, or the error naming `field` and the position. */
export function requireDate(field: string, text: string, at: number): DateSpan {
  const span = dateSpan(text);
  if (span === undefined) {
    throw new LogQueryError(
      `q: ${field}: ${JSON.stringify(text)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 instant) (at ${at})`,
      at,
    );
  }
  return span;
}

/** The `like` pattern of an unquoted value: its escaped characters stay literal. */
function pattern(value: Value): string {
  let result = '';
  for (let i = 0; i < value.text.length; i++) {
    const char = value.text[i] as string;
    const literal = value.escaped[i] === true || (char !== '*' && char !== '?');
    result += literal && (char === '*' || char === '?' || char === '\\') ? `\\${char}` : char;
  }
  return result;
}

function hasUnescaped(value: Value, chars: readonly string[]): boolean {
  for (let i = 0; i < value.text.length; i++) {
    if (value.escaped[i] !== true && chars.includes(value.text[i] as string)) return true;
  }
  return false;
}
