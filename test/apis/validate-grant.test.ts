import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tenant, grantScopeIssues, validateGrantInput } from '../../src/index.js';

const VALID = { client_id: 'abc', audience: 'https://api.example.com', scope: ['read', 'write'] };

function issuesOf(input: unknown, partial = false): [string, string][] {
  const result = validateGrantInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code]);
}

describe('validateGrantInput', () => {
  it('accepts a grant, also with no scopes', () => {
    expect(validateGrantInput(VALID)).toEqual({ ok: true, value: VALID });
    expect(issuesOf({ ...VALID, scope: [] })).toEqual([]);
  });

  it('requires every field at its own pointer', () => {
    expect(issuesOf({})).toEqual([
      ['/client_id', 'required'],
      ['/audience', 'required'],
    ]);
  });

  it.each([
    [{ client_id: '' }, '/client_id', 'blank'],
    [{ client_id: 'x'.repeat(257) }, '/client_id', 'too_long'],
    [{ client_id: 7 }, '/client_id', 'invalid_type'],
    [{ audience: '' }, '/audience', 'blank'],
    [{ audience: 'x'.repeat(601) }, '/audience', 'too_long'],
    [{ audience: 'https://api\r\n' }, '/audience', 'invalid_format'],
    [{ audience: ['https://api'] }, '/audience', 'invalid_type'],
    [{ scope: 'read write' }, '/scope', 'invalid_type'],
    [{ scope: ['read', 'read'] }, '/scope/1', 'duplicate'],
    [{ scope: ['read write'] }, '/scope/0', 'invalid_format'],
    [{ scope: [''] }, '/scope/0', 'blank'],
    [{ scope: ['x'.repeat(281)] }, '/scope/0', 'too_long'],
    [{ scope: [1] }, '/scope/0', 'invalid_type'],
    [{ scope: new Array(1001).fill('a') }, '/scope', 'too_many_items'],
    [{ id: 'cgr_1' }, '/id', 'read_only'],
    [{ client: 'abc' }, '/client', 'unknown_property'],
    [{ allow_all_scope: true }, '/allow_all_scope', 'unknown_property'],
    [{ default_for: 'third_party_client' }, '/default_for', 'invalid_value'],
    [{ subject_type: 'users' }, '/subject_type', 'invalid_value'],
    [{ organization_usage: 'allowed' }, '/organization_usage', 'invalid_value'],
    [{ allow_all_scopes: 'yes' }, '/allow_all_scopes', 'invalid_type'],
    [{ allow_any_organization: 1 }, '/allow_any_organization', 'invalid_type'],
    [{ authorization_details_types: 'payment' }, '/authorization_details_types', 'invalid_type'],
    [{ authorization_details_types: [''] }, '/authorization_details_types/0', 'blank'],
    [{ is_system: 'no' }, '/is_system', 'invalid_type'],
  ])('refuses %j at %s (%s)', (change, path, code) => {
    expect(issuesOf({ ...VALID, ...change })).toEqual([[path, code]]);
  });

  it("accepts every field of the SDK's CreateClientGrantRequestContent", () => {
    const full = {
      ...VALID,
      organization_usage: 'allow',
      allow_any_organization: true,
      subject_type: 'user',
      authorization_details_types: ['payment_initiation'],
      allow_all_scopes: false,
    };
    expect(validateGrantInput(full)).toEqual({ ok: true, value: full });
  });

  it('accepts the default grant of third-party clients: default_for without client_id', () => {
    const input = {
      default_for: 'third_party_clients',
      audience: 'https://api.example.com',
      allow_all_scopes: true,
    };
    expect(validateGrantInput(input)).toEqual({ ok: true, value: { ...input, scope: [] } });
    expect(issuesOf({ ...input, client_id: 'abc' })).toEqual([
      ['/default_for', 'mutually_exclusive'],
    ]);
  });

  it('is refused by a tenant, which keeps grants per client', async () => {
    const tenant = await Tenant.create({ domain: 'auth.example.com' });
    await tenant.apis.create({ identifier: 'https://api.example.com', name: 'API' });
    await expect(
      tenant.apis.grant({
        default_for: 'third_party_clients',
        audience: 'https://api.example.com',
      } as never),
    ).rejects.toMatchObject({
      code: 'invalid_client_metadata',
      issues: [expect.objectContaining({ path: '/client_id', code: 'required' })],
    });
    expect(await tenant.apis.grants()).toEqual([]);
    await tenant.close();
  });

  it('reads null on an optional field as absent, and drops the read-only is_system', () => {
    expect(
      validateGrantInput({ ...VALID, scope: null, organization_usage: null, is_system: false }),
    ).toEqual({ ok: true, value: { ...VALID, scope: [] } });
    expect(issuesOf({ ...VALID, audience: null })).toEqual([['/audience', 'required']]);
  });

  it('says what an enum value should have been', () => {
    const result = validateGrantInput({ ...VALID, organization_usage: 'allowed' });
    expect(result.ok ? [] : result.issues.map((issue) => issue.message)).toEqual([
      'organization_usage must be deny, allow or require (got "allowed"); did you mean allow?',
    ]);
  });

  it("validates an update as Auth0's PATCH: null removes a field, the grant cannot move", () => {
    expect(
      validateGrantInput(
        {
          scope: null,
          organization_usage: null,
          allow_all_scopes: true,
          allow_any_organization: null,
        },
        { partial: true },
      ),
    ).toEqual({
      ok: true,
      value: {
        scope: [],
        organization_usage: null,
        allow_all_scopes: true,
        allow_any_organization: null,
      },
    });
    expect(
      issuesOf({ default_for: 'third_party_clients', subject_type: 'user', is_system: true }, true),
    ).toEqual([
      ['/default_for', 'read_only'],
      ['/subject_type', 'read_only'],
      ['/is_system', 'read_only'],
    ]);
  });

  it('validates an update patch: only scope, optional; the grant cannot move', () => {
    expect(validateGrantInput({}, { partial: true })).toEqual({ ok: true, value: {} });
    expect(validateGrantInput({ scope: ['a'] }, { partial: true })).toEqual({
      ok: true,
      value: { scope: ['a'] },
    });
    expect(issuesOf({ client_id: 'x', audience: 'y', scope: ['a', 'a'] }, true)).toEqual([
      ['/client_id', 'read_only'],
      ['/audience', 'read_only'],
      ['/scope/1', 'duplicate'],
    ]);
  });

  it.each([null, 'grant', [VALID], 3, undefined])('refuses the root %j', (input) => {
    expect(issuesOf(input)).toEqual([['', 'invalid_type']]);
  });

  it('never throws, for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record(
            {
              client_id: fc.anything(),
              audience: fc.anything(),
              scope: fc.oneof(fc.array(fc.string()), fc.anything()),
            },
            { requiredKeys: [] },
          ),
          fc.anything({ withBigInt: true, withMap: true, withNullPrototype: true }),
        ),
        fc.boolean(),
        (input, partial) => {
          const result = validateGrantInput(input, { partial });
          expect(result.ok || result.issues.length > 0).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('grantScopeIssues', () => {
  const scopes = [{ value: 'read' }, { value: 'write', description: 'Write' }];

  it('accepts scopes the API defines', () => {
    expect(grantScopeIssues(['write', 'read'], scopes, 'https://api')).toEqual([]);
    expect(grantScopeIssues([], [], 'https://api')).toEqual([]);
  });

  it('reports each undefined scope at its index, naming what the API defines', () => {
    expect(grantScopeIssues(['read', 'admin', 'READ'], scopes, 'https://api')).toEqual([
      {
        path: '/scope/1',
        code: 'unknown_scope',
        message:
          'scope[1] "admin" is not defined by the API "https://api": it defines "read", "write"',
      },
      expect.objectContaining({ path: '/scope/2', code: 'unknown_scope' }),
    ]);
    expect(grantScopeIssues(['x'], [], 'a')[0]?.message).toMatch(/it defines no scopes$/);
    const many = Array.from({ length: 8 }, (_, i) => ({ value: `s${i}` }));
    expect(grantScopeIssues(['x'], many, 'a')[0]?.message).toMatch(/"s4", … \(8 in all\)$/);
  });
});
