import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateClientMetadataDocument } from '../../src/cimd/validate.js';

const URL_ = 'https://notes.example.com/oauth/client.json';
const base = {
  client_id: URL_,
  client_name: 'Notes',
  redirect_uris: ['https://notes.example.com/callback'],
};

const issuesOf = (document: unknown, url = URL_) => {
  const result = validateClientMetadataDocument(document, url);
  return result.ok ? [] : result.issues;
};

describe('validateClientMetadataDocument', () => {
  it('accepts a minimal document: a public client (none), code flow, named', () => {
    const result = validateClientMetadataDocument(base, URL_);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      clientId: URL_,
      named: true,
      metadata: {
        client_name: 'Notes',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    });
    expect(result.warnings).toEqual([]);
  });

  it('requires client_id to be the URL exactly (no normalisation)', () => {
    for (const other of [
      undefined,
      `${URL_}/`,
      URL_.toUpperCase(),
      'https://notes.example.com:443/oauth/client.json',
      42,
    ]) {
      expect(issuesOf({ ...base, client_id: other })).toEqual([
        expect.objectContaining({ path: '/client_id', code: 'client_id_mismatch' }),
      ]);
    }
  });

  it('refuses every shared-secret method and every client_secret member', () => {
    for (const method of ['client_secret_basic', 'client_secret_post', 'client_secret_jwt']) {
      expect(issuesOf({ ...base, token_endpoint_auth_method: method })).toEqual([
        expect.objectContaining({ path: '/token_endpoint_auth_method', code: 'shared_secret' }),
      ]);
    }
    expect(issuesOf({ ...base, client_secret: 's3cr3t' })).toEqual([
      expect.objectContaining({ path: '/client_secret', code: 'shared_secret' }),
    ]);
    expect(JSON.stringify(issuesOf({ ...base, client_secret: 's3cr3t' }))).not.toContain('s3cr3t');
    expect(issuesOf({ ...base, client_secret_expires_at: 0 })).toEqual([
      expect.objectContaining({ path: '/client_secret_expires_at' }),
    ]);
    expect(issuesOf({ ...base, token_endpoint_auth_method: 'tls_client_auth' })).toEqual([
      expect.objectContaining({ code: 'unsupported_auth_method' }),
    ]);
  });

  it('requires redirect_uris, and checks each like registration does', () => {
    const { redirect_uris: _omitted, ...without } = base;
    expect(issuesOf(without)).toContainEqual(
      expect.objectContaining({ path: '/redirect_uris', code: 'required' }),
    );
    expect(issuesOf({ ...base, redirect_uris: [] })).toContainEqual(
      expect.objectContaining({ path: '/redirect_uris', code: 'required' }),
    );
    const bad = issuesOf({
      ...base,
      redirect_uris: ['https://notes.example.com/cb', 'javascript:alert(1)'],
    });
    expect(bad).toEqual([
      expect.objectContaining({ path: '/redirect_uris/1', code: 'invalid_redirect_uri' }),
    ]);
    expect(bad[0]?.message).toMatch(/^redirect_uris\/1/);
  });

  it('needs keys with private_key_jwt, by value or by URL', () => {
    expect(issuesOf({ ...base, token_endpoint_auth_method: 'private_key_jwt' })).toContainEqual(
      expect.objectContaining({ path: '/jwks' }),
    );
    const result = validateClientMetadataDocument(
      {
        ...base,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: 'https://notes.example.com/jwks.json',
      },
      URL_,
    );
    expect(result.ok).toBe(true);
  });

  it('reads the other RFC 7591 members as registration does (located messages)', () => {
    expect(issuesOf({ ...base, logo_uri: 'javascript:x' })).toEqual([
      expect.objectContaining({ path: '/logo_uri' }),
    ]);
    expect(issuesOf({ ...base, grant_types: ['password'] })).toEqual([
      expect.objectContaining({ path: '/grant_types/0' }),
    ]);
    expect(issuesOf({ ...base, contacts: 'ops@example.com' })).toEqual([
      expect.objectContaining({ path: '/contacts' }),
    ]);
  });

  it('reports unknown members as warnings, never as problems', () => {
    const result = validateClientMetadataDocument({ ...base, 'x/y': 1, software_id: 'abc' }, URL_);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: '/x~1y', code: 'ignored_member' }),
    ]);
  });

  it('uses the URL host as the name of an unnamed document', () => {
    const { client_name: _omitted, ...unnamed } = base;
    const result = validateClientMetadataDocument(unnamed, URL_);
    expect(result.ok && result.value.named).toBe(false);
  });

  it('refuses documents that are not objects, and a bad URL', () => {
    for (const value of [null, [], 'x', 3, true]) {
      expect(issuesOf(value)).toEqual([
        expect.objectContaining({ path: '', code: 'not_an_object' }),
      ]);
    }
    expect(issuesOf(base, 'http://notes.example.com/c.json')).toEqual([
      expect.objectContaining({ code: 'invalid_client_id_url' }),
    ]);
  });

  it('never throws on getters that throw, proxies or cycles', () => {
    const hostile = Object.defineProperty({ ...base }, 'redirect_uris', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => validateClientMetadataDocument(hostile, URL_)).not.toThrow();
    const cyclic: Record<string, unknown> = { ...base };
    cyclic['contacts'] = [cyclic];
    expect(validateClientMetadataDocument(cyclic, URL_).ok).toBe(false);
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
      },
    );
    expect(() => validateClientMetadataDocument(proxy, URL_)).not.toThrow();
  });

  it('never crashes on any document (fuzz), and every issue is located', () => {
    const member = fc.oneof(
      fc.constantFrom(
        ...Object.keys(base),
        'token_endpoint_auth_method',
        'grant_types',
        'jwks',
        'jwks_uri',
        'client_secret',
        'scope',
        'contacts',
        'logo_uri',
        'response_types',
      ),
      fc.string(),
    );
    const document = fc.oneof(
      fc.anything(),
      fc.dictionary(member, fc.oneof(fc.anything(), fc.constant(URL_), fc.array(fc.webUrl()))),
      fc.record({
        client_id: fc.constant(URL_),
        redirect_uris: fc.array(fc.oneof(fc.webUrl(), fc.string())),
      }),
    );
    fc.assert(
      fc.property(document, fc.oneof(fc.constant(URL_), fc.webUrl(), fc.string()), (value, url) => {
        const result = validateClientMetadataDocument(value, url);
        if (!result.ok) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const found of result.issues) {
            expect(found.path === '' || found.path.startsWith('/')).toBe(true);
            expect(found.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
