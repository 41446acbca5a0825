/**
 * parseLogQuery: Auth0's log search syntax into store conditions. Examples from Auth0's
 * documentation, malformed and hostile input, and two properties: any string either
 * parses into a condition every store accepts or is refused with a LogQueryError; and a
 * random query printed in the syntax selects exactly the events an independent reference
 * evaluator selects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogQueryError, parseLogQuery, type LogCondition } from 'clientele';
import { compileCondition } from '../../src/storage/log-condition.js';

const DAY = Date.UTC(2024, 4, 1);
const events = [
  {
    type: 's',
    user_name: 'ada@example.com',
    user_id: 'auth0|1',
    description: 'Successful login',
    ip: '10.0.0.1',
    client_name: 'Shop',
  },
  {
    type: 'f',
    user_name: 'bob@example.com',
    user_id: 'auth0|2',
    description: 'Wrong email or password.',
    ip: '10.0.0.2',
    connection: 'db',
  },
  { type: 'fp', user_name: 'ada@example.com', description: 'Wrong password', isMobile: true },
  { type: 'sapi', client_id: 'c1', description: 'Update client', client_name: 'Back office' },
  { type: 'seccft', client_id: 'c2', audience: 'https://api.example.com/', scope: 'read:orders' },
].map((value, i) => ({ value, time: DAY + i * 3_600_000 * 12 }));

/** Indexes of the events `q` selects. */
function select(q: string): number[] {
  const { test } = compileCondition(parseLogQuery(q), '/where');
  return events.flatMap((event, i) => (test(event.value, event.time) ? [i] : []));
}

describe('parseLogQuery', () => {
  it.each([
    ['type:s', [0]],
    ['type:"fp"', [2]],
    ['type:s OR type:f', [0, 1]],
    ['type:(s OR f OR fp)', [0, 1, 2]],
    ['type:f*', [1, 2]],
    ['type:f?', [2]],
    ['user_name:ada@example.com AND type:fp', [2]],
    ['user_name:ada@example.com type:fp', [2]],
    ['user_name:ada@example.com && NOT type:s', [2]],
    ['user_name:"ada@example.com" -type:s', [2]],
    ['!type:s AND ip:*', [1]],
    ['_exists_:client_id', [3, 4]],
    ['client_id:*', [3, 4]],
    ['NOT _exists_:description', [4]],
    ['description:password', [1, 2]],
    ['description:"Wrong password"', [2]],
    ['description:"email or password"', [1]],
    ['description:pass*', [1, 2]],
    ['description:Password', []],
    ['user_id:auth0|1', [0]],
    ['user_id:auth0\\|1', [0]],
    ['client_name:"Back office"', [3]],
    ['isMobile:true', [2]],
    ['audience:"https://api.example.com/" AND scope:read\\:orders', [4]],
    ['date:2024-05-01', [0, 1]],
    ['date:2024-05', [0, 1, 2, 3, 4]],
    ['date:[2024-05-01 TO 2024-05-02]', [0, 1, 2, 3]],
    ['date:{2024-05-01 TO 2024-05-02]', [2, 3]],
    ['date:[2024-05-01 TO 2024-05-02}', [0, 1]],
    ['date:[2024-05-02 TO *]', [2, 3, 4]],
    ['date:>=2024-05-02', [2, 3, 4]],
    ['date:>2024-05-01', [2, 3, 4]],
    ['date:<2024-05-02', [0, 1]],
    ['date:<=2024-05-01T12:00:00.000Z', [0, 1]],
    ['date:"2024-05-01T12:00:00Z"', [1]],
    ['date:2024-05-01T14:00:00+02:00', [1]],
    ['ada@example.com', [0, 2]],
    ['Shop', [0]],
    ['password', [1, 2]],
    ['(type:s OR type:f) AND NOT (ip:10.0.0.2)', [0]],
    ['*', [0, 1, 2, 3, 4]],
    ['', [0, 1, 2, 3, 4]],
    ['   ', [0, 1, 2, 3, 4]],
  ])('%s', (q, expected) => {
    expect(select(q)).toEqual(expected);
  });

  it.each([
    ['type:(s OR f', 'not closed'],
    ['type:s)', 'unexpected )'],
    ['(type:s', 'not closed'],
    ['type:', 'has no value'],
    ['type: s', 'has no value'],
    ['name:x', '"name" is not a searchable field'],
    ['_exists_:nope', '"nope" is not a searchable field'],
    ['type:"s', 'is not closed'],
    ['type:s\\', 'backslash'],
    ['user_id:[a TO b]', 'ranges are supported on date only'],
    ['date:[2024-01-01 to 2024-02-01]', 'TO in capitals'],
    ['date:[2024-01-01 TO 2024-02-01', 'the query ends'],
    ['date:2024-02-30', 'is not a date'],
    ['date:yesterday', 'is not a date'],
    ['date:2024-13', 'is not a date'],
    ['isMobile:yes', 'is true or false'],
    ['description:"!!"', 'has no words'],
    ['AND type:s', 'unexpected AND'],
    ['type:s OR', 'the query ends'],
    ['NOT', 'the query ends'],
    [Array.from({ length: 33 }, (_, i) => `type:t${i}`).join(' '), 'at most 32 terms'],
    ['('.repeat(9) + 'type:s' + ')'.repeat(9), 'nest at most 8'],
    [`${'NOT '.repeat(20)}type:s`, 'nests too deeply'],
    ['x'.repeat(5_000), 'longer than 4096'],
  ])('refuses %s', (q, message) => {
    let thrown: unknown;
    try {
      parseLogQuery(q);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LogQueryError);
    expect((thrown as LogQueryError).code).toBe('invalid_log_query');
    expect((thrown as LogQueryError).message).toContain(message);
  });

  it('keeps values as data: quotes, SQL and regular expression characters match literally', () => {
    const condition = parseLogQuery(`user_name:"x' OR '1'='1" OR ip:\\(.*\\)+$ OR client_id:a\\*b`);
    expect(condition).toEqual({
      or: [
        { field: 'user_name', equals: "x' OR '1'='1" },
        { field: 'ip', like: '(.*)+$' },
        { field: 'client_id', equals: 'a*b' },
      ],
    });
    const { test } = compileCondition(condition, '/where');
    expect(test({ ip: '(.zzz)+$' }, 0)).toBe(true);
    expect(test({ ip: 'anything' }, 0)).toBe(false);
    expect(test({ client_id: 'a*b' }, 0)).toBe(true);
    expect(test({ client_id: 'aXb' }, 0)).toBe(false);
  });
});

/* ---------------------------------------------------------------------------------------
 * Property: print a random query, parse it, and compare with a reference evaluator written
 * from the documented semantics, on random events.
 * ------------------------------------------------------------------------------------- */

type Query =
  | {
      kind: 'term';
      field: 'type' | 'user_id' | 'ip';
      value: string;
      quoted: boolean;
      wildcard: boolean;
    }
  | { kind: 'words'; words: string[] }
  | { kind: 'day'; day: number; op: '' | '>' | '>=' | '<' | '<=' }
  | { kind: 'range'; from: number | null; to: number | null; open: '[' | '{'; close: ']' | '}' }
  | { kind: 'not'; inner: Query }
  | { kind: 'and' | 'or'; parts: Query[] };

const ALPHABET = ['a', 'b', 'c', '|', '.', ':', '-', '*'];
const word = fc.constantFrom('alpha', 'beta', 'gamma', 'Delta');
const text = fc
  .array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 4 })
  .map((chars) => chars.join(''));

const query: fc.Arbitrary<Query> = fc.letrec<{ q: Query }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('term' as const),
      field: fc.constantFrom('type' as const, 'user_id' as const, 'ip' as const),
      value: text,
      quoted: fc.boolean(),
      wildcard: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('words' as const),
      words: fc.array(word, { minLength: 1, maxLength: 2 }),
    }),
    fc.record({
      kind: fc.constant('day' as const),
      day: fc.integer({ min: 1, max: 5 }),
      op: fc.constantFrom('' as const, '>' as const, '>=' as const, '<' as const, '<=' as const),
    }),
    fc.record({
      kind: fc.constant('range' as const),
      from: fc.option(fc.integer({ min: 1, max: 5 })),
      to: fc.option(fc.integer({ min: 1, max: 5 })),
      open: fc.constantFrom('[' as const, '{' as const),
      close: fc.constantFrom(']' as const, '}' as const),
    }),
    fc.record({ kind: fc.constant('not' as const), inner: tie('q') }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      parts: fc.array(tie('q'), { minLength: 2, maxLength: 3 }),
    }),
  ),
})).q;

const dayText = (day: number) => `2024-05-0${day}`;
const dayStart = (day: number) => Date.UTC(2024, 4, day);

function print(q: Query): string {
  switch (q.kind) {
    case 'term': {
      if (q.quoted) return `${q.field}:"${q.value.replace(/["\\]/g, '\\$&')}"`;
      // Unquoted: escape everything special; keep * as a wildcard only when asked.
      const escaped = [...q.value]
        .map((c) => (c === '*' && q.wildcard ? '*' : /[*?:\\|()"[\]{}\s!-]/.test(c) ? `\\${c}` : c))
        .join('');
      return `${q.field}:${escaped}`;
    }
    case 'words':
      return q.words.length === 1
        ? `description:${q.words[0]}`
        : `description:"${q.words.join(' ')}"`;
    case 'day':
      return `date:${q.op}${dayText(q.day)}`;
    case 'range':
      return `date:${q.open}${q.from === null ? '*' : dayText(q.from)} TO ${q.to === null ? '*' : dayText(q.to)}${q.close}`;
    case 'not':
      return `NOT (${print(q.inner)})`;
    case 'and':
    case 'or':
      return q.parts.map((part) => `(${print(part)})`).join(q.kind === 'and' ? ' AND ' : ' OR ');
  }
}

interface Event {
  type?: string;
  user_id?: string;
  ip?: string;
  description?: string;
  time: number;
}

/** Reference wildcard match: `*` any run, everything else literal. */
function globMatch(pattern: string, value: string): boolean {
  if (pattern === '') return value === '';
  if (pattern[0] === '*') {
    for (let i = 0; i <= value.length; i++)
      if (globMatch(pattern.slice(1), value.slice(i))) return true;
    return false;
  }
  return value[0] === pattern[0] && globMatch(pattern.slice(1), value.slice(1));
}

function reference(q: Query, event: Event): boolean {
  switch (q.kind) {
    case 'term': {
      const value = event[q.field];
      if (value === undefined) return false;
      if (!q.quoted && q.wildcard && q.value === '*') return true;
      return !q.quoted && q.wildcard && q.value.includes('*')
        ? globMatch(q.value, value)
        : value === q.value;
    }
    case 'words': {
      const words = event.description?.split(/[^A-Za-z0-9]+/).filter(Boolean) ?? [];
      return words
        .join(' ')
        .split(' ')
        .some((_, i) => q.words.every((w, j) => words[i + j] === w));
    }
    case 'day': {
      const [start, end] = [dayStart(q.day), dayStart(q.day + 1)];
      const t = event.time;
      return {
        '': t >= start && t < end,
        '>': t >= end,
        '>=': t >= start,
        '<': t < start,
        '<=': t < end,
      }[q.op];
    }
    case 'range': {
      const t = event.time;
      const low =
        q.from === null ? -Infinity : q.open === '[' ? dayStart(q.from) : dayStart(q.from + 1);
      const high = q.to === null ? Infinity : q.close === ']' ? dayStart(q.to + 1) : dayStart(q.to);
      return t >= low && t < high;
    }
    case 'not':
      return !reference(q.inner, event);
    case 'and':
      return q.parts.every((part) => reference(part, event));
    case 'or':
      return q.parts.some((part) => reference(part, event));
  }
}

const event: fc.Arbitrary<Event> = fc.record(
  {
    type: text,
    user_id: text,
    ip: text,
    description: fc
      .array(fc.oneof(word, fc.constantFrom(',', '.', ' ')), { maxLength: 6 })
      .map((parts) => parts.join(' ')),
    time: fc.integer({ min: dayStart(1) - 86_400_000, max: dayStart(7) }),
  },
  { requiredKeys: ['time'] },
);

/** Counts the terms a printed query holds (the parser allows 32). */
function terms(q: Query): number {
  if (q.kind === 'not') return terms(q.inner);
  if (q.kind === 'and' || q.kind === 'or')
    return q.parts.reduce((sum, part) => sum + terms(part), 0);
  return 1;
}

describe('parseLogQuery properties', () => {
  it('a printed query selects exactly what the reference evaluator selects', () => {
    fc.assert(
      fc.property(
        query.filter((q) => terms(q) <= 32),
        fc.array(event, { minLength: 1, maxLength: 8 }),
        (q, sample) => {
          const printed = print(q);
          let condition: LogCondition;
          try {
            condition = parseLogQuery(printed);
          } catch (error) {
            // Deep random trees may exceed the nesting bounds: then only that refusal.
            expect((error as Error).message).toMatch(/nest/);
            return;
          }
          const { test } = compileCondition(condition, '/where');
          for (const e of sample) {
            const { time, ...value } = e;
            expect(test(value, time), `${printed} on ${JSON.stringify(e)}`).toBe(reference(q, e));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('any string parses into a condition stores accept, or is refused with a LogQueryError', () => {
    const soup = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'type:',
            'date:',
            'description:',
            '_exists_:',
            'AND',
            'OR',
            'NOT',
            '&&',
            '||',
            '!',
            '-',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            'TO',
            '"',
            '\\',
            '*',
            '?',
            ':',
            ' ',
            '2024-05-01',
            '>=',
          ),
          fc.string({ maxLength: 4 }),
        ),
        { maxLength: 20 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(soup, fc.string()), (q) => {
        let condition: LogCondition;
        try {
          condition = parseLogQuery(q);
        } catch (error) {
          expect(error).toBeInstanceOf(LogQueryError);
          return;
        }
        expect(() => compileCondition(condition, '/where')).not.toThrow();
      }),
      { numRuns: 2_000 },
    );
  });
});
