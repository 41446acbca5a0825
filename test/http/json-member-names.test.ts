/**
 * The member-name scanner behind the JSON parameter reader's duplicate check: for any
 * JSON object text, it lists exactly the top-level names, repeats included, whatever the
 * nested values and escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelMemberNames } from '../../src/http/json-member-names.js';

/** JSON text of an object written member by member, so names may repeat. */
function objectText(members: readonly (readonly [string, unknown])[], space: string): string {
  const parts = members.map(
    ([name, value]) =>
      `${JSON.stringify(name)}${space}:${space}${JSON.stringify(value, null, space.length)}`,
  );
  return `{${space}${parts.join(`,${space}`)}${space}}`;
}

describe('topLevelMemberNames', () => {
  it('lists the top-level names of any object text, repeats included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'binary' }), fc.jsonValue()), { maxLength: 8 }),
        fc.constantFrom('', ' ', '\n  '),
        (members, space) => {
          const text = objectText(members, space);
          JSON.parse(text); // the scanner's precondition
          expect(topLevelMemberNames(text)).toEqual(members.map(([name]) => name));
        },
      ),
    );
  });

  it('reads names with escapes and ignores names of nested objects', () => {
    expect(topLevelMemberNames('{"a\\"b":{"c":1,"d":["e",{"f":"g"}]},"h\\u0069":"\\\\"}')).toEqual([
      'a"b',
      'hi',
    ]);
    expect(topLevelMemberNames('{}')).toEqual([]);
    expect(topLevelMemberNames('{"x":"1","x":"2"}')).toEqual(['x', 'x']);
  });
});
