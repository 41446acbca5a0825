/**
 * `htu` comparison (RFC 9449 §4.3 item 9): RFC 3986 syntax- and scheme-based normalisation
 * on both sides, query and fragment ignored, nothing else forgiven.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htuMatches, normalisedHtu } from '../../src/dpop/htu.js';

const ENDPOINT = 'https://id.example.com/oauth/token';

describe('normalisedHtu', () => {
  it('normalises case, default ports, percent-encoding and dot-segments', () => {
    expect(normalisedHtu('HTTPS://ID.Example.com:443/oauth/token')).toBe(ENDPOINT);
    expect(normalisedHtu('https://id.example.com/%6Fauth/t%6fken')).toBe(ENDPOINT);
    expect(normalisedHtu('https://id.example.com/a/../oauth/./token')).toBe(ENDPOINT);
    expect(normalisedHtu('https://id.example.com/a/%2e%2E/oauth/token')).toBe(ENDPOINT);
    expect(normalisedHtu('http://id.example.com')).toBe('http://id.example.com/');
    expect(normalisedHtu('https://id.example.com/p%2fq')).toBe('https://id.example.com/p%2Fq');
  });

  it('drops query and fragment', () => {
    expect(normalisedHtu(`${ENDPOINT}?a=b#c`)).toBe(ENDPOINT);
  });

  it('refuses other schemes, userinfo, relative and overlong URIs', () => {
    for (const uri of [
      'ftp://id.example.com/oauth/token',
      'https://u:p@id.example.com/oauth/token',
      '/oauth/token',
      'not a uri',
      `https://id.example.com/${'a'.repeat(2048)}`,
    ]) {
      expect(normalisedHtu(uri), uri).toBeUndefined();
    }
  });

  it('is idempotent and agrees with itself for any http URL', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const once = normalisedHtu(url);
        if (once === undefined) return;
        expect(normalisedHtu(once)).toBe(once);
        expect(htuMatches(url, [once])).toBe(true);
      }),
    );
  });

  it('never matches when the path differs after normalisation', () => {
    fc.assert(
      fc.property(fc.webPath({ size: 'small' }), fc.webPath({ size: 'small' }), (left, right) => {
        const a = `https://id.example.com${left.startsWith('/') ? left : `/${left}`}`;
        const b = `https://id.example.com${right.startsWith('/') ? right : `/${right}`}`;
        const same = normalisedHtu(a) === normalisedHtu(b);
        expect(htuMatches(a, [b])).toBe(same && normalisedHtu(a) !== undefined);
      }),
    );
  });
});

describe('htuMatches', () => {
  it('matches any of the accepted URIs and nothing that is not a string', () => {
    expect(htuMatches(ENDPOINT, ['https://other.example.com/x', ENDPOINT])).toBe(true);
    expect(htuMatches(ENDPOINT, [])).toBe(false);
    expect(htuMatches(undefined, [ENDPOINT])).toBe(false);
    expect(htuMatches(['x'], [ENDPOINT])).toBe(false);
  });
});
