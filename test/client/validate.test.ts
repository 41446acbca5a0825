import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  APP_TYPES,
  type AppType,
  type Issue,
  type ValidationResult,
  validateClientSettings,
} from '../../src/index.js';

const base = { name: 'App', app_type: 'regular_web' } as const;

function issuesOf(result: ValidationResult<unknown>): Issue[] {
  return result.ok ? [] : result.issues;
}

function valueOf<T>(result: ValidationResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** The one issue at `path` (fails when there is none or more than one). */
function issueAt(input: unknown, path: string, options?: { partial?: boolean }): Issue {
  const found = issuesOf(validateClientSettings(input, options)).filter((i) => i.path === path);
  expect(found, `issues at ${path}`).toHaveLength(1);
  return found[0]!;
}

const urls = (n: number, host = 'example.com') =>
  Array.from({ length: n }, (_, i) => `https://a${i}.${host}/cb`);
const origins = (n: number) => Array.from({ length: n }, (_, i) => `https://a${i}.example.com`);

describe('validateClientSettings: limits, both sides of each boundary', () => {
  it('accepts a name of 255 characters and refuses 256', () => {
    expect(validateClientSettings({ ...base, name: 'n'.repeat(255) }).ok).toBe(true);
    const issue = issueAt({ ...base, name: 'n'.repeat(256) }, '/name');
    expect(issue.code).toBe('too_long');
    expect(issue.message).toBe('name must be at most 255 characters after trimming (got 256)');
  });

  it('counts the name after trimming, in code points', () => {
    expect(validateClientSettings({ ...base, name: `  ${'n'.repeat(255)}  ` }).ok).toBe(true);
    expect(validateClientSettings({ ...base, name: '😀'.repeat(255) }).ok).toBe(true);
    expect(issueAt({ ...base, name: '😀'.repeat(256) }, '/name').code).toBe('too_long');
  });

  it('refuses an empty, blank or bracketed name', () => {
    expect(issueAt({ ...base, name: '' }, '/name').code).toBe('blank');
    expect(issueAt({ ...base, name: ' \t ' }, '/name').message).toBe(
      'name must not be empty or only whitespace',
    );
    expect(issueAt({ ...base, name: 'a > b' }, '/name').code).toBe('invalid_characters');
  });

  it('accepts a description of 140 characters and refuses 141', () => {
    expect(validateClientSettings({ ...base, description: 'd'.repeat(140) }).ok).toBe(true);
    const issue = issueAt({ ...base, description: 'd'.repeat(141) }, '/description');
    expect(issue).toEqual({
      path: '/description',
      code: 'too_long',
      message: 'description must be at most 140 characters (got 141)',
    });
  });

  it.each([
    ['callbacks', urls],
    ['allowed_logout_urls', urls],
    ['allowed_origins', origins],
    ['web_origins', origins],
  ] as const)('accepts 100 %s and refuses 101', (field, make) => {
    expect(issuesOf(validateClientSettings({ ...base, [field]: make(100) }))).toEqual([]);
    const issue = issueAt({ ...base, [field]: make(101) }, `/${field}`);
    expect(issue.code).toBe('too_many_items');
    expect(issue.message).toBe(`${field} must have at most 100 entries (got 101)`);
  });

  it('counts the entries of a comma-separated list after splitting', () => {
    expect(validateClientSettings({ ...base, callbacks: urls(100).join(',') }).ok).toBe(true);
    expect(issueAt({ ...base, callbacks: urls(101).join(', ') }, '/callbacks').code).toBe(
      'too_many_items',
    );
  });

  const metadata = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

  it('accepts 10 client_metadata keys and refuses 11', () => {
    expect(validateClientSettings({ ...base, client_metadata: metadata(10) }).ok).toBe(true);
    const issue = issueAt({ ...base, client_metadata: metadata(11) }, '/client_metadata');
    expect(issue.code).toBe('too_many_properties');
    expect(issue.message).toBe('client_metadata must have at most 10 keys (got 11)');
  });

  it('accepts client_metadata keys and values of 255 characters and refuses 256', () => {
    const ok = { ['k'.repeat(255)]: 'v'.repeat(255) };
    expect(validateClientSettings({ ...base, client_metadata: ok }).ok).toBe(true);

    const longKey = 'k'.repeat(256);
    const keyIssue = issueAt(
      { ...base, client_metadata: { [longKey]: 'v' } },
      `/client_metadata/${longKey}`,
    );
    expect(keyIssue.code).toBe('too_long');
    expect(keyIssue.message).toMatch(
      /^client_metadata key "k+…" must be at most 255 characters \(got 256\)$/,
    );

    const valueIssue = issueAt(
      { ...base, client_metadata: { team: 'v'.repeat(256) } },
      '/client_metadata/team',
    );
    expect(valueIssue.message).toBe(
      'client_metadata.team must be at most 255 characters (got 256)',
    );
  });

  it('refuses client_metadata values that are not strings', () => {
    expect(issueAt({ ...base, client_metadata: { n: 1 } }, '/client_metadata/n').code).toBe(
      'invalid_type',
    );
  });

  it.each([
    [0, false],
    [1, true],
    [36000, true],
    [2592000, true],
    [2592001, false],
  ])('lifetime_in_seconds %i is valid: %s', (lifetime, valid) => {
    const result = validateClientSettings({
      ...base,
      jwt_configuration: { lifetime_in_seconds: lifetime },
    });
    expect(result.ok).toBe(valid);
    if (!valid) {
      const issue = issuesOf(result)[0]!;
      expect(issue.path).toBe('/jwt_configuration/lifetime_in_seconds');
      expect(issue.code).toBe(lifetime < 1 ? 'too_small' : 'too_large');
      expect(issue.message).toMatch(
        /^jwt_configuration\.lifetime_in_seconds must be at (least|most)/,
      );
    }
  });

  it('refuses a fractional or textual lifetime', () => {
    const path = '/jwt_configuration/lifetime_in_seconds';
    expect(
      issueAt({ ...base, jwt_configuration: { lifetime_in_seconds: 1.5 } }, path).message,
    ).toBe('jwt_configuration.lifetime_in_seconds must be an integer (got 1.5)');
    expect(issueAt({ ...base, jwt_configuration: { lifetime_in_seconds: '60' } }, path).code).toBe(
      'invalid_type',
    );
  });
});

describe('validateClientSettings: required fields and app types', () => {
  it('reports each missing required field at its own pointer', () => {
    const result = validateClientSettings({});
    expect(issuesOf(result).map((i) => [i.path, i.code])).toEqual([['/name', 'required']]);
  });

  it.each(Object.keys(APP_TYPES) as AppType[])('accepts app_type %s, as Auth0 does', (appType) => {
    expect(issuesOf(validateClientSettings({ name: 'A', app_type: appType }))).toEqual([]);
  });

  it('has all 26 app types of DESIGN.md', () => {
    expect(Object.keys(APP_TYPES)).toHaveLength(26);
    expect(Object.keys(APP_TYPES)).toEqual(
      expect.arrayContaining([
        'resource_server',
        'sso_integration',
        'b2b_integration',
        'oag',
        'zoom',
      ]),
    );
  });

  it('accepts a client without app_type with the defaults of a confidential web client', () => {
    const value = valueOf(validateClientSettings({ name: 'Default App' }));
    expect(value.app_type).toBeUndefined();
    expect(value.token_endpoint_auth_method).toBe('client_secret_post');
    expect(value.grant_types).toEqual([
      'authorization_code',
      'implicit',
      'refresh_token',
      'client_credentials',
    ]);
  });

  it('refuses a value that is no Auth0 app type, with a did-you-mean for a near one', () => {
    expect(issueAt({ name: 'A', app_type: 'Native' }, '/app_type')).toEqual({
      path: '/app_type',
      code: 'invalid_value',
      message: 'app_type is not an Auth0 app type (got "Native"); did you mean native?',
    });
    const far = issueAt({ name: 'A', app_type: 'web' }, '/app_type');
    expect(far.message).toMatch(/^app_type is not an Auth0 app type \(got "web"\); use native/);
    expect(issueAt({ name: 'A', app_type: 42 }, '/app_type').code).toBe('invalid_type');
  });

  it.each(Object.keys(APP_TYPES) as AppType[])(
    'fills in the %s defaults from the table',
    (appType) => {
      const value = valueOf(validateClientSettings({ name: 'A', app_type: appType }));
      expect(value.token_endpoint_auth_method).toBe(APP_TYPES[appType].authMethods.default);
      expect(value.grant_types).toEqual(APP_TYPES[appType].grantTypes.default);
      expect(value.jwt_configuration).toEqual({ lifetime_in_seconds: 36000, alg: 'RS256' });
      expect(value.sso).toBe(false);
      expect(value.sso_disabled).toBe(false);
      expect(value.is_first_party).toBe(true);
    },
  );
});

describe('validateClientSettings: per-type problems are not validation issues', () => {
  it.each([
    [
      'a spa with a secret method',
      { app_type: 'spa', token_endpoint_auth_method: 'client_secret_post' },
    ],
    [
      'none on a non_interactive client',
      { app_type: 'non_interactive', token_endpoint_auth_method: 'none' },
    ],
    ['HS256 on a spa', { app_type: 'spa', jwt_configuration: { alg: 'HS256' } }],
    ['client_credentials on a spa', { app_type: 'spa', grant_types: ['client_credentials'] }],
    [
      'a grant the type cannot use',
      { app_type: 'spa', grant_types: ['urn:ietf:params:oauth:grant-type:device_code'] },
    ],
  ])('accepts %s (Auth0 stores it; lint reports it)', (_title, settings) => {
    expect(issuesOf(validateClientSettings({ name: 'A', ...settings }))).toEqual([]);
  });

  it('refuses values that are not Auth0 grant types', () => {
    expect(issueAt({ ...base, grant_types: ['authorization-code'] }, '/grant_types/0').code).toBe(
      'invalid_value',
    );
  });

  it('reports every problem at once', () => {
    const result = validateClientSettings({
      name: '',
      app_type: 'spa',
      description: 'd'.repeat(141),
      token_endpoint_auth_method: 'client_secret_post',
      jwt_configuration: { alg: 'HS512', lifetime_in_seconds: 0 },
      grant_types: ['client-credentials'],
      callbacks: ['https://*.com/cb', 'https://ok.example.com/cb', 'javascript:alert(1)'],
      colour: 'blue',
    });
    expect(
      issuesOf(result)
        .map((i) => i.path)
        .sort(),
    ).toEqual(
      [
        '/callbacks/0',
        '/callbacks/2',
        '/colour',
        '/description',
        '/grant_types/0',
        '/jwt_configuration/alg',
        '/jwt_configuration/lifetime_in_seconds',
        '/name',
      ].sort(),
    );
  });
});

describe('validateClientSettings: URL lists', () => {
  it('reports a bad entry at its index with the parser code and reason', () => {
    const issue = issueAt(
      { ...base, callbacks: ['https://ok.example.com/cb', 'https://a.example.com/cb#x'] },
      '/callbacks/1',
    );
    expect(issue).toEqual({
      path: '/callbacks/1',
      code: 'fragment',
      message: 'callbacks[1] "https://a.example.com/cb#x" must not contain a fragment ("#")',
    });
  });

  it('checks each list with its own grammar', () => {
    expect(
      validateClientSettings({ ...base, app_type: 'native', callbacks: ['com.example.app:/cb'] })
        .ok,
    ).toBe(true);
    expect(
      validateClientSettings({ ...base, allowed_logout_urls: ['com.example.app:/bye'] }).ok,
    ).toBe(true);
    expect(
      issueAt({ ...base, allowed_origins: ['com.example.app:/cb'] }, '/allowed_origins/0').code,
    ).toBe('scheme_not_allowed');
    expect(issueAt({ ...base, web_origins: ['https://*.co.uk'] }, '/web_origins/0').code).toBe(
      'wildcard_public_suffix',
    );
    expect(validateClientSettings({ ...base, web_origins: ['https://*.example.co.uk'] }).ok).toBe(
      true,
    );
  });

  it('points at the list when it was one comma-separated string, naming the entry', () => {
    const issue = issueAt(
      { ...base, callbacks: 'https://a.example.com/cb, /relative' },
      '/callbacks',
    );
    expect(issue.code).toBe('missing_scheme');
    expect(issue.message).toMatch(/^callbacks\[1\] "\/relative" must be an absolute URL/);
  });

  it('splits comma-separated lists, trimming entries and dropping empty ones', () => {
    const value = valueOf(
      validateClientSettings({
        ...base,
        callbacks: ' https://a.example.com/cb ,https://b.example.com/cb,, ',
        allowed_logout_urls: '',
        web_origins: 'https://a.example.com',
      }),
    );
    expect(value.callbacks).toEqual(['https://a.example.com/cb', 'https://b.example.com/cb']);
    expect(value.allowed_logout_urls).toEqual([]);
    expect(value.web_origins).toEqual(['https://a.example.com']);
  });

  it('reports entries that are not strings at their index', () => {
    const issue = issueAt({ ...base, callbacks: ['https://a.example.com/cb', 7] }, '/callbacks/1');
    expect(issue.message).toBe('callbacks[1] must be a string (got 7)');
  });

  it('keeps entries as written (duplicates are for lint)', () => {
    const callbacks = ['HTTPS://A.example.com/cb', 'https://a.example.com/cb'];
    expect(valueOf(validateClientSettings({ ...base, callbacks })).callbacks).toEqual(callbacks);
  });
});

describe('validateClientSettings: shapes and unknown fields', () => {
  it('refuses unknown top-level fields and suggests a near match', () => {
    expect(issueAt({ ...base, colour: 'blue' }, '/colour')).toEqual({
      path: '/colour',
      code: 'unknown_property',
      message: 'colour is not a client setting; remove it',
    });
    expect(issueAt({ ...base, callback: [] }, '/callback').message).toBe(
      'callback is not a client setting; did you mean callbacks?',
    );
  });

  it('refuses a misspelt jwt_configuration member and unknown addons', () => {
    expect(
      issueAt(
        { ...base, jwt_configuration: { lifetime_in_second: 60 } },
        '/jwt_configuration/lifetime_in_second',
      ),
    ).toEqual({
      path: '/jwt_configuration/lifetime_in_second',
      code: 'unknown_property',
      message:
        'jwt_configuration.lifetime_in_second is not a member of jwt_configuration; did you mean lifetime_in_seconds? (Auth0: "Additional properties not allowed: lifetime_in_second")',
    });
    const addon = issueAt({ ...base, addons: { aws: {}, github: {} } }, '/addons/github');
    expect(addon.code).toBe('unknown_addon');
    expect(addon.message).toMatch(/^addons\.github is not an Auth0 addon/);
    expect(issueAt({ ...base, addons: { aws: 'yes' } }, '/addons/aws').code).toBe('invalid_type');
  });

  it('escapes unknown field names in pointers', () => {
    expect(issuesOf(validateClientSettings({ ...base, 'a/b~c': 1 })).map((i) => i.path)).toEqual([
      '/a~1b~0c',
    ]);
  });

  it('type-checks pass-through fields', () => {
    expect(issueAt({ ...base, oidc_conformant: 'true' }, '/oidc_conformant').message).toBe(
      'oidc_conformant must be a boolean (got "true")',
    );
    expect(issueAt({ ...base, organization_usage: 'maybe' }, '/organization_usage').message).toBe(
      'organization_usage must be deny, allow or require (got "maybe")',
    );
    expect(
      issueAt(
        { ...base, refresh_token: { rotation_type: 'sometimes' } },
        '/refresh_token/rotation_type',
      ).code,
    ).toBe('invalid_value');
    expect(
      issueAt(
        { ...base, mobile: { android: { app_package_name: 1 } } },
        '/mobile/android/app_package_name',
      ).code,
    ).toBe('invalid_type');
    expect(issueAt({ ...base, client_aliases: 'a' }, '/client_aliases').code).toBe('invalid_type');
  });

  it('accepts null where Auth0 sends null, as absent (full mode)', () => {
    const nulls = {
      refresh_token: null,
      encryption_key: null,
      compliance_level: null,
      skip_non_verifiable_callback_uri_confirmation_prompt: null,
      token_vault_privileged_access: null,
      signed_request_object: null,
      my_organization_configuration: null,
      organization_usage: null,
      addons: { aws: null, firebase: {} },
      client_metadata: { gone: null, kept: 'yes' },
    };
    const value = valueOf(validateClientSettings({ ...base, ...nulls })) as unknown as Record<
      string,
      unknown
    >;
    for (const field of Object.keys(nulls).slice(0, 8)) expect(value).not.toHaveProperty(field);
    expect(value['addons']).toEqual({ firebase: {} });
    expect(value['client_metadata']).toEqual({ kept: 'yes' });
  });

  it('reports null on name once, and null on an unknown field as unknown', () => {
    expect(issuesOf(validateClientSettings({ name: null }))).toEqual([
      { path: '/name', code: 'invalid_type', message: 'name must be a string (got null)' },
    ]);
    expect(issuesOf(validateClientSettings({ ...base, colour: null }))).toEqual([
      expect.objectContaining({ path: '/colour', code: 'unknown_property' }),
    ]);
  });

  it('gives one issue per problem (a number where an enum string is expected)', () => {
    expect(issuesOf(validateClientSettings({ ...base, organization_usage: 5 }))).toEqual([
      {
        path: '/organization_usage',
        code: 'invalid_type',
        message: 'organization_usage must be a string (got 5)',
      },
    ]);
  });

  it('checks the enums of the Management API, with a did-you-mean', () => {
    const issue = issueAt({ ...base, compliance_level: 'fapi1_adv_pkj_pa' }, '/compliance_level');
    expect(issue.code).toBe('invalid_value');
    expect(issue.message).toContain('did you mean fapi1_adv_pkj_par?');
    expect(
      issueAt(
        { ...base, organization_discovery_methods: ['mail'] },
        '/organization_discovery_methods/0',
      ).message,
    ).toContain('did you mean email?');
    for (const [field, value] of [
      ['third_party_security_mode', 'strict'],
      ['redirection_policy', 'open_redirect_protection'],
      ['external_metadata_type', 'cimd'],
      ['external_metadata_created_by', 'admin'],
    ] as const) {
      expect(issuesOf(validateClientSettings({ ...base, [field]: value }))).toEqual([]);
      expect(issueAt({ ...base, [field]: 'other' }, `/${field}`).code).toBe('invalid_value');
    }
  });

  it('validates client_authentication_methods and gives no method default with them', () => {
    const methods = {
      private_key_jwt: { credentials: [{ id: 'cred_1' }] },
      tls_client_auth: {
        credentials: [{ credential_type: 'cert_subject_dn', subject_dn: 'CN=a' }],
      },
      self_signed_tls_client_auth: {
        credentials: [{ credential_type: 'x509_cert', pem: '-----' }],
      },
    };
    const value = valueOf(
      validateClientSettings({ ...base, client_authentication_methods: methods }),
    );
    expect(value.token_endpoint_auth_method).toBeNull();
    expect(value.client_authentication_methods).toEqual(methods);
    const withNull = valueOf(
      validateClientSettings({
        ...base,
        token_endpoint_auth_method: null,
        client_authentication_methods: methods,
      }),
    );
    expect(withNull.token_endpoint_auth_method).toBeNull();
    expect(
      issueAt(
        { ...base, client_authentication_methods: { private_key_jwt: {} } },
        '/client_authentication_methods/private_key_jwt/credentials',
      ).code,
    ).toBe('required');
    expect(
      issueAt(
        { ...base, client_authentication_methods: { password: { credentials: [] } } },
        '/client_authentication_methods/password',
      ).code,
    ).toBe('unknown_property');
    expect(
      issueAt(
        { ...base, client_authentication_methods: { private_key_jwt: { credentials: 'x' } } },
        '/client_authentication_methods/private_key_jwt/credentials',
      ).code,
    ).toBe('invalid_type');
  });

  it('starts every message with the field it is about', () => {
    const result = validateClientSettings({
      name: 5,
      app_type: 'spa',
      description: 1,
      callbacks: {},
      sso: 'no',
      grant_types: 'implicit',
      client_metadata: [],
    });
    for (const issue of issuesOf(result)) {
      const field = issue.path.split('/')[1]!;
      expect(issue.message.startsWith(field), issue.message).toBe(true);
    }
  });
});

describe('validateClientSettings: normalisation', () => {
  it("drops Auth0's read-only export fields", () => {
    const value = valueOf(
      validateClientSettings({
        ...base,
        client_id: 'x',
        client_secret: 'y',
        tenant: 't',
        global: false,
        callback_url_template: false,
        signing_keys: [{ cert: '...' }],
        owners: ['mr|google-oauth2|1'],
        encrypted: true,
        config_route: '',
      }),
    );
    for (const field of [
      'client_id',
      'client_secret',
      'tenant',
      'global',
      'callback_url_template',
      'signing_keys',
      'owners',
      'encrypted',
      'config_route',
    ]) {
      expect(value).not.toHaveProperty(field);
    }
  });

  it('renames the deprecated cross_origin_auth; the current field wins', () => {
    const renamed = valueOf(validateClientSettings({ ...base, cross_origin_auth: true }));
    expect(renamed.cross_origin_authentication).toBe(true);
    expect(renamed).not.toHaveProperty('cross_origin_auth');
    const both = valueOf(
      validateClientSettings({
        ...base,
        cross_origin_auth: true,
        cross_origin_authentication: false,
      }),
    );
    expect(both.cross_origin_authentication).toBe(false);
    expect(both).not.toHaveProperty('cross_origin_auth');
  });

  it('trims the name and fills the missing jwt_configuration members', () => {
    const value = valueOf(
      validateClientSettings({
        ...base,
        name: '  App  ',
        jwt_configuration: { alg: 'PS256', secret_encoded: true },
      }),
    );
    expect(value.name).toBe('App');
    expect(value.jwt_configuration).toEqual({
      alg: 'PS256',
      secret_encoded: true,
      lifetime_in_seconds: 36000,
    });
  });

  it('keeps grant_types as given, even empty', () => {
    expect(valueOf(validateClientSettings({ ...base, grant_types: [] })).grant_types).toEqual([]);
    expect(
      valueOf(validateClientSettings({ ...base, grant_types: ['implicit'] })).grant_types,
    ).toEqual(['implicit']);
  });

  it('treats properties set to undefined as absent', () => {
    const value = valueOf(
      validateClientSettings({ ...base, description: undefined, callbacks: undefined }),
    );
    expect(value).not.toHaveProperty('description');
    expect(value).not.toHaveProperty('callbacks');
  });

  it('shares nothing with the input', () => {
    const input = { ...base, callbacks: ['https://a.example.com/cb'], client_metadata: { a: 'b' } };
    const value = valueOf(validateClientSettings(input));
    value.callbacks!.push('https://evil.example/cb');
    value.client_metadata!['a'] = 'changed';
    expect(input.callbacks).toEqual(['https://a.example.com/cb']);
    expect(input.client_metadata).toEqual({ a: 'b' });
  });

  it('passes Auth0 fields it does not interpret through unchanged', () => {
    const passThrough = {
      native_social_login: { apple: { enabled: true }, google: { enabled: false } },
      refresh_token: {
        rotation_type: 'rotating',
        expiration_type: 'expiring',
        policies: [{ audience: 'https://api', scope: ['read'] }],
      },
      mobile: { ios: { team_id: 'T', app_bundle_identifier: 'com.example.app' } },
      oidc_logout: { backchannel_logout_urls: ['https://a.example.com/bcl'] },
      token_quota: { client_credentials: { per_day: 10 } },
      custom_login_page: '<html></html>',
      organization_require_behavior: 'pre_login_prompt',
    };
    const value = valueOf(validateClientSettings({ ...base, ...passThrough }));
    expect(value).toMatchObject(passThrough);
  });
});

describe('validateClientSettings: partial mode (patches)', () => {
  it('requires nothing and fills in no defaults', () => {
    expect(valueOf(validateClientSettings({}, { partial: true }))).toEqual({});
    expect(
      valueOf(validateClientSettings({ name: ' New name ', tenant: 'x' }, { partial: true })),
    ).toEqual({ name: 'New name' });
  });

  it('still checks every field given', () => {
    expect(issueAt({ description: 'd'.repeat(141) }, '/description', { partial: true }).code).toBe(
      'too_long',
    );
    expect(issueAt({ callbacks: ['nope'] }, '/callbacks/0', { partial: true }).code).toBe(
      'missing_scheme',
    );
  });

  it("keeps Auth0's null as 'remove' in a patch, once per field", () => {
    const patch = {
      token_endpoint_auth_method: null,
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: 'cred_1' }] } },
      client_metadata: { old: null, kept: 'v' },
      addons: { samlp: null },
      organization_usage: null,
      oidc_backchannel_logout: null,
      jwt_configuration: { alg: null },
    };
    expect(valueOf(validateClientSettings(patch, { partial: true }))).toEqual(patch);
    expect(validateClientSettings({ addons: null }, { partial: true })).toEqual({
      ok: true,
      value: { addons: null },
    });
    expect(issuesOf(validateClientSettings({ name: null }, { partial: true }))).toHaveLength(1);
  });

  it('keeps per-type rules out of patches too (they are lint, on the merged result)', () => {
    expect(
      validateClientSettings(
        { app_type: 'spa', token_endpoint_auth_method: 'client_secret_post' },
        { partial: true },
      ).ok,
    ).toBe(true);
  });

  it('is full mode unless partial is exactly true', () => {
    expect(validateClientSettings({}, { partial: false }).ok).toBe(false);
    expect(validateClientSettings({}, { partial: 'yes' } as never).ok).toBe(false);
  });
});

describe('validateClientSettings: never throws', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'name=App'],
    ['an array', [base]],
    ['a function', () => base],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['a Date', new Date()],
    ['a Map', new Map([['name', 'A']])],
  ])('reports %s at the root', (_title, input) => {
    const issues = issuesOf(validateClientSettings(input));
    expect(issues.length).toBe(1);
    expect(issues[0]!.path).toBe('');
    expect(issues[0]!.message.startsWith('client settings must')).toBe(true);
  });

  it('reports a circular reference where it closes', () => {
    const input: Record<string, unknown> = { ...base, addons: { aws: {} } };
    (input['addons'] as Record<string, Record<string, unknown>>)['aws']!['loop'] = input;
    const issue = issueAt(input, '/addons/aws/loop');
    expect(issue.code).toBe('circular');
  });

  it('reports a getter that throws at its pointer and reads each getter once', () => {
    let reads = 0;
    const input = {
      ...base,
      get description() {
        throw new Error('boom');
      },
      get callbacks() {
        reads += 1;
        return reads === 1 ? ['https://a.example.com/cb'] : ['javascript:alert(1)'];
      },
    };
    const result = validateClientSettings(input);
    expect(issuesOf(result)).toEqual([
      {
        path: '/description',
        code: 'unreadable',
        message: 'description could not be read (its getter threw)',
      },
    ]);
    expect(reads).toBe(1);
  });

  it('returns the value the checks saw, even from a getter that changes', () => {
    let reads = 0;
    const input = {
      ...base,
      get callbacks() {
        reads += 1;
        return reads === 1 ? ['https://a.example.com/cb'] : ['javascript:alert(1)'];
      },
    };
    expect(valueOf(validateClientSettings(input)).callbacks).toEqual(['https://a.example.com/cb']);
  });

  it('reports proxies whose traps throw', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
      },
    );
    expect(issueAt({ ...base, addons: hostile }, '/addons').code).toBe('unreadable');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(issueAt({ ...base, addons: proxy }, '/addons').code).toBe('unreadable');
    const getterProxy = new Proxy(
      { name: 'A', app_type: 'spa' },
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    expect(issuesOf(validateClientSettings(getterProxy)).map((i) => i.path)).toEqual([
      '/name',
      '/app_type',
    ]);
  });

  it('stops at deep nesting', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = (deep['x'] = {}) as Record<string, unknown>;
    const issues = issuesOf(validateClientSettings({ ...base, addons: { aws: root } }));
    expect(issues.map((i) => i.code)).toContain('too_deep');
  });

  it('stops at very long arrays without reading them', () => {
    const huge = new Array(1e9);
    expect(issueAt({ ...base, client_aliases: huge }, '/client_aliases').code).toBe(
      'too_many_items',
    );
  });

  it('bounds the work on inputs that share one object many times', () => {
    let shared: unknown[] = ['x'];
    for (let i = 0; i < 40; i++) shared = [shared, shared];
    const issues = issuesOf(validateClientSettings({ ...base, client_aliases: shared }));
    expect(issues.map((i) => i.code)).toContain('too_large');
  });

  it('refuses values JSON cannot hold, where they are', () => {
    const input = {
      ...base,
      description: NaN,
      client_metadata: { f: () => 1 },
      callbacks: ['https://a.example.com/cb', undefined],
      addons: { aws: { at: new Date(0) } },
    };
    const issues = issuesOf(validateClientSettings(input));
    expect(issues.map((i) => i.path)).toEqual([
      '/description',
      '/client_metadata/f',
      '/callbacks/1',
      '/addons/aws/at',
    ]);
  });

  it('reports holes of sparse arrays', () => {
    // eslint-disable-next-line no-sparse-arrays
    const callbacks = ['https://a.example.com/cb', , 'https://b.example.com/cb'];
    expect(issueAt({ ...base, callbacks }, '/callbacks/1').code).toBe('invalid_type');
  });

  it('treats __proto__ as a plain (unknown) key and never touches prototypes', () => {
    const input = JSON.parse(
      '{"name":"A","app_type":"spa","__proto__":{"polluted":true},"client_metadata":{"__proto__":"x"}}',
    ) as unknown;
    const issues = issuesOf(validateClientSettings(input));
    expect(issues.map((i) => [i.path, i.code])).toEqual([['/__proto__', 'unknown_property']]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const ok = JSON.parse(
      '{"name":"A","app_type":"spa","client_metadata":{"__proto__":"x"}}',
    ) as unknown;
    const value = valueOf(validateClientSettings(ok));
    expect(Object.keys(value.client_metadata!)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value.client_metadata)).toBe(Object.prototype);
  });

  it('accepts plain objects from another realm and without a prototype', () => {
    const foreign = runInNewContext(
      '({ name: "A", app_type: "spa", callbacks: ["https://a.example.com/cb"] })',
    ) as unknown;
    expect(validateClientSettings(foreign).ok).toBe(true);
    const bare = Object.assign(Object.create(null) as object, base);
    expect(validateClientSettings(bare).ok).toBe(true);
  });

  it('refuses class instances', () => {
    class Settings {
      name = 'A';
      app_type = 'spa';
    }
    expect(issuesOf(validateClientSettings(new Settings()))[0]!.message).toBe(
      'client settings must be a plain JSON value (got a Settings)',
    );
  });

  it('ignores non-enumerable and symbol keys, as JSON does', () => {
    const input = Object.defineProperty({ ...base, [Symbol('s')]: 1 }, 'hidden', {
      value: 1,
      enumerable: false,
    });
    expect(validateClientSettings(input).ok).toBe(true);
  });
});
