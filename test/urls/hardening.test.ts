import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAllowList,
  parseUrlPattern,
  type AllowListKind,
  type UrlProblemCode,
} from '../../src/index.js';
import { compileAllowList } from '../../src/urls/allow-list.js';
import type { UrlPattern } from '../../src/urls/pattern.js';
import { isPublicSuffixHost, suffixBeneath } from '../../src/urls/public-suffix.js';

const kinds: AllowListKind[] = ['callback', 'logout', 'origin'];

function refusal(kind: AllowListKind, entry: string): { code: UrlProblemCode; reason: string } {
  const result = parseUrlPattern(kind, entry);
  if (result.ok) throw new Error(`expected ${entry} to be refused`);
  return result;
}

function accepted(kind: AllowListKind, entry: string): UrlPattern {
  const result = parseUrlPattern(kind, entry);
  if (!result.ok) throw new Error(`expected ${entry} to be accepted: ${result.reason}`);
  return result.pattern;
}

describe('internationalised hosts (issue #12: the U+1E9E bypass)', () => {
  it('never allows a host with "ẞ", which Node maps to "ss" and browsers to "ß"', () => {
    for (const kind of kinds) {
      const path = kind === 'origin' ? '' : '/cb';
      const list = createAllowList(kind, [
        `https://strasse.com${path}`,
        `https://pr-*.preview.example.com${path}`,
      ]);
      expect(list.allows(`https://strasse.com${path}`)).toBe(true);
      expect(list.allows(`https://stra\u1e9ee.com${path}`)).toBe(false);
      expect(list.allows(`https://STRA\u1e9eE.com${path}`)).toBe(false);
      expect(list.allows(`https://pr-1.preview.example.com${path}`)).toBe(true);
      expect(list.allows(`https://pr-\u1e9e.preview.example.com${path}`)).toBe(false);
      expect(list.allows(`https://pr-\u00df.preview.example.com${path}`)).toBe(false);
    }
  });

  it('refuses entries with a deviation character or U+1E9E, naming the character', () => {
    for (const entry of [
      'https://stra\u1e9ee.com/cb',
      'https://stra\u00dfe.com/cb',
      'https://\u03c3\u03bf\u03c6\u03bf\u03c2.gr/cb',
      'https://*.stra\u00dfe.com/cb',
      'https://a.stra\u1e9ee.example.com/cb',
    ]) {
      const problem = refusal('callback', entry);
      expect(problem.code).toBe('idn_deviation');
      expect(problem.reason).toMatch(/U\+(00DF|1E9E|03C2)/);
    }
    expect(refusal('origin', 'https://stra\u1e9ee.com').code).toBe('idn_deviation');
    expect(refusal('logout', 'https://stra\u00dfe.com/bye').code).toBe('idn_deviation');
  });

  it('refuses Unicode hosts that are not written in their mapped form', () => {
    for (const entry of [
      'https://B\u00dcCHER.example/cb', // Ü: a Unicode case mapping
      'https://bu\u0308cher.example/cb', // not NFC
      'https://\ufb01le.example.com/cb', // the "ﬁ" ligature maps to "fi"
      'https://\uff41pp.example.com/cb', // full-width "ａ"
      'https://app\u3002example.com/cb', // ideographic full stop maps to "."
      'https://\u03a3\u03bf\u03c6\u03bf\u03c3.gr/cb', // Σ
    ]) {
      expect(refusal('callback', entry).code, entry).toBe('idn_not_normalized');
    }
    expect(refusal('callback', 'https://B\u00dcCHER.example/cb').reason).toContain(
      'xn--bcher-kva.example',
    );
  });

  it('accepts Unicode hosts in mapped form and punycode written as such', () => {
    expect(accepted('callback', 'https://b\u00fccher.example/cb').host).toBe(
      'xn--bcher-kva.example',
    );
    expect(accepted('callback', 'https://B\u00fcCHER.example/cb').host).toBe(
      'xn--bcher-kva.example',
    );
    expect(accepted('callback', 'https://\u4e2d\u6587.example.com/cb').host).toBe(
      'xn--fiq228c.example.com',
    );
    // Punycode names exactly one host everywhere, even when it decodes to "ß".
    expect(accepted('callback', 'https://XN--STRAE-OQA.com/cb').host).toBe('xn--strae-oqa.com');
  });

  it('compares Unicode candidates only when nothing needs mapping', () => {
    const list = createAllowList('callback', [
      'https://xn--bcher-kva.example/cb',
      'https://*.example.com/cb',
    ]);
    expect(list.allows('https://b\u00fccher.example/cb')).toBe(true);
    expect(list.allows('https://B\u00fcCHER.example/cb')).toBe(true);
    expect(list.allows('https://B\u00dcCHER.example/cb')).toBe(false);
    expect(list.allows('https://bu\u0308cher.example/cb')).toBe(false);
    expect(list.allows('https://\u00fcnicode.example.com/cb')).toBe(true);
    expect(list.allows('https://\u00dcnicode.example.com/cb')).toBe(false);
    expect(list.allows('https://stra\u00dfe.example.com/cb')).toBe(false);
    expect(list.allows('https://\u03c2.example.com/cb')).toBe(false);
    // Sent in punycode, a label that decodes to "ß" is one host for every parser (Chromium
    // requests xn--strae-oqa as written: test/urls/browser.test.ts).
    expect(list.allows('https://xn--strae-oqa.example.com/cb')).toBe(true);
  });
});

describe('entries that could never match', () => {
  it('refuses an entry whose normalised form is longer than 2,048 characters', () => {
    const base = 'https://app.example.com/';
    const long = base + '\u00e9'.repeat(338); // each é becomes %C3%A9
    expect(long.length).toBeLessThanOrEqual(2048);
    const problem = refusal('callback', long);
    expect(problem.code).toBe('too_long');
    expect(problem.reason).toContain('2052');
    expect(() => createAllowList('callback', [long])).toThrow(/once normalised/);
  });

  it('still matches an entry whose normalised form is exactly 2,048 characters', () => {
    const base = 'https://app.example.com/';
    const exact = base + '\u00e9'.repeat(337) + 'ab';
    const normalised = new URL(exact).href;
    expect(normalised).toHaveLength(2048);
    const list = createAllowList('callback', [exact]);
    expect(list.allows(exact)).toBe(true);
    expect(list.allows(normalised)).toBe(true);
    expect(list.allows(`${normalised}x`)).toBe(false);
  });
});

describe('public suffixes', () => {
  it('refuses a wildcard over a domain with public-suffix rules directly beneath it', () => {
    const problem = refusal('callback', 'https://*.amazonaws.com/callback');
    expect(problem.code).toBe('wildcard_public_suffix');
    expect(problem.reason).toContain('s3.amazonaws.com');
    expect(refusal('origin', 'https://*.windows.net').code).toBe('wildcard_public_suffix');
    expect(refusal('callback', 'https://pr-*.fastly.net/cb').code).toBe('wildcard_public_suffix');
  });

  it('still accepts wildcards over ordinary registrable domains', () => {
    expect(accepted('callback', 'https://*.example.com/cb').wildcard?.domain).toBe('example.com');
    expect(accepted('callback', 'https://*.mybucket.s3.amazonaws.com/cb').wildcard?.domain).toBe(
      'mybucket.s3.amazonaws.com',
    );
  });

  it('refuses an exact entry whose host is itself a public suffix', () => {
    for (const entry of [
      'https://s3.amazonaws.com/callback',
      'https://github.io/cb',
      'https://co.uk/cb',
      'https://S3.AmazonAWS.com./callback',
    ]) {
      expect(refusal('callback', entry).code, entry).toBe('public_suffix_host');
    }
    expect(refusal('origin', 'https://github.io').code).toBe('public_suffix_host');
  });

  it('keeps hosts the PSL does not list: localhost, single labels, IP addresses', () => {
    expect(accepted('callback', 'http://localhost:3000/cb').host).toBe('localhost');
    expect(accepted('callback', 'http://intranet/cb').host).toBe('intranet');
    expect(accepted('callback', 'http://127.0.0.1/cb').host).toBe('127.0.0.1');
    expect(accepted('callback', 'https://app.github.io/cb').host).toBe('app.github.io');
  });

  it('never allows a wildcard-produced host that is a public suffix, even past the entry check', () => {
    // A pattern as a stale suffix table would let through: the matcher asks tldts again.
    const real = accepted('callback', 'https://*.example.com/callback');
    const stale: UrlPattern = {
      ...real,
      host: '*.amazonaws.com',
      normalized: 'https://*.amazonaws.com/callback',
      key: 'https://*.amazonaws.com/callback',
      wildcard: { prefix: '', suffix: '', domain: 'amazonaws.com' },
    };
    const list = compileAllowList('callback', [stale]);
    expect(list.allows('https://s3.amazonaws.com/callback')).toBe(false);
    expect(list.allows('https://mine.amazonaws.com/callback')).toBe(true);
  });

  it('answers the suffix questions from tldts', () => {
    expect(isPublicSuffixHost('s3.amazonaws.com')).toBe(true);
    expect(isPublicSuffixHost('s3.amazonaws.com.')).toBe(true);
    expect(isPublicSuffixHost('app.example.com')).toBe(false);
    expect(suffixBeneath('amazonaws.com')).toBe('s3.amazonaws.com');
    expect(suffixBeneath('example.com')).toBeUndefined();
  });
});

describe('asterisks and empty labels', () => {
  it('refuses a host character that normalises to "*"', () => {
    for (const entry of [
      'https://\uff0a.example.com/cb', // full-width asterisk
      'https://\ufe61.example.com/cb', // small asterisk
      'https://a\uff0ab.example.com/cb',
      'https://*.\uff0a.example.com/cb',
      'https://app.\uff0a/cb',
    ]) {
      expect(refusal('callback', entry).code, entry).toBe('host_asterisk');
    }
    expect(refusal('origin', 'https://\uff0a.example.com').code).toBe('host_asterisk');
  });

  it('never produces a "*" in the normalised form of an entry without a wildcard', () => {
    const lookalike = fc.constantFrom('\uff0a', '\ufe61', '\u2217', '\u204e', '\u2731', '*');
    fc.assert(
      fc.property(
        fc.constantFrom('https://', 'http://', 'com.example.app:/'),
        fc.array(fc.oneof(lookalike, fc.constantFrom('a', '.', '/', 'b', '?', 'x')), {
          maxLength: 8,
        }),
        fc.constantFrom(...kinds),
        (scheme, parts, kind) => {
          const result = parseUrlPattern(kind, `${scheme}app${parts.join('')}.example.com/cb`);
          if (result.ok && result.pattern.wildcard === undefined) {
            expect(result.pattern.normalized).not.toContain('*');
            expect(result.pattern.key).not.toContain('*');
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('refuses empty labels but keeps one trailing dot', () => {
    for (const entry of [
      'https://*.example.com..',
      'https://*.example.com../cb',
      'https://a..example.com/cb',
      'https://.example.com/cb',
      'https://a\u3002\u3002example.com/cb',
    ]) {
      expect(refusal('callback', entry).code, entry).toBe('empty_label');
    }
    expect(accepted('callback', 'https://app.example.com./cb').host).toBe('app.example.com.');
    expect(accepted('callback', 'https://*.example.com./cb').wildcard?.domain).toBe('example.com.');
  });
});

describe('browser- and OS-internal schemes', () => {
  it.each([
    'chrome://settings/',
    'chrome-extension://abcdefghijklmnop/cb.html',
    'chrome-untrusted://x/cb',
    'ms-settings:/privacy',
    'MS-Settings:/privacy',
    'ms-windows-store://pdp/?ProductId=1',
    'ms-word:/ofe|u|x',
    'ms-appx-web:///cb',
    'search-ms:/query',
    'livescript:/alert(1)',
    'jar:/file.jar!/cb',
    'view-source:/https://app.example.com/',
    'edge://settings',
    'microsoft-edge:/https://evil.com',
    'opera://settings',
    'brave://settings',
    'vivaldi://settings',
    'moz-extension://uuid/cb.html',
    'resource://gre/cb',
    'intent://cb#Intent;scheme=https;end',
    'safari-web-extension://uuid/cb',
    'devtools://devtools/cb',
  ])('refuses %s', (entry) => {
    for (const kind of ['callback', 'logout'] as const) {
      const problem = refusal(kind, entry);
      expect(['forbidden_scheme', 'fragment']).toContain(problem.code);
    }
    if (!entry.includes('#')) {
      expect(refusal('callback', entry).reason).toMatch(/internal to a|runs script|local/);
    }
  });

  it('keeps private-use schemes of applications, including ones that start with "ms"', () => {
    expect(accepted('callback', 'com.example.app:/oauth2redirect').scheme).toBe('com.example.app');
    expect(accepted('callback', 'msauth.com.example.app://auth').scheme).toBe(
      'msauth.com.example.app',
    );
    expect(accepted('callback', 'msal00000000-0000-0000-0000-000000000000://auth').scheme).toBe(
      'msal00000000-0000-0000-0000-000000000000',
    );
    expect(accepted('logout', 'chromeapp://logout').scheme).toBe('chromeapp');
  });

  it('never allows such a candidate, whatever the list', () => {
    const list = createAllowList('callback', ['com.example.app:/cb']);
    expect(list.allows('ms-settings:/cb')).toBe(false);
    expect(list.allows('chrome-extension://x/cb')).toBe(false);
  });
});

describe('allows() detached', () => {
  const list = createAllowList('callback', ['https://app.example.com/cb']);
  const candidates = ['https://app.example.com/cb', 'https://evil.com/cb', 'x'];

  it('works as a plain function and as a callback', () => {
    const allows = list.allows;
    expect(allows('https://app.example.com/cb')).toBe(true);
    expect(allows('https://evil.com/cb')).toBe(false);
    // As JavaScript passes it: filter and map also hand over the index (a number), which
    // allows() ignores as a context (TypeScript wants the one-argument view of it).
    const callback = list.allows as (candidate: string) => boolean;
    expect(candidates.filter(callback)).toEqual(['https://app.example.com/cb']);
    expect(candidates.map(callback)).toEqual([true, false, false]);
    expect(Reflect.apply(list.allows, undefined, ['https://app.example.com/cb'])).toBe(true);
    expect(list.allows.call({}, 'https://app.example.com/cb')).toBe(true);
  });

  it('never throws, detached or not, whatever the arguments', () => {
    const allows = list.allows as (...args: unknown[]) => unknown;
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (candidate, extra) => {
        expect(allows(candidate)).toBe(false);
        expect(allows(candidate, extra)).toBe(false);
        expect(allows('https://app.example.com/cb', extra)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
