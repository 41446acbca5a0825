/**
 * What a CIMD client keeps when its document changes: the settings the document maps to
 * are replaced, every setting an administrator made that the document does not own stays,
 * as for a client registered dynamically (RFC 7592 update): `jwt_configuration` members
 * other than `alg`, and `client_metadata` keys other than registration's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, Tenant } from '../../src/index.js';

const DOC_URL = 'https://agent.example.com/client.json';
let document: Record<string, unknown>;
let tenant: Tenant;

const fetchDocument = (async () =>
  new Response(JSON.stringify(document), {
    headers: { 'content-type': 'application/json' },
  })) as unknown as typeof fetch;

beforeAll(async () => {
  tenant = await Tenant.create({
    domain: 'id.example.com',
    signingKeys: [await generateSigningKey('RS256')],
    clientIdMetadataDocuments: { enabled: true, fetch: fetchDocument },
  });
  document = {
    client_id: DOC_URL,
    client_name: 'Agent',
    redirect_uris: ['https://agent.example.com/callback'],
    grant_types: ['authorization_code'],
    default_max_age: 600,
  };
});
afterAll(() => tenant.close());

describe('refreshing a CIMD client from a changed document', () => {
  it("keeps the administrator's jwt_configuration and client_metadata, and takes the document's", async () => {
    const { client_id: clientId } = await tenant.clientIdMetadataDocuments.register(DOC_URL);
    await tenant.clients.update(clientId, {
      jwt_configuration: { lifetime_in_seconds: 900 },
      client_metadata: { team: 'agents' },
    });
    document = { ...document, client_name: 'Agent 2', default_max_age: 300 };
    await tenant.clientIdMetadataDocuments.register(DOC_URL);
    const client = await tenant.clients.get(clientId);
    expect(client.name).toBe('Agent 2');
    expect(client.jwt_configuration).toMatchObject({ lifetime_in_seconds: 900 });
    expect(client.client_metadata).toEqual({ team: 'agents', default_max_age: '300' });
  });

  it('drops what the previous document mapped to and the new one leaves out', async () => {
    document = { ...document, default_max_age: undefined, logo_uri: undefined };
    const { client_id: clientId } = await tenant.clientIdMetadataDocuments.register(DOC_URL);
    const client = await tenant.clients.get(clientId);
    expect(client.client_metadata).toEqual({ team: 'agents' });
  });
});
