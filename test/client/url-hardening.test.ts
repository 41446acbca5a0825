import { describe, expect, it } from 'vitest';
import {
  InvalidUrlPatternError,
  Tenant,
  createAllowList,
  lintClient,
  validateClientSettings,
} from '../../src/index.js';

/** Entries Auth0 accepts that the allow lists refuse on purpose. */
const HARDENED = [
  'https://straße.example.com/callback',
  'https://σοφος.example.com/callback',
  'ms-app://s-1-15-2-1234567890-123456789/',
  'ms-appx-web://microsoft.aad.brokerplugin/s-1-15-2-1234',
  'intent://callback/',
];

describe('URL entries Auth0 accepts and the allow lists refuse', () => {
  it.each(HARDENED)(
    '%s validates, is a url-never-matched lint error, and is never matched',
    async (entry) => {
      const settings = { name: 'Windows app', app_type: 'native' as const, callbacks: [entry] };
      expect(validateClientSettings(settings).ok).toBe(true);
      expect(lintClient(settings).filter((finding) => finding.severity === 'error')).toEqual([
        expect.objectContaining({ rule: 'url-never-matched', path: '/callbacks/0' }),
      ]);
      expect(() => createAllowList('callback', [entry])).toThrow(InvalidUrlPatternError);
      // A tenant refuses it by default; mirroring a real tenant, it stores it and matches nothing.
      await expect(
        (await Tenant.create({ domain: 'auth.example.com' })).clients.create(settings),
      ).rejects.toMatchObject({ code: 'invalid_client_metadata' });
      const mirror = await Tenant.create({ domain: 'auth.example.com', lintErrors: 'accept' });
      const client = await mirror.clients.create(settings);
      expect(client.allowsCallback(entry)).toBe(false);
      await mirror.close();
    },
  );

  it.each([
    ['javascript://example.com/%0aalert(1)', 'forbidden_scheme'],
    ['data://text/html,hi', 'forbidden_scheme'],
    ['https://*.github.io/callback', 'wildcard_public_suffix'],
    // Refused for another reason too: the scheme is not the only problem.
    ['ms-app://s-1-15-2-1/#fragment', 'forbidden_scheme'],
    ['https://straße.example.com/callback#x', 'fragment'],
  ])('%s stays a validation issue (%s), as DESIGN.md and Auth0 refuse it', (entry, code) => {
    const result = validateClientSettings({ name: 'A', app_type: 'native', callbacks: [entry] });
    expect(result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['/callbacks/0', code],
    ]);
  });

  it('does not relax origin lists, which only take http and https', () => {
    const result = validateClientSettings({
      name: 'A',
      app_type: 'spa',
      allowed_origins: ['ms-app://s-1-15-2-1'],
    });
    expect(result.ok).toBe(false);
  });
});
