/**
 * How many `*` wildcards one value of a log search may hold: each one multiplies the work
 * of matching a value that does not match (a `like` pattern is a backtracking regular
 * expression: `user_name:*a*a*a*a*a*!` took 8 s against a 60-character name), so a query
 * with more than two in one value is refused, naming the position, before any log is read.
 */
import { describe, expect, it } from 'vitest';
import { LogQueryError } from '../../src/errors.js';
import { parseLogQuery } from '../../src/log-search/parse-query.js';

describe('wildcards in a log search value', () => {
  it('takes up to two * in a value, escaped and quoted ones not counted', () => {
    for (const query of [
      'user_name:*jane*',
      'client_name:my*app*',
      'description:*pass*',
      'jane*',
      'user_name:a\\*b\\*c\\*d*',
      'user_name:"*a*a*a*"',
      'user_name:a?b?c?d?e',
    ]) {
      expect(() => parseLogQuery(query), query).not.toThrow();
    }
  });

  it('refuses three or more in one value, on a field or a bare term', () => {
    for (const [query, at] of [
      ['user_name:*a*a*', 10],
      ['type:f AND user_agent:*a*a*a*a*a*!', 22],
      ['*a*b*', 0],
      ['user_name:(jane OR *a**)', 19],
    ] as const) {
      let caught: unknown;
      try {
        parseLogQuery(query);
      } catch (error) {
        caught = error;
      }
      expect(caught, query).toBeInstanceOf(LogQueryError);
      expect(caught, query).toMatchObject({
        message: expect.stringMatching(/at most 2 \* wildcards/),
        position: at,
      });
    }
  });
});
