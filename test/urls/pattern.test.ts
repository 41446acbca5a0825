import { describe, expect, it } from 'vitest';
import {
  createAllowList,
  InvalidArgumentError,
  InvalidUrlPatternError,
  parseUrlPattern,
  type AllowListKind,
  type UrlProblemCode,
} from '../../src/index.js';

function reject(kind: AllowListKind, entry: unknown): { code: UrlProblemCode; reason: string } {
  const result = parseUrlPattern(kind, entry);
  if (result.ok) throw new Error(`expected ${JSON.stringify(entry)} to be rejected`);
  return result;
}

function accept(kind: AllowListKind, entry: string) {
  const result = parseUrlPattern(kind, entry);
  if (!result.ok) throw new Error(`expected ${entry} to be accepted: ${result.reason}`);
  return result.pattern;
}

describe('parseUrlPattern: the entry grammar', () => {
  it.each<[string, UrlProblemCode]>([
    ['/callback', 'missing_scheme'],
    ['app.example.com/cb', 'missing_scheme'],
    ['*.example.com', 'missing_scheme'],
    ['https:app.example.com/cb', 'missing_host'],
    ['https:/app.example.com/cb', 'missing_host'],
    ['https:///app.example.com/cb', 'missing_host'],
    ['https://', 'missing_host'],
    ['https://user:pw@app.example.com/cb', 'userinfo'],
    ['https://app.example.com/cb#x', 'fragment'],
    ['https://app.example.com/cb#', 'fragment'],
    ['https://app.exa mple.com/cb', 'forbidden_character'],
    ['https://app.example.com/cb\u00ad', 'forbidden_character'],
    ['https://app.example.com/\u200bcb', 'forbidden_character'],
    ['\ufeffhttps://app.example.com/cb', 'forbidden_character'],
    ['https://app.example.com\\cb', 'forbidden_character'],
    ['https://app%2eexample.com/cb', 'percent_in_host'],
    ['https://app.example.com:/cb', 'invalid_port'],
    ['https://app.example.com:0443/cb', 'invalid_port'],
    ['https://app.example.com:65536/cb', 'invalid_port'],
    ['https://app.example.com:0/cb', 'invalid_port'],
    ['https://app.example.com/a/../cb', 'dot_segment'],
    ['https://app.example.com/a/%2e%2E/cb', 'dot_segment'],
    ['https://app.example.com/./cb', 'dot_segment'],
    ['https://app.example.com/cb/.', 'dot_segment'],
    ['com.example.app:/a/%2e/b', 'dot_segment'],
    ['javascript:alert(1)', 'forbidden_scheme'],
    ['JAVASCRIPT://x/%0aalert(1)', 'forbidden_scheme'],
    ['data:text/html,hi', 'forbidden_scheme'],
    ['file:///etc/passwd', 'forbidden_scheme'],
    ['ws://app.example.com/socket', 'forbidden_scheme'],
    ['localhost:3000/callback', 'opaque_path'],
    ['com.example.app:callback', 'opaque_path'],
  ])('refuses %s (%s)', (entry, code) => {
    expect(reject('callback', entry).code).toBe(code);
  });

  it('refuses entries longer than 2048 characters but accepts 2048', () => {
    const base = 'https://app.example.com/';
    expect(accept('callback', base + 'a'.repeat(2048 - base.length)).path).toHaveLength(
      2048 - base.length + 1,
    );
    expect(reject('callback', base + 'a'.repeat(2049 - base.length)).code).toBe('too_long');
  });

  it('refuses non-strings', () => {
    expect(reject('callback', 42).code).toBe('not_a_string');
    expect(reject('origin', null).code).toBe('not_a_string');
  });

  it('accepts private-use schemes for callback and logout but not for origin', () => {
    expect(accept('callback', 'com.example.app:/oauth2redirect').scheme).toBe('com.example.app');
    expect(accept('logout', 'myapp://logout').scheme).toBe('myapp');
    expect(reject('origin', 'com.example.app:/oauth2redirect').code).toBe('scheme_not_allowed');
  });

  it('normalises case, IDN, default ports and empty paths', () => {
    const pattern = accept('callback', 'HTTPS://App.B\u00fccher.Example:443');
    expect(pattern.normalized).toBe('https://app.xn--bcher-kva.example/');
    expect(pattern.port).toBe('');
    expect(pattern.path).toBe('/');
    expect(pattern.query).toBeUndefined();
    expect(accept('callback', 'https://a.example.com/cb?').query).toBe('');
  });

  it('keeps only the origin of an origin entry with a path', () => {
    const pattern = accept('origin', 'https://shop.example.com/app?x=1');
    expect(pattern.normalized).toBe('https://shop.example.com');
    expect(pattern.path).toBe('/app');
    expect(pattern.query).toBe('x=1');
  });

  it('marks loopback IP entries but not localhost', () => {
    expect(accept('callback', 'http://127.0.0.1:8080/cb').loopbackIp).toBe(true);
    expect(accept('callback', 'http://[::1]/cb').loopbackIp).toBe(true);
    expect(accept('callback', 'http://localhost/cb').loopbackIp).toBe(false);
    expect(accept('callback', 'https://127.0.0.1/cb').loopbackIp).toBe(false);
  });
});

describe('parseUrlPattern: wildcards', () => {
  it('splits a wildcard label into prefix, suffix and domain', () => {
    const pattern = accept('callback', 'https://PR-*-Preview.B\u00fccher.example/cb');
    expect(pattern.wildcard).toEqual({
      prefix: 'pr-',
      suffix: '-preview',
      domain: 'xn--bcher-kva.example',
    });
    expect(pattern.normalized).toBe('https://pr-*-preview.xn--bcher-kva.example/cb');
    expect(pattern.host).toBe('pr-*-preview.xn--bcher-kva.example');
  });

  it.each<[string, UrlProblemCode]>([
    ['https://a.*.example.com/cb', 'wildcard_position'],
    ['https://app.example.*/cb', 'wildcard_position'],
    ['https://app.example.com/*', 'wildcard_position'],
    ['https://app.example.com/cb?x=*', 'wildcard_position'],
    ['https://app.example.com:*/cb', 'wildcard_position'],
    ['*://app.example.com/cb', 'wildcard_position'],
    ['https://*.*.example.com/cb', 'wildcard_count'],
    ['https://**.example.com/cb', 'wildcard_count'],
    ['com.example.*:/cb', 'wildcard_position'],
    ['myapp://*.example.com/cb', 'wildcard_scheme'],
    ['https://*', 'wildcard_needs_domain'],
    ['https://*/cb', 'wildcard_needs_domain'],
    ['https://*./cb', 'wildcard_needs_domain'],
    ['https://*.com/cb', 'wildcard_public_suffix'],
    ['https://app-*.com/cb', 'wildcard_public_suffix'],
    ['https://*.co.uk/cb', 'wildcard_public_suffix'],
    ['https://*.github.io/cb', 'wildcard_public_suffix'],
    ['https://*.s3.amazonaws.com/cb', 'wildcard_public_suffix'],
    ['https://*.localhost/cb', 'wildcard_public_suffix'],
    ['https://*.test/cb', 'wildcard_public_suffix'],
    ['https://*.1.2.3/cb', 'wildcard_ip'],
    ['https://*.0x7f/cb', 'wildcard_ip'],
    ['https://[*::1]/cb', 'wildcard_ip'],
    ['https://-*.example.com/cb', 'wildcard_label'],
    ['https://*-.example.com/cb', 'wildcard_label'],
    ['https://a_*.example.com/cb', 'wildcard_label'],
    [`https://${'a'.repeat(63)}*.example.com/cb`, 'wildcard_label'],
  ])('refuses %s (%s)', (entry, code) => {
    expect(reject('callback', entry).code).toBe(code);
  });

  it('accepts a wildcard under a private registrable domain', () => {
    expect(accept('callback', 'https://*.app.localhost/cb').wildcard?.domain).toBe('app.localhost');
    expect(accept('origin', 'https://*.mysite.github.io').wildcard?.domain).toBe(
      'mysite.github.io',
    );
  });

  it('explains a public-suffix wildcard in words a person can act on', () => {
    expect(reject('callback', 'https://*.co.uk/cb').reason).toMatch(/public suffix \(co\.uk\)/);
  });
});

describe('createAllowList: arguments', () => {
  it('names the first bad entry, its index and the reason', () => {
    const error = (() => {
      try {
        createAllowList('callback', ['https://ok.example.com/cb', 'https://*.com/cb']);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidUrlPatternError);
    const invalid = error as InvalidUrlPatternError;
    expect(invalid.code).toBe('invalid_url_pattern');
    expect(invalid.index).toBe(1);
    expect(invalid.entry).toBe('https://*.com/cb');
    expect(invalid.message).toContain('"https://*.com/cb"');
    expect(invalid.message).toContain('public suffix (com)');
  });

  it('refuses a bad kind, entries or options with InvalidArgumentError', () => {
    expect(() => createAllowList('redirect' as AllowListKind, [])).toThrow(InvalidArgumentError);
    expect(() => createAllowList('callback', 'https://a.example.com' as never)).toThrow(
      InvalidArgumentError,
    );
    expect(() => createAllowList('callback', [], { loopbackAnyPort: 'yes' as never })).toThrow(
      /loopbackAnyPort must be a boolean/,
    );
    expect(() => createAllowList('callback', [42 as never])).toThrow(InvalidUrlPatternError);
  });
});
