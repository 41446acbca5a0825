/**
 * Auth0's own SDK (`auth0`, ManagementClient) against the example server's Management API
 * over HTTPS on 127.0.0.1, trusting a certificate made for the test through
 * NODE_EXTRA_CA_CERTS in a child process; and the refusals, over the same connection.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_ASSERTION_TYPE, Tenant } from 'clientele';
import { ensureManagementApi, managementAudience } from 'clientele/http';
import { ROOT } from './helpers.js';
import {
  httpsCall,
  startManagementServer,
  tokenFor,
  type ManagementSetup,
} from './management-helpers.js';

let setup: ManagementSetup;
let sdk: Promise<Record<string, Record<string, unknown> & unknown[]>> | undefined;
const keys = [0, 1].map(() => generateKeyPairSync('rsa', { modulusLength: 2048 }));
const publicPems = keys.map((pair) => pair.publicKey.export({ format: 'pem', type: 'spki' }));
const privatePem = keys[0]!.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/** What the SDK script printed (run once, shared by the tests that read it). */
function sdkResult(): Promise<Record<string, Record<string, unknown> & unknown[]>> {
  sdk ??= runSdk().then((run) => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Record<string, Record<string, unknown> & unknown[]>;
  });
  return sdk;
}

beforeAll(async () => {
  setup = await startManagementServer();
}, 120_000);

afterAll(async () => {
  await setup?.stop();
});

function runSdk(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'test/identity-server/management-sdk.mjs'),
        setup.domain,
        setup.admin.client_id,
        setup.admin.client_secret ?? '',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: setup.caFile,
          CREDENTIAL_PEMS: JSON.stringify(publicPems),
          PRIVATE_PEM: privatePem,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the auth0 SDK against the example server', () => {
  it('creates, reads, lists, updates, rotates and deletes a client, with an API, a grant, a connection and logs, as the tenant holds them', async () => {
    const result = await sdkResult();
    const { created, got, page, updated, rotated, api, grant, connection } = result;
    const id = created!.client_id as string;

    expect(created!.client_secret).toMatch(/^[\w-]{32,}$/);
    expect(got).toEqual(created);
    expect(updated!.name).toBe('SDK app (renamed)');
    expect(rotated!.client_secret).not.toBe(created!.client_secret);
    expect({ ...rotated, client_secret: undefined }).toEqual({
      ...updated,
      client_secret: undefined,
    });

    // The tenant holds what the SDK was told (the client itself is deleted at the end).
    // The SDK worker (made after the list was read) stays; the SDK app does not.
    const clients = (await setup.tenant.clients.list()).clients.filter(
      (client) => client.client_id !== result.worker!.id,
    );
    expect(page!.total).toBe(clients.length + 1);
    expect((page!.data as { client_id: string }[]).map((c) => c.client_id)).toEqual(
      [...clients.map((c) => c.client_id), id].slice(2, 4),
    );
    expect(await setup.tenant.clients.find(id)).toBeUndefined();
    expect(result.afterDelete).toBe(404);
    expect(result.missing).toBe(404);
    expect(result.invalid).toBe(400);

    expect(api).toEqual((await setup.tenant.apis.get('https://sdk.example.com/api')).toJSON());
    expect(grant).toMatchObject({
      client_id: id,
      audience: 'https://sdk.example.com/api',
      scope: ['read:things'],
    });
    // Deleting the client deleted its grant and took it off the connection.
    expect(await setup.tenant.apis.grants({ audience: 'https://sdk.example.com/api' })).toEqual([]);
    const held = await setup.tenant.connections.get(connection!.id as string);
    expect({ ...connection, enabled_clients: [] }).toEqual(held.toJSON());
    expect(result.enabled).toEqual([{ client_id: id }]);
    expect(result.connections).toMatchObject({ hasNextPage: false });

    const operations = (
      result.logs as { type: string; client_id: string; details: { operation: string } }[]
    ).map((event) => `${event.type} ${event.details.operation}`);
    for (const operation of [
      'create_client',
      'update_client',
      'rotate_secret',
      'create_client_grant',
      'enable_client',
    ]) {
      expect(operations).toContain(`sapi ${operation}`);
    }
    expect((result.logs as { client_id: string }[]).every((event) => event.client_id === id)).toBe(
      true,
    );
  }, 120_000);
});

describe('client credentials through the auth0 SDK', () => {
  it('adds, reads, updates, lists and deletes public keys as the tenant holds them, and refuses a private key', async () => {
    const result = await sdkResult();
    const workerId = result.worker!.id as string;
    const { credential, spare, credentialUpdated, credentialGot } = result;
    expect(credential).toMatchObject({
      credential_type: 'public_key',
      alg: 'RS256',
      name: 'worker key',
    });
    expect(spare).toMatchObject({ credential_type: 'public_key', alg: 'PS256' });
    expect(credentialUpdated).toEqual({
      ...credential,
      updated_at: credentialUpdated!.updated_at,
      expires_at: expect.any(String),
    });
    expect(credentialGot).toEqual(credentialUpdated);
    expect(result.credentialsBeforeDelete).toEqual([credentialUpdated, spare]);
    expect(result.credentials).toEqual([credentialUpdated]);
    expect(await setup.tenant.clients.credentials(workerId)).toEqual([credentialUpdated]);
    for (const shown of [credential, spare, credentialGot]) {
      expect(Object.keys(shown!).sort()).not.toContain('pem');
      expect(Object.keys(shown!).sort()).not.toContain('jwk');
    }
    expect(result.spareMissing).toMatchObject({
      status: 404,
      body: { errorCode: 'inexistent_client_credential' },
    });
    expect(result.privateRefused).toMatchObject({
      status: 400,
      body: { errorCode: 'invalid_body' },
    });
    expect(JSON.stringify(result.privateRefused)).not.toContain(privatePem.split('\n')[1]);
    expect(result.worker!.enabled).toMatchObject({
      client_authentication_methods: {
        private_key_jwt: { credentials: [{ id: credential!.id }] },
      },
    });
    const operations = (result.workerLogs as { details: { operation: string } }[]).map(
      (event) => event.details.operation,
    );
    for (const operation of ['create_credential', 'update_credential', 'delete_credential']) {
      expect(operations).toContain(operation);
    }
  }, 120_000);

  it('lets the client authenticate with the key it added (private_key_jwt) and call the API with the token', async () => {
    const result = await sdkResult();
    const workerId = result.worker!.id as string;
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: result.credential!.kid as string })
      .setIssuer(workerId)
      .setSubject(workerId)
      .setAudience(setup.server.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(keys[0]!.privateKey);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      audience: `${setup.server.issuer}api/v2/`,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: jwt,
    }).toString();
    const issued = await httpsCall(setup, 'POST', '/oauth/token', {
      body: form,
      type: 'application/x-www-form-urlencoded',
    });
    expect(issued.status, issued.text).toBe(200);
    const token = (JSON.parse(issued.text) as { access_token: string }).access_token;
    const listed = await httpsCall(setup, 'GET', `/api/v2/clients/${workerId}/credentials`, {
      token,
    });
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.text)).toEqual(await setup.tenant.clients.credentials(workerId));
    const forbidden = await httpsCall(setup, 'GET', `/api/v2/clients/${workerId}`, { token });
    expect(forbidden.status).toBe(403);
  }, 120_000);
});

describe('refusals over HTTPS', () => {
  it('answers 401 without a token, with a wrong audience, with an expired token; 403 without the scope', async () => {
    const none = await httpsCall(setup, 'GET', '/api/v2/clients');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe(`Bearer realm="${setup.server.issuer}api/v2/"`);
    expect(JSON.parse(none.text)).toMatchObject({ statusCode: 401, error: 'Unauthorized' });

    const reader = await setup.client('Reader', ['read:clients']);
    const orders = await setup.tenant.apis.create({
      identifier: 'https://orders.example.com',
      name: 'Orders',
      scopes: [{ value: 'read:clients' }],
    });
    await setup.tenant.apis.grant({
      client_id: reader.client_id,
      audience: orders.identifier,
      scope: ['read:clients'],
    });
    const foreign = (
      await setup.tenant.issueAccessToken(reader.client_id, { audience: orders.identifier })
    ).access_token;
    const wrongAudience = await httpsCall(setup, 'GET', '/api/v2/clients', { token: foreign });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers['www-authenticate']).toContain('error="invalid_token"');

    const past = await Tenant.create({
      domain: setup.domain,
      issuer: setup.server.issuer,
      store: setup.tenant.store,
      now: () => Date.now() - 2 * 86_400_000,
    });
    await ensureManagementApi(past);
    const old = (
      await past.issueAccessToken(reader.client_id, { audience: managementAudience(past) })
    ).access_token;
    const expired = await httpsCall(setup, 'GET', '/api/v2/clients', { token: old });
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.text).message).toMatch(/Expired/);

    const token = await tokenFor(setup, reader);
    expect((await httpsCall(setup, 'GET', '/api/v2/clients', { token })).status).toBe(200);
    const forbidden = await httpsCall(setup, 'DELETE', `/api/v2/clients/${reader.client_id}`, {
      token,
    });
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.text)).toMatchObject({ errorCode: 'insufficient_scope' });
    expect(await setup.tenant.clients.find(reader.client_id)).toBeDefined();
  });

  it('never sends a client_secret without read:client_keys', async () => {
    const token = await tokenFor(
      setup,
      await setup.client('No keys', ['read:clients', 'create:clients']),
    );
    const created = await httpsCall(setup, 'POST', '/api/v2/clients', {
      token,
      body: JSON.stringify({ name: 'Confidential', app_type: 'regular_web' }),
    });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.text) as { client_id: string }).client_id;
    const secret = (await setup.tenant.clients.get(id)).client_secret!;
    const listed = await httpsCall(setup, 'GET', '/api/v2/clients', { token });
    for (const text of [created.text, listed.text]) {
      expect(text).not.toContain('"client_secret"');
      expect(text).not.toContain(secret);
    }
  });

  it('answers 400 for bad JSON, unknown fields (named) and paging out of range; 404 for unknown ids', async () => {
    const token = await tokenFor(setup, setup.admin);
    const bad = await httpsCall(setup, 'POST', '/api/v2/clients', { token, body: '{"name":' });
    expect(bad.status).toBe(400);
    const unknown = await httpsCall(setup, 'POST', '/api/v2/clients', {
      token,
      body: JSON.stringify({ name: 'x', favourite_colour: 'red' }),
    });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text).message).toContain('favourite_colour');
    const paging = await httpsCall(setup, 'GET', '/api/v2/clients?per_page=500', { token });
    expect(paging.status).toBe(400);
    expect(JSON.parse(paging.text)).toMatchObject({ errorCode: 'invalid_query_string' });
    for (const target of [
      '/api/v2/clients/nope',
      '/api/v2/connections/con_nope',
      '/api/v2/resource-servers/nope',
      '/api/v2/logs/nope',
    ]) {
      expect((await httpsCall(setup, 'GET', target, { token })).status, target).toBe(404);
    }
    // The provider's own endpoints still answer next to the Management API.
    expect((await httpsCall(setup, 'GET', '/.well-known/openid-configuration')).status).toBe(200);
  });
});
