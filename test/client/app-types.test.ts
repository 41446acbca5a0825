import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNTYPED as UNTYPED_ROW } from '../../src/client/app-types.js';
import { APP_TYPES, GRANT_TYPES, type AppType } from '../../src/index.js';

const types = Object.keys(APP_TYPES) as AppType[];

describe('APP_TYPES', () => {
  it("has the four documented types first, then Auth0's 22 others (DESIGN.md's AppType)", () => {
    expect(types.slice(0, 4)).toEqual(['native', 'spa', 'regular_web', 'non_interactive']);
    expect(types).toHaveLength(26);
  });

  it("covers every value of the SDK's ClientAppTypeEnum", () => {
    const sdk = JSON.parse(
      readFileSync(new URL('../fixtures/auth0-sdk-fields.json', import.meta.url), 'utf8'),
    ) as { enums: Record<string, string[]> };
    expect(types).toEqual(expect.arrayContaining(sdk.enums['ClientAppTypeEnum']!));
  });

  it("gives Auth0's other types the defaults of a client without a type", () => {
    for (const type of types.slice(4)) expect(APP_TYPES[type]).toBe(UNTYPED_ROW);
    expect(UNTYPED_ROW.authMethods.default).toBe('client_secret_post');
    expect(UNTYPED_ROW.grantTypes.default).toEqual([
      'authorization_code',
      'implicit',
      'refresh_token',
      'client_credentials',
    ]);
  });

  it.each(types)(
    '%s: defaults are allowed, and public/confidential agrees with the methods',
    (type) => {
      const row = APP_TYPES[type];
      expect(row.authMethods.allowed).toContain(row.authMethods.default);
      for (const grant of row.grantTypes.default) expect(row.grantTypes.allowed).toContain(grant);
      for (const grant of row.grantTypes.inert) expect(row.grantTypes.allowed).toContain(grant);
      const allowsNone = row.authMethods.allowed.includes('none');
      const allowsSecret = row.authMethods.allowed.some((method) => method !== 'none');
      const expected = {
        always: [true, false],
        never: [false, true],
        default: [true, true],
        optional: [true, true],
      }[row.public];
      expect([allowsNone, allowsSecret]).toEqual(expected);
      expect(row.public === 'default').toBe(row.authMethods.default === 'none' && allowsSecret);
    },
  );

  it('matches DESIGN.md', () => {
    expect(APP_TYPES.native.authMethods.default).toBe('none');
    expect(APP_TYPES.spa.authMethods.allowed).toEqual(['none']);
    expect(APP_TYPES.regular_web.authMethods.default).toBe('client_secret_post');
    expect(APP_TYPES.non_interactive.authMethods.allowed).not.toContain('none');
    const interactive = ['authorization_code', 'implicit', 'refresh_token'];
    expect(APP_TYPES.native.grantTypes.default).toEqual(interactive);
    expect(APP_TYPES.spa.grantTypes.default).toEqual(interactive);
    expect(APP_TYPES.regular_web.grantTypes.default).toEqual([
      ...interactive,
      'client_credentials',
    ]);
    expect(APP_TYPES.non_interactive.grantTypes.default).toEqual(['client_credentials']);
    expect(APP_TYPES.native.loopbackRedirects).toBe(true);
  });

  it('never lets a public type default to a grant that needs a secret', () => {
    for (const type of types) {
      if (APP_TYPES[type].authMethods.default !== 'none') continue;
      for (const grant of APP_TYPES[type].grantTypes.default)
        expect(GRANT_TYPES[grant].requiresSecret).toBe(false);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(APP_TYPES)).toBe(true);
    expect(Object.isFrozen(APP_TYPES.spa.grantTypes.allowed)).toBe(true);
  });
});
