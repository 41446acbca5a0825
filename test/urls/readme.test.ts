import { describe, expect, it } from 'vitest';
import { createAllowList, InvalidUrlPatternError } from '../../src/index.js';

/** The README's "URL allow-lists" example, with each commented result asserted. */
describe('README: URL allow-lists', () => {
  it('behaves as the README says', () => {
    const callbacks = createAllowList('callback', [
      'https://app.example.com/callback',
      'https://*.preview.example.com/callback',
    ]);
    expect(callbacks.allows('https://app.example.com/callback')).toBe(true);
    expect(callbacks.allows('https://pr-7.preview.example.com/callback')).toBe(true);
    expect(callbacks.allows('https://a.b.preview.example.com/callback')).toBe(false);
    expect(callbacks.allows('https://app.example.com/callback#x')).toBe(false);
    expect(callbacks.allows('https://app.example.com@evil.com/callback')).toBe(false);

    const native = createAllowList('callback', ['http://127.0.0.1/cb'], { loopbackAnyPort: true });
    expect(native.allows('http://127.0.0.1:53127/cb')).toBe(true);

    expect(() => createAllowList('origin', ['https://*.co.uk'])).toThrow(InvalidUrlPatternError);
  });
});
