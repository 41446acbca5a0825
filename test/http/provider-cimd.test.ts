/**
 * Dynamic CIMD and RFC 8707 resource indicators at /authorize and /oauth/token, in process:
 * the metadata document comes from an injected fetch (the fetcher's network behaviour is
 * test/cimd/fetch.test.ts's job).
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider, type Provider } from '../../src/http/index.js';
import { generateSigningKey, memorySink, Tenant } from '../../src/index.js';

const ISSUER = 'https://id.example.com/';
const API = 'https://api.example.com/notes';
const DOC_URL = 'https://agent.example.com/client.json';
const CALLBACK = 'https://agent.example.com/callback';
const documents = new Map<string, unknown>();
const fetched: string[] = [];

const fetchDocument = (async (input: string | URL | Request) => {
  const url = String(input);
  fetched.push(url);
  const body = documents.get(url);
  return body === undefined
    ? new Response('not here', { status: 404 })
    : new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
}) as typeof fetch;

let tenant: Tenant;
let provider: Provider;
const sink = memorySink();

beforeAll(async () => {
  tenant = await Tenant.create({
    domain: 'id.example.com',
    signingKeys: [await generateSigningKey('RS256')],
    auditSinks: [sink],
    clientIdMetadataDocuments: { enabled: true, fetch: fetchDocument },
  });
  await tenant.apis.create({ identifier: API, name: 'Notes', scopes: [{ value: 'notes:read' }] });
  await tenant.apis.create({
    identifier: 'https://api.example.com/other',
    name: 'Other',
    scopes: [],
  });
  provider = createProvider(tenant, {
    login: (_request, pending) => provider.completeAuthorization(pending.id, { sub: 'auth0|bo' }),
  });
  documents.set(DOC_URL, {
    client_id: DOC_URL,
    client_name: 'Agent',
    redirect_uris: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
  });
});
afterAll(() => tenant.close());

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

function authorizeUrl(extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: DOC_URL,
    redirect_uri: CALLBACK,
    response_type: 'code',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's1',
    ...extra,
  });
  return `${ISSUER}authorize?${query}`;
}

async function codeFor(extra: Record<string, string> = {}): Promise<string> {
  const response = await provider(new Request(authorizeUrl(extra)));
  const location = new URL(response.headers.get('location') ?? '');
  const code = location.searchParams.get('code');
  if (code === null) throw new Error(`no code: ${location.href}`);
  return code;
}

function tokenRequest(body: Record<string, string>): Promise<Response> {
  return provider(
    new Request(`${ISSUER}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    }),
  );
}

describe('dynamic CIMD at /authorize and /oauth/token', () => {
  it('advertises client_id_metadata_document_supported in both discovery documents', async () => {
    for (const path of [
      '.well-known/openid-configuration',
      '.well-known/oauth-authorization-server',
    ]) {
      const metadata = await (await provider(new Request(`${ISSUER}${path}`))).json();
      expect(metadata).toMatchObject({ client_id_metadata_document_supported: true });
    }
    const off = await Tenant.create({ domain: 'off.example.com' });
    const plain = await (
      await createProvider(off)(
        new Request('https://off.example.com/.well-known/openid-configuration'),
      )
    ).json();
    expect(plain).not.toHaveProperty('client_id_metadata_document_supported');
    await off.close();
  });

  it('signs in a URL client_id and exchanges the code with the URL as client_id; aud is the resource', async () => {
    const code = await codeFor({ resource: API, scope: 'notes:read' });
    const response = await tokenRequest({
      grant_type: 'authorization_code',
      client_id: DOC_URL,
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
      resource: API,
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as { access_token: string; scope: string };
    expect(tokens.scope).toBe('notes:read');
    const claims = await tenant.verifyAccessToken(tokens.access_token, { audience: API });
    expect(claims.aud).toBe(API);
  });

  it('shows the login page the client name and the URL host', async () => {
    let seen: { clientName: string; clientIdMetadataDocumentHost?: string } | undefined;
    const spy = createProvider(tenant, {
      login: (_request, pending) => {
        seen = pending;
        return Promise.resolve(new Response('login'));
      },
    });
    await spy(new Request(authorizeUrl()));
    expect(seen).toMatchObject({
      clientName: 'Agent',
      clientIdMetadataDocumentHost: 'agent.example.com',
    });
  });

  it('answers a document that cannot be used with a 400 page naming why, never a redirect', async () => {
    const url = 'https://agent.example.com/missing.json';
    const response = await provider(new Request(authorizeUrl({ client_id: url })));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/client_id: the document's host answered 404/);
    documents.set('https://agent.example.com/evil.json', {
      client_id: 'https://agent.example.com/evil.json',
      redirect_uris: [CALLBACK],
      token_endpoint_auth_method: 'client_secret_post',
    });
    const secret = await provider(
      new Request(authorizeUrl({ client_id: 'https://agent.example.com/evil.json' })),
    );
    expect(secret.status).toBe(400);
    expect(await secret.text()).toMatch(/token_endpoint_auth_method/);
    await tenant.audit.flush();
    expect(sink.events).toContainEqual(
      expect.objectContaining({
        type: 'fapi',
        details: expect.objectContaining({ operation: 'cimd_fetch', error: 'cimd_http_status' }),
      }),
    );
  });

  it('refreshes the client when its document changes, and only then', async () => {
    const before = await tenant.clientIdMetadataDocuments.find(DOC_URL);
    documents.set(DOC_URL, { ...(documents.get(DOC_URL) as object), client_name: 'Agent 2' });
    await provider(new Request(authorizeUrl())); // cached: still the old document
    expect((await tenant.clientIdMetadataDocuments.find(DOC_URL))?.name).toBe('Agent');
    await tenant.clientIdMetadataDocuments.register(DOC_URL);
    const after = await tenant.clientIdMetadataDocuments.find(DOC_URL);
    expect(after?.name).toBe('Agent 2');
    expect(after?.client_id).toBe(before?.client_id);
    expect(after?.external_metadata_created_by).toBe('admin');
  });
});

describe('a private_key_jwt CIMD client at /oauth/token', () => {
  it('authenticates with an assertion whose iss and sub are its client id URL, and refuses another key', async () => {
    const url = 'https://agent.example.com/keyed.json';
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    documents.set(url, {
      client_id: url,
      client_name: 'Keyed agent',
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [jwk] },
    });
    const assertion = (key: CryptoKey, claims: Record<string, unknown> = {}) =>
      new SignJWT({ jti: randomBytes(16).toString('base64url'), ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(url)
        .setSubject(url)
        .setAudience(`${ISSUER}oauth/token`)
        .setIssuedAt()
        .setExpirationTime('2m')
        .sign(key);
    const code = await codeFor({ client_id: url });
    const exchange = (clientAssertion: string, extra: Record<string, string> = {}) =>
      tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
        ...extra,
      });
    // Signed by another key: invalid_client, and the code stays usable for its owner.
    const stranger = await generateKeyPair('ES256');
    const refused = await exchange(await assertion(stranger.privateKey));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    // A body client_id that is the URL agrees with iss (RFC 7521 section 4.2).
    const accepted = await exchange(await assertion(privateKey), { client_id: url });
    expect(accepted.status).toBe(200);
    const client = await tenant.clientIdMetadataDocuments.find(url);
    const tokens = (await accepted.json()) as { access_token: string };
    expect(decodeJwt(tokens.access_token)).toMatchObject({ azp: client?.client_id });
    // The library call takes the URL as the client's name too.
    const byLibrary = await tenant.authenticateClient({
      body: {
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await assertion(privateKey),
      },
    });
    expect(byLibrary.client_id).toBe(client?.client_id);
  });
});

describe('RFC 8707 resource indicators', () => {
  const refusedAt = async (extra: Record<string, string>) => {
    const response = await provider(new Request(authorizeUrl(extra)));
    return new URL(response.headers.get('location') ?? 'https://x/').searchParams.get('error');
  };

  it('refuses an unknown resource, a malformed one, and one that differs from audience: invalid_target', async () => {
    expect(await refusedAt({ resource: 'https://api.example.com/unknown' })).toBe('invalid_target');
    expect(await refusedAt({ resource: 'not a uri' })).toBe('invalid_target');
    expect(await refusedAt({ resource: `${API}#frag` })).toBe('invalid_target');
    expect(await refusedAt({ resource: API, audience: 'https://api.example.com/other' })).toBe(
      'invalid_target',
    );
    expect(await refusedAt({ resource: API, audience: API })).toBeNull();
  });

  it('refuses a token request for another resource than the code was issued for, and the code stays usable', async () => {
    const code = await codeFor({ resource: API });
    const base = {
      grant_type: 'authorization_code',
      client_id: DOC_URL,
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    };
    const other = await tokenRequest({ ...base, resource: 'https://api.example.com/other' });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: 'invalid_target' });
    const unknown = await tokenRequest({ ...base, resource: 'https://api.example.com/nope' });
    expect(await unknown.json()).toMatchObject({ error: 'invalid_target' });
    const good = await tokenRequest({ ...base, resource: API });
    expect(good.status).toBe(200);
  });

  it('refuses a refresh for another resource before the refresh token is used', async () => {
    const client = await tenant.clientIdMetadataDocuments.find(DOC_URL);
    await tenant.clients.update(client?.client_id ?? '', {
      refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0 },
    });
    const code = await codeFor({ resource: API, scope: 'offline_access notes:read' });
    const issued = await tokenRequest({
      grant_type: 'authorization_code',
      client_id: DOC_URL,
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    const { refresh_token: refreshToken } = (await issued.json()) as { refresh_token: string };
    expect(refreshToken).toBeDefined();
    const refresh = (resource: string) =>
      tokenRequest({
        grant_type: 'refresh_token',
        client_id: DOC_URL,
        refresh_token: refreshToken,
        resource,
      });
    const other = await refresh('https://api.example.com/other');
    expect(await other.json()).toMatchObject({ error: 'invalid_target' });
    // Rotating, leeway 0: had the refused request used the token, this would be reuse.
    const good = await refresh(API);
    expect(good.status).toBe(200);
  });
});
