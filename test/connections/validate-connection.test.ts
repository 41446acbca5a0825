import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONNECTION_LIMITS, validateConnectionInput } from '../../src/index.js';

const VALID = {
  name: 'google',
  strategy: 'google-oauth2',
  enabled_clients: ['client-a', 'client-b'],
  options: { client_id: 'id', client_secret: 'secret', scope: ['email', 'profile'] },
};

function issuesOf(input: unknown, partial = false): [string, string][] {
  const result = validateConnectionInput(input, { partial });
  return result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code]);
}

function messageOf(input: unknown, partial = false): string {
  const result = validateConnectionInput(input, { partial });
  return result.ok ? '' : (result.issues[0]?.message ?? '');
}

describe('validateConnectionInput', () => {
  it('accepts a connection and copies it', () => {
    const result = validateConnectionInput(VALID);
    expect(result).toEqual({ ok: true, value: VALID });
    expect(result.ok && result.value.options).not.toBe(VALID.options);
  });

  it('fills in no enabled clients and empty options', () => {
    expect(validateConnectionInput({ name: 'Username-Password', strategy: 'auth0' })).toEqual({
      ok: true,
      value: { name: 'Username-Password', strategy: 'auth0', enabled_clients: [], options: {} },
    });
  });

  it('requires name and strategy at their own pointers', () => {
    expect(issuesOf({})).toEqual([
      ['/name', 'required'],
      ['/strategy', 'required'],
    ]);
    expect(validateConnectionInput({ name: 'x' })).toMatchObject({
      ok: false,
      issues: [{ message: expect.stringMatching(/^strategy is required: for example auth0/) }],
    });
  });

  describe('name', () => {
    it.each(['a', 'A1', 'Username-Password-Authentication', 'x'.repeat(128), '1-2-3', 'a--b'])(
      'accepts %j',
      (name) => {
        expect(issuesOf({ ...VALID, name })).toEqual([]);
      },
    );

    it.each([
      ['', 'blank'],
      ['x'.repeat(129), 'too_long'],
      ['-google', 'invalid_format'],
      ['google-', 'invalid_format'],
      ['my google', 'invalid_format'],
      ['my_google', 'invalid_format'],
      ['göögle', 'invalid_format'],
      ['google.com', 'invalid_format'],
      ['-', 'invalid_format'],
      [null, 'invalid_type'],
      [12, 'invalid_type'],
    ])('refuses %j (%s)', (name, code) => {
      expect(issuesOf({ ...VALID, name })).toEqual([['/name', code]]);
    });

    it('says which characters are allowed', () => {
      expect(messageOf({ ...VALID, name: 'my google' })).toBe(
        'name "my google" may only contain ASCII letters, digits and "-", and must start and end with a letter or digit',
      );
    });
  });

  describe('strategy', () => {
    it('refuses an unknown strategy, listing valid ones, with a hint for case mistakes', () => {
      expect(issuesOf({ ...VALID, strategy: 'google' })).toEqual([
        ['/strategy', 'unknown_strategy'],
      ]);
      expect(messageOf({ ...VALID, strategy: 'google' })).toMatch(
        /^strategy "google" is not an Auth0 connection strategy: use one of auth0, google-oauth2, github, .*samlp, oidc/,
      );
      expect(messageOf({ ...VALID, strategy: 'GitHub' })).toMatch(/did you mean "github"\?/);
      expect(messageOf({ ...VALID, strategy: 'gooogle-oauth2' })).toMatch(
        /^strategy "gooogle-oauth2" is not an Auth0 connection strategy \(did you mean "google-oauth2"\?\)/,
      );
      expect(messageOf({ ...VALID, strategy: 'samlpp' })).toMatch(/did you mean "samlp"\?/);
      expect(issuesOf({ ...VALID, strategy: 'toString' })).toEqual([
        ['/strategy', 'unknown_strategy'],
      ]);
      expect(issuesOf({ ...VALID, strategy: ['auth0'] })).toEqual([['/strategy', 'invalid_type']]);
    });

    it('is read-only in a patch, even with the same value', () => {
      expect(issuesOf({ strategy: 'google-oauth2' }, true)).toEqual([['/strategy', 'read_only']]);
      expect(messageOf({ strategy: 'auth0' }, true)).toMatch(/^strategy cannot be changed/);
    });
  });

  describe('enabled_clients', () => {
    it.each([
      [['a', 'a'], '/enabled_clients/1', 'duplicate'],
      [['a', ''], '/enabled_clients/1', 'blank'],
      [['x'.repeat(257)], '/enabled_clients/0', 'too_long'],
      [[null], '/enabled_clients/0', 'invalid_type'],
      [[{ client_id: 'a' }], '/enabled_clients/0', 'invalid_type'],
      ['a,b', '/enabled_clients', 'invalid_type'],
      [{ 0: 'a' }, '/enabled_clients', 'invalid_type'],
    ])('refuses %j at %s (%s)', (enabled_clients, path, code) => {
      expect(issuesOf({ ...VALID, enabled_clients })).toEqual([[path, code]]);
    });

    it('holds at most 1000 entries', () => {
      const ids = Array.from({ length: CONNECTION_LIMITS.enabledClients }, (_, i) => `c${i}`);
      expect(issuesOf({ ...VALID, enabled_clients: ids })).toEqual([]);
      expect(issuesOf({ ...VALID, enabled_clients: [...ids, 'one-more'] })).toEqual([
        ['/enabled_clients', 'too_many_items'],
      ]);
      expect(issuesOf({ ...VALID, enabled_clients: new Array(5_000_000) })).toEqual([
        ['/enabled_clients', 'too_many_items'],
      ]);
    });

    it('reports the third bad entry at /enabled_clients/3', () => {
      expect(issuesOf({ ...VALID, enabled_clients: ['a', 'b', 'c', 4] })).toEqual([
        ['/enabled_clients/3', 'invalid_type'],
      ]);
    });
  });

  describe('options', () => {
    it('accepts any plain JSON object, nested', () => {
      const options = { a: { b: [1, true, null, { c: 'd' }] }, 'key/with~chars': 1 };
      const result = validateConnectionInput({ ...VALID, options });
      expect(result.ok && result.value.options).toEqual(options);
    });

    it.each([
      [[], '/options', 'invalid_type'],
      ['{}', '/options', 'invalid_type'],
      [null, '/options', 'invalid_type'],
      [new Map(), '/options', 'invalid_type'],
      [{ when: new Date(0) }, '/options/when', 'invalid_type'],
      [{ f: () => 1 }, '/options/f', 'invalid_type'],
      [{ n: Number.NaN }, '/options/n', 'invalid_type'],
      [{ toJSON: 'x' }, '/options/toJSON', 'reserved'],
      [{ big: 'x'.repeat(100_001) }, '/options', 'too_large'],
    ])('refuses %j at %s (%s)', (options, path, code) => {
      expect(issuesOf({ ...VALID, options })).toEqual([[path, code]]);
    });

    it('refuses options nested deeper than the copy reads', () => {
      let deep: Record<string, unknown> = {};
      const root = deep;
      for (let i = 0; i < 100; i++) {
        const next = {};
        deep['x'] = next;
        deep = next;
      }
      const result = validateConnectionInput({ ...VALID, options: root });
      expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['too_deep']);
    });
  });

  it('refuses read-only and unknown properties', () => {
    expect(
      issuesOf({ ...VALID, id: 'con_1', category: 'social', domain: 'x', icon_url: 'G' }),
    ).toEqual([
      ['/id', 'read_only'],
      ['/category', 'read_only'],
      ['/domain', 'unknown_property'],
      ['/icon_url', 'unknown_property'],
    ]);
    expect(messageOf({ ...VALID, domain: 'x' })).toBe(
      'domain is not a known property: use name, strategy, enabled_clients or options',
    );
  });

  it('validates a patch: nothing required, only the fields given', () => {
    expect(validateConnectionInput({}, { partial: true })).toEqual({ ok: true, value: {} });
    expect(validateConnectionInput({ options: { a: 1 } }, { partial: true })).toEqual({
      ok: true,
      value: { options: { a: 1 } },
    });
    expect(issuesOf({ name: 'bad name' }, true)).toEqual([['/name', 'invalid_format']]);
  });

  it.each([null, undefined, 'google', [VALID], 1, Symbol('x'), () => VALID])(
    'refuses the root %s',
    (input) => {
      expect(issuesOf(input)).toEqual([['', 'invalid_type']]);
      expect(messageOf(input)).toMatch(/^connection must be a plain object/);
    },
  );

  it('survives throwing getters, proxies and cycles, reporting each where it is', () => {
    const input: Record<string, unknown> = { ...VALID };
    Object.defineProperty(input, 'enabled_clients', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const options: Record<string, unknown> = {};
    options['self'] = options;
    input['options'] = options;
    expect(issuesOf(input)).toEqual([
      ['/enabled_clients', 'unreadable'],
      ['/options/self', 'circular'],
    ]);
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    expect(issuesOf({ ...VALID, options: trap })).toEqual([['/options', 'unreadable']]);
    expect(issuesOf(trap)).toEqual([['', 'invalid_type']]);
  });

  it('never throws, for any input', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record(
            {
              name: fc.oneof(fc.stringMatching(/^[A-Za-z0-9-]{0,130}$/), anything),
              strategy: fc.oneof(fc.constantFrom('auth0', 'github', 'samlp', 'nope'), anything),
              enabled_clients: fc.oneof(fc.array(fc.string()), anything),
              options: fc.oneof(fc.object(), anything),
            },
            { requiredKeys: [] },
          ),
          anything,
        ),
        fc.boolean(),
        (input, partial) => {
          const result = validateConnectionInput(input, { partial });
          if (result.ok) {
            expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value);
          } else {
            expect(result.issues.length).toBeGreaterThan(0);
            for (const issue of result.issues) expect(issue.path).toMatch(/^(\/([^~/]|~[01])*)*$/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
