import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConnectionInput } from '../../src/index.js';
import { CONNECTION_PASS_THROUGH_FIELDS } from '../../src/connections/connection.js';

/** An OIDC connection: the strategy that has every field of the table (both cross-app ones). */
const VALID = { name: 'acme-oidc', strategy: 'oidc', options: { client_id: 'acme-client' } };

/** One valid value for every Auth0 field the library passes through. */
const PASS_THROUGH = {
  display_name: 'Acme employees',
  realms: ['acme.example'],
  metadata: { owner: 'it-identity', ticket: null },
  is_domain_connection: false,
  show_as_button: true,
  authentication: { active: true },
  connected_accounts: { active: false, cross_app_access: false },
  cross_app_access_requesting_app: { active: true },
  cross_app_access_resource_app: { status: 'enabled' },
  scim_configuration: {
    mapping: [{ scim: 'userName', auth0: 'email' }],
    user_id_attribute: 'externalId',
  },
  directory_provisioning_configuration: {
    mapping: [{ auth0: 'email', idp: 'primaryEmail' }],
    synchronize_automatically: true,
  },
};

/** Field, a value of the wrong type, the message: one case per field of the table. */
const WRONG_TYPES: [string, unknown, string][] = [
  ['display_name', 42, 'display_name must be a string (got number)'],
  ['realms', 'acme.example', 'realms must be an array (got string)'],
  ['metadata', ['a'], 'metadata must be an object (got array)'],
  ['is_domain_connection', 'false', 'is_domain_connection must be a boolean (got string)'],
  ['show_as_button', null, 'show_as_button must be a boolean (got null)'],
  ['authentication', true, 'authentication must be an object (got boolean)'],
  ['connected_accounts', [], 'connected_accounts must be an object (got array)'],
  [
    'cross_app_access_requesting_app',
    true,
    'cross_app_access_requesting_app must be an object (got boolean)',
  ],
  [
    'cross_app_access_resource_app',
    'enabled',
    'cross_app_access_resource_app must be an object or null (got string)',
  ],
  ['scim_configuration', 'on', 'scim_configuration must be an object (got string)'],
  [
    'directory_provisioning_configuration',
    1,
    'directory_provisioning_configuration must be an object (got number)',
  ],
  ['provisioning_ticket_url', {}, 'provisioning_ticket_url must be a string (got object)'],
];

function issuesOf(input: unknown, partial = false): [string, string][] {
  const result = validateConnectionInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code]);
}

function messagesOf(input: unknown, partial = false): string[] {
  const result = validateConnectionInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => issue.message);
}

describe('validateConnectionInput: Auth0 fields passed through', () => {
  it('keeps every one unchanged, on create and in a patch', () => {
    expect(Object.keys(PASS_THROUGH).sort()).toEqual(
      Object.keys(CONNECTION_PASS_THROUGH_FIELDS)
        .filter((field) => CONNECTION_PASS_THROUGH_FIELDS[field]?.readOnly === undefined)
        .sort(),
    );
    expect(validateConnectionInput({ ...VALID, ...PASS_THROUGH })).toEqual({
      ok: true,
      value: { ...VALID, enabled_clients: [], ...PASS_THROUGH },
    });
    expect(validateConnectionInput(PASS_THROUGH, { partial: true })).toEqual({
      ok: true,
      value: PASS_THROUGH,
    });
  });

  it.each(WRONG_TYPES)('refuses a wrong type for %s at its pointer', (field, value, message) => {
    expect(validateConnectionInput({ ...VALID, [field]: value })).toEqual({
      ok: false,
      issues: [{ path: `/${field}`, code: 'invalid_type', message }],
    });
  });

  it('has a wrong-type case for every field of the table', () => {
    expect(WRONG_TYPES.map(([field]) => field).sort()).toEqual(
      Object.keys(CONNECTION_PASS_THROUGH_FIELDS).sort(),
    );
  });

  it.each([
    [{ display_name: 'x'.repeat(129) }, '/display_name', 'too_long'],
    [{ realms: ['a', 7] }, '/realms/1', 'invalid_type'],
    [{ realms: [''] }, '/realms/0', 'blank'],
    [{ realms: ['x'.repeat(256)] }, '/realms/0', 'too_long'],
    [
      { realms: Array.from({ length: 101 }, (_, i) => `r${i}.example`) },
      '/realms',
      'too_many_items',
    ],
    [{ metadata: { a: 1 } }, '/metadata/a', 'invalid_type'],
    [{ metadata: { 'a/b': 'x'.repeat(256) } }, '/metadata/a~1b', 'too_long'],
    [
      { metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
      '/metadata',
      'too_many_properties',
    ],
    [{ authentication: { active: true, note: 'x'.repeat(1_000) } }, '/authentication', 'too_large'],
    [{ provisioning_ticket_url: 'x'.repeat(2049) }, '/provisioning_ticket_url', 'too_long'],
  ])('refuses %j over its limit or with a bad entry', (fields, path, code) => {
    expect(issuesOf({ ...VALID, ...fields })).toEqual([[path, code]]);
  });

  it('names entries as people write them', () => {
    expect(messagesOf({ ...VALID, realms: ['ok', 7], metadata: { team: false } })).toEqual([
      'realms[1] must be a string (got number)',
      'metadata.team must be a string or null (got boolean)',
    ]);
    expect(
      messagesOf({
        ...VALID,
        metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])),
      }),
    ).toEqual(['metadata must have at most 10 members (got 11)']);
  });

  it("accepts Auth0's read-only provisioning_ticket_url on create and drops it", () => {
    const ticket = 'https://acme.eu.auth0.com/p/ad/AbCdEf123456';
    const result = validateConnectionInput({ ...VALID, provisioning_ticket_url: ticket });
    expect(result).toEqual({
      ok: true,
      value: { ...VALID, enabled_clients: [] },
    });
    expect(issuesOf({ provisioning_ticket_url: ticket }, true)).toEqual([
      ['/provisioning_ticket_url', 'read_only'],
    ]);
    expect(issuesOf({ provisioning_ticket_url: 5 }, true)).toEqual([
      ['/provisioning_ticket_url', 'read_only'],
    ]);
  });

  it('still refuses unknown fields, suggesting a pass-through field one typo away', () => {
    expect(issuesOf({ ...VALID, displayname: 'x', domain: 'acme.example' })).toEqual([
      ['/displayname', 'unknown_property'],
      ['/domain', 'unknown_property'],
    ]);
    expect(messagesOf({ ...VALID, displayname: 'x' })).toEqual([
      'displayname is not a known property: use name, strategy, enabled_clients or options (did you mean display_name?)',
    ]);
  });

  it('never throws, and keeps what it accepts unchanged, for any values', () => {
    const fields = Object.keys(CONNECTION_PASS_THROUGH_FIELDS);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...fields), fc.jsonValue(), { maxKeys: 6 }),
        fc.boolean(),
        (extra, partial) => {
          const input = partial ? extra : { ...VALID, ...extra };
          const result = validateConnectionInput(input, { partial });
          if (!result.ok) {
            for (const issue of result.issues) expect(issue.path).toMatch(/^\/[a-z_]+(\/|$)/);
            return;
          }
          for (const [field, value] of Object.entries(extra)) {
            const readOnly = CONNECTION_PASS_THROUGH_FIELDS[field]?.readOnly !== undefined;
            const kept = (result.value as Record<string, unknown>)[field];
            expect(kept).toEqual(readOnly ? undefined : value);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
