import { describe, expect, it } from 'vitest';
import {
  type ClientInput,
  type Finding,
  LINT_RULES,
  lintClient,
  validateClientSettings,
} from '../../src/index.js';

/** Lints the normalised value, as `clientele check` does. */
function lint(input: Partial<ClientInput>): Finding[] {
  const result = validateClientSettings(input);
  if (!result.ok) throw new Error(`invalid fixture: ${JSON.stringify(result.issues)}`);
  return lintClient(result.value);
}

function by(findings: Finding[], rule: string): Finding[] {
  return findings.filter((finding) => finding.rule === rule);
}

const spa = { name: 'Shop', app_type: 'spa' } as const;
const web = { name: 'Web', app_type: 'regular_web' } as const;
const native = { name: 'Mobile', app_type: 'native' } as const;
const m2m = { name: 'Job', app_type: 'non_interactive' } as const;

describe('LINT_RULES', () => {
  it('lists every rule once with id, severity, description and source', () => {
    const ids = LINT_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of LINT_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9-]+$/);
      expect(['error', 'warning', 'info']).toContain(rule.severity);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.see).not.toBe('');
    }
  });

  it('covers the rules DESIGN.md requires', () => {
    expect(LINT_RULES.map((rule) => rule.id)).toEqual(
      expect.arrayContaining([
        'wildcard-url',
        'insecure-http',
        'loopback-on-web-client',
        'secret-on-device',
        'hs256-on-device',
        'long-id-token-lifetime',
        'inapplicable-setting',
        'duplicate-entry',
        'callback-query',
        'private-scheme-without-dot',
        'origin-with-path',
      ]),
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(LINT_RULES)).toBe(true);
    expect(Object.isFrozen(LINT_RULES[0])).toBe(true);
  });
});

describe('lintClient', () => {
  it('finds nothing in a tidy client', () => {
    expect(
      lint({
        ...spa,
        callbacks: ['https://shop.example.com/callback'],
        allowed_logout_urls: ['https://shop.example.com/'],
        allowed_origins: ['https://shop.example.com'],
        web_origins: ['https://shop.example.com'],
      }),
    ).toEqual([]);
    expect(lint(m2m)).toEqual([]);
    expect(lint({ ...native, callbacks: ['com.example.app:/cb', 'http://127.0.0.1/cb'] })).toEqual(
      [],
    );
  });

  it('warns about wildcards in every URL list, at the entry', () => {
    const findings = by(
      lint({
        ...spa,
        callbacks: ['https://shop.example.com/cb', 'https://*.example.com/cb'],
        allowed_origins: ['https://pr-*.example.com'],
        allowed_logout_urls: ['https://*.example.com/'],
      }),
      'wildcard-url',
    );
    expect(findings.map((f) => [f.path, f.severity])).toEqual([
      ['/callbacks/1', 'warning'],
      ['/allowed_logout_urls/0', 'warning'],
      ['/allowed_origins/0', 'warning'],
    ]);
    expect(findings[0]!.message).toMatch(
      /^callbacks\[1\] "https:\/\/\*\.example\.com\/cb" uses a wildcard/,
    );
  });

  it('warns about http on a public host, not on loopback', () => {
    const findings = by(
      lint({
        ...native,
        callbacks: [
          'http://app.example.com/cb',
          'http://127.0.0.1/cb',
          'http://localhost/cb',
          'http://[::1]/cb',
          'http://127.1.2.3/cb',
        ],
      }),
      'insecure-http',
    );
    expect(findings.map((f) => f.path)).toEqual(['/callbacks/0']);
    expect(findings[0]!.message).toBe(
      'callbacks[0] "http://app.example.com/cb" uses http on a public host; use https',
    );
  });

  it('warns about localhost and loopback entries on web clients only', () => {
    const entries = [
      'http://localhost:3000/cb',
      'https://dev.localhost/cb',
      'http://127.0.0.1/cb',
      'https://app.example.com/cb',
    ];
    for (const appType of ['spa', 'regular_web'] as const) {
      const findings = by(
        lint({ name: 'A', app_type: appType, callbacks: entries }),
        'loopback-on-web-client',
      );
      expect(findings.map((f) => f.path)).toEqual(['/callbacks/0', '/callbacks/1', '/callbacks/2']);
    }
    expect(by(lint({ ...native, callbacks: entries }), 'loopback-on-web-client')).toEqual([]);
    expect(
      by(lint({ ...spa, allowed_origins: ['http://localhost:3000'] }), 'loopback-on-web-client'),
    ).toHaveLength(1);
  });

  it('warns about a native app with a secret method (RFC 8252 §8.5)', () => {
    const [finding, ...rest] = by(
      lint({ ...native, token_endpoint_auth_method: 'client_secret_post' }),
      'secret-on-device',
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ path: '/token_endpoint_auth_method', severity: 'warning' });
    expect(finding!.message).toContain('RFC 8252 §8.5');
    expect(by(lint(native), 'secret-on-device')).toEqual([]);
    expect(by(lint(web), 'secret-on-device')).toEqual([]);
  });

  it('warns about HS256 on a native app whose secret ships to devices', () => {
    const findings = lint({
      ...native,
      token_endpoint_auth_method: 'client_secret_basic',
      jwt_configuration: { alg: 'HS256' },
    });
    expect(by(findings, 'hs256-on-device').map((f) => f.path)).toEqual(['/jwt_configuration/alg']);
    expect(by(lint({ ...web, jwt_configuration: { alg: 'HS256' } }), 'hs256-on-device')).toEqual(
      [],
    );
    // On a public client HS256 cannot work at all: one error, not a warning as well.
    const onSpa = lintClient({ ...spa, jwt_configuration: { alg: 'HS256' } });
    expect(by(onSpa, 'hs256-on-device')).toEqual([]);
    expect(by(onSpa, 'hs256-requires-secret')).toHaveLength(1);
  });

  it('warns about id_tokens that live longer than 10 hours', () => {
    expect(
      by(
        lint({ ...web, jwt_configuration: { lifetime_in_seconds: 36000 } }),
        'long-id-token-lifetime',
      ),
    ).toEqual([]);
    const [finding] = by(
      lint({ ...web, jwt_configuration: { lifetime_in_seconds: 36001 } }),
      'long-id-token-lifetime',
    );
    expect(finding).toMatchObject({
      path: '/jwt_configuration/lifetime_in_seconds',
      severity: 'warning',
    });
    expect(finding!.message).toBe(
      'jwt_configuration.lifetime_in_seconds is 36001 (10 hours); keep id_tokens at 36000 seconds (10 hours) or less',
    );
  });

  it('points out settings that do not apply to the app type', () => {
    const findings = by(
      lint({
        ...m2m,
        callbacks: ['https://a.example.com/cb'],
        web_origins: ['https://a.example.com'],
        allowed_origins: [],
        grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
      }),
      'inapplicable-setting',
    );
    expect(findings.map((f) => [f.path, f.severity])).toEqual([
      ['/callbacks', 'info'],
      ['/web_origins', 'info'],
      ['/grant_types/0', 'info'],
      ['/grant_types/2', 'info'],
    ]);
    const leftover = by(
      lint({
        ...native,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'client_credentials'],
      }),
      'inapplicable-setting',
    );
    expect(leftover.map((f) => f.path)).toEqual(['/grant_types/1']);
  });

  it('warns about entries that match the same URLs, comparing normalised keys', () => {
    const findings = by(
      lint({
        ...spa,
        callbacks: [
          'https://a.example.com/cb',
          'HTTPS://A.EXAMPLE.COM:443/cb',
          'https://a.example.com/cb/',
          'https://*.example.com/cb',
          'https://pr-*.example.com/cb',
          'https://*.Example.com/cb',
        ],
        allowed_origins: ['https://a.example.com', 'https://a.example.com/app'],
        allowed_logout_urls: ['https://a.example.com/', 'https://a.example.com/?from=x'],
      }),
      'duplicate-entry',
    );
    expect(findings.map((f) => f.path)).toEqual([
      '/callbacks/1',
      '/callbacks/5',
      '/allowed_logout_urls/1',
      '/allowed_origins/1',
    ]);
    expect(findings[0]!.message).toBe(
      'callbacks[1] "HTTPS://A.EXAMPLE.COM:443/cb" matches the same URLs as callbacks[0] "https://a.example.com/cb"; remove one',
    );
  });

  it('warns about repeated grant types', () => {
    const findings = by(
      lint({ ...web, grant_types: ['implicit', 'authorization_code', 'implicit'] }),
      'duplicate-entry',
    );
    expect(findings.map((f) => f.path)).toEqual(['/grant_types/2']);
  });

  it('warns about callbacks with a query string', () => {
    const findings = by(
      lint({
        ...web,
        callbacks: ['https://a.example.com/cb?tenant=acme', 'https://a.example.com/cb'],
        allowed_logout_urls: ['https://a.example.com/?x=1'],
      }),
      'callback-query',
    );
    expect(findings.map((f) => f.path)).toEqual(['/callbacks/0']);
  });

  it('warns about private-use schemes without a dot (RFC 8252 §7.1)', () => {
    const findings = by(
      lint({
        ...native,
        callbacks: ['myapp:/cb', 'com.example.app:/cb'],
        allowed_logout_urls: ['myapp:/bye'],
      }),
      'private-scheme-without-dot',
    );
    expect(findings.map((f) => f.path)).toEqual(['/callbacks/0', '/allowed_logout_urls/0']);
    expect(findings[0]!.message).toContain('"myapp:"');
  });

  it('warns about origins with a path or query', () => {
    const findings = by(
      lint({
        ...spa,
        allowed_origins: ['https://a.example.com/', 'https://b.example.com/app'],
        web_origins: ['https://c.example.com?x=1', 'https://d.example.com'],
      }),
      'origin-with-path',
    );
    expect(findings.map((f) => f.path)).toEqual(['/allowed_origins/1', '/web_origins/0']);
    expect(findings[0]!.message).toContain('"https://b.example.com"');
  });

  it('warns about password and legacy grants', () => {
    const findings = lint({
      ...web,
      grant_types: [
        'password',
        'http://auth0.com/oauth/grant-type/password-realm',
        'http://auth0.com/oauth/legacy/grant-type/ro',
      ],
    });
    expect(by(findings, 'password-grant').map((f) => f.path)).toEqual([
      '/grant_types/0',
      '/grant_types/1',
    ]);
    expect(by(findings, 'legacy-grant').map((f) => f.path)).toEqual(['/grant_types/2']);
  });

  it('warns about a client secret kept in configuration (raw input)', () => {
    const findings = by(lintClient({ ...web, client_secret: 'abc' }), 'secret-in-config');
    expect(findings).toEqual([
      {
        rule: 'secret-in-config',
        severity: 'warning',
        path: '/client_secret',
        message:
          'client_secret is stored in this configuration; remove it (it is ignored on import) and rotate the secret',
      },
    ]);
  });

  it('reads raw input: comma-separated lists point at the list, invalid entries are skipped', () => {
    const findings = lintClient({
      ...spa,
      callbacks: 'https://*.example.com/cb, nope, http://example.org/cb',
    });
    expect(findings.map((f) => [f.rule, f.path])).toEqual([
      ['wildcard-url', '/callbacks'],
      ['insecure-http', '/callbacks'],
    ]);
    expect(findings[1]!.message).toMatch(/^callbacks\[2\]/);
  });

  it('never throws, whatever it is given', () => {
    const circular: Record<string, unknown> = { ...spa };
    circular['self'] = circular;
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
      },
    );
    for (const input of [
      null,
      undefined,
      1,
      'x',
      [],
      circular,
      hostile,
      {
        app_type: 'spa',
        get callbacks(): never {
          throw new Error('no');
        },
      },
    ]) {
      expect(() => lintClient(input as never)).not.toThrow();
    }
    expect(lintClient(null as never)).toEqual([]);
  });

  it('lints a Client snapshot like its settings', async () => {
    const { createClient } = await import('../../src/client/client.js');
    const value = validateClientSettings({ ...spa, callbacks: ['https://*.example.com/cb'] });
    if (!value.ok) throw new Error('invalid');
    const client = createClient({ ...value.value, client_id: 'id' });
    expect(lintClient(client)).toEqual(lintClient(value.value));
  });
});
