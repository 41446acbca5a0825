/**
 * canonicalHttpUrl: the check behind the issuer, tokenEndpoint and resource options.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalHttpUrl } from '../../src/urls/canonical-http-url.js';

describe('canonicalHttpUrl', () => {
  it('accepts absolute http(s) URLs written as WHATWG URL writes them', () => {
    for (const value of [
      'https://id.example.com/',
      'http://127.0.0.1:3000/',
      'https://id.example.com/tenants/a/',
      'https://xn--bcher-kva.example/',
    ]) {
      expect(canonicalHttpUrl(value)?.href).toBe(value);
    }
  });

  it('refuses other schemes, relative URLs, non-canonical spellings and non-strings', () => {
    for (const value of [
      'id.example.com',
      '/oauth/token',
      'ftp://id.example.com/',
      'javascript:alert(1)',
      'https://ID.example.com/',
      'https://id.example.com',
      'https://id.example.com:443/',
      'https://id.example.com/a/../b',
      'https://bücher.example/',
      ' https://id.example.com/',
      '',
      undefined,
      42,
      new URL('https://id.example.com/'),
    ]) {
      expect(canonicalHttpUrl(value)).toBeUndefined();
    }
  });

  it('refuses a fragment and any userinfo, a password alone included', () => {
    for (const value of [
      'https://id.example.com/#x',
      'https://id.example.com/#',
      'https://user@id.example.com/',
      'https://:secret@id.example.com/',
      'https://user:secret@id.example.com/',
    ]) {
      expect(canonicalHttpUrl(value)).toBeUndefined();
      expect(canonicalHttpUrl(value, true)).toBeUndefined();
    }
  });

  it('takes a query only when asked to', () => {
    expect(canonicalHttpUrl('https://id.example.com/token?tenant=a')).toBeUndefined();
    expect(canonicalHttpUrl('https://id.example.com/token?')).toBeUndefined();
    expect(canonicalHttpUrl('https://id.example.com/token?tenant=a', true)?.search).toBe(
      '?tenant=a',
    );
  });

  it('returns only URLs whose href is the input, with no userinfo or fragment (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()),
        fc.boolean(),
        (value, allowQuery) => {
          const url = canonicalHttpUrl(value, allowQuery);
          if (url === undefined) return;
          expect(url.href).toBe(value);
          expect(['http:', 'https:']).toContain(url.protocol);
          expect(url.username + url.password + url.hash).toBe('');
          expect(value).not.toContain('#');
          if (!allowQuery) expect(value).not.toContain('?');
        },
      ),
      { numRuns: 500 },
    );
  });
});
