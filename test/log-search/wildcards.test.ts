/**
 * Wildcards in a log search: a value may hold any number of `*` and `?` (Auth0's Lucene
 * subset does not bound them), because a `like` condition is matched in at most
 * (value length × pattern length) steps. A backtracking regular expression took 8 s on
 * `user_agent:*a*a*a*a*a*!` against a 60-character value; the query is answered now.
 */
import { describe, expect, it } from 'vitest';
import { parseLogQuery } from '../../src/log-search/parse-query.js';
import { compileCondition } from '../../src/storage/log-condition.js';

const agents = [
  'a'.repeat(60),
  `${'a'.repeat(60)}!`,
  'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36',
  'curl/8.5.0',
];

/** The user agents `q` selects. */
function select(q: string): string[] {
  const { test } = compileCondition(parseLogQuery(q), '/where');
  return agents.filter((user_agent) => test({ user_agent }, 0));
}

describe('wildcards in a log search value', () => {
  it('takes any number of * and ?, escaped ones literal', () => {
    expect(select('user_agent:*a*a*a*a*a*!')).toEqual([`${'a'.repeat(60)}!`]);
    expect(select('user_agent:*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b')).toEqual([]);
    expect(select('user_agent:Mozilla*Linux*Chrome*Safari*')).toEqual([agents[2]]);
    expect(select('user_agent:curl?8.?.0')).toEqual(['curl/8.5.0']);
    expect(select('user_agent:curl\\*')).toEqual([]);
  });

  it('reads quoted stars as literal characters', () => {
    expect(select('user_agent:"*a*a*"')).toEqual([]);
  });
});
