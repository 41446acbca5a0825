import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APP_TYPES,
  GRANT_TYPES,
  type AppType,
  type Issue,
  lintClient,
  validateClientSettings,
} from '../../src/index.js';

/** Resolves an RFC 6901 pointer in `root`; `undefined` when it does not exist. */
function resolve(root: unknown, pointer: string): { found: boolean; parentFound: boolean } {
  if (pointer === '') return { found: true, parentFound: true };
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
  let node = root;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const last = i === tokens.length - 1;
    const exists =
      (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < node.length) ||
      (!Array.isArray(node) &&
        typeof node === 'object' &&
        node !== null &&
        Object.hasOwn(node, token));
    if (!exists) return { found: false, parentFound: last };
    node = (node as Record<string, unknown>)[token];
  }
  return { found: true, parentFound: true };
}

function pointsIntoInput(input: unknown, issue: Issue): boolean {
  if (!/^(\/([^~]|~[01])*)*$/.test(issue.path)) return false;
  const { found, parentFound } = resolve(input, issue.path);
  return found || (issue.code === 'required' && parentFound);
}

const VALID_URLS = {
  callbacks: [
    'https://app.example.com/callback',
    'https://*.preview.example.com/cb',
    'http://127.0.0.1/cb',
    'com.example.app:/oauth2redirect',
    'https://app.example.com/cb?tenant=a',
    'HTTPS://APP.example.com:443/callback',
  ],
  allowed_logout_urls: [
    'https://app.example.com/',
    'https://app.example.com/bye?x=1',
    'com.example.app:/bye',
  ],
  allowed_origins: [
    'https://app.example.com',
    'https://*.example.org',
    'http://localhost:3000',
    'https://a.example.com/path',
  ],
  web_origins: ['https://app.example.com', 'https://b.example.com:8443'],
};
const INVALID_URLS = [
  'https://*.com/cb',
  '/relative',
  'javascript:alert(1)',
  'https://a.example.com/#x',
  'https://a.example.com\\@evil',
  ' ',
];

const urlList = (pool: readonly string[]) =>
  fc.oneof(
    fc.subarray([...pool]),
    fc.subarray([...pool], { minLength: 1 }).map((entries) => entries.join(', ')),
  );

/** Settings that are valid by construction, in their input form. */
const validSettings = fc.constantFrom(...(Object.keys(APP_TYPES) as AppType[])).chain((appType) => {
  const row = APP_TYPES[appType];
  // `undefined`: the method is left out and the type's default applies.
  const methods = [...row.authMethods.allowed, undefined];
  return fc.constantFrom(...methods).chain((method) => {
    const effective = method ?? row.authMethods.default;
    const isPublic = row.public === 'always' || (row.public !== 'never' && effective === 'none');
    const grants = row.grantTypes.allowed.filter(
      (g) => !(isPublic && GRANT_TYPES[g].requiresSecret),
    );
    const algs = isPublic ? ['RS256', 'PS256', 'RS512'] : ['RS256', 'HS256', 'PS256', 'RS512'];
    return fc.record(
      {
        name: fc
          .string({ minLength: 1, maxLength: 40 })
          .filter((name) => name.trim() !== '' && !/[<>]/.test(name)),
        app_type: fc.constant(appType),
        description: fc.string({ maxLength: 140 }),
        ...(method === undefined ? {} : { token_endpoint_auth_method: fc.constant(method) }),
        grant_types: fc.subarray(grants),
        callbacks: urlList(VALID_URLS.callbacks),
        allowed_logout_urls: urlList(VALID_URLS.allowed_logout_urls),
        allowed_origins: urlList(VALID_URLS.allowed_origins),
        web_origins: urlList(VALID_URLS.web_origins),
        jwt_configuration: fc.record(
          {
            alg: fc.constantFrom(...algs),
            lifetime_in_seconds: fc.integer({ min: 1, max: 2_592_000 }),
            secret_encoded: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        sso: fc.boolean(),
        sso_disabled: fc.boolean(),
        is_first_party: fc.boolean(),
        client_metadata: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 30 }), {
          maxKeys: 10,
        }),
        oidc_conformant: fc.boolean(),
        cross_origin_auth: fc.boolean(),
        organization_usage: fc.constantFrom('deny', 'allow', 'require'),
        refresh_token: fc.option(
          fc.record({
            rotation_type: fc.constantFrom('rotating', 'non-rotating'),
            expiration_type: fc.constantFrom('expiring', 'non-expiring'),
            leeway: fc.nat(),
          }),
          { nil: null },
        ),
        tenant: fc.string(),
        client_id: fc.string(),
        signing_keys: fc.jsonValue(),
      },
      // The method stays when given: grants and alg above depend on it.
      {
        requiredKeys: [
          'name',
          'app_type',
          ...(method === undefined ? [] : ['token_endpoint_auth_method' as const]),
        ],
      },
    );
  });
});

/** Settings-shaped input with some valid and some broken members, to reach deep paths. */
const mixedSettings = fc.dictionary(
  fc.constantFrom(
    'name',
    'app_type',
    'description',
    'callbacks',
    'allowed_origins',
    'grant_types',
    'jwt_configuration',
    'client_metadata',
    'addons',
    'token_endpoint_auth_method',
    'refresh_token',
    'colour',
    'a/b~c',
    '__proto__',
  ),
  fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom('spa', 'native', 'HS256', 'client_credentials', 'none'),
    fc.array(fc.constantFrom(...VALID_URLS.callbacks, ...INVALID_URLS)),
    fc.constantFrom(...INVALID_URLS).map((url) => `https://ok.example.com/cb, ${url}`),
    fc.record({ alg: fc.constantFrom('HS256', 'none', 5), lifetime_in_seconds: fc.integer() }),
    fc.dictionary(fc.string(), fc.oneof(fc.string({ maxLength: 300 }), fc.integer()), {
      maxKeys: 12,
    }),
  ),
);

describe('properties', () => {
  it('validation never throws and every issue points into the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), mixedSettings, validSettings),
        fc.boolean(),
        (input, partial) => {
          const result = validateClientSettings(input, { partial });
          if (result.ok) return;
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(typeof issue.code).toBe('string');
            expect(issue.message.length).toBeGreaterThan(0);
            expect(pointsIntoInput(input, issue), `${issue.path} (${issue.code})`).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('settings valid by construction validate, and the value validates to itself', () => {
    fc.assert(
      fc.property(validSettings, (input) => {
        const first = validateClientSettings(input);
        expect(first.ok ? [] : first.issues).toEqual([]);
        if (!first.ok) return;
        const again = validateClientSettings(structuredClone(first.value));
        expect(again).toEqual(first);
        const partial = validateClientSettings(first.value, { partial: true });
        expect(partial).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('lint never throws on a valid value, and every finding points into it', () => {
    fc.assert(
      fc.property(validSettings, (input) => {
        const result = validateClientSettings(input);
        if (!result.ok) return;
        for (const finding of lintClient(result.value)) {
          expect(resolve(result.value, finding.path).found, finding.path).toBe(true);
          expect(['warning', 'info']).toContain(finding.severity);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('lint never throws on anything', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), mixedSettings), (input) => {
        expect(Array.isArray(lintClient(input as never))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
