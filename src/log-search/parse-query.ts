/**
 * `parseLogQuery`: Auth0's log search syntax (the `q` of `/api/v2/logs`, a subset of
 * Lucene's) into a {@link LogCondition} any store evaluates.
 *
 * Grammar (operators upper case, as Lucene's; `&&`, `||` and `!` too):
 * ```
 * query   = or
 * or      = and { ("OR" | "||") and }
 * and     = unary { ["AND" | "&&"] unary }          (adjacent terms: AND)
 * unary   = ("NOT" | "!" | "-") unary | primary
 * primary = "(" or ")" | field ":" value | field ":" "(" or ")" | field ":" range | term
 * range   = ("[" | "{") bound "TO" bound ("]" | "}")  and  field ":" (">" | ">=" | "<" | "<=") value
 * ```
 * A term without a field is searched in Auth0's bare-term fields. `_exists_:field` and
 * `field:*` ask for a field to be present.
 *
 * @see https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax
 * @module
 */
import { LogQueryError } from '../errors.js';
import type { LogCondition } from '../storage/log-condition.js';
import { condition, requireDate, timeCondition, type Value } from './conditions.js';
import type { DateSpan } from './dates.js';
import { BARE_TERM_FIELDS, LOG_SEARCH_FIELDS, type LogFieldKind } from './fields.js';
import { tokenize, type Token } from './tokens.js';

/** Most terms a query may hold, how deep its groups may nest, and its condition. */
const MAX_TERMS = 32;
const MAX_NESTING = 8;
const MAX_DEPTH = 16;

type WordToken = Extract<Token, { kind: 'word' }>;

/**
 * Parses a log search query in Auth0's syntax. A blank query matches every event.
 *
 * - `field:value` is the whole value, case-sensitively (`type:fp`, `client_id:"abc"`);
 *   `*` and `?` in an unquoted value are wildcards (`user_name:ada*`).
 * - `description` is searched by words: `description:password`, and a quoted phrase as
 *   consecutive words (`description:"Wrong email"`).
 * - `date` takes a year, month, day or instant (`date:2024-05-01` is that UTC day), ranges
 *   (`date:[2024-05-01 TO 2024-05-31]`, `{` `}` exclusive, `*` open) and comparisons
 *   (`date:>=2024-05-01`).
 * - `AND` (or adjacent terms), `OR`, `NOT`, parentheses, and `field:(a OR b)` groups.
 *
 * @throws {@link LogQueryError} naming the part that is wrong: syntax, an unknown field, a
 *   date that is not one, a range on a field that is not a date, more than 32 terms.
 * @example
 * ```ts
 * const where = parseLogQuery('type:f AND date:[2024-05-01 TO 2024-05-07] AND NOT ip:"10.0.0.1"');
 * const failures = await store.logs.read('logs', { where, limit: 100 });
 * ```
 * @see https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax
 */
export function parseLogQuery(query: string): LogCondition {
  if (typeof query !== 'string') throw new LogQueryError('the query must be a string', 0);
  const parser = new Parser(query, tokenize(query));
  return parser.parse();
}

class Parser {
  readonly #query: string;
  readonly #tokens: readonly Token[];
  #position = 0;
  #terms = 0;

  constructor(query: string, tokens: readonly Token[]) {
    this.#query = query;
    this.#tokens = tokens;
  }

  parse(): LogCondition {
    if (this.#tokens.length === 0) return { and: [] };
    const condition = this.#or(undefined, 0);
    const left = this.#tokens[this.#position];
    if (left !== undefined) throw this.#error(`unexpected ${describe(left)}`, left.at);
    if (depthOf(condition) > MAX_DEPTH) throw this.#error('the query nests too deeply', 0);
    return condition;
  }

  #or(field: string | undefined, nesting: number): LogCondition {
    const parts = [this.#and(field, nesting)];
    while (this.#peek()?.kind === 'OR') {
      this.#position += 1;
      parts.push(this.#and(field, nesting));
    }
    return parts.length === 1 ? (parts[0] as LogCondition) : { or: flatten(parts, 'or') };
  }

  #and(field: string | undefined, nesting: number): LogCondition {
    const parts = [this.#unary(field, nesting)];
    for (;;) {
      const next = this.#peek();
      if (next?.kind === 'AND') {
        this.#position += 1;
        parts.push(this.#unary(field, nesting));
      } else if (
        next !== undefined &&
        (next.kind === 'word' || next.kind === 'phrase' || next.kind === '(' || next.kind === 'NOT')
      ) {
        parts.push(this.#unary(field, nesting));
      } else {
        break;
      }
    }
    return parts.length === 1 ? (parts[0] as LogCondition) : { and: flatten(parts, 'and') };
  }

  #unary(field: string | undefined, nesting: number): LogCondition {
    const token = this.#peek();
    if (token?.kind === 'NOT') {
      this.#position += 1;
      return { not: this.#unary(field, nesting) };
    }
    if (
      token?.kind === 'word' &&
      token.text.length > 1 &&
      (token.text[0] === '-' || token.text[0] === '!') &&
      token.escaped[0] !== true
    ) {
      // Lucene's prohibit prefix (`-type:s`) and `!` are NOT of what follows them.
      this.#position += 1;
      const rest: WordToken = {
        ...token,
        text: token.text.slice(1),
        escaped: token.escaped.slice(1),
        at: token.at + 1,
      };
      return { not: this.#primaryWord(rest, field, nesting) };
    }
    return this.#primary(field, nesting);
  }

  #primary(field: string | undefined, nesting: number): LogCondition {
    const token = this.#next('a term');
    if (token.kind === '(') {
      if (nesting >= MAX_NESTING) {
        throw this.#error(`groups nest at most ${MAX_NESTING} deep`, token.at);
      }
      const inner = this.#or(field, nesting + 1);
      this.#expect(')', token.at);
      return inner;
    }
    if (token.kind === 'phrase') {
      return this.#term(field, { text: token.text, quoted: true, escaped: [], at: token.at });
    }
    if (token.kind === 'word') return this.#primaryWord(token, field, nesting);
    throw this.#error(`unexpected ${describe(token)}`, token.at);
  }

  /** A word: `field:value`, `field:` before a group, range or phrase, or a bare term. */
  #primaryWord(token: WordToken, field: string | undefined, nesting: number): LogCondition {
    const colon = firstUnescaped(token, ':');
    if (colon <= 0) {
      if (token.text === '*' && token.escaped[0] !== true) return { and: [] };
      return this.#term(field, valueOf(token, 0));
    }
    const name = token.text.slice(0, colon);
    const rest = valueOf(token, colon + 1);
    if (name === '_exists_') {
      const target = rest.text === '' ? this.#valueAfter(token, name) : rest;
      this.#count(token.at);
      return { field: this.#field(target.text, target.at), exists: true };
    }
    const kind = this.#kind(name, token.at);
    if (rest.text !== '') return this.#fieldValue(name, kind, rest);
    const next = this.#peek();
    if (!token.joined || next === undefined) {
      throw this.#error(`${name}: has no value (write ${name}:value)`, token.at);
    }
    if (next.kind === '(') {
      this.#position += 1;
      if (nesting >= MAX_NESTING)
        throw this.#error(`groups nest at most ${MAX_NESTING} deep`, next.at);
      const inner = this.#or(name, nesting + 1);
      this.#expect(')', next.at);
      return inner;
    }
    if (next.kind === '[' || next.kind === '{') return this.#range(name, kind, token.at);
    return this.#fieldValue(name, kind, this.#valueAfter(token, name));
  }

  /** The phrase or word right after `name:`. */
  #valueAfter(token: WordToken, name: string): Value {
    const next = this.#next(`a value for ${name}`);
    if (next.kind === 'phrase') return { text: next.text, quoted: true, escaped: [], at: next.at };
    if (next.kind === 'word' && token.joined) return valueOf(next, 0);
    throw this.#error(`${name}: has no value (write ${name}:value)`, token.at);
  }

  /** A term on the group's field, or on the bare-term fields. */
  #term(field: string | undefined, value: Value): LogCondition {
    if (field !== undefined) return this.#fieldValue(field, this.#kind(field, value.at), value);
    this.#count(value.at);
    const parts = BARE_TERM_FIELDS.flatMap((name) => {
      try {
        return [condition(name, LOG_SEARCH_FIELDS[name] as LogFieldKind, value)];
      } catch (error) {
        // A bare term that cannot be one field's value (a word-less phrase) is not an error.
        if (error instanceof LogQueryError) return [];
        throw error;
      }
    });
    return { or: parts };
  }

  #fieldValue(field: string, kind: LogFieldKind, value: Value): LogCondition {
    this.#count(value.at);
    return condition(field, kind, value);
  }

  /** `[a TO b]`, `{a TO b}` and their mixes, after `field:`. */
  #range(field: string, kind: LogFieldKind, at: number): LogCondition {
    const open = this.#next('a range');
    if (kind !== 'date') {
      throw this.#error(`${field}: ranges are supported on date only`, at);
    }
    const low = this.#bound(field);
    const to = this.#next('TO');
    if (to.kind !== 'word' || to.text !== 'TO') {
      throw this.#error(`${field}: a range is [from TO to], with TO in capitals`, to.at);
    }
    const high = this.#bound(field);
    const close = this.#next('] or }');
    if (close.kind !== ']' && close.kind !== '}') {
      throw this.#error(`${field}: a range ends with ] or }`, close.at);
    }
    this.#count(at);
    const gte = low === undefined ? undefined : open.kind === '[' ? low.start : low.end;
    const lt = high === undefined ? undefined : close.kind === ']' ? high.end : high.start;
    return timeCondition(gte, lt);
  }

  /** A range bound: a date, or `*` for none. */
  #bound(field: string): DateSpan | undefined {
    const token = this.#next('a date');
    if ((token.kind === 'word' || token.kind === 'phrase') && token.text === '*') return undefined;
    if (token.kind !== 'word' && token.kind !== 'phrase') {
      throw this.#error(`${field}: a range bound must be a date or *`, token.at);
    }
    return requireDate(field, token.text, token.at);
  }

  #field(name: string, at: number): string {
    this.#kind(name, at);
    return name;
  }

  #kind(name: string, at: number): LogFieldKind {
    if (!Object.hasOwn(LOG_SEARCH_FIELDS, name)) {
      throw this.#error(
        `${JSON.stringify(name)} is not a searchable field (${Object.keys(LOG_SEARCH_FIELDS).join(', ')})`,
        at,
      );
    }
    return LOG_SEARCH_FIELDS[name] as LogFieldKind;
  }

  #count(at: number): void {
    this.#terms += 1;
    if (this.#terms > MAX_TERMS) throw this.#error(`a query holds at most ${MAX_TERMS} terms`, at);
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#position];
  }

  #next(wanted: string): Token {
    const token = this.#tokens[this.#position];
    if (token === undefined) {
      throw this.#error(`the query ends where ${wanted} was expected`, this.#query.length);
    }
    this.#position += 1;
    return token;
  }

  #expect(kind: ')', openedAt: number): void {
    const token = this.#tokens[this.#position];
    if (token?.kind !== kind) {
      throw this.#error(
        `the parenthesis opened at ${openedAt} is not closed`,
        token?.at ?? this.#query.length,
      );
    }
    this.#position += 1;
  }

  #error(message: string, at: number): LogQueryError {
    return new LogQueryError(`q: ${message} (at ${at})`, at);
  }
}

function firstUnescaped(token: WordToken, char: string): number {
  for (let i = 0; i < token.text.length; i++) {
    if (token.text[i] === char && token.escaped[i] !== true) return i;
  }
  return -1;
}

/** The part of a word from `from` on, as a value. */
function valueOf(token: WordToken, from: number): Value {
  return {
    text: token.text.slice(from),
    quoted: false,
    escaped: token.escaped.slice(from),
    at: token.at + from,
  };
}

/** `a AND (b AND c)` as one list: shallower trees, fewer nodes. */
function flatten(parts: readonly LogCondition[], key: 'and' | 'or'): LogCondition[] {
  return parts.flatMap((part) =>
    key in part ? (part as Record<typeof key, readonly LogCondition[]>)[key] : [part],
  );
}

/** How deep a condition nests (a leaf is 1). */
function depthOf(condition: LogCondition): number {
  if ('and' in condition) return 1 + Math.max(0, ...condition.and.map(depthOf));
  if ('or' in condition) return 1 + Math.max(0, ...condition.or.map(depthOf));
  if ('not' in condition) return 1 + depthOf(condition.not);
  return 1;
}

function describe(token: Token): string {
  if (token.kind === 'word' || token.kind === 'phrase') return JSON.stringify(token.text);
  return token.kind;
}
