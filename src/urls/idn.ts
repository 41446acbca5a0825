/**
 * Internationalised hosts in entries. An entry may be written in Unicode
 * (`https://bücher.example/cb`) and is stored as the punycode Node's URL parser makes of
 * it; that is sound only when browsers (UTS #46 non-transitional processing, as the WHATWG
 * URL standard requires) make the same punycode. They do not always: Node 20 and 22 map
 * "ẞ" (U+1E9E) to "ss" where browsers keep "ß", so `https://straẞe.com` would be stored as
 * `strasse.com` while a browser goes to `xn--strae-oqa.com`. The same holds for a
 * candidate written in Unicode.
 *
 * The rule, for entries and candidates alike: a Unicode host must be written in its mapped
 * form (what UTS #46 maps it to, apart from ASCII letter case), and must contain no
 * character that parsers read differently. Then the parser maps nothing and only encodes
 * punycode, which every implementation does alike; the remaining trust is that a code
 * point Node's tables keep as it is, browsers' tables keep too (checked for every code
 * point against whatwg-url on Node 20.20, see test/urls/differential.test.ts).
 *
 * @see https://www.unicode.org/reports/tr46/#Deviations
 * @see https://url.spec.whatwg.org/#concept-domain-to-ascii
 */
import { domainToUnicode } from 'node:url';
import { problem, type UrlProblem } from './scan.js';

/**
 * Characters that URL parsers map differently, each with the two forms they end up as:
 * the UTS #46 deviation characters (transitional processing maps them, non-transitional
 * keeps them; ZWJ and ZWNJ are also refused earlier as invisible characters) and U+1E9E,
 * whose mapping changed in Unicode 15.1 (to "ß"; "ss" before, as in Node 20 and 22).
 * Checked against whatwg-url on Node 20.20: U+1E9E is the only code point whose punycode
 * differs (test/urls/differential.test.ts).
 */
const AMBIGUOUS: Readonly<Record<string, readonly [string, string]>> = {
  '\u00df': ['ß', 'ss'],
  '\u1e9e': ['ß', 'ss'],
  '\u03c2': ['ς', 'σ'],
  '\u200c': ['a zero-width non-joiner', 'nothing'],
  '\u200d': ['a zero-width joiner', 'nothing'],
};
const AMBIGUOUS_CHARACTER = /[\u00df\u1e9e\u03c2\u200c\u200d]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** True when `text` has a character outside ASCII. */
export function hasNonAscii(text: string): boolean {
  return NON_ASCII.test(text);
}

/**
 * Checks an entry's host as written (`written`, any case) against the hostname Node's
 * parser made of it (`hostname`). ASCII hosts pass: lower-casing is all that happens to
 * them everywhere.
 */
export function checkInternationalHost(written: string, hostname: string): UrlProblem | undefined {
  if (!hasNonAscii(written)) return undefined;
  const unicode = domainToUnicode(hostname);
  const ambiguous = AMBIGUOUS_CHARACTER.exec(written) ?? AMBIGUOUS_CHARACTER.exec(unicode);
  if (ambiguous) return deviation(ambiguous[0]);
  const writtenLabels = asciiLowerCase(written).split('.');
  const asciiLabels = hostname.split('.');
  const unicodeLabels = unicode.split('.');
  const same =
    writtenLabels.length === asciiLabels.length &&
    writtenLabels.length === unicodeLabels.length &&
    writtenLabels.every((label, i) =>
      hasNonAscii(label) ? label === unicodeLabels[i] : label === asciiLabels[i],
    );
  if (same) return undefined;
  return problem(
    'idn_not_normalized',
    `must write an internationalised host in its normalised form: "${written}" is read as ${unicode === '' ? hostname : `"${unicode}"`} (${hostname}) by this parser and may be read differently by browsers; write "${hostname}"`,
  );
}

/** Lower-cases A–Z only: any other case mapping is the parser's, and must not be needed. */
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function deviation(character: string): UrlProblem {
  const code = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  const [kept, mapped] = AMBIGUOUS[character] ?? ['?', '?'];
  return problem(
    'idn_deviation',
    `must not contain "${character}" (U+${code}) in the host: browsers and URL parsers disagree on it (some read ${kept}, some ${mapped}), so the host a browser goes to could differ from the one compared; write the host in punycode (xn--…) as you mean it`,
  );
}
