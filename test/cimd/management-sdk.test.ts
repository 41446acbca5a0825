/**
 * Auth0's `auth0` SDK (ManagementClient, default settings but for a fetch that hands its
 * requests to createManagementApi in process) registering and previewing CIMD clients whose
 * documents a real HTTPS server on loopback serves.
 */
import type { ManagementClient } from 'auth0';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClientWith } from '../support/management-sdk.js';
import { createManagementApi, type Handler } from '../../src/http/index.js';
import { generateSigningKey, memorySink, Tenant } from '../../src/index.js';
import { json, startTlsServer, type TlsServer } from './tls-server.js';

let documents: TlsServer;
let tenant: Tenant;
let api: Handler;
const sink = memorySink();

beforeAll(async () => {
  documents = await startTlsServer();
  tenant = await Tenant.create({
    domain: 'id.example.com',
    signingKeys: [await generateSigningKey('RS256')],
    auditSinks: [sink],
    // Manual registration works with dynamic CIMD off; loopback is allowed for the test.
    clientIdMetadataDocuments: { enabled: false, allowPrivateNetwork: true, ca: documents.ca },
  });
  api = createManagementApi(tenant);
});
afterAll(async () => {
  await documents.close();
  await tenant.close();
});

function sdkWith(scopes: string[]): Promise<ManagementClient> {
  return managementClientWith(tenant, api, scopes);
}

async function publicJwk(kid: string) {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
}

describe('auth0 SDK: clients.registerCimdClient and clients.previewCimdMetadata', () => {
  it('creates (201), then updates (200) the same client, rotating credentials when the JWKS changes', async () => {
    const url = `${documents.origin}/tools/client.json`;
    let keys = [await publicJwk('key-2026-01')];
    documents.route('/tools/jwks.json', (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/jwk-set+json' })
        .end(JSON.stringify({ keys }));
    });
    documents.route(
      '/tools/client.json',
      json({
        client_id: url,
        client_name: 'Build tools',
        redirect_uris: ['https://tools.example.com/callback'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: `${documents.origin}/tools/jwks.json`,
      }),
    );
    const sdk = await sdkWith(['create:clients', 'update:clients', 'read:clients']);
    const created = await sdk.clients
      .registerCimdClient({ external_client_id: url })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data).toMatchObject({
      client_id: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      validation: { valid: true, violations: [], warnings: [] },
      mapped_fields: {
        external_client_id: url,
        name: 'Build tools',
        callbacks: ['https://tools.example.com/callback'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: `${documents.origin}/tools/jwks.json`,
        client_authentication_methods: {
          private_key_jwt: {
            credentials: [{ credential_type: 'public_key', kid: 'key-2026-01', alg: 'ES256' }],
          },
        },
      },
    });
    const clientId = created.data.client_id;
    const stored = await sdk.clients.get(clientId);
    expect(stored).toMatchObject({
      external_client_id: url,
      external_metadata_type: 'cimd',
      external_metadata_created_by: 'admin',
      third_party_security_mode: 'strict',
      is_first_party: false,
    });
    const again = await sdk.clients
      .registerCimdClient({ external_client_id: url })
      .withRawResponse();
    expect(again.rawResponse.status).toBe(200);
    expect(again.data.client_id).toBe(clientId);
    expect((await tenant.clients.credentials(clientId)).map((c) => c.kid)).toEqual(['key-2026-01']);
    keys = [await publicJwk('key-2026-07')];
    const rotated = await sdk.clients
      .registerCimdClient({ external_client_id: url })
      .withRawResponse();
    expect(rotated.rawResponse.status).toBe(200);
    expect(rotated.data.client_id).toBe(clientId);
    expect((await tenant.clients.credentials(clientId)).map((c) => c.kid)).toEqual(['key-2026-07']);
    await tenant.audit.flush();
    const operations = sink.events.map(
      (event) => (event.details as { operation?: string }).operation,
    );
    expect(operations.filter((op) => op === 'cimd_register')).toHaveLength(1);
    expect(operations.filter((op) => op === 'cimd_refresh')).toHaveLength(1);
  });

  it('needs create:clients to create and update:clients to update', async () => {
    const url = `${documents.origin}/scoped/client.json`;
    documents.route(
      '/scoped/client.json',
      json({ client_id: url, redirect_uris: ['https://scoped.example.com/cb'] }),
    );
    const updater = await sdkWith(['update:clients']);
    await expect(
      updater.clients.registerCimdClient({ external_client_id: url }),
    ).rejects.toMatchObject({ statusCode: 403 });
    const creator = await sdkWith(['create:clients']);
    const created = await creator.clients
      .registerCimdClient({ external_client_id: url })
      .withRawResponse();
    expect(created.rawResponse.status).toBe(201);
    expect(created.data.mapped_fields.name).toBe(new URL(url).host);
    await expect(
      creator.clients.registerCimdClient({ external_client_id: url }),
    ).rejects.toMatchObject({ statusCode: 403 });
    expect(
      (await updater.clients.registerCimdClient({ external_client_id: url }).withRawResponse())
        .rawResponse.status,
    ).toBe(200);
  });

  it('previews a document without storing anything, with violations or retrieval errors', async () => {
    const sdk = await sdkWith(['create:clients']);
    const before = (await tenant.clients.list()).total;
    const url = `${documents.origin}/preview/client.json`;
    documents.route(
      '/preview/client.json',
      json({ client_id: url, redirect_uris: ['https://p.example.com/cb'], extra: 1 }),
    );
    expect(await sdk.clients.previewCimdMetadata({ external_client_id: url })).toEqual({
      validation: { valid: true, violations: [], warnings: ['extra is not used and is ignored'] },
      mapped_fields: expect.objectContaining({
        external_client_id: url,
        callbacks: ['https://p.example.com/cb'],
        token_endpoint_auth_method: 'none',
      }),
    });
    const bad = `${documents.origin}/preview/secret.json`;
    documents.route(
      '/preview/secret.json',
      json({
        client_id: bad,
        redirect_uris: ['https://p.example.com/cb'],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    );
    const invalid = await sdk.clients.previewCimdMetadata({ external_client_id: bad });
    expect(invalid.validation?.valid).toBe(false);
    expect(invalid.validation?.violations[0]).toMatch(/^token_endpoint_auth_method/);
    const missing = await sdk.clients.previewCimdMetadata({
      external_client_id: `${documents.origin}/preview/none.json`,
    });
    expect(missing.errors?.[0]).toMatch(/404/);
    expect(missing).not.toHaveProperty('validation');
    expect((await tenant.clients.list()).total).toBe(before);
  });

  it('refuses a URL the draft forbids with 400, and a missing one', async () => {
    const sdk = await sdkWith(['create:clients']);
    await expect(
      sdk.clients.registerCimdClient({ external_client_id: 'http://tools.example.com/c.json' }),
    ).rejects.toMatchObject({
      statusCode: 400,
      body: expect.objectContaining({ errorCode: 'cimd_invalid_url' }),
    });
    await expect(
      sdk.clients.registerCimdClient({} as { external_client_id: string }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
