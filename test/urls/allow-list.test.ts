import { describe, expect, it } from 'vitest';
import { createAllowList } from '../../src/index.js';

describe('callback lists', () => {
  const list = createAllowList('callback', [
    'https://app.example.com/cb',
    'https://app.example.com/q?tenant=a',
    'https://*.example.org/cb',
    'com.example.app:/oauth2redirect',
    'myapp://callback/done',
  ]);

  it('allows the exact URL and its normalised spellings', () => {
    expect(list.allows('https://app.example.com/cb')).toBe(true);
    expect(list.allows('HTTPS://APP.EXAMPLE.COM:443/cb')).toBe(true);
    expect(list.allows('https://app.example.com/q?tenant=a')).toBe(true);
    expect(list.allows('https://app.\uff41pp.example.com/cb')).toBe(false);
  });

  it('compares percent-encoding as written, never decoded', () => {
    const cafe = createAllowList('callback', ['https://app.example.com/caf\u00e9']);
    expect(cafe.allows('https://app.example.com/caf%C3%A9')).toBe(true);
    expect(list.allows('https://app.example.com/%63b')).toBe(false);
  });

  it('refuses any query on an entry without one, even an empty one', () => {
    expect(list.allows('https://app.example.com/cb?')).toBe(false);
    expect(list.allows('https://app.example.com/cb?x=1')).toBe(false);
    expect(list.allows('https://app.example.com/q')).toBe(false);
    expect(list.allows('https://app.example.com/q?tenant=a&')).toBe(false);
  });

  it('treats an empty path as "/"', () => {
    const root = createAllowList('callback', ['https://app.example.com']);
    expect(root.allows('https://app.example.com/')).toBe(true);
    expect(root.allows('https://app.example.com')).toBe(true);
    expect(root.allows('https://app.example.com//')).toBe(false);
  });

  it('refuses fragments, even an empty one', () => {
    expect(list.allows('https://app.example.com/cb#')).toBe(false);
    expect(list.allows('com.example.app:/oauth2redirect#')).toBe(false);
  });

  it('compares private-use URIs by their whole serialisation', () => {
    expect(list.allows('com.example.app:/oauth2redirect')).toBe(true);
    expect(list.allows('COM.EXAMPLE.APP:/oauth2redirect')).toBe(true);
    expect(list.allows('com.example.app:/oauth2redirect?x')).toBe(false);
    expect(list.allows('com.example.app://oauth2redirect')).toBe(false);
    expect(list.allows('myapp://callback/done')).toBe(true);
    expect(list.allows('myapp://CALLBACK/done')).toBe(false);
    expect(list.allows('myapp://callback@evil/done')).toBe(false);
  });

  it('compares IPv4 hosts after canonicalisation', () => {
    const ip = createAllowList('callback', ['https://127.0.0.1/cb']);
    expect(ip.allows('https://2130706433/cb')).toBe(true);
    expect(ip.allows('https://0x7f.0.0.1/cb')).toBe(true);
    expect(ip.allows('https://127.0.0.2/cb')).toBe(false);
  });

  it('lets a wildcard stand for exactly one LDH label', () => {
    expect(list.allows('https://tenant.example.org/cb')).toBe(true);
    expect(list.allows('https://xn--nicode-2ya.example.org/cb')).toBe(true);
    expect(list.allows('https://a.b.example.org/cb')).toBe(false);
    expect(list.allows('https://example.org/cb')).toBe(false);
    expect(list.allows('https://-x.example.org/cb')).toBe(false);
    expect(list.allows('https://x-.example.org/cb')).toBe(false);
    expect(list.allows('https://a_b.example.org/cb')).toBe(false);
    expect(list.allows('https://*.example.org/cb')).toBe(false);
    expect(list.allows(`https://${'a'.repeat(64)}.example.org/cb`)).toBe(false);
    expect(list.allows(`https://${'a'.repeat(63)}.example.org/cb`)).toBe(true);
    expect(list.allows('https://tenant.example.org:8443/cb')).toBe(false);
    expect(list.allows('http://tenant.example.org/cb')).toBe(false);
  });

  it('matches prefix and suffix wildcards by label, not by string', () => {
    const preview = createAllowList('callback', ['https://pr-*-preview.example.com/cb']);
    expect(preview.allows('https://pr-1-preview.example.com/cb')).toBe(true);
    expect(preview.allows('https://pr-a-b-preview.example.com/cb')).toBe(true);
    expect(preview.allows('https://pr-preview.example.com/cb')).toBe(false);
    expect(preview.allows('https://pr-1.x-preview.example.com/cb')).toBe(false);
    expect(preview.allows('https://xpr-1-preview.example.com/cb')).toBe(false);
  });

  it('keeps several wildcard entries for one domain apart', () => {
    const two = createAllowList('callback', [
      'https://eu-*.example.com/cb',
      'https://*-us.example.com/cb',
    ]);
    expect(two.allows('https://eu-1.example.com/cb')).toBe(true);
    expect(two.allows('https://1-us.example.com/cb')).toBe(true);
    expect(two.allows('https://ap-1.example.com/cb')).toBe(false);
  });

  it('allows nothing when the list is empty', () => {
    expect(createAllowList('callback', []).allows('https://app.example.com/cb')).toBe(false);
  });

  it('returns false for anything that is not a string', () => {
    for (const value of [undefined, null, 1, {}, [], Symbol('x'), () => 'x', new String('x')]) {
      expect(list.allows(value as never)).toBe(false);
    }
    const tricky = { toString: () => 'https://app.example.com/cb' };
    expect(list.allows(tricky as never)).toBe(false);
  });
});

describe('loopback redirect URIs (RFC 8252 §7.3)', () => {
  const entries = ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost:3000/cb'];
  const native = createAllowList('callback', entries, { loopbackAnyPort: true });
  const strict = createAllowList('callback', entries);

  it('matches any port on 127.0.0.1 and [::1] when enabled', () => {
    expect(native.allows('http://127.0.0.1:49152/cb')).toBe(true);
    expect(native.allows('http://[::1]:1/cb')).toBe(true);
    expect(native.allows('http://[::1]/cb')).toBe(true);
  });

  it('keeps exact ports when disabled', () => {
    expect(strict.allows('http://127.0.0.1/cb')).toBe(true);
    expect(strict.allows('http://127.0.0.1:49152/cb')).toBe(false);
    expect(strict.allows('http://[::1]:8080/cb')).toBe(true);
    expect(strict.allows('http://[::1]:8081/cb')).toBe(false);
  });

  it('never relaxes localhost, https, other loopback addresses or the path', () => {
    expect(native.allows('http://localhost:4000/cb')).toBe(false);
    expect(native.allows('https://127.0.0.1:4000/cb')).toBe(false);
    expect(native.allows('http://127.0.0.2:4000/cb')).toBe(false);
    expect(native.allows('http://127.0.0.1:4000/cb/')).toBe(false);
    expect(native.allows('http://127.0.0.1:4000/cb?x')).toBe(false);
  });

  it('is ignored by logout and origin lists', () => {
    const logout = createAllowList('logout', ['http://127.0.0.1/bye'], { loopbackAnyPort: true });
    expect(logout.allows('http://127.0.0.1:5000/bye')).toBe(false);
    const origin = createAllowList('origin', ['http://127.0.0.1'], { loopbackAnyPort: true });
    expect(origin.allows('http://127.0.0.1:5000')).toBe(false);
  });
});

describe('logout lists', () => {
  const list = createAllowList('logout', [
    'https://app.example.com/bye?entry=query-ignored',
    'com.example.app:/logout',
  ]);

  it('ignores the query and fragment of both the entry and the candidate', () => {
    expect(list.allows('https://app.example.com/bye')).toBe(true);
    expect(list.allows('https://app.example.com/bye?x=1#top')).toBe(true);
    expect(list.allows('https://app.example.com/bye#')).toBe(true);
    expect(list.allows('com.example.app:/logout?state=1')).toBe(true);
  });

  it('still applies the raw-string checks to the ignored parts', () => {
    expect(list.allows('https://app.example.com/bye?x=\\')).toBe(false);
    expect(list.allows('https://app.example.com/bye#\u2029')).toBe(false);
    expect(list.allows(`https://app.example.com/bye?${'a'.repeat(2048)}`)).toBe(false);
  });

  it('compares the path exactly', () => {
    expect(list.allows('https://app.example.com/bye/')).toBe(false);
    expect(list.allows('https://app.example.com/Bye')).toBe(false);
  });
});

describe('origin lists', () => {
  const list = createAllowList('origin', [
    'https://app.example.com',
    'https://shop.example.com/path-is-ignored',
    'http://localhost:3000',
    'https://*.example.net',
  ]);

  it('allows exactly scheme://host[:port]', () => {
    expect(list.allows('https://app.example.com')).toBe(true);
    expect(list.allows('https://app.example.com:443')).toBe(true);
    expect(list.allows('https://shop.example.com')).toBe(true);
    expect(list.allows('http://localhost:3000')).toBe(true);
    expect(list.allows('https://eu.example.net')).toBe(true);
  });

  it('refuses anything that is not an Origin header value', () => {
    expect(list.allows('https://app.example.com/')).toBe(false);
    expect(list.allows('https://shop.example.com/path-is-ignored')).toBe(false);
    expect(list.allows('https://app.example.com?')).toBe(false);
    expect(list.allows('https://app.example.com#')).toBe(false);
    expect(list.allows('null')).toBe(false);
    expect(list.allows('http://localhost:3001')).toBe(false);
    expect(list.allows('http://localhost')).toBe(false);
    expect(list.allows('https://a.eu.example.net')).toBe(false);
    expect(list.allows('https://app.example.com:444')).toBe(false);
  });
});
