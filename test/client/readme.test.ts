import { describe, expect, it } from 'vitest';
import { lintClient, validateClientSettings, type ClientInput } from '../../src/index.js';

// The examples of the README's "Client settings" section, so what it shows stays true.
describe('README: client settings', () => {
  it('validates and normalises the Storefront example', () => {
    const result = validateClientSettings({
      name: 'Storefront',
      app_type: 'spa',
      callbacks: 'https://shop.example.com/callback, https://*.preview.example.com/callback',
      allowed_logout_urls: ['https://shop.example.com/'],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.callbacks).toEqual([
      'https://shop.example.com/callback',
      'https://*.preview.example.com/callback',
    ]);
    expect(result.value.token_endpoint_auth_method).toBe('none');
    expect(result.value.grant_types).toEqual(['authorization_code', 'implicit', 'refresh_token']);
    expect(result.value.jwt_configuration).toEqual({ lifetime_in_seconds: 36000, alg: 'RS256' });
  });

  it('lists the issues shown for the bad example', () => {
    const bad = validateClientSettings({
      name: 'Shop',
      app_type: 'spa',
      description: 'x'.repeat(141),
      organization_usage: 'allowed',
      callbacks: ['https://*.com/callback'],
    });
    expect(bad.ok ? [] : bad.issues.map((i) => [i.path, i.code, i.message])).toEqual([
      ['/description', 'too_long', 'description must be at most 140 characters (got 141)'],
      [
        '/organization_usage',
        'invalid_value',
        'organization_usage must be deny, allow or require (got "allowed"); did you mean allow?',
      ],
      ['/callbacks/0', 'wildcard_public_suffix', expect.stringMatching(/^callbacks\[0\]/)],
    ]);
  });

  it('gives the lint findings shown, an error on a valid object first', () => {
    const spa = {
      name: 'Shop',
      app_type: 'spa',
      token_endpoint_auth_method: 'client_secret_post',
      callbacks: ['https://*.example.com/callback', 'http://localhost:3000/callback'],
    } satisfies ClientInput;
    expect(validateClientSettings(spa).ok).toBe(true);
    const findings = lintClient(spa);
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.path}`)).toEqual([
      'error auth-method-not-allowed /token_endpoint_auth_method',
      'warning wildcard-url /callbacks/0',
      'warning loopback-on-web-client /callbacks/1',
    ]);
  });
});
