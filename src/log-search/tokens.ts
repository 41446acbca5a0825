/**
 * The lexer of Auth0's log search syntax (a subset of Lucene's): words, quoted phrases,
 * parentheses, range brackets and the boolean operators.
 *
 * @internal
 * @module
 */
import { LogQueryError } from '../errors.js';

/** One token, with its offset in the query. */
export type Token =
  | { readonly kind: '(' | ')' | '[' | ']' | '{' | '}' | 'AND' | 'OR' | 'NOT'; readonly at: number }
  | {
      readonly kind: 'word';
      /** The text, escapes resolved. */
      readonly text: string;
      /** For each character of `text`, whether it was escaped (a literal `*`, `:`, ...). */
      readonly escaped: readonly boolean[];
      readonly at: number;
      /** True when the next token starts right after this one (`date:` then `[`). */
      readonly joined: boolean;
    }
  | {
      readonly kind: 'phrase';
      readonly text: string;
      readonly at: number;
      readonly joined: boolean;
    };

/** Characters that end a word (outside escapes). */
const BREAKS = new Set([' ', '\t', '\n', '\r', '(', ')', '"', '[', ']', '{', '}']);
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);
const KEYWORDS: Readonly<Record<string, 'AND' | 'OR' | 'NOT'>> = {
  AND: 'AND',
  OR: 'OR',
  NOT: 'NOT',
  '&&': 'AND',
  '||': 'OR',
};

/** The longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 4_096;

/**
 * Splits `query` into tokens.
 *
 * @throws {@link LogQueryError} for an unterminated phrase, a dangling backslash or an
 *   over-long query
 */
export function tokenize(query: string): Token[] {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new LogQueryError(`the query is longer than ${MAX_QUERY_LENGTH} characters`, 0);
  }
  const tokens: Token[] = [];
  let i = 0;
  const joined = (end: number) =>
    end < query.length && !/\s/.test(query[end] as string) && query[end] !== ')';
  while (i < query.length) {
    const char = query[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (BRACKETS.has(char)) {
      tokens.push({ kind: char as '(' | ')' | '[' | ']' | '{' | '}', at: i });
      i += 1;
    } else if (char === '"') {
      const start = i;
      let text = '';
      i += 1;
      for (;;) {
        if (i >= query.length)
          throw new LogQueryError(`a phrase opened at ${start} is not closed`, start);
        const next = query[i] as string;
        if (next === '"') break;
        if (next === '\\') {
          if (i + 1 >= query.length) throw new LogQueryError('the query ends with a backslash', i);
          text += query[i + 1];
          i += 2;
        } else {
          text += next;
          i += 1;
        }
      }
      i += 1;
      tokens.push({ kind: 'phrase', text, at: start, joined: joined(i) });
    } else {
      const start = i;
      let text = '';
      const escaped: boolean[] = [];
      while (i < query.length && !BREAKS.has(query[i] as string)) {
        if (query[i] === '\\') {
          if (i + 1 >= query.length) throw new LogQueryError('the query ends with a backslash', i);
          text += query[i + 1];
          escaped.push(true);
          i += 2;
        } else {
          text += query[i];
          escaped.push(false);
          i += 1;
        }
      }
      const keyword = escaped.includes(true) ? undefined : KEYWORDS[text];
      if (keyword !== undefined) tokens.push({ kind: keyword, at: start });
      else tokens.push({ kind: 'word', text, escaped, at: start, joined: joined(i) });
    }
  }
  return tokens;
}
