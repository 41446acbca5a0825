import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintClient, validateClientSettings } from '../../src/index.js';

const exported = JSON.parse(
  readFileSync(new URL('../fixtures/auth0-deploy-export.json', import.meta.url), 'utf8'),
) as { clients: Record<string, unknown>[] };

const READ_ONLY = [
  'tenant',
  'global',
  'callback_url_template',
  'signing_keys',
  'client_id',
  'client_secret',
];

describe('an Auth0 Deploy CLI export', () => {
  it('has several clients with read-only fields', () => {
    expect(exported.clients.length).toBeGreaterThanOrEqual(4);
    for (const client of exported.clients) expect(client).toHaveProperty('tenant');
  });

  it.each(exported.clients.map((client) => [client['name'] as string, client] as const))(
    '%s validates as it is',
    (_name, client) => {
      const result = validateClientSettings(client);
      expect(result.ok ? [] : result.issues).toEqual([]);
      if (!result.ok) return;
      for (const field of READ_ONLY) expect(result.value).not.toHaveProperty(field);
      expect(result.value).not.toHaveProperty('cross_origin_auth');
      // Everything else is kept as exported.
      for (const [key, value] of Object.entries(client)) {
        if (READ_ONLY.includes(key) || key === 'cross_origin_auth' || key === 'jwt_configuration')
          continue;
        expect(result.value[key as keyof typeof result.value], key).toEqual(value);
      }
      // And the value validates to itself.
      expect(validateClientSettings(result.value)).toEqual(result);
    },
  );

  it('maps the deprecated cross_origin_auth when the current field is absent', () => {
    const storefront = validateClientSettings(exported.clients[0]);
    expect(storefront.ok && storefront.value.cross_origin_authentication).toBe(false);
  });

  it('fills in alg for an old client that has none', () => {
    const legacy = validateClientSettings(
      exported.clients.find((c) => c['name'] === 'Legacy Reporting Job'),
    );
    expect(legacy.ok && legacy.value.jwt_configuration).toEqual({
      lifetime_in_seconds: 36000,
      secret_encoded: false,
      alg: 'RS256',
    });
  });

  it('lints the export: the kept secret, and the leftovers of the legacy job', () => {
    const rules = exported.clients.map((client) =>
      lintClient(client).map((f) => `${f.rule} ${f.path}`),
    );
    expect(rules[0]).toEqual(['wildcard-url /callbacks/1', 'wildcard-url /allowed_logout_urls/1']);
    expect(rules[1]).toEqual(['secret-in-config /client_secret']);
    expect(rules[2]).toEqual([]);
    expect(rules[3]).toEqual([]);
    expect(rules[4]).toEqual([
      'inapplicable-setting /grant_types/0',
      'inapplicable-setting /grant_types/1',
      'inapplicable-setting /grant_types/2',
    ]);
  });
});
