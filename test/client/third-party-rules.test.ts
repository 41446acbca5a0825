/**
 * Auth0's rules for third-party applications in strict mode: lint errors on a strict
 * client, the same findings as warnings on a permissive one (or one without a mode),
 * nothing on first-party clients and Auth0's SSO integrations; the tenant-wide ones in
 * `clientele check`; the defaults Auth0 gives a strict client.
 */
import { describe, expect, it } from 'vitest';
import { checkTenant } from '../../src/cli/check.js';
import { libraryChecker } from '../../src/cli/library-checker.js';
import type { LoadedEntry, LoadedTenant } from '../../src/cli/types.js';
import {
  LINT_RULES,
  lintClient,
  MemoryStore,
  Tenant,
  validateClientSettings,
  ValidationError,
} from '../../src/index.js';

type Settings = Record<string, unknown>;

/** A third-party client that breaks every strict-mode rule settings can show. */
const everything = (mode?: string): Settings => ({
  name: 'Partner',
  app_type: 'regular_web',
  is_first_party: false,
  ...(mode === undefined ? {} : { third_party_security_mode: mode }),
  callbacks: ['https://partner.example.com/cb', 'https://*.partner.example.com/cb'],
  allowed_logout_urls: ['https://partner.example.com/'],
  grant_types: ['authorization_code', 'implicit', 'password', 'refresh_token'],
  jwt_configuration: { alg: 'HS256' },
  client_authentication_methods: { tls_client_auth: { credentials: [{ id: 'cred_1' }] } },
  refresh_token: {
    expiration_type: 'non-expiring',
    rotation_type: 'non-rotating',
    infinite_token_lifetime: true,
    infinite_idle_token_lifetime: true,
  },
  cross_origin_authentication: true,
  oidc_logout: { backchannel_logout_urls: ['https://partner.example.com/bcl'] },
  addons: { samlp: {}, wsfed: {} },
  require_pushed_authorization_requests: true,
  signed_request_object: { required: true },
});

const thirdParty = (settings: Settings) =>
  lintClient(settings)
    .filter((finding) => finding.rule.startsWith('third-party-'))
    .map(({ rule, severity, path }) => [rule, severity, path]);

const EVERY_PATH = [
  ['third-party-grant-type', '/grant_types/1'],
  ['third-party-grant-type', '/grant_types/2'],
  ['third-party-signing-alg', '/jwt_configuration/alg'],
  ['third-party-auth-method', '/client_authentication_methods/tls_client_auth'],
  ['third-party-exact-urls', '/callbacks/1'],
  ['third-party-refresh-token', '/refresh_token/expiration_type'],
  ['third-party-refresh-token', '/refresh_token/infinite_token_lifetime'],
  ['third-party-refresh-token', '/refresh_token/infinite_idle_token_lifetime'],
  ['third-party-unsupported-feature', '/allowed_logout_urls'],
  ['third-party-unsupported-feature', '/oidc_logout/backchannel_logout_urls'],
  ['third-party-unsupported-feature', '/cross_origin_authentication'],
  ['third-party-unsupported-feature', '/addons/samlp'],
  ['third-party-unsupported-feature', '/addons/wsfed'],
  ['third-party-unsupported-feature', '/require_pushed_authorization_requests'],
  ['third-party-unsupported-feature', '/signed_request_object/required'],
];

describe('third-party lint rules', () => {
  it('report every restriction of strict mode as an error on a strict client', () => {
    expect(thirdParty(everything('strict'))).toEqual(
      EVERY_PATH.map(([rule, path]) => [rule, 'error', path]),
    );
  });

  it('report the same as warnings on a permissive client or one without a mode', () => {
    for (const mode of ['permissive', undefined]) {
      expect(thirdParty(everything(mode))).toEqual(
        EVERY_PATH.map(([rule, path]) => [rule, 'warning', path]),
      );
    }
  });

  it('cite Auth0 and say what to change, starting with the field', () => {
    const [strict] = lintClient(everything('strict')).filter((f) => f.path === '/grant_types/1');
    expect(strict?.message).toBe(
      'grant_types[1] "implicit": third-party clients in strict mode cannot use it (Auth0: only authorization_code, refresh_token and client_credentials; remove it)',
    );
    const [permissive] = lintClient(everything('permissive')).filter(
      (f) => f.path === '/grant_types/1',
    );
    expect(permissive?.message).toBe(
      'grant_types[1] "implicit": it works in permissive mode, but not on a strict third-party client (Auth0: only authorization_code, refresh_token and client_credentials; remove it)',
    );
    for (const rule of LINT_RULES.filter((r) => r.id.startsWith('third-party-'))) {
      expect(rule.see).toMatch(
        /^https:\/\/auth0\.com\/docs\/get-started\/applications\/third-party-applications\/security-controls/,
      );
      expect(rule.severity).toBe('error');
    }
  });

  it('say nothing about first-party clients, compliant strict clients and SSO integrations', () => {
    expect(thirdParty({ ...everything('strict'), is_first_party: true })).toEqual([]);
    const { is_first_party: _, ...firstByDefault } = everything('strict');
    expect(thirdParty(firstByDefault)).toEqual([]);
    expect(
      thirdParty({
        name: 'Partner',
        app_type: 'spa',
        is_first_party: false,
        third_party_security_mode: 'strict',
        callbacks: ['https://partner.example.com/cb'],
        allowed_origins: ['https://partner.example.com'],
        grant_types: ['authorization_code', 'refresh_token'],
        jwt_configuration: { alg: 'RS256' },
        refresh_token: { expiration_type: 'expiring', rotation_type: 'rotating' },
        cross_origin_authentication: false,
      }),
    ).toEqual([]);
    const slack = {
      name: 'Slack',
      app_type: 'slack',
      is_first_party: false,
      callbacks: ['https://*.slack.com/sso'],
    };
    expect(thirdParty(slack)).toEqual([]);
    expect(thirdParty({ ...slack, third_party_security_mode: 'strict' })).toEqual([
      ['third-party-app-type', 'error', '/app_type'],
      ['third-party-exact-urls', 'error', '/callbacks/0'],
    ]);
  });

  it('read the deprecated cross_origin_auth when the current field is not given', () => {
    expect(
      thirdParty({
        name: 'P',
        app_type: 'spa',
        is_first_party: false,
        cross_origin_auth: true,
        grant_types: ['authorization_code'],
      }),
    ).toEqual([['third-party-unsupported-feature', 'warning', '/cross_origin_auth']]);
  });

  it('read the older oidc_backchannel_logout when oidc_logout is not given, as delivery does', () => {
    const partner = {
      name: 'P',
      app_type: 'regular_web',
      is_first_party: false,
      third_party_security_mode: 'strict',
      grant_types: ['authorization_code'],
      oidc_backchannel_logout: { backchannel_logout_urls: ['https://partner.example.com/bcl'] },
    };
    expect(thirdParty(partner)).toEqual([
      [
        'third-party-unsupported-feature',
        'error',
        '/oidc_backchannel_logout/backchannel_logout_urls',
      ],
    ]);
    expect(thirdParty({ ...partner, oidc_logout: { backchannel_logout_urls: [] } })).toEqual([]);
  });
});

describe('a strict third-party client in a Tenant', () => {
  it('gets the grant types Auth0 gives it, and is refused with one it cannot use', async () => {
    const spa = validateClientSettings({
      name: 'Partner SPA',
      app_type: 'spa',
      is_first_party: false,
      third_party_security_mode: 'strict',
    });
    expect(spa.ok && spa.value.grant_types).toEqual(['authorization_code', 'refresh_token']);
    const m2m = validateClientSettings({
      name: 'Partner job',
      app_type: 'non_interactive',
      is_first_party: false,
      third_party_security_mode: 'strict',
    });
    expect(m2m.ok && m2m.value.grant_types).toEqual(['client_credentials']);
    const permissive = validateClientSettings({
      name: 'Old partner',
      app_type: 'spa',
      is_first_party: false,
    });
    expect(permissive.ok && permissive.value.grant_types).toEqual([
      'authorization_code',
      'implicit',
      'refresh_token',
    ]);

    const tenant = await Tenant.create({ domain: 'tenant.example.com', store: new MemoryStore() });
    try {
      const created = await tenant.clients.create({
        name: 'Partner SPA',
        app_type: 'spa',
        is_first_party: false,
        third_party_security_mode: 'strict',
        callbacks: ['https://partner.example.com/cb'],
      });
      expect(created.grant_types).toEqual(['authorization_code', 'refresh_token']);
      const refused = await tenant.clients
        .update(created.client_id, { grant_types: ['authorization_code', 'implicit'] })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).issues).toEqual([
        expect.objectContaining({ path: '/grant_types/1', code: 'third-party-grant-type' }),
      ]);
    } finally {
      await tenant.close();
    }
  });
});

/** Entries of one kind, as a loader gives them. */
const entries = (...raws: unknown[]): LoadedEntry[] =>
  raws.map((raw, index) => ({
    file: 'tenant.yaml',
    position: index + 1,
    raw,
    lineOf: () => undefined,
  }));

function checked(tenant: Omit<LoadedTenant, 'source' | 'format'>) {
  const report = checkTenant(
    { source: 'tenant.yaml', format: 'deploy-cli-yaml', ...tenant },
    libraryChecker,
  );
  return [...report.clients, ...(report.grants ?? [])].flatMap((entry) =>
    entry.findings
      .filter((finding) => finding.rule.startsWith('third-party-'))
      .map((finding) => [entry.client, finding.rule, finding.severity, finding.path]),
  );
}

describe('third-party rules of clientele check', () => {
  const partner = (mode: string) => ({
    name: 'Partner',
    app_type: 'regular_web',
    is_first_party: false,
    third_party_security_mode: mode,
    grant_types: ['authorization_code', 'client_credentials'],
    callbacks: ['https://partner.example.com/cb'],
  });
  const api = { identifier: 'https://api.example.com', name: 'API', scopes: [{ value: 'read' }] };

  it('want a client grant (or a default one) for a third-party client, when the export lists grants', () => {
    expect(
      checked({ clients: entries(partner('strict')), apis: entries(api), grants: entries() }),
    ).toEqual([['Partner', 'third-party-needs-grant', 'error', '/is_first_party']]);
    expect(
      checked({ clients: entries(partner('permissive')), apis: entries(api), grants: entries() }),
    ).toEqual([['Partner', 'third-party-needs-grant', 'warning', '/is_first_party']]);
    expect(checked({ clients: entries(partner('strict')), apis: entries(api) })).toEqual([]);
    const defaultGrant = {
      default_for: 'third_party_clients',
      audience: 'https://api.example.com',
      scope: ['read'],
    };
    expect(
      checked({
        clients: entries(partner('strict')),
        apis: entries(api),
        grants: entries(defaultGrant),
      }),
    ).toEqual([]);
    const own = { client_id: 'Partner', audience: 'https://api.example.com', scope: ['read'] };
    expect(
      checked({ clients: entries(partner('strict')), apis: entries(api), grants: entries(own) }),
    ).toEqual([]);
  });

  it('refuse system APIs and allow_any_organization to a third-party client', () => {
    const grants = entries(
      {
        client_id: 'Partner',
        audience: 'https://tenant.eu.auth0.com/api/v2/',
        scope: ['read:users'],
      },
      {
        client_id: 'Partner',
        audience: 'https://api.example.com',
        scope: ['read'],
        allow_any_organization: true,
      },
    );
    expect(checked({ clients: entries(partner('strict')), apis: entries(api), grants })).toEqual([
      [
        'grant:Partner -> https://tenant.eu.auth0.com/api/v2/',
        'third-party-system-api',
        'error',
        '/audience',
      ],
      [
        'grant:Partner -> https://api.example.com',
        'third-party-any-organization',
        'error',
        '/allow_any_organization',
      ],
    ]);
    const first = { ...partner('strict'), is_first_party: true };
    expect(checked({ clients: entries(first), apis: entries(api), grants })).toEqual([]);
  });
});
