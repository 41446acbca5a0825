import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_LIMITS, validateApiInput, type Issue } from '../../src/index.js';

const VALID = {
  identifier: 'https://api.example.com/orders',
  name: 'Orders API',
  scopes: [{ value: 'read:orders', description: 'Read orders' }, { value: 'write:orders' }],
};

function issuesOf(input: unknown, partial = false): [string, string][] {
  const result = validateApiInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code]);
}

function messagesOf(input: unknown, partial = false): string[] {
  const result = validateApiInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => issue.message);
}

describe('validateApiInput', () => {
  it('accepts a valid API and fills in Auth0 defaults', () => {
    const result = validateApiInput(VALID);
    expect(result).toEqual({
      ok: true,
      value: { ...VALID, token_lifetime: 86400, signing_alg: 'RS256' },
    });
  });

  it('defaults scopes to none and trims the name', () => {
    const result = validateApiInput({ identifier: 'orders', name: '  Orders  ' });
    expect(result.ok && result.value).toEqual({
      identifier: 'orders',
      name: 'Orders',
      scopes: [],
      token_lifetime: 86400,
      signing_alg: 'RS256',
    });
  });

  it('requires the identifier at its own pointer', () => {
    expect(issuesOf({})).toEqual([['/identifier', 'required']]);
  });

  it('accepts an API without a name, as Auth0 does: the identifier stands in', () => {
    const result = validateApiInput({ identifier: 'https://orders.example.com' });
    expect(result.ok && result.value.name).toBe('https://orders.example.com');
  });

  it.each([null, undefined, 'api', 42, [], [VALID], () => VALID, new Date(), new Map()])(
    'refuses a root that is not a plain object: %s',
    (input) => {
      const result = validateApiInput(input);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.issues).toEqual([
        expect.objectContaining({ path: '', code: 'invalid_type' }),
      ]);
      expect(!result.ok && result.issues[0]?.message).toMatch(/^API must be a plain object/);
    },
  );

  describe('identifier', () => {
    it('accepts any string Auth0 accepts: URIs, URNs and plain names, up to 600 characters', () => {
      for (const identifier of [
        'https://api.example.com',
        'urn:example:orders',
        'orders-api',
        'x',
        'a'.repeat(API_LIMITS.identifierLength),
        'api_short',
      ]) {
        expect(issuesOf({ ...VALID, identifier })).toEqual([]);
      }
    });

    it.each([
      ['', 'blank'],
      ['a'.repeat(601), 'too_long'],
      [' https://api', 'invalid_format'],
      ['https://api ', 'invalid_format'],
      ['https://api\n', 'invalid_format'],
      ['https://a\u0000pi', 'invalid_format'],
      ['api_' + 'A'.repeat(32), 'invalid_format'],
      [42, 'invalid_type'],
      [null, 'invalid_type'],
      [['https://api'], 'invalid_type'],
    ])('refuses %j (%s)', (identifier, code) => {
      expect(issuesOf({ ...VALID, identifier })).toEqual([['/identifier', code]]);
    });

    it('is read-only in a patch', () => {
      expect(issuesOf({ identifier: 'https://other' }, true)).toEqual([
        ['/identifier', 'read_only'],
      ]);
      expect(messagesOf({ identifier: 'x' }, true)[0]).toMatch(/^identifier cannot be changed/);
    });
  });

  describe('name', () => {
    it('accepts 1 to 200 characters', () => {
      expect(issuesOf({ ...VALID, name: 'x' })).toEqual([]);
      expect(issuesOf({ ...VALID, name: 'é'.repeat(200) })).toEqual([]);
      expect(issuesOf({ ...VALID, name: '😀'.repeat(200) })).toEqual([]);
    });

    it.each([
      ['', 'blank'],
      ['   ', 'blank'],
      ['a'.repeat(201), 'too_long'],
      ['<script>', 'invalid_format'],
      ['a > b', 'invalid_format'],
      ['tab\there', 'invalid_format'],
      [7, 'invalid_type'],
    ])('refuses %j (%s)', (name, code) => {
      expect(issuesOf({ ...VALID, name })).toEqual([['/name', code]]);
    });
  });

  describe('scopes', () => {
    it('accepts NQCHAR values up to 280 characters and descriptions up to 500', () => {
      const scopes = [
        { value: 'read:orders' },
        { value: '!#$%&()*+,-./:;<=>?@[]^_`{|}~' },
        { value: 'x'.repeat(280), description: 'd'.repeat(500) },
        { value: 'empty-description', description: '' },
      ];
      expect(issuesOf({ ...VALID, scopes })).toEqual([]);
    });

    it.each([
      [{ value: 'read orders' }, '/scopes/0/value', 'invalid_format'],
      [{ value: 'say"hi' }, '/scopes/0/value', 'invalid_format'],
      [{ value: 'back\\slash' }, '/scopes/0/value', 'invalid_format'],
      [{ value: 'café' }, '/scopes/0/value', 'invalid_format'],
      [{ value: '' }, '/scopes/0/value', 'blank'],
      [{ value: 'x'.repeat(281) }, '/scopes/0/value', 'too_long'],
      [{ value: 1 }, '/scopes/0/value', 'invalid_type'],
      [{}, '/scopes/0/value', 'required'],
      [{ value: 'a', description: 'd'.repeat(501) }, '/scopes/0/description', 'too_long'],
      [{ value: 'a', description: false }, '/scopes/0/description', 'invalid_type'],
      [{ value: 'a', name: 'x' }, '/scopes/0/name', 'unknown_property'],
      ['read', '/scopes/0', 'invalid_type'],
      [null, '/scopes/0', 'invalid_type'],
      [['read'], '/scopes/0', 'invalid_type'],
    ])('refuses the entry %j at %s', (entry, path, code) => {
      expect(issuesOf({ ...VALID, scopes: [entry] })).toEqual([[path, code]]);
    });

    it('refuses duplicate values at the repeated entry', () => {
      const scopes = [{ value: 'a' }, { value: 'b' }, { value: 'a', description: 'again' }];
      expect(issuesOf({ ...VALID, scopes })).toEqual([['/scopes/2/value', 'duplicate']]);
      expect(messagesOf({ ...VALID, scopes })[0]).toBe(
        'scopes[2].value "a" repeats scopes[0].value',
      );
    });

    it('refuses a scope string instead of a list, and lists that are too long', () => {
      expect(issuesOf({ ...VALID, scopes: 'read write' })).toEqual([['/scopes', 'invalid_type']]);
      const many = Array.from({ length: API_LIMITS.scopes + 1 }, (_, i) => ({ value: `s${i}` }));
      expect(issuesOf({ ...VALID, scopes: many })).toEqual([['/scopes', 'too_many_items']]);
      const max = many.slice(0, API_LIMITS.scopes);
      expect(issuesOf({ ...VALID, scopes: max })).toEqual([]);
    });

    it('reports every bad entry at once', () => {
      const scopes = [{ value: 'ok' }, { value: 'not ok' }, 3, { value: 'ok' }];
      expect(issuesOf({ ...VALID, scopes })).toEqual([
        ['/scopes/1/value', 'invalid_format'],
        ['/scopes/2', 'invalid_type'],
        ['/scopes/3/value', 'duplicate'],
      ]);
    });
  });

  describe('token_lifetime', () => {
    it.each([1, 60, 86400, 2592000])('accepts %d', (token_lifetime) => {
      const result = validateApiInput({ ...VALID, token_lifetime });
      expect(result.ok && result.value.token_lifetime).toBe(token_lifetime);
    });

    it.each([
      [0, 'out_of_range'],
      [-1, 'out_of_range'],
      [2592001, 'out_of_range'],
      [1.5, 'out_of_range'],
      [Number.NaN, 'invalid_type'],
      [Infinity, 'invalid_type'],
      ['3600', 'invalid_type'],
      [null, 'invalid_type'],
    ])('refuses %j (%s)', (token_lifetime, code) => {
      expect(issuesOf({ ...VALID, token_lifetime })).toEqual([['/token_lifetime', code]]);
    });
  });

  describe('signing_alg', () => {
    it.each(['RS256', 'PS256', 'ES256'])('accepts %s', (signing_alg) => {
      expect(issuesOf({ ...VALID, signing_alg })).toEqual([]);
    });

    it('accepts HS256 with a signing_secret of at least 32 bytes, as Auth0 signs it', () => {
      expect(issuesOf({ ...VALID, signing_alg: 'HS256', signing_secret: 's'.repeat(32) })).toEqual(
        [],
      );
    });

    it('refuses HS256 without a signing_secret or with one shorter than 32 bytes', () => {
      expect(issuesOf({ ...VALID, signing_alg: 'HS256' })).toEqual([
        ['/signing_secret', 'required'],
      ]);
      expect(issuesOf({ ...VALID, signing_alg: 'HS256', signing_secret: 's'.repeat(31) })).toEqual([
        ['/signing_secret', 'too_short'],
      ]);
      expect(messagesOf({ ...VALID, signing_alg: 'HS256' })[0]).toMatch(
        /^signing_secret is required with signing_alg HS256 and must be at least 32 bytes/,
      );
      // A patch is checked once merged with the stored API (tenant.apis.update), not alone.
      expect(validateApiInput({ signing_alg: 'HS256' }, { partial: true }).ok).toBe(true);
    });

    it.each([
      ['hs256', 'invalid_value'],
      ['rs256', 'invalid_value'],
      ['none', 'invalid_value'],
      [256, 'invalid_type'],
    ])('refuses %j (%s) and lists the supported ones', (signing_alg, code) => {
      expect(issuesOf({ ...VALID, signing_alg })).toEqual([['/signing_alg', code]]);
      expect(messagesOf({ ...VALID, signing_alg })[0]).toMatch(
        /^signing_alg must be RS256, PS256, ES256 or HS256/,
      );
    });
  });

  it('refuses unknown and read-only properties, naming the known ones', () => {
    expect(issuesOf({ ...VALID, id: 'api_1', offline_access: true, 'a/b': 1 })).toEqual([
      ['/id', 'read_only'],
      ['/offline_access', 'unknown_property'],
      ['/a~1b', 'unknown_property'],
    ]);
    expect(messagesOf({ ...VALID, audience: 'x' })[0]).toBe(
      'audience is not a known property: use identifier, name, scopes, token_lifetime or signing_alg',
    );
  });

  it('caps the number of unknown properties reported', () => {
    const input: Record<string, unknown> = { ...VALID };
    for (let i = 0; i < 500; i++) input[`extra${i}`] = i;
    const result = validateApiInput(input);
    expect(!result.ok && result.issues.length).toBe(21);
    expect(!result.ok && result.issues.at(-1)?.message).toBe(
      '480 more unknown properties are not listed',
    );
  });

  it('validates a patch: nothing required, no defaults, only the fields given', () => {
    expect(validateApiInput({}, { partial: true })).toEqual({ ok: true, value: {} });
    expect(validateApiInput({ token_lifetime: 60, name: ' x ' }, { partial: true })).toEqual({
      ok: true,
      value: { token_lifetime: 60, name: 'x' },
    });
    expect(issuesOf({ token_lifetime: 0 }, true)).toEqual([['/token_lifetime', 'out_of_range']]);
  });

  it('survives hostile inputs', () => {
    const circular: Record<string, unknown> = { ...VALID };
    circular['scopes'] = [circular];
    expect(issuesOf(circular)).toEqual([['/scopes/0', 'circular']]);

    const throwing = { ...VALID };
    Object.defineProperty(throwing, 'name', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(issuesOf(throwing)).toEqual([['/name', 'unreadable']]);

    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(issuesOf(revoked.proxy)).toEqual([['', 'invalid_type']]);
    expect(issuesOf({ ...VALID, scopes: revoked.proxy })).toEqual([['/scopes', 'unreadable']]);

    const huge = new Array(1_000_000);
    expect(issuesOf({ ...VALID, scopes: huge })).toEqual([['/scopes', 'too_many_items']]);
    expect(issuesOf({ ...VALID, name: 'x'.repeat(1_000_000) })).toEqual([['/name', 'too_long']]);
    expect(issuesOf(Object.assign(Object.create(null), VALID))).toEqual([]);
    expect(issuesOf({ ...VALID, token_lifetime: 10n })).toEqual([
      ['/token_lifetime', 'invalid_type'],
    ]);
    expect(issuesOf({ ...VALID, ['__proto__']: { polluted: true } })).toEqual([
      ['/__proto__', 'unknown_property'],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reads a getter once, so the checked value is the stored value', () => {
    let reads = 0;
    const input = {
      ...VALID,
      get identifier() {
        reads++;
        return reads === 1 ? 'https://checked' : 'https://swapped';
      },
    };
    const result = validateApiInput(input);
    expect(result.ok && result.value.identifier).toBe('https://checked');
    expect(reads).toBe(1);
  });

  it('never throws and points every issue at a real place, for any input', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withNullPrototype: true,
      withSparseArray: true,
    });
    const apiLike = fc.record(
      {
        identifier: fc.oneof(fc.string(), anything),
        name: fc.oneof(fc.string(), anything),
        scopes: fc.oneof(
          fc.array(
            fc.record({ value: fc.string(), description: fc.string() }, { requiredKeys: [] }),
          ),
          anything,
        ),
        token_lifetime: fc.oneof(fc.integer(), fc.double(), anything),
        signing_alg: fc.oneof(fc.constantFrom('RS256', 'PS256', 'ES256', 'HS256'), anything),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(apiLike, anything), fc.boolean(), (input, partial) => {
        const result = validateApiInput(input, { partial });
        if (result.ok) return;
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues as Issue[]) {
          expect(issue.path).toMatch(/^(\/([^~/]|~[01])*)*$/);
          expect(typeof issue.message).toBe('string');
          expect(issue.code).toMatch(/^[a-z_]+$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
