import { describe, expect, it } from 'vitest';
import {
  type ClientInput,
  type Finding,
  lintClient,
  validateClientSettings,
} from '../../src/index.js';

/** The lint errors of settings that validation accepts (as `clientele check` lints them). */
function errorsOf(input: Record<string, unknown>): Finding[] {
  const result = validateClientSettings(input);
  if (!result.ok) throw new Error(`invalid fixture: ${JSON.stringify(result.issues)}`);
  return lintClient(result.value).filter((finding) => finding.severity === 'error');
}

/** Lints input as written. */
function lint(input: Record<string, unknown>): Finding[] {
  return lintClient(input as Partial<ClientInput>);
}

/** The one error at `path`. */
function errorAt(input: Record<string, unknown>, path: string): Finding {
  const found = errorsOf(input).filter((finding) => finding.path === path);
  expect(found, `errors at ${path}`).toHaveLength(1);
  return found[0]!;
}

describe('per-type rules: valid for Auth0, lint errors', () => {
  it.each(['client_secret_post', 'client_secret_basic'])('reports %s on a spa', (method) => {
    const finding = errorAt(
      { name: 'A', app_type: 'spa', token_endpoint_auth_method: method },
      '/token_endpoint_auth_method',
    );
    expect(finding.rule).toBe('auth-method-not-allowed');
    expect(finding.message).toMatch(/^token_endpoint_auth_method must be "none" for a spa client/);
  });

  it('reports none on a non_interactive client', () => {
    const finding = errorAt(
      { name: 'A', app_type: 'non_interactive', token_endpoint_auth_method: 'none' },
      '/token_endpoint_auth_method',
    );
    expect(finding.rule).toBe('auth-method-not-allowed');
    expect(finding.message).toContain('"client_secret_post" or "client_secret_basic"');
  });

  it('finds nothing wrong with a secret on a native app or none on a regular web app', () => {
    expect(
      errorsOf({
        name: 'A',
        app_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    ).toEqual([]);
    expect(
      errorsOf({ name: 'A', app_type: 'regular_web', token_endpoint_auth_method: 'none' }),
    ).toEqual([]);
  });

  it.each([
    ['a spa', { app_type: 'spa' }],
    ['a native app by default', { app_type: 'native' }],
    ['a public native app', { app_type: 'native', token_endpoint_auth_method: 'none' }],
    ['a public regular web app', { app_type: 'regular_web', token_endpoint_auth_method: 'none' }],
    ['a public client without app_type', { token_endpoint_auth_method: 'none' }],
  ])('reports HS256 on %s, once', (_title, settings) => {
    const findings = lint({ name: 'A', ...settings, jwt_configuration: { alg: 'HS256' } });
    const atAlg = findings.filter((finding) => finding.path === '/jwt_configuration/alg');
    expect(atAlg.map((finding) => finding.rule)).toEqual(['hs256-requires-secret']);
    expect(atAlg[0]!.message).toMatch(
      /^jwt_configuration\.alg "HS256" signs with the client secret/,
    );
  });

  it.each([
    ['a regular web app', { app_type: 'regular_web' }],
    [
      'a confidential native app',
      { app_type: 'native', token_endpoint_auth_method: 'client_secret_post' },
    ],
    ['a machine-to-machine client', { app_type: 'non_interactive' }],
    ['a client without app_type', {}],
  ])('finds no error in HS256 on %s', (_title, settings) => {
    expect(errorsOf({ name: 'A', ...settings, jwt_configuration: { alg: 'HS256' } })).toEqual([]);
  });

  it.each([
    ['spa', {}],
    ['native', {}],
    ['regular_web', { token_endpoint_auth_method: 'none' }],
  ])('reports client_credentials on a public %s client, at the entry', (appType, extra) => {
    const finding = errorAt(
      {
        name: 'A',
        app_type: appType,
        ...extra,
        grant_types: ['authorization_code', 'client_credentials'],
      },
      '/grant_types/1',
    );
    expect(finding.rule).toBe('grant-type-requires-secret');
    expect(finding.message).toMatch(/^grant_types\[1\] "client_credentials" needs a client secret/);
  });

  it('reports CIBA on a public client too', () => {
    const input = {
      name: 'A',
      app_type: 'regular_web',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:openid:params:grant-type:ciba'],
    };
    expect(errorAt(input, '/grant_types/0').rule).toBe('grant-type-requires-secret');
  });

  it('reports grant types the app type does not allow', () => {
    const device = 'urn:ietf:params:oauth:grant-type:device_code';
    const finding = errorAt(
      { name: 'A', app_type: 'spa', grant_types: ['authorization_code', device] },
      '/grant_types/1',
    );
    expect(finding).toEqual({
      rule: 'grant-type-not-allowed',
      severity: 'error',
      path: '/grant_types/1',
      message: `grant_types[1] "${device}" is not allowed for a spa client; remove it`,
    });
    expect(errorsOf({ name: 'A', app_type: 'native', grant_types: [device] })).toEqual([]);
  });

  it("gives Auth0's other app types and untyped clients no per-type errors", () => {
    for (const app_type of ['sso_integration', 'resource_server', undefined]) {
      expect(
        errorsOf({
          name: 'A',
          ...(app_type ? { app_type } : {}),
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['client_credentials', 'password'],
        }),
      ).toEqual([]);
    }
  });

  it('says so (info) when a client has no app_type', () => {
    const untyped = lintClient({ name: 'Default App' }).filter(
      (f) => f.rule === 'missing-app-type',
    );
    expect(untyped).toEqual([expect.objectContaining({ severity: 'info', path: '/app_type' })]);
    expect(lintClient({ name: 'A', app_type: 'spa' }).map((f) => f.rule)).not.toContain(
      'missing-app-type',
    );
  });

  it('treats a client with client_authentication_methods as neither public nor secret-less', () => {
    const value = {
      name: 'Signed',
      app_type: 'regular_web',
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: 'cred_1' }] } },
      grant_types: ['client_credentials'],
      jwt_configuration: { alg: 'RS256' },
    };
    expect(errorsOf(value)).toEqual([]);
  });
});

describe('organization placeholder rules', () => {
  const org = 'https://{organization_name}.example.com/callback';

  it('warns when a placeholder entry shares a list with wildcards, at the placeholder', () => {
    const findings = lintClient({
      name: 'A',
      app_type: 'regular_web',
      organization_usage: 'allow',
      callbacks: ['https://*.example.com/callback', org],
      allowed_logout_urls: [org.replace('/callback', '/')],
    }).filter((f) => f.rule === 'organization-placeholder-with-wildcard');
    expect(findings).toEqual([
      {
        rule: 'organization-placeholder-with-wildcard',
        severity: 'warning',
        path: '/callbacks/1',
        message: `callbacks[1] "${org}" uses {organization_name} in a list with wildcard entries (callbacks[0]); keep one or the other`,
      },
    ]);
  });

  it.each([
    [undefined, 'organization_usage is not set'],
    ['deny' as const, 'organization_usage is "deny"'],
  ])('warns about placeholders when organization_usage is %s', (usage, why) => {
    const findings = lintClient({
      name: 'A',
      app_type: 'regular_web',
      ...(usage ? { organization_usage: usage } : {}),
      callbacks: ['https://app.example.com/callback', org],
      web_origins: 'https://{organization_name}.example.com',
    }).filter((f) => f.rule === 'organization-placeholder-unused');
    expect(findings.map((f) => f.path)).toEqual(['/callbacks/1', '/web_origins']);
    expect(findings[0]!.message).toContain(why);
  });

  it.each(['allow', 'require'] as const)(
    'is quiet about placeholders when organization_usage is %s',
    (usage) => {
      const rules = lintClient({
        name: 'A',
        app_type: 'regular_web',
        organization_usage: usage,
        callbacks: [org],
      }).map((f) => f.rule);
      expect(rules).not.toContain('organization-placeholder-unused');
      expect(rules).not.toContain('organization-placeholder-with-wildcard');
    },
  );
});
