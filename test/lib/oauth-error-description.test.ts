import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MAX_OAUTH_ERROR_DESCRIPTION,
  OAUTH_ERROR_DESCRIPTION_PATTERN,
  oauthErrorDescription,
} from '../../src/index.js';

/** RFC 6749 §5.2, written out independently of the module's own pattern. */
function conforms(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const ok =
      code === 0x20 ||
      code === 0x21 ||
      (code >= 0x23 && code <= 0x5b) ||
      (code >= 0x5d && code <= 0x7e);
    if (!ok) return false;
  }
  return true;
}

describe('oauthErrorDescription', () => {
  it.each([
    [
      'redirect_uris/0: "https://a.example/#x" — must not contain a fragment (RFC 6749 §3.1.2)',
      "redirect_uris/0: 'https://a.example/#x' - must not contain a fragment (RFC 6749 section 3.1.2)",
    ],
    ['see §§ 3–4', 'see sections 3-4'],
    ['RFC 7591 § 2', 'RFC 7591 section 2'],
    ['ends with §', 'ends with section'],
    ['“curly” ‘single’ «angle»', "'curly' 'single' 'angle'"],
    ['a\\b', 'a/b'],
    ['wait… a → b, 1 ≤ 2 ≥ 0, 2×3', 'wait... a -> b, 1 <= 2 >= 0, 2x3'],
    ['  line one\r\n\tline two  ', 'line one line two'],
    ['no\u0000nul\u200Bzero\u00ADwidth\u007Fdel', 'nonulzerowidthdel'],
    ['caf\u00E9 \u{1F600}', 'cafU+00E9 U+1F600'],
    ['non\u00A0breaking\u2028separator', 'non breaking separator'],
    ['', ''],
    ['\u200B\u0000', ''],
  ])('maps %j to %j', (message, expected) => {
    expect(oauthErrorDescription(message)).toBe(expected);
  });

  it('leaves a description that already conforms as it is', () => {
    const text =
      "client_name must be 1 to 255 characters after trimming ('x' is not; #3 [ok] {y} ~`!)";
    expect(oauthErrorDescription(text)).toBe(text);
  });

  it('bounds the length and never cuts an escape in half', () => {
    const long = oauthErrorDescription('x'.repeat(5000));
    expect(long).toHaveLength(MAX_OAUTH_ERROR_DESCRIPTION);
    expect(long.endsWith('...')).toBe(true);
    const escaped = oauthErrorDescription('\u00E9'.repeat(1000));
    expect(escaped.endsWith('U+00E9...')).toBe(true);
    expect(escaped.length).toBeLessThanOrEqual(MAX_OAUTH_ERROR_DESCRIPTION);
    const exact = 'y'.repeat(MAX_OAUTH_ERROR_DESCRIPTION);
    expect(oauthErrorDescription(exact)).toBe(exact);
    expect(oauthErrorDescription(`${exact}z`)).toBe(
      `${'y'.repeat(MAX_OAUTH_ERROR_DESCRIPTION - 3)}...`,
    );
  });

  it('refuses a value that is not a string with a typed error', () => {
    for (const value of [undefined, null, 1, {}, ['x']]) {
      expect(() => oauthErrorDescription(value as unknown as string)).toThrow(InvalidArgumentError);
    }
  });

  it('maps any string into the RFC 6749 section 5.2 set, bounded, trimmed (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 300 }),
          fc.string({
            unit: fc.constantFrom('§', '—', '"', '\\', ' ', '\n', 'é', 'a', '\u0000'),
            maxLength: 1500,
          }),
        ),
        (message) => {
          const description = oauthErrorDescription(message);
          expect(conforms(description)).toBe(true);
          expect(OAUTH_ERROR_DESCRIPTION_PATTERN.test(description)).toBe(true);
          expect(description.length).toBeLessThanOrEqual(MAX_OAUTH_ERROR_DESCRIPTION);
          expect(description).toBe(description.trim());
          expect(description).not.toMatch(/ {2}/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is idempotent and keeps every allowed character of a short message (property)', () => {
    const allowed = fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0x7e })
        .filter((code) => code !== 0x22 && code !== 0x5c)
        .map((code) => String.fromCharCode(code)),
      maxLength: 200,
    });
    fc.assert(
      fc.property(allowed, fc.string({ unit: 'grapheme', maxLength: 100 }), (plain, any) => {
        const normalised = plain.trim().replace(/ +/g, ' ');
        expect(oauthErrorDescription(plain)).toBe(normalised);
        const once = oauthErrorDescription(any);
        expect(oauthErrorDescription(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
