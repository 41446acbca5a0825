/**
 * Auth0's FAPI compliance levels as lint errors: what each level asks of the settings,
 * with Auth0's reason, and that mTLS is reported as not served.
 */
import { describe, expect, it } from 'vitest';
import { lintClient, LINT_RULES, type ClientSettings } from '../../src/index.js';

const compliant = {
  name: 'Bank',
  app_type: 'regular_web',
  callbacks: ['https://bank.example.com/callback'],
  client_authentication_methods: { private_key_jwt: { credentials: [{ id: 'cred_1' }] } },
  signed_request_object: { credentials: [{ id: 'cred_2' }], required: true },
  grant_types: ['authorization_code', 'refresh_token'],
  compliance_level: 'fapi1_adv_pkj_par',
} as const;

const findings = (settings: Record<string, unknown>) =>
  lintClient(settings as unknown as ClientSettings).filter((f) => f.rule.startsWith('compliance-'));

describe('compliance_level lint rules', () => {
  it('finds nothing on a client that meets fapi1_adv_pkj_par, nor on a client without a level', () => {
    expect(findings(compliant)).toEqual([]);
    expect(findings({ ...compliant, compliance_level: 'none' })).toEqual([]);
    expect(
      findings({ name: 'x', app_type: 'spa', callbacks: ['https://*.example.com/cb'] }),
    ).toEqual([]);
  });

  it('requires private_key_jwt with a credential, never a secret method', () => {
    expect(findings({ ...compliant, token_endpoint_auth_method: 'client_secret_post' })).toEqual([
      expect.objectContaining({
        rule: 'compliance-private-key-jwt',
        severity: 'error',
        path: '/token_endpoint_auth_method',
        message: expect.stringMatching(/compliance_level "fapi1_adv_pkj_par" \(FAPI 1\.0 Advanced/),
      }),
    ]);
    expect(findings({ ...compliant, client_authentication_methods: undefined })).toEqual([
      expect.objectContaining({
        rule: 'compliance-private-key-jwt',
        path: '/client_authentication_methods/private_key_jwt/credentials',
      }),
    ]);
  });

  it('refuses wildcard callbacks, the implicit grant, oidc_conformant false and PAR switched off', () => {
    const found = findings({
      ...compliant,
      callbacks: ['https://bank.example.com/callback', 'https://*.bank.example.com/cb'],
      grant_types: ['authorization_code', 'implicit'],
      oidc_conformant: false,
      require_pushed_authorization_requests: false,
    });
    expect(found.map(({ rule, path }) => [rule, path])).toEqual([
      ['compliance-par', '/require_pushed_authorization_requests'],
      ['compliance-pkce', '/grant_types/1'],
      ['compliance-exact-callbacks', '/callbacks/1'],
      ['compliance-oidc-conformant', '/oidc_conformant'],
    ]);
    expect(found[0]?.message).toContain(
      'Pushed Authorization Requests are required by the configured compliance level',
    );
  });

  it('asks FAPI 1.0 levels for a signed request object key, and not FAPI 2.0 levels', () => {
    const withoutJar = { ...compliant, signed_request_object: undefined };
    expect(findings(withoutJar)).toEqual([
      expect.objectContaining({
        rule: 'compliance-signed-requests',
        path: '/signed_request_object',
        message: expect.stringMatching(/PS256/),
      }),
    ]);
    const fapi2 = findings({ ...withoutJar, compliance_level: 'fapi2_sp_pkj_mtls' });
    expect(fapi2.map((f) => f.rule)).toEqual(['compliance-mtls']);
  });

  it('reports mTLS as not served for the levels that need it', () => {
    for (const [level, needs] of [
      ['fapi1_adv_mtls_par', /mTLS client authentication, which clientele does not serve/],
      [
        'fapi2_sp_pkj_mtls',
        /mTLS sender-constrained access tokens, which clientele does not serve/,
      ],
      ['fapi2_sp_mtls_mtls', /mTLS client authentication and mTLS sender-constrained/],
    ] as const) {
      const found = findings({ ...compliant, compliance_level: level });
      expect(found).toContainEqual(
        expect.objectContaining({
          rule: 'compliance-mtls',
          severity: 'error',
          path: '/compliance_level',
          message: expect.stringMatching(needs),
        }),
      );
    }
  });

  it('documents each rule with Auth0 FAPI page as its source', () => {
    const rules = LINT_RULES.filter((rule) => rule.id.startsWith('compliance-'));
    expect(rules).toHaveLength(7);
    for (const rule of rules) {
      expect(rule).toMatchObject({
        severity: 'error',
        see: expect.stringContaining('configure-fapi-compliance'),
      });
    }
  });
});
