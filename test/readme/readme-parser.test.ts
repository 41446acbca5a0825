/** The README block reader behind test/readme/blocks.e2e.test.ts: what it asserts and what it leaves as prose. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedBlock, matchesPrinted, readmeBlocks, statedValue } from '../support/readme.js';

describe('statedValue', () => {
  it('reads any JSON value written as a comment, with or without prose after it', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('', ': why', '; then', ', and', ' (see)'),
        (value, rest) => {
          const literal = JSON.stringify(value);
          const stated = statedValue(`${literal}${rest}`);
          if (literal.includes('__proto__')) {
            // A JavaScript literal reads this key as the prototype, not as the JSON property.
            expect(stated).toBeUndefined();
            return;
          }
          expect(stated).toBeDefined();
          expect(new Function(`return (${stated});`)()).toEqual(JSON.parse(literal));
        },
      ),
    );
  });

  it.each([
    'version 2',
    'old secret stops working',
    '{ client_id, client_secret }',
    '{ keys: [ES256 key, RS256 key] }',
    "'unterminated",
    'true when it matches',
    '[1, 2] and more',
    '{"__proto__":[]}',
    '{ __proto__: null }',
  ])('leaves %j as prose', (comment) => {
    expect(statedValue(comment)).toBeUndefined();
  });
});

describe('checkedBlock', () => {
  it('asserts expression statements, bindings, console.log arguments and throws', () => {
    const { code, assertions } = checkedBlock(
      [
        "f(1); // 'one': prose",
        'const x = g(); // [1, 2]',
        'const { total } = h(); // 3',
        'console.log(k()); // true',
        'boom(); // throws TypeError: why',
        'const y = 1; // a remark',
      ].join('\n'),
    );
    expect(assertions).toBe(5);
    expect(code.split('\n')).toEqual([
      "__expect(f(1), 'one', 1);",
      'const x = g(); // [1, 2]',
      '__expect(x, [1, 2], 2);',
      'const { total } = h(); // 3',
      '__expect(total, 3, 3);',
      'console.log(__expect(k(), true, 4));',
      "await __expectThrows(async () => boom(), 'TypeError', 5);",
      'const y = 1; // a remark',
    ]);
  });

  it('takes the comment lines that end a block as the output it states', () => {
    expect(checkedBlock('print();\n// a\n//  b c').printed).toEqual(['a', ' b c']);
    expect(checkedBlock('// a\nprint();').printed).toEqual([]);
  });
});

describe('matchesPrinted', () => {
  it('compares line by line, whitespace runs as one, … as a prefix', () => {
    expect(matchesPrinted(['a  b', 'long …'], 'a b\nlong line indeed\n')).toBe(true);
    expect(matchesPrinted(['a b'], 'a b\nextra\n')).toBe(false);
    expect(matchesPrinted(['long …'], 'lon\n')).toBe(false);
    expect(matchesPrinted(['x'], 'y\n')).toBe(false);
  });
});

describe('readmeBlocks', () => {
  it('finds each fenced block with its language, line and heading', () => {
    const blocks = readmeBlocks('# T\n## One\n```ts\na;\n```\n### Two\n```sh\nb\n```\n');
    expect(blocks).toEqual([
      { heading: 'One', line: 3, lang: 'ts', code: 'a;' },
      { heading: 'Two', line: 7, lang: 'sh', code: 'b' },
    ]);
  });
});
