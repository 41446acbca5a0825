import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateApiInput } from '../../src/index.js';
import { API_PASS_THROUGH_FIELDS } from '../../src/apis/api.js';

const VALID = { identifier: 'https://api.example.com/orders', name: 'Orders API' };
const SECRET = 'hs256-secret-6b1c0e3f9a4d2';

/** One valid value for every Auth0 field the library passes through. */
const PASS_THROUGH = {
  allow_offline_access: true,
  allow_online_access: false,
  allow_online_access_with_ephemeral_sessions: false,
  skip_consent_for_verifiable_first_party_clients: true,
  enforce_policies: true,
  token_lifetime_for_web: 7200,
  token_dialect: 'access_token_authz',
  consent_policy: null,
  signing_secret: SECRET,
  token_encryption: {
    format: 'compact-nested-jwe',
    encryption_key: { name: 'orders-jwe', alg: 'RSA-OAEP-256', pem: '-----BEGIN PUBLIC KEY-----' },
  },
  proof_of_possession: { mechanism: 'mtls', required: true },
  subject_type_authorization: {
    user: { policy: 'allow_all' },
    client: { policy: 'require_client_grant' },
  },
  authorization_details: [{ type: 'payment_initiation' }],
  authorization_policy: null,
};

/** Field, a value of the wrong type, the message: one case per field of the table. */
const WRONG_TYPES: [string, unknown, string][] = [
  ['allow_offline_access', 'yes', 'allow_offline_access must be a boolean (got string)'],
  ['allow_online_access', 1, 'allow_online_access must be a boolean (got number)'],
  [
    'allow_online_access_with_ephemeral_sessions',
    null,
    'allow_online_access_with_ephemeral_sessions must be a boolean (got null)',
  ],
  [
    'skip_consent_for_verifiable_first_party_clients',
    'true',
    'skip_consent_for_verifiable_first_party_clients must be a boolean (got string)',
  ],
  ['enforce_policies', [], 'enforce_policies must be a boolean (got array)'],
  ['token_lifetime_for_web', '7200', 'token_lifetime_for_web must be an integer (got string)'],
  ['token_dialect', 1, 'token_dialect must be a string (got number)'],
  ['consent_policy', false, 'consent_policy must be a string or null (got boolean)'],
  ['signing_secret', 1234567890123456, 'signing_secret must be a string (got number)'],
  ['token_encryption', 'jwe', 'token_encryption must be an object or null (got string)'],
  ['proof_of_possession', [], 'proof_of_possession must be an object or null (got array)'],
  ['subject_type_authorization', null, 'subject_type_authorization must be an object (got null)'],
  ['authorization_details', {}, 'authorization_details must be an array or null (got object)'],
  ['authorization_policy', 'p1', 'authorization_policy must be an object or null (got string)'],
  ['is_system', 'false', 'is_system must be a boolean (got string)'],
  ['client_id', 42, 'client_id must be a string (got number)'],
];

function issuesOf(input: unknown, partial = false): [string, string][] {
  const result = validateApiInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code]);
}

function messagesOf(input: unknown, partial = false): string[] {
  const result = validateApiInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => issue.message);
}

describe('validateApiInput: Auth0 fields passed through', () => {
  it('keeps every one unchanged, on create and in a patch', () => {
    expect(Object.keys(PASS_THROUGH).sort()).toEqual(
      Object.keys(API_PASS_THROUGH_FIELDS)
        .filter((field) => API_PASS_THROUGH_FIELDS[field]?.readOnly === undefined)
        .sort(),
    );
    const created = validateApiInput({ ...VALID, ...PASS_THROUGH });
    expect(created).toEqual({
      ok: true,
      value: { ...VALID, scopes: [], token_lifetime: 86400, signing_alg: 'RS256', ...PASS_THROUGH },
    });
    expect(validateApiInput(PASS_THROUGH, { partial: true })).toEqual({
      ok: true,
      value: PASS_THROUGH,
    });
  });

  it.each(WRONG_TYPES)('refuses a wrong type for %s at its pointer', (field, value, message) => {
    const result = validateApiInput({ ...VALID, [field]: value });
    expect(result).toEqual({
      ok: false,
      issues: [{ path: `/${field}`, code: 'invalid_type', message }],
    });
  });

  it('has a wrong-type case for every field of the table', () => {
    expect(WRONG_TYPES.map(([field]) => field).sort()).toEqual(
      Object.keys(API_PASS_THROUGH_FIELDS).sort(),
    );
  });

  it.each([
    [{ token_lifetime_for_web: -1 }, '/token_lifetime_for_web', 'out_of_range'],
    [{ token_lifetime_for_web: 2592001 }, '/token_lifetime_for_web', 'out_of_range'],
    [{ token_lifetime_for_web: 1.5 }, '/token_lifetime_for_web', 'out_of_range'],
    [{ token_dialect: 'x'.repeat(101) }, '/token_dialect', 'too_long'],
    [{ signing_secret: 'x'.repeat(15) }, '/signing_secret', 'too_short'],
    [{ signing_secret: 'x'.repeat(1025) }, '/signing_secret', 'too_long'],
    [
      { authorization_details: new Array(101).fill({}) },
      '/authorization_details',
      'too_many_items',
    ],
    [
      { token_encryption: { format: 'x', encryption_key: { pem: 'x'.repeat(10_000) } } },
      '/token_encryption',
      'too_large',
    ],
    [
      { proof_of_possession: { mechanism: 'x'.repeat(1_000) } },
      '/proof_of_possession',
      'too_large',
    ],
  ])('refuses %j over its limit', (fields, path, code) => {
    expect(issuesOf({ ...VALID, ...fields })).toEqual([[path, code]]);
  });

  it('words limits so a person can act on them', () => {
    expect(messagesOf({ ...VALID, token_lifetime_for_web: 2592001 })).toEqual([
      'token_lifetime_for_web must be an integer from 0 to 2592000 (got 2592001)',
    ]);
    expect(messagesOf({ ...VALID, signing_secret: 'short' })).toEqual([
      'signing_secret must be at least 16 characters (got 5)',
    ]);
  });

  it('never quotes a signing_secret back, whatever is wrong with it', () => {
    const secretLike = 'not-long-enough';
    const inputs = [
      { ...VALID, signing_secret: secretLike },
      { ...VALID, signing_secret: `${secretLike}${'x'.repeat(1024)}` },
      { ...VALID, signing_secret: 98765432109876 },
      { ...VALID, signing_secret: { value: secretLike } },
      { ...VALID, signing_secret: [secretLike] },
    ];
    for (const input of inputs) {
      const text = messagesOf(input).join('\n');
      expect(text).toMatch(/^signing_secret must/);
      expect(text).not.toContain(secretLike);
      expect(text).not.toContain('98765432109876');
    }
  });

  describe("Auth0's read-only fields", () => {
    it('accepts is_system: false and client_id from an export, and drops them', () => {
      const result = validateApiInput({ ...VALID, is_system: false, client_id: 'Orders Client' });
      expect(result.ok && result.value).toEqual({
        ...VALID,
        scopes: [],
        token_lifetime: 86400,
        signing_alg: 'RS256',
      });
    });

    it("refuses is_system: true, which marks Auth0's own Management API", () => {
      expect(issuesOf({ ...VALID, is_system: true })).toEqual([['/is_system', 'invalid_value']]);
      expect(messagesOf({ ...VALID, is_system: true })[0]).toMatch(
        /^is_system must be false or absent: true marks Auth0's own system APIs/,
      );
    });

    it('refuses them in a patch, once each, without type checks', () => {
      expect(issuesOf({ is_system: 'x', client_id: 3, allow_offline_access: true }, true)).toEqual([
        ['/is_system', 'read_only'],
        ['/client_id', 'read_only'],
      ]);
      expect(messagesOf({ client_id: 'a' }, true)).toEqual([
        'client_id is read-only in Auth0 (the client linked to the API) and cannot be given in a patch',
      ]);
    });
  });

  it('still refuses unknown fields, suggesting a pass-through field one typo away', () => {
    expect(issuesOf({ ...VALID, allow_ofline_access: true, audience: 'x' })).toEqual([
      ['/allow_ofline_access', 'unknown_property'],
      ['/audience', 'unknown_property'],
    ]);
    expect(messagesOf({ ...VALID, allow_ofline_access: true })).toEqual([
      'allow_ofline_access is not a known property: use identifier, name, scopes, token_lifetime or signing_alg (did you mean allow_offline_access?)',
    ]);
    expect(messagesOf({ ...VALID, Token_Dialect: 'x' })[0]).toMatch(
      /\(did you mean token_dialect\?\)$/,
    );
  });

  it('checks entries of nested values only for JSON-ness, keeping them as given', () => {
    const token_encryption = JSON.parse(
      '{"format":"x","extra":[1,{"deep":null}],"__proto__":"kept"}',
    ) as Record<string, unknown>;
    const result = validateApiInput({ ...VALID, token_encryption });
    expect(result.ok && result.value.token_encryption).toEqual(token_encryption);
    expect(result.ok && Object.keys(result.value.token_encryption ?? {})).toEqual([
      'format',
      'extra',
      '__proto__',
    ]);
    const bad = validateApiInput({ ...VALID, authorization_details: [() => 1] });
    expect(!bad.ok && bad.issues.map((i) => [i.path, i.code])).toEqual([
      ['/authorization_details/0', 'invalid_type'],
    ]);
  });

  it('never throws, and keeps what it accepts unchanged, for any values', () => {
    const fields = Object.keys(API_PASS_THROUGH_FIELDS);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...fields), fc.jsonValue(), { maxKeys: 6 }),
        fc.boolean(),
        (extra, partial) => {
          const input = partial ? extra : { ...VALID, ...extra };
          const result = validateApiInput(input, { partial });
          if (!result.ok) {
            for (const issue of result.issues) expect(issue.path).toMatch(/^\/[a-z_]+(\/|$)/);
            return;
          }
          for (const [field, value] of Object.entries(extra)) {
            const readOnly = API_PASS_THROUGH_FIELDS[field]?.readOnly !== undefined;
            const kept = (result.value as Record<string, unknown>)[field];
            expect(kept).toEqual(readOnly ? undefined : value);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
