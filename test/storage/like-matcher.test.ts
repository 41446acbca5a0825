/**
 * likeMatcher, the matcher behind `{ field, like }` log conditions (and so behind `*` and
 * `?` in a log search): the same answers as an anchored regular expression written from
 * the pattern, on patterns that make such an expression backtrack for seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { likeMatcher } from '../../src/storage/log-condition.js';

/** The reference: the pattern as an anchored regular expression over code points. */
function reference(pattern: string): RegExp {
  let source = '';
  let literal = false;
  for (const char of pattern) {
    if (!literal && char === '\\') literal = true;
    else if (!literal && char === '*') source += '[\\s\\S]*';
    else if (!literal && char === '?') source += '[\\s\\S]';
    else {
      source += char.replace(/[\\^$.|+()[\]{}*?/-]/g, '\\$&');
      literal = false;
    }
  }
  if (literal) source += '\\\\';
  return new RegExp(`^${source}$`, 'u');
}

describe('likeMatcher', () => {
  it('matches whole values: * any run, ? one code point, \\ a literal', () => {
    const cases: [string, string, boolean][] = [
      ['jane*', 'jane.doe@example.com', true],
      ['jane*', 'mary jane', false],
      ['*@example.com', 'jane@example.com', true],
      ['*@example.com', 'jane@example.com.evil', false],
      ['j?ne', 'jane', true],
      ['j?ne', 'jne', false],
      ['?', '😀', true],
      ['??', '😀', false],
      ['a\\*b', 'a*b', true],
      ['a\\*b', 'axb', false],
      ['a\\?', 'a?', true],
      ['a\\', 'a\\', true],
      ['', '', true],
      ['', 'x', false],
      ['*', '', true],
      ['**', 'anything', true],
      ['*a*a*a*a*a*!', 'a'.repeat(60), false],
      ['*a*a*a*a*a*!', `${'a'.repeat(60)}!`, true],
    ];
    for (const [pattern, value, expected] of cases) {
      expect(likeMatcher(pattern)(value), `${pattern} ~ ${value}`).toBe(expected);
    }
  });

  it('answers a pattern of many stars against a long value that does not match', () => {
    // A backtracking expression for this pattern would not finish in any useful time.
    const pattern = `${'*a'.repeat(40)}*!`;
    expect(likeMatcher(pattern)('a'.repeat(20_000))).toBe(false);
    expect(likeMatcher(pattern)(`${'a'.repeat(20_000)}!`)).toBe(true);
  });

  it('agrees with the regular expression on random patterns and values (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '\\', '😀', '.', '\uD83D');
    const small = fc.constantFrom('a', 'b', '😀', '.', '\\', '*', '\uD83D', '\uDE00');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 10 }).map((chars) => chars.join('')),
        fc.array(small, { maxLength: 14 }).map((chars) => chars.join('')),
        (pattern, value) => {
          expect(likeMatcher(pattern)(value)).toBe(reference(pattern).test(value));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
