import { describe, expect, it } from 'vitest';
import { RegistrationError } from '../../src/index.js';
import {
  registrationErrorOf,
  validateRegistrationMetadata,
  type MetadataValidation,
} from '../../src/registration/validate-metadata.js';

const WEB = ['https://app.example.com/callback'];

function valid(body: unknown, update = false) {
  const result = validateRegistrationMetadata(body, { update });
  if (!result.ok) throw new Error(`expected valid, got: ${result.error.error_description}`);
  return result;
}

function invalid(body: unknown, update = false): Extract<MetadataValidation, { ok: false }> {
  const result = validateRegistrationMetadata(body, { update });
  if (result.ok) throw new Error('expected a problem');
  expect(result.error).toBeInstanceOf(RegistrationError);
  expect(result.error.status).toBe(400);
  return result;
}

describe('validateRegistrationMetadata: defaults (RFC 7591 §2)', () => {
  it('fills in client_secret_basic, authorization_code, code, web and the default name', () => {
    expect(valid({ redirect_uris: WEB }).metadata).toEqual({
      redirect_uris: WEB,
      client_name: 'Dynamic client',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'web',
    });
  });

  it('defaults response_types to [] when grant_types has neither authorization_code nor implicit', () => {
    const { metadata } = valid({ grant_types: ['client_credentials'] });
    expect(metadata.response_types).toEqual([]);
    expect(metadata.redirect_uris).toEqual([]);
  });

  it('defaults response_types to code when grant_types has authorization_code', () => {
    const { metadata } = valid({
      redirect_uris: WEB,
      grant_types: ['authorization_code', 'refresh_token'],
    });
    expect(metadata.response_types).toEqual(['code']);
  });

  it('treats null like an absent field', () => {
    const { metadata } = valid({
      redirect_uris: WEB,
      client_uri: null,
      grant_types: null,
      token_endpoint_auth_method: null,
    });
    expect(metadata.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(metadata).not.toHaveProperty('client_uri');
  });

  it('keeps every recognised field and ignores unknown metadata without reading it', () => {
    const body = {
      redirect_uris: WEB,
      client_name: '  Photo Printer  ',
      post_logout_redirect_uris: ['https://app.example.com/bye'],
      logo_uri: 'https://app.example.com/logo.png',
      client_uri: 'https://app.example.com',
      policy_uri: 'https://app.example.com/policy',
      tos_uri: 'https://app.example.com/tos',
      contacts: ['ops@example.com'],
      scope: 'openid profile offline_access',
      jwks_uri: 'https://app.example.com/jwks.json',
      software_statement: 'eyJ...',
      'client_name#fr': 'Imprimante',
      frobnicate: { deep: [1, 2, 3] },
      client_id: 'chosen-by-client',
      client_secret: 'chosen-secret',
    };
    Object.defineProperty(body, 'unread', {
      enumerable: true,
      get() {
        throw new Error('unknown metadata must not be read');
      },
    });
    const { metadata } = valid(body);
    expect(metadata).toEqual({
      redirect_uris: WEB,
      client_name: 'Photo Printer',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'web',
      post_logout_redirect_uris: ['https://app.example.com/bye'],
      logo_uri: 'https://app.example.com/logo.png',
      client_uri: 'https://app.example.com',
      policy_uri: 'https://app.example.com/policy',
      tos_uri: 'https://app.example.com/tos',
      contacts: ['ops@example.com'],
      scope: 'openid profile offline_access',
      jwks_uri: 'https://app.example.com/jwks.json',
    });
  });

  it('removes duplicate grant and response types and orders response type components', () => {
    const { metadata } = valid({
      redirect_uris: WEB,
      grant_types: ['authorization_code', 'implicit', 'authorization_code'],
      response_types: ['id_token code', 'code id_token', 'code'],
    });
    expect(metadata.grant_types).toEqual(['authorization_code', 'implicit']);
    expect(metadata.response_types).toEqual(['code id_token', 'code']);
  });
});

describe('validateRegistrationMetadata: field types and limits', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['client_name', 42, 'invalid_client_metadata', /^client_name must be a string \(got 42\)/],
    ['client_name', '   ', 'invalid_client_metadata', /^client_name must be 1 to 255 characters/],
    ['client_name', 'x'.repeat(256), 'invalid_client_metadata', /client_name must be 1 to 255/],
    ['client_name', '<script>', 'invalid_client_metadata', /client_name must not contain "<"/],
    [
      'token_endpoint_auth_method',
      'tls_client_auth',
      'invalid_client_metadata',
      /^token_endpoint_auth_method: "tls_client_auth" is not supported; use none, client_secret_basic, client_secret_post, client_secret_jwt or private_key_jwt$/,
    ],
    [
      'token_endpoint_auth_method',
      'private_key_jwt',
      'invalid_client_metadata',
      /^jwks is required with token_endpoint_auth_method "private_key_jwt"/,
    ],
    ['token_endpoint_auth_method', ['none'], 'invalid_client_metadata', /must be a string/],
    ['application_type', 'desktop', 'invalid_client_metadata', /^application_type: "desktop"/],
    ['application_type', true, 'invalid_client_metadata', /application_type must be a string/],
    [
      'grant_types',
      'authorization_code',
      'invalid_client_metadata',
      /^grant_types must be an array/,
    ],
    [
      'grant_types',
      ['password'],
      'invalid_client_metadata',
      /^grant_types\/0: "password" is not supported/,
    ],
    [
      'grant_types',
      ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
      'invalid_client_metadata',
      /not supported for dynamically registered clients/,
    ],
    ['grant_types', [], 'invalid_client_metadata', /grant_types must list at least one/],
    ['grant_types', [1], 'invalid_client_metadata', /^grant_types\/0 must be a string \(got 1\)/],
    [
      'response_types',
      ['code token code'],
      'invalid_client_metadata',
      /^response_types\/0: "code token code"/,
    ],
    ['response_types', ['code  token'], 'invalid_client_metadata', /not supported/],
    ['response_types', ['none'], 'invalid_client_metadata', /not supported/],
    ['response_types', 'code', 'invalid_client_metadata', /response_types must be an array/],
    [
      'redirect_uris',
      'https://app.example.com/cb',
      'invalid_redirect_uri',
      /^redirect_uris must be an array/,
    ],
    [
      'redirect_uris',
      [null],
      'invalid_redirect_uri',
      /^redirect_uris\/0 must be a string \(got null\)/,
    ],
    [
      'redirect_uris',
      [`https://a.example.com/${'x'.repeat(2048)}`],
      'invalid_redirect_uri',
      /at most 2048/,
    ],
    [
      'post_logout_redirect_uris',
      'x',
      'invalid_client_metadata',
      /post_logout_redirect_uris must be an array/,
    ],
    [
      'logo_uri',
      'javascript:alert(1)',
      'invalid_client_metadata',
      /^logo_uri: "javascript:alert\(1\)" — must use http or https/,
    ],
    [
      'logo_uri',
      'not a url',
      'invalid_client_metadata',
      /logo_uri: "not a url" — must not contain whitespace/,
    ],
    [
      'client_uri',
      '/relative',
      'invalid_client_metadata',
      /client_uri: "\/relative" — must be an absolute URL/,
    ],
    [
      'policy_uri',
      'https://user:pw@example.com/',
      'invalid_client_metadata',
      /user name or password/,
    ],
    ['tos_uri', 5, 'invalid_client_metadata', /tos_uri must be a URL string/],
    [
      'jwks_uri',
      'http://app.example.com/jwks',
      'invalid_client_metadata',
      /^jwks_uri: .* — must use https/,
    ],
    ['contacts', 'ops@example.com', 'invalid_client_metadata', /^contacts must be an array/],
    ['contacts', [''], 'invalid_client_metadata', /^contacts\/0: "" — must be a non-empty string/],
    ['contacts', ['a\nb'], 'invalid_client_metadata', /control characters/],
    ['scope', ['openid'], 'invalid_client_metadata', /^scope must be a string/],
    [
      'scope',
      'openid  profile',
      'invalid_client_metadata',
      /^scope: "openid {2}profile" — must be scope values/,
    ],
    ['scope', 'a"b', 'invalid_client_metadata', /RFC 6749 §3.3/],
    ['scope', '', 'invalid_client_metadata', /must be scope values/],
    ['jwks', [], 'invalid_client_metadata', /^jwks must be a JWK Set object/],
    ['jwks', { keys: [] }, 'invalid_client_metadata', /jwks.keys must be an array of 1 to 20/],
    [
      'jwks',
      { keys: [{ n: 'x' }] },
      'invalid_client_metadata',
      /jwks.keys\/0 must be a JWK object with a "kty"/,
    ],
    [
      'jwks',
      { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
      'invalid_client_metadata',
      /remove the private member "k"/,
    ],
    [
      'jwks',
      { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', d: 'y' }] },
      'invalid_client_metadata',
      /private member "d"/,
    ],
  ];

  it.each(cases)('%s = %j → %s', (field, value, error, message) => {
    const body: Record<string, unknown> = { redirect_uris: WEB, [field]: value };
    const result = invalid(body);
    expect(result.error.error).toBe(error);
    expect(result.problems[0]?.message).toMatch(message);
    expect(result.error.error_description).toMatch(message);
  });

  it('accepts the largest values on the allowed side of each limit', () => {
    const { metadata } = valid({
      redirect_uris: Array.from({ length: 100 }, (_, i) => `https://app.example.com/cb/${i}`),
      client_name: 'n'.repeat(255),
      contacts: Array.from({ length: 100 }, (_, i) => `ops${i}@example.com`),
      jwks: {
        keys: Array.from({ length: 20 }, (_, i) => ({ kty: 'EC', crv: 'P-256', kid: `${i}` })),
      },
    });
    expect(metadata.redirect_uris).toHaveLength(100);
    expect(metadata.client_name).toHaveLength(255);
    expect(metadata.jwks?.keys).toHaveLength(20);
  });

  it('refuses more than 100 redirect URIs without reading them', () => {
    const huge = new Array<string>(1_000_000).fill('https://app.example.com/cb');
    const result = invalid({ redirect_uris: huge });
    expect(result.error.error).toBe('invalid_redirect_uri');
    expect(result.error.error_description).toBe(
      'redirect_uris must have at most 100 entries (got 1000000)',
    );
  });

  it('refuses 101 redirect URIs, 101 contacts and 21 grant types', () => {
    expect(invalid({ redirect_uris: new Array(101).fill(WEB[0]) }).problems[0]?.message).toMatch(
      /at most 100 entries \(got 101\)/,
    );
    expect(
      invalid({ redirect_uris: WEB, contacts: new Array(101).fill('a@b.c') }).problems[0]?.message,
    ).toMatch(/contacts must have at most 100/);
    expect(
      invalid({ redirect_uris: WEB, grant_types: new Array(21).fill('authorization_code') })
        .problems[0]?.message,
    ).toMatch(/grant_types must have at most 20/);
  });

  it('says jwks must be an object when it is a long array', () => {
    const result = invalid({ redirect_uris: WEB, jwks: new Array(500).fill({ kty: 'EC' }) });
    expect(result.error.error_description).toBe(
      'jwks must be a JWK Set object ({ "keys": [...] }) (got an array)',
    );
  });

  it('accepts public keys in jwks and refuses jwks together with jwks_uri', () => {
    const jwks = { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'k1', use: 'sig' }] };
    expect(valid({ redirect_uris: WEB, jwks }).metadata.jwks).toEqual(jwks);
    const both = invalid({ redirect_uris: WEB, jwks, jwks_uri: 'https://app.example.com/jwks' });
    expect(both.error.error).toBe('invalid_client_metadata');
    expect(both.error.error_description).toBe(
      'jwks_uri and jwks must not both be present (RFC 7591 §2)',
    );
  });
});

describe('validateRegistrationMetadata: grant and response types (RFC 7591 §2.1)', () => {
  it.each([
    [['authorization_code'], ['code']],
    [['implicit'], ['token']],
    [['implicit'], ['id_token']],
    [['implicit'], ['id_token token']],
    [['authorization_code', 'implicit'], ['code id_token']],
    [
      ['authorization_code', 'implicit'],
      ['code', 'token'],
    ],
    [['authorization_code', 'implicit', 'refresh_token'], ['code id_token token']],
    [['client_credentials'], []],
    [['refresh_token', 'client_credentials'], []],
  ])('accepts grant_types %j with response_types %j', (grants, responses) => {
    const uris = grants.includes('implicit') ? ['https://app.example.com/cb'] : WEB;
    expect(
      valid({ redirect_uris: uris, grant_types: grants, response_types: responses }).metadata
        .response_types,
    ).toHaveLength(responses.length);
  });

  it.each([
    [['authorization_code'], ['token'], /"token" or "id_token" need grant_types "implicit"/],
    [['authorization_code'], [], /"authorization_code" needs a response type with "code"/],
    [['implicit'], ['code'], /with "code" need grant_types "authorization_code"/],
    [['implicit'], undefined, /with "code" need grant_types "authorization_code"/],
    [['authorization_code'], ['code id_token'], /need grant_types "implicit"/],
    [['client_credentials'], ['code'], /need grant_types "authorization_code"/],
    [['authorization_code', 'implicit'], ['code'], /"implicit" needs a response type/],
  ])('refuses grant_types %j with response_types %j', (grants, responses, message) => {
    const result = invalid({
      redirect_uris: WEB.map((uri) => uri),
      grant_types: grants,
      ...(responses === undefined ? {} : { response_types: responses }),
    });
    expect(result.error.error).toBe('invalid_client_metadata');
    expect(result.error.error_description).toMatch(message);
  });

  it('refuses client_credentials for a public client and for a native client', () => {
    const publicClient = invalid({
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'none',
    });
    expect(publicClient.error.error_description).toMatch(
      /^grant_types: "client_credentials" needs a client secret, but token_endpoint_auth_method "none"/,
    );
    const native = invalid({
      application_type: 'native',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(native.error.error_description).toMatch(/not available to a native client/);
    expect(
      valid({
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_post',
      }).metadata.grant_types,
    ).toEqual(['client_credentials']);
  });

  it('requires a redirect URI for authorization_code and implicit, not for client_credentials', () => {
    const missing = invalid({});
    expect(missing.error.error).toBe('invalid_redirect_uri');
    expect(missing.error.error_description).toBe(
      'redirect_uris must list at least one URI when grant_types includes authorization_code or implicit (RFC 7591 §2)',
    );
    expect(invalid({ redirect_uris: [] }).error.error).toBe('invalid_redirect_uri');
    expect(valid({ grant_types: ['client_credentials'] }).metadata.redirect_uris).toEqual([]);
  });
});

describe('validateRegistrationMetadata: redirect URIs by application type', () => {
  it('applies the web rules by default and the native rules for native', () => {
    expect(valid({ redirect_uris: ['http://app.example.com/cb'] }).ok).toBe(true);
    const native = invalid({
      application_type: 'native',
      redirect_uris: ['http://app.example.com/cb'],
    });
    expect(native.error.error).toBe('invalid_redirect_uri');
    expect(native.error.error_description).toMatch(
      /^redirect_uris\/0: "http:\/\/app.example.com\/cb" — may use http only on the loopback IP/,
    );
  });

  it('applies the implicit rule to redirect URIs and post-logout URIs', () => {
    const body = {
      grant_types: ['implicit'],
      response_types: ['id_token'],
      redirect_uris: ['https://app.example.com/cb', 'http://app.example.com/cb'],
      post_logout_redirect_uris: ['https://localhost/bye'],
    };
    const result = invalid(body);
    expect(result.problems.map((p) => [p.field, p.error])).toEqual([
      ['redirect_uris/1', 'invalid_redirect_uri'],
      ['post_logout_redirect_uris/0', 'invalid_client_metadata'],
    ]);
  });

  it('refuses wildcards in post-logout URIs with invalid_client_metadata', () => {
    const result = invalid({
      redirect_uris: WEB,
      post_logout_redirect_uris: ['https://*.example.com/'],
    });
    expect(result.error.error).toBe('invalid_client_metadata');
    expect(result.error.error_description).toMatch(/^post_logout_redirect_uris\/0: .* wildcard/);
  });

  it('does not judge redirect URIs by an application type that is itself invalid', () => {
    const result = invalid({ application_type: 'tv', redirect_uris: ['com.example.app:/cb'] });
    expect(result.problems.map((p) => p.field)).toEqual(['application_type']);
  });
});

describe('validateRegistrationMetadata: hostile bodies', () => {
  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    ['{"redirect_uris":[]}', '"{\\"redirect_uris\\":[]}"'],
    [42, '42'],
    [[{ redirect_uris: WEB }], 'an array'],
    [new Map(), 'a Map'],
  ])('refuses a body that is not an object: %j', (body, got) => {
    const result = invalid(body);
    expect(result.error.error).toBe('invalid_client_metadata');
    expect(result.error.error_description).toBe(
      `the request body must be a JSON object (got ${got})`,
    );
  });

  it('reports a getter that throws as a problem of its field', () => {
    const body = { redirect_uris: WEB };
    Object.defineProperty(body, 'client_name', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const result = invalid(body);
    expect(result.error.error_description).toBe('client_name could not be read (reading it threw)');
  });

  it('survives proxies whose traps throw, revoked proxies and cycles', () => {
    const trap = new Proxy(
      {},
      {
        has: () => {
          throw new Error('has');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('descriptor');
        },
        get: () => {
          throw new Error('get');
        },
      },
    );
    expect(validateRegistrationMetadata(trap).ok).toBe(false);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(validateRegistrationMetadata(proxy).ok).toBe(false);
    const cyclic: Record<string, unknown> = { kty: 'EC' };
    cyclic.self = cyclic;
    const result = invalid({ redirect_uris: WEB, jwks: { keys: [cyclic] } });
    expect(result.error.error_description).toBe('jwks could not be read as JSON (circular)');
    const arrayProxy = new Proxy([], {
      get: () => {
        throw new Error('length');
      },
    });
    expect(invalid({ redirect_uris: arrayProxy }).error.error).toBe('invalid_redirect_uri');
  });

  it('refuses a sparse array and values JSON cannot hold', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(invalid({ redirect_uris: [, 'https://a.example.com/'] }).ok).toBe(false);
    expect(invalid({ redirect_uris: [() => 'x'] }).ok).toBe(false);
    expect(invalid({ redirect_uris: WEB, client_name: Symbol('x') }).ok).toBe(false);
    expect(invalid({ redirect_uris: WEB, scope: 10n }).ok).toBe(false);
  });

  it('reads each recognised field once, so a getter cannot change its value after the check', () => {
    let reads = 0;
    const body = {};
    Object.defineProperty(body, 'redirect_uris', {
      enumerable: true,
      get() {
        reads++;
        return reads === 1 ? WEB : ['javascript:alert(1)'];
      },
    });
    expect(valid(body).metadata.redirect_uris).toEqual(WEB);
    expect(reads).toBe(1);
  });

  it('refuses objects that are not plain JSON objects, and ignores an own __proto__ member', () => {
    const inherited = Object.create({ token_endpoint_auth_method: 'private_key_jwt' }) as object;
    Object.assign(inherited, { redirect_uris: WEB });
    expect(invalid(inherited).error.error_description).toBe(
      'the request body must be a JSON object (got an object)',
    );
    class Body {
      redirect_uris = WEB;
    }
    expect(invalid(new Body()).error.error_description).toBe(
      'the request body must be a JSON object (got a Body)',
    );
    expect(valid(Object.assign(Object.create(null) as object, { redirect_uris: WEB })).ok).toBe(
      true,
    );
    const parsed = JSON.parse(
      '{"redirect_uris":["https://app.example.com/callback"],"__proto__":{"client_name":"x"}}',
    ) as unknown;
    expect(valid(parsed).metadata.client_name).toBe('Dynamic client');
  });

  it('reports every problem, in table order, and names the first one in the error', () => {
    const result = invalid({
      scope: 1,
      token_endpoint_auth_method: 'tls_client_auth',
      redirect_uris: ['https://app.example.com/#frag'],
    });
    expect(result.problems.map((p) => p.field)).toEqual([
      'redirect_uris/0',
      'token_endpoint_auth_method',
      'scope',
    ]);
    expect(result.error.error).toBe('invalid_redirect_uri');
    for (const problem of result.problems) {
      expect(result.error.error_description).toContain(problem.message);
    }
  });

  it('describes at most five problems and counts the rest', () => {
    const result = invalid({
      redirect_uris: Array.from({ length: 8 }, (_, i) => `https://a.example.com/${i}#x`),
    });
    expect(result.problems).toHaveLength(8);
    expect(result.error.error_description).toMatch(/\(and 3 more\)$/);
  });
});

describe('validateRegistrationMetadata: update requests (RFC 7592 §2.2)', () => {
  it('returns client_id and client_secret for the caller to compare', () => {
    const result = valid({ client_id: 'abc', client_secret: 's3cret', redirect_uris: WEB }, true);
    expect(result.clientId).toBe('abc');
    expect(result.clientSecret).toBe('s3cret');
    expect(result.metadata).not.toHaveProperty('client_id');
    expect(result.metadata).not.toHaveProperty('client_secret');
  });

  it('requires client_id', () => {
    const result = invalid({ redirect_uris: WEB }, true);
    expect(result.error.error_description).toBe(
      "client_id is required in an update request and must be the client's id (RFC 7592 §2.2)",
    );
    expect(invalid({ client_id: 7, redirect_uris: WEB }, true).error.error_description).toMatch(
      /\(got 7\)$/,
    );
  });

  it.each([
    'registration_access_token',
    'registration_client_uri',
    'client_secret_expires_at',
    'client_id_issued_at',
  ])('refuses the server-issued field %s', (field) => {
    const result = invalid({ client_id: 'abc', redirect_uris: WEB, [field]: 'x' }, true);
    expect(result.error.error).toBe('invalid_client_metadata');
    expect(result.error.error_description).toBe(
      `${field} must not be sent in an update request; it is issued by the server (RFC 7592 §2.2)`,
    );
    expect(result.error.error_description).not.toContain('"x"');
  });

  it('never describes a client_secret that has the wrong type', () => {
    const result = invalid(
      { client_id: 'abc', client_secret: { value: 'hunter2' }, redirect_uris: WEB },
      true,
    );
    expect(result.error.error_description).toBe('client_secret must be a string when present');
  });

  it('does not look at those fields in a registration request', () => {
    expect(
      valid({ redirect_uris: WEB, client_id_issued_at: 1, registration_access_token: 'x' }).ok,
    ).toBe(true);
  });
});

describe('registrationErrorOf', () => {
  it('makes one invalid_client_metadata error even from an empty list', () => {
    const error = registrationErrorOf([]);
    expect(error.error).toBe('invalid_client_metadata');
    expect(error.status).toBe(400);
    expect(error.toJSON()).toEqual({
      error: 'invalid_client_metadata',
      error_description: 'the request is invalid',
    });
  });
});
