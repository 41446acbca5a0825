/**
 * The member names of a JSON object text, in order and with repeats. `JSON.parse` keeps
 * only the last of two members with one name, so a body like
 * `{"grant_type":"a","grant_type":"b"}` would be read as `b` here and possibly as `a` by a
 * proxy or firewall in front: the parameter readers refuse a repeated name instead, as
 * they do for forms (RFC 6749 §3.1, §3.2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 */

/**
 * Names of the members of the top-level object in `text`, which must already be known to
 * be valid JSON whose value is an object (`JSON.parse` succeeded on it). Nested objects'
 * names are not included.
 *
 * @internal
 */
export function topLevelMemberNames(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  // The last structural character seen at depth 1: a string right after `{` or `,` there
  // is a member name, one after `:` a value.
  let previous = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      const start = index;
      for (index++; text[index] !== '"'; index++) {
        if (text[index] === '\\') index++;
      }
      if (depth === 1 && (previous === '{' || previous === ',')) {
        names.push(JSON.parse(text.slice(start, index + 1)) as string);
      }
      if (depth === 1) previous = '"';
    } else if (char === '{' || char === '[') {
      depth++;
      if (depth === 1) previous = char;
    } else if (char === '}' || char === ']') {
      depth--;
    } else if (depth === 1 && (char === ',' || char === ':')) {
      previous = char;
    }
  }
  return names;
}
