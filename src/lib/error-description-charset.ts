/**
 * The one place where a library message becomes an OAuth `error_description`.
 *
 * RFC 6749 §5.2 (and RFC 6750 §3, RFC 7591 §3.2.2, which refer to it) allows only
 * `%x20-21 / %x23-5B / %x5D-7E` there: printable ASCII without `"` and `\`. Library
 * messages are written for people and may quote values (`"x"`), cite sections (`§3.1.2`),
 * use dashes (`—`) or echo what a client sent, which can be anything. This function maps
 * such a message onto the allowed set, keeping it readable:
 *
 * | in the message | in the description |
 * |---|---|
 * | `§` / `§§` | `section` / `sections` |
 * | dashes and minus signs (U+2010..U+2015, U+2212) | `-` |
 * | `"`, curly and angle quotes | `'` |
 * | `\` | `/` |
 * | `…` `→` `←` `≤` `≥` `×` `•` | `...` `->` `<-` `<=` `>=` `x` `-` |
 * | tab, line breaks, any Unicode space | one space (runs collapse, ends trimmed) |
 * | other control and format characters (Cc, Cf, Zl, Zp handled as spaces) | dropped |
 * | any other character outside the set | `U+XXXX` (its code point) |
 *
 * The result is at most {@link MAX_OAUTH_ERROR_DESCRIPTION} characters (a longer one ends
 * in `...`, never in the middle of a `U+XXXX` escape).
 *
 * @internal Used by `RegistrationError.toJSON`; the public entry point is
 * `oauthErrorDescription` (`oauth-error-description.ts`), which also checks its argument.
 */

/** The longest `error_description` produced (characters, all ASCII). */
export const MAX_OAUTH_ERROR_DESCRIPTION = 1024;

/** RFC 6749 §5.2: the characters an `error_description` may contain. */
export const OAUTH_ERROR_DESCRIPTION_PATTERN = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/** Characters outside the allowed set that have a readable ASCII form. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  '"': "'",
  '\\': '/',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u201C': "'",
  '\u201D': "'",
  '\u201E': "'",
  '\u201F': "'",
  '\u2039': "'",
  '\u203A': "'",
  '\u00AB': "'",
  '\u00BB': "'",
  '\u2026': '...',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u00D7': 'x',
  '\u2022': '-',
};

/** Whitespace of any kind (collapsed to one space). */
const SPACE = /[\t\n\v\f\r\p{Zs}\p{Zl}\p{Zp}]/u;
/** Control and format characters (dropped). */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
/** One code point the set allows as it is. */
const ALLOWED = /^[\x21\x23-\x5B\x5D-\x7E]$/;

/**
 * The mapping itself, for a string already known to be one.
 *
 * @param message - any string
 * @internal
 */
export function toOAuthErrorDescription(message: string): string {
  const units: string[] = [];
  let length = 0;
  let pendingSpace = false;
  const points = Array.from(message);
  // Stop once the description is known to be too long: the rest cannot change the result.
  for (let index = 0; index < points.length && length <= MAX_OAUTH_ERROR_DESCRIPTION; index += 1) {
    const point = points[index] as string;
    if (SPACE.test(point)) {
      pendingSpace = length > 0;
      continue;
    }
    let unit: string;
    if (point === '\u00A7') {
      const plural = points[index + 1] === '\u00A7';
      if (plural) index += 1;
      unit = plural ? 'sections' : 'section';
      // `§3.1` reads as `section 3.1`.
      const following = points[index + 1];
      if (following !== undefined && !SPACE.test(following) && !INVISIBLE.test(following)) {
        unit += ' ';
      }
    } else if (ALLOWED.test(point)) {
      unit = point;
    } else if (Object.hasOwn(TRANSLITERATIONS, point)) {
      unit = TRANSLITERATIONS[point] as string;
    } else if (INVISIBLE.test(point)) {
      continue;
    } else {
      unit = `U+${(point.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    }
    if (pendingSpace && !units.at(-1)?.endsWith(' ')) unit = ` ${unit}`;
    pendingSpace = false;
    units.push(unit);
    length += unit.length;
  }
  if (length <= MAX_OAUTH_ERROR_DESCRIPTION) return units.join('').trimEnd();
  // Too long: drop whole units (never half an escape) until `...` fits.
  while (length > MAX_OAUTH_ERROR_DESCRIPTION - 3) length -= (units.pop() as string).length;
  return `${units.join('').trimEnd()}...`;
}
