import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, ValidationError, validateConnectionInput } from '../../src/index.js';
import { objectRuleOf } from '../../src/client/object-rule.js';
import { OPTION_SCHEMAS } from '../../src/connections/option-schemas.js';
import { committed, compareShape, type Mismatch } from '../support/sdk-fields.js';

type Connection = Record<string, unknown>;

/** A database connection with flexible identifiers that Auth0 accepts. */
const attributes = (email: Record<string, unknown> = {}) => ({
  email: {
    identifier: { active: true },
    unique: true,
    profile_required: true,
    signup: { status: 'required' },
    ...email,
  },
});
const database = (options: Record<string, unknown>): Connection => ({
  name: 'users',
  strategy: 'auth0',
  options,
});

/**
 * Per rule: the closest accepted connection and the smallest refused one beside it, with
 * the pointer and code of the one issue the refused one gets.
 */
const CASES: {
  rule: string;
  accepted: Connection;
  refused: Connection;
  issue: { path: string; code: string };
}[] = [
  {
    rule: 'okta needs client_id',
    accepted: { name: 'okta', strategy: 'okta', options: { client_id: 'c', domain: 'a.okta.com' } },
    refused: { name: 'okta', strategy: 'okta', options: { domain: 'a.okta.com' } },
    issue: { path: '/options/client_id', code: 'required' },
  },
  {
    rule: 'okta needs domain or issuer',
    accepted: {
      name: 'okta',
      strategy: 'okta',
      options: { client_id: 'c', issuer: 'https://a.okta.com' },
    },
    refused: { name: 'okta', strategy: 'okta', options: { client_id: 'c' } },
    issue: { path: '/options/domain', code: 'required' },
  },
  {
    rule: 'oidc needs client_id',
    accepted: { name: 'oidc', strategy: 'oidc', options: { client_id: 'c' } },
    refused: { name: 'oidc', strategy: 'oidc', options: {} },
    issue: { path: '/options/client_id', code: 'required' },
  },
  {
    rule: 'waad needs client_id',
    accepted: { name: 'entra', strategy: 'waad', options: { client_id: 'c' } },
    refused: { name: 'entra', strategy: 'waad' },
    issue: { path: '/options/client_id', code: 'required' },
  },
  {
    rule: 'google-apps needs client_id',
    accepted: { name: 'gw', strategy: 'google-apps', options: { client_id: 'c' } },
    refused: { name: 'gw', strategy: 'google-apps', options: { client_id: '' } },
    issue: { path: '/options/client_id', code: 'required' },
  },
  {
    rule: 'pingfederate needs pingFederateBaseUrl',
    accepted: {
      name: 'ping',
      strategy: 'pingfederate',
      options: { pingFederateBaseUrl: 'https://ping.example.com' },
    },
    refused: { name: 'ping', strategy: 'pingfederate', options: {} },
    issue: { path: '/options/pingFederateBaseUrl', code: 'required' },
  },
  {
    rule: 'cross_app_access_resource_app only on oidc and samlp',
    accepted: { name: 'saml', strategy: 'samlp', cross_app_access_resource_app: {} },
    refused: { name: 'gh', strategy: 'github', cross_app_access_resource_app: {} },
    issue: { path: '/cross_app_access_resource_app', code: 'not_for_strategy' },
  },
  {
    rule: 'cross_app_access_requesting_app only on oidc and okta',
    accepted: {
      name: 'oidc',
      strategy: 'oidc',
      options: { client_id: 'c' },
      cross_app_access_requesting_app: { active: true },
    },
    refused: { name: 'saml', strategy: 'samlp', cross_app_access_requesting_app: { active: true } },
    issue: { path: '/cross_app_access_requesting_app', code: 'not_for_strategy' },
  },
  {
    rule: 'attributes are not used with requires_username',
    accepted: database({ attributes: attributes(), requires_username: false }),
    refused: database({ attributes: attributes(), requires_username: true }),
    issue: { path: '/options/requires_username', code: 'conflict' },
  },
  {
    rule: 'attributes are not used with validation',
    accepted: database({ attributes: attributes(), validation: null }),
    refused: database({ attributes: attributes(), validation: { username: { min: 1, max: 15 } } }),
    issue: { path: '/options/validation', code: 'conflict' },
  },
  {
    rule: 'attributes need an active identifier',
    accepted: database({ attributes: attributes() }),
    refused: database({ attributes: attributes({ identifier: { active: false } }) }),
    issue: { path: '/options/attributes', code: 'no_active_identifier' },
  },
  {
    rule: 'a non-unique email is not an active identifier',
    accepted: database({
      attributes: {
        ...attributes({ unique: false, identifier: { active: false } }),
        username: { identifier: { active: true } },
      },
    }),
    refused: database({ attributes: attributes({ unique: false }) }),
    issue: { path: '/options/attributes/email/identifier/active', code: 'conflict' },
  },
  {
    rule: 'profile_required only for attributes required at signup',
    accepted: database({ attributes: attributes({ signup: { status: 'required' } }) }),
    refused: database({ attributes: attributes({ signup: { status: 'optional' } }) }),
    issue: { path: '/options/attributes/email/profile_required', code: 'conflict' },
  },
  {
    rule: 'attributes refuse an undeclared member',
    accepted: database({ attributes: attributes({ verification_method: 'link' }) }),
    refused: database({ attributes: attributes({ verification: 'link' }) }),
    issue: { path: '/options/attributes/email/verification', code: 'unknown_property' },
  },
  {
    rule: 'validation.username needs min and max',
    accepted: database({ validation: { username: { min: 1, max: 15 } } }),
    refused: database({ validation: { username: { min: 1 } } }),
    issue: { path: '/options/validation/username/max', code: 'required' },
  },
  {
    rule: 'password_history needs enable',
    accepted: database({ password_history: { enable: true, size: 5 } }),
    refused: database({ password_history: { size: 5 } }),
    issue: { path: '/options/password_history/enable', code: 'required' },
  },
  {
    rule: 'password_options replaces the legacy password policy fields',
    accepted: database({ password_options: { complexity: { min_length: 12 } } }),
    refused: database({
      password_options: { complexity: { min_length: 12 } },
      passwordPolicy: 'good',
    }),
    issue: { path: '/options/passwordPolicy', code: 'conflict' },
  },
  {
    rule: 'three_of_four needs the four character types',
    accepted: database({
      password_options: {
        complexity: {
          character_type_rule: 'three_of_four',
          character_types: ['uppercase', 'lowercase', 'number', 'special'],
        },
      },
    }),
    refused: database({
      password_options: {
        complexity: { character_type_rule: 'three_of_four', character_types: ['uppercase'] },
      },
    }),
    issue: { path: '/options/password_options/complexity/character_type_rule', code: 'conflict' },
  },
  {
    rule: 'signup_behavior block needs api_behavior optional',
    accepted: database({
      authentication_methods: { password: { signup_behavior: 'block', api_behavior: 'optional' } },
    }),
    refused: database({
      authentication_methods: { password: { signup_behavior: 'block', api_behavior: 'required' } },
    }),
    issue: { path: '/options/authentication_methods/password/api_behavior', code: 'conflict' },
  },
];

describe('connection rules by strategy: the smallest refused body beside the closest accepted one', () => {
  for (const { rule, accepted, refused, issue } of CASES) {
    it(rule, () => {
      const ok = validateConnectionInput(accepted);
      expect(ok.ok ? [] : ok.issues).toEqual([]);
      const result = validateConnectionInput(refused);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues).toEqual([expect.objectContaining(issue)]);
      const label = issue.path.slice(1).replaceAll('/', '.');
      expect(result.issues[0]!.message.startsWith(label)).toBe(true);
    });
  }

  it("passes the options of strategies without rules through (Auth0's options are open)", () => {
    const result = validateConnectionInput({
      name: 'gh',
      strategy: 'github',
      options: { anything: { nested: [1, 2] }, client_id: 'x' },
    });
    expect(result.ok).toBe(true);
  });
});

describe('connections Auth0 accepted', () => {
  it('every connection of the recorded Management API export validates', () => {
    const { connections } = JSON.parse(
      readFileSync(new URL('../fixtures/auth0-connections.json', import.meta.url), 'utf8'),
    ) as { connections: Connection[] };
    for (const connection of connections) {
      const { enabled_clients: _clients, ...rest } = connection;
      const result = validateConnectionInput(rest);
      expect(result.ok ? [] : result.issues, String(connection['name'])).toEqual([]);
    }
  });
});

describe('tenant.connections.update: the stored strategy and the stored connection', () => {
  async function tenantWith(connection: Connection) {
    const tenant = await Tenant.create({ domain: 'id.example.com', store: new MemoryStore() });
    const created = await tenant.connections.create(connection as never);
    return { tenant, id: created.id };
  }
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  };

  it("checks a patch's options against the stored strategy (Auth0 replaces options whole)", async () => {
    const { tenant, id } = await tenantWith({
      name: 'okta',
      strategy: 'okta',
      options: { client_id: 'c', domain: 'a.okta.com' },
    });
    expect(await refusal(tenant.connections.update(id, { options: { client_id: 'c' } }))).toEqual([
      expect.objectContaining({ path: '/options/domain', code: 'required' }),
    ]);
    const updated = await tenant.connections.update(id, {
      options: { client_id: 'c', issuer: 'https://a.okta.com' },
    });
    expect(updated.options).toEqual({ client_id: 'c', issuer: 'https://a.okta.com' });
    // A patch without options is not checked against option rules.
    await tenant.connections.update(id, { display_name: 'Okta' } as never);
  });

  it('refuses a field the stored strategy does not have', async () => {
    const { tenant, id } = await tenantWith({ name: 'gh', strategy: 'github' });
    expect(
      await refusal(tenant.connections.update(id, { cross_app_access_resource_app: {} } as never)),
    ).toEqual([expect.objectContaining({ path: '/cross_app_access_resource_app' })]);
  });

  it('refuses a change of options.attributes.email.unique, and keeps the stored connection', async () => {
    const { tenant, id } = await tenantWith(database({ attributes: attributes() }));
    const issues = await refusal(
      tenant.connections.update(id, {
        options: { attributes: attributes({ unique: false, identifier: { active: false } }) },
      }),
    );
    // Every problem is reported at once: the patch also leaves no active identifier.
    expect(issues).toEqual([
      expect.objectContaining({ path: '/options/attributes', code: 'no_active_identifier' }),
      expect.objectContaining({ path: '/options/attributes/email/unique', code: 'immutable' }),
    ]);
    expect((await tenant.connections.get(id)).options).toEqual({ attributes: attributes() });
    // The same value, or leaving it out, is accepted.
    await tenant.connections.update(id, {
      options: { attributes: attributes({ profile_required: false }) },
    });
    await tenant.connections.update(id, {
      options: { attributes: { username: { identifier: { active: true } } } },
    });
  });
});

describe("the database options table against the auth0 SDK's shape", () => {
  it('declares only members of ConnectionOptionsAuth0, each object exactly as the SDK does', () => {
    const shape = committed.connectionOptions['auth0']!;
    expect(shape.type).toBe('object');
    if (shape.type !== 'object') return;
    const rule = objectRuleOf(OPTION_SCHEMAS['auth0']);
    expect(rule?.extraRefused).toBe(false);
    const members = Object.keys(rule?.members ?? {});
    expect(members.filter((name) => !(name in shape.members))).toEqual([]);
    const out: Mismatch[] = [];
    for (const name of members) {
      compareShape(rule!.members[name]!, shape.members[name]!, `/options/${name}`, {}, out);
    }
    expect(out).toEqual([]);
  });
});
