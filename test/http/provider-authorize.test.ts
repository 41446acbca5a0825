/**
 * `/authorize` and discovery details of createProvider, over real HTTP:
 * - the `organization` parameter is the `organizationName` of `allowsCallback`, so an
 *   `https://{organization_name}.example.com/cb` callback matches only in an
 *   organization's context, and only for a client that uses organizations;
 * - discovery's `response_types_supported` and `grant_types_supported` say exactly what
 *   the registration endpoint registers and what `/authorize` serves, checked over every
 *   response type the registration metadata rules know.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/index.js';
import { RESPONSE_TYPE_COMPONENTS } from '../../src/registration/metadata.js';
import {
  fetchManual,
  followToCallback,
  startTestServer,
  type TestServer,
} from './provider-helpers.js';

const ORG_CALLBACK = 'https://{organization_name}.example.com/cb';
const VERIFIER = 'authorize-tests-verifier-0123456789-abcdefghijklmnop';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function authorizeUrl(client: Client, extra: Record<string, string>): URL {
  const url = new URL('/authorize', server.url);
  const params = {
    client_id: client.client_id,
    response_type: 'code',
    scope: 'openid',
    state: 'st',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/**
 * Where `/authorize` sends the browser (through the test login when it asks for one), or
 * the 400 page's status when it does not redirect.
 */
async function outcome(url: URL): Promise<{ status: number; location: URL | undefined }> {
  const response = await fetchManual(url);
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (location === null) return { status: response.status, location: undefined };
  const next = new URL(location);
  if (next.pathname !== '/login/done') return { status: response.status, location: next };
  return { status: response.status, location: await followToCallback(next) };
}

describe('/authorize with the organization parameter', () => {
  let member: Client;
  let denied: Client;

  beforeAll(async () => {
    const input = {
      app_type: 'spa' as const,
      callbacks: [ORG_CALLBACK],
      grant_types: ['authorization_code' as const],
    };
    member = await server.tenant.clients.create({
      name: 'Org app',
      organization_usage: 'allow',
      ...input,
    });
    denied = await server.tenant.clients.create({
      name: 'No-org app',
      organization_usage: 'deny',
      ...input,
    });
  });

  it('matches an {organization_name} callback with organization=acme', async () => {
    const { status, location } = await outcome(
      authorizeUrl(member, { redirect_uri: 'https://acme.example.com/cb', organization: 'acme' }),
    );
    expect(status).toBe(302);
    expect(location?.origin).toBe('https://acme.example.com');
    expect(location?.searchParams.get('code')).toBeTruthy();
    expect(location?.searchParams.get('error')).toBeNull();
  });

  it('refuses it without organization, with a 400 page and no redirect', async () => {
    const { status, location } = await outcome(
      authorizeUrl(member, { redirect_uri: 'https://acme.example.com/cb' }),
    );
    expect(status).toBe(400);
    expect(location).toBeUndefined();
  });

  it('refuses it for another organization than the host names', async () => {
    const { status, location } = await outcome(
      authorizeUrl(member, { redirect_uri: 'https://acme.example.com/cb', organization: 'other' }),
    );
    expect(status).toBe(400);
    expect(location).toBeUndefined();
  });

  it('never lets an organization name cross a dot or fill the literal placeholder', async () => {
    for (const [redirectUri, organization] of [
      ['https://evil.acme.example.com/cb', 'evil.acme'],
      [ORG_CALLBACK, '{organization_name}'],
      ['https://%7Borganization_name%7D.example.com/cb', 'acme'],
    ] as const) {
      const { status, location } = await outcome(
        authorizeUrl(member, { redirect_uri: redirectUri, organization }),
      );
      expect(status, redirectUri).toBe(400);
      expect(location).toBeUndefined();
    }
  });

  it('does not evaluate the placeholder for a client whose organization_usage is deny', async () => {
    const { status, location } = await outcome(
      authorizeUrl(denied, { redirect_uri: 'https://acme.example.com/cb', organization: 'acme' }),
    );
    expect(status).toBe(400);
    expect(location).toBeUndefined();
  });
});

describe('/authorize without PKCE', () => {
  const callback = 'https://partner.example.com/cb';
  const partner = (name: string, extra: Record<string, unknown>) =>
    server.tenant.clients.create({
      name,
      app_type: 'regular_web',
      is_first_party: false,
      callbacks: [callback],
      grant_types: ['authorization_code'],
      ...extra,
    });
  const withoutPkce = (client: Client): URL => {
    const url = authorizeUrl(client, { redirect_uri: callback });
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    return url;
  };

  it('refuses a third-party client in strict mode, as Auth0 requires PKCE of it', async () => {
    const strict = await partner('Strict partner', { third_party_security_mode: 'strict' });
    const { location } = await outcome(withoutPkce(strict));
    expect(location?.origin).toBe('https://partner.example.com');
    expect(location?.searchParams.get('error')).toBe('invalid_request');
    expect(location?.searchParams.get('error_description')).toBe(
      'code_challenge is required: third-party clients in strict mode must use PKCE with S256',
    );
    const withPkce = await outcome(authorizeUrl(strict, { redirect_uri: callback }));
    expect(withPkce.location?.searchParams.get('code')).toBeTruthy();
  });

  it('lets a confidential client in permissive mode (or first-party) go without it', async () => {
    for (const client of [
      await partner('Permissive partner', { third_party_security_mode: 'permissive' }),
      await partner('Own app', { is_first_party: true }),
    ]) {
      const { location } = await outcome(withoutPkce(client));
      expect(location?.searchParams.get('error'), client.name).toBeNull();
      expect(location?.searchParams.get('code'), client.name).toBeTruthy();
    }
  });
});

describe('discovery agrees with registration and /authorize', () => {
  let metadata: { response_types_supported: string[]; grant_types_supported: string[] };

  beforeAll(async () => {
    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    metadata = (await response.json()) as typeof metadata;
  });

  /** Every response type the registration metadata rules know, in canonical form. */
  const everyResponseType = (): string[] => {
    const all: string[] = [];
    for (let mask = 1; mask < 1 << RESPONSE_TYPE_COMPONENTS.length; mask++) {
      all.push(RESPONSE_TYPE_COMPONENTS.filter((_, bit) => mask & (1 << bit)).join(' '));
    }
    return all;
  };

  /** Registers a client declaring `responseType`, with the grants it needs. */
  async function register(responseType: string) {
    const parts = responseType.split(' ');
    const grants = [
      ...(parts.includes('code') ? ['authorization_code'] : []),
      ...(parts.some((part) => part !== 'code') ? ['implicit'] : []),
    ];
    const response = await fetch(`${server.url}/oidc/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['https://app.example.com/cb'],
        token_endpoint_auth_method: 'none',
        grant_types: grants,
        response_types: [responseType],
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  it('registers exactly the response types discovery advertises, and /authorize serves them', async () => {
    const all = everyResponseType();
    expect(all).toHaveLength(7);
    for (const responseType of all) {
      const registered = await register(responseType);
      const advertised = metadata.response_types_supported.includes(responseType);
      expect({ responseType, status: registered.status }).toEqual({
        responseType,
        status: advertised ? 201 : 400,
      });
      if (!advertised) {
        expect(registered.body['error']).toBe('invalid_client_metadata');
        expect(registered.body['error_description']).toMatch(/^(response_types|grant_types)/);
        continue;
      }
      const client = await server.tenant.clients.get(registered.body['client_id'] as string);
      const { location } = await outcome(
        authorizeUrl(client, {
          redirect_uri: 'https://app.example.com/cb',
          response_type: responseType,
          nonce: 'n-1',
        }),
      );
      // The code flow answers in the query; every type with a token in the fragment.
      const answer = new URLSearchParams(
        responseType === 'code' ? location?.search : location?.hash.slice(1),
      );
      const parts = responseType.split(' ');
      expect(answer.get('error'), responseType).toBeNull();
      expect(answer.has('code'), responseType).toBe(parts.includes('code'));
      expect(answer.has('id_token'), responseType).toBe(parts.includes('id_token'));
      expect(answer.has('access_token'), responseType).toBe(parts.includes('token'));
      expect(answer.get('state'), responseType).toBe('st');
      if (responseType !== 'code') expect(location?.search, responseType).toBe('');
    }
  });

  it('answers unsupported_response_type at /authorize for every type it does not advertise', async () => {
    const client = await server.tenant.clients.create({
      name: 'Implicit-capable',
      app_type: 'spa',
      callbacks: ['https://app.example.com/cb'],
      grant_types: ['authorization_code', 'implicit'],
    });
    for (const responseType of everyResponseType()) {
      if (metadata.response_types_supported.includes(responseType)) continue;
      const { location } = await outcome(
        authorizeUrl(client, {
          redirect_uri: 'https://app.example.com/cb',
          response_type: responseType,
          nonce: 'n',
        }),
      );
      expect(location?.searchParams.get('error'), responseType).toBe('unsupported_response_type');
    }
  });

  it('registers exactly the grant types discovery advertises', async () => {
    for (const grant of ['authorization_code', 'implicit', 'refresh_token', 'client_credentials']) {
      const response = await fetch(`${server.url}/oidc/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['https://app.example.com/cb'],
          grant_types: grant === 'refresh_token' ? ['authorization_code', grant] : [grant],
          ...(grant === 'implicit' ? { response_types: ['id_token'] } : {}),
        }),
      });
      await response.body?.cancel();
      expect({ grant, status: response.status }).toEqual({
        grant,
        status: metadata.grant_types_supported.includes(grant) ? 201 : 400,
      });
    }
  });
});
