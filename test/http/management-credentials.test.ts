/**
 * `/api/v2/clients/{id}/credentials` in process: Auth0's paths, shapes and status codes
 * over the tenant's public-key credentials, their scopes, and the refusals (private key
 * material is refused and never echoed). The auth0 SDK drives the same routes over HTTPS
 * in test/identity-server/management-sdk.test.ts.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_ASSERTION_TYPE, type Client } from 'clientele';
import { MANAGEMENT_SCOPES } from 'clientele/http';
import { bodyOf, managementFixture, type ManagementFixture } from './management-helpers.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const ecJwk = ec.publicKey.export({ format: 'jwk' });

let fx: ManagementFixture;
let admin: string;
let worker: Client;
let other: Client;

beforeAll(async () => {
  fx = await managementFixture();
  admin = (await fx.m2m('Admin', Object.keys(MANAGEMENT_SCOPES))).token;
  worker = (await fx.m2m('Worker', [])).client;
  other = (await fx.m2m('Other', [])).client;
});

const path = (clientId: string, credentialId?: string) =>
  `/clients/${clientId}/credentials${credentialId === undefined ? '' : `/${credentialId}`}`;

function assertion(clientId: string, kid: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience('https://id.example.com/')
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(rsa.privateKey);
}

function authenticate(clientId: string, kid: string): Promise<unknown> {
  return assertion(clientId, kid).then((jwt) =>
    fx.tenant
      .authenticateClient({
        body: { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: jwt },
      })
      .catch((error: unknown) => error),
  );
}

describe('/clients/{id}/credentials', () => {
  it('adds (201), lists, reads, updates and deletes (204) a public key, as the tenant holds it', async () => {
    expect(await bodyOf(await fx.call('GET', path(worker.client_id), admin))).toEqual([]);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await fx.call('POST', path(worker.client_id), admin, {
      credential_type: 'public_key',
      name: 'worker key',
      pem: rsaPem,
      alg: 'RS256',
      expires_at: expiresAt,
    });
    expect(created.status).toBe(201);
    const credential = await bodyOf(created);
    expect(credential).toEqual({
      id: expect.stringMatching(/^cred_[A-Za-z0-9]{24}$/),
      credential_type: 'public_key',
      kid: expect.stringMatching(/^[\w-]{43}$/),
      alg: 'RS256',
      name: 'worker key',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      expires_at: expiresAt,
    });
    const id = credential.id as string;
    expect(await fx.tenant.clients.credentials(worker.client_id)).toEqual([credential]);
    expect(await bodyOf(await fx.call('GET', path(worker.client_id), admin))).toEqual([credential]);
    expect(await bodyOf(await fx.call('GET', path(worker.client_id, id), admin))).toEqual(
      credential,
    );

    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const patched = await fx.call('PATCH', path(worker.client_id, id), admin, {
      expires_at: later,
    });
    expect(patched.status).toBe(200);
    expect(await bodyOf(patched)).toMatchObject({ id, expires_at: later, name: 'worker key' });
    const cleared = await bodyOf(
      await fx.call('PATCH', path(worker.client_id, id), admin, { expires_at: null }),
    );
    expect(cleared).not.toHaveProperty('expires_at');
    expect(await fx.tenant.clients.credentials(worker.client_id)).toEqual([cleared]);

    // Enabled through the client's settings, it authenticates; deleted, it no longer does.
    const enabled = await fx.call('PATCH', `/clients/${worker.client_id}`, admin, {
      client_authentication_methods: { private_key_jwt: { credentials: [{ id }] } },
    });
    expect(enabled.status).toBe(200);
    const kid = credential.kid as string;
    expect(await authenticate(worker.client_id, kid)).toMatchObject({
      client_id: worker.client_id,
    });
    const deleted = await fx.call('DELETE', path(worker.client_id, id), admin);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect(await fx.tenant.clients.credentials(worker.client_id)).toEqual([]);
    const held = await fx.tenant.clients.get(worker.client_id);
    expect(held.client_authentication_methods).toEqual({ private_key_jwt: { credentials: [] } });
    expect(await authenticate(worker.client_id, kid)).toMatchObject({ code: 'invalid_client' });
    expect((await fx.call('GET', path(worker.client_id, id), admin)).status).toBe(404);
  });

  it('accepts a public JWK and an ES256 key, defaulting kid to the key thumbprint', async () => {
    const response = await fx.call('POST', path(other.client_id), admin, {
      credential_type: 'public_key',
      jwk: ecJwk,
      alg: 'ES256',
    });
    expect(response.status).toBe(201);
    const credential = await bodyOf(response);
    expect(credential).toMatchObject({ alg: 'ES256', credential_type: 'public_key' });
    expect(JSON.stringify(credential)).not.toContain(ecJwk.x!);
    await fx.call('DELETE', path(other.client_id, credential.id as string), admin);
  });

  it('refuses private key material (PEM or JWK) without echoing it, and stores nothing', async () => {
    const privatePem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const privateJwk = ec.privateKey.export({ format: 'jwk' });
    for (const input of [
      { credential_type: 'public_key', pem: privatePem, alg: 'RS256' },
      { credential_type: 'public_key', jwk: privateJwk, alg: 'ES256' },
    ]) {
      const response = await fx.call('POST', path(other.client_id), admin, input);
      expect(response.status).toBe(400);
      const text = await response.text();
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        errorCode: 'invalid_body',
      });
      expect(body.message).toMatch(/private key material, which is never accepted/);
      for (const secret of [privatePem.split('\n')[1]!, privateJwk.d!]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(await fx.tenant.clients.credentials(other.client_id)).toEqual([]);
  });

  it('answers 400 naming each problem, leaving the credentials as they were', async () => {
    const added = await bodyOf(
      await fx.call('POST', path(other.client_id), admin, {
        credential_type: 'public_key',
        pem: rsaPem,
      }),
    );
    const cases: [string, unknown, RegExp[]][] = [
      [
        'unknown fields and an unsupported type',
        { credential_type: 'x509_cert', pem: rsaPem, subject_dn: 'CN=x', colour: 'red' },
        [
          /subject_dn is not a credential field/,
          /colour is not a credential field/,
          /credential_type must be "public_key"/,
        ],
      ],
      [
        'an algorithm the key does not suit',
        { credential_type: 'public_key', jwk: ecJwk, alg: 'RS256' },
        [/jwk is a ec key, but RS256 needs an RSA key/],
      ],
      [
        'a past expiry and a malformed kid',
        {
          credential_type: 'public_key',
          pem: rsaPem,
          expires_at: '2001-01-01T00:00:00Z',
          kid: 'x',
        },
        [/expires_at must be in the future/, /kid must be 10 to 64 characters/],
      ],
      ['bad JSON', '{"credential_type":', [/Invalid request payload JSON format/]],
      [
        'a key the client already holds',
        { credential_type: 'public_key', pem: rsaPem },
        [/kid is already used by another credential of this client/],
      ],
    ];
    for (const [name, input, messages] of cases) {
      const response = await fx.call('POST', path(other.client_id), admin, input);
      expect(response.status, name).toBe(400);
      const { message } = await bodyOf<{ message: string }>(response);
      for (const expected of messages) expect(message, name).toMatch(expected);
    }
    const patch = await fx.call('PATCH', path(other.client_id, added.id as string), admin, {
      alg: 'PS256',
      expires_at: 'soon',
    });
    expect(patch.status).toBe(400);
    const { message } = await bodyOf<{ message: string }>(patch);
    expect(message).toMatch(/alg cannot be changed: only name and expires_at can/);
    expect(message).toMatch(/expires_at/);
    const query = await fx.call('GET', `${path(other.client_id)}?page=1`, admin);
    expect(await bodyOf(query)).toMatchObject({
      statusCode: 400,
      errorCode: 'invalid_query_string',
    });
    expect(await fx.tenant.clients.credentials(other.client_id)).toEqual([added]);
    await fx.call('DELETE', path(other.client_id, added.id as string), admin);
  });

  it('answers 404 for an unknown client, an unknown credential, or one of another client', async () => {
    const added = await bodyOf(
      await fx.call('POST', path(other.client_id), admin, {
        credential_type: 'public_key',
        pem: rsaPem,
      }),
    );
    const id = added.id as string;
    const noClient = [
      ['GET', path('no-such-client')],
      ['POST', path('no-such-client')],
      ['GET', path('no-such-client', id)],
      ['PATCH', path('no-such-client', id)],
      ['DELETE', path('no-such-client', id)],
    ] as const;
    for (const [method, target] of noClient) {
      const body =
        method === 'POST'
          ? { credential_type: 'public_key', pem: rsaPem }
          : method === 'PATCH'
            ? { name: 'x' }
            : undefined;
      const response = await fx.call(method, target, admin, body);
      expect(await bodyOf(response), `${method} ${target}`).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'The client does not exist',
        errorCode: 'inexistent_client',
      });
    }
    for (const target of [path(other.client_id, 'cred_nope'), path(worker.client_id, id)]) {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const response = await fx.call(
          method,
          target,
          admin,
          method === 'PATCH' ? { name: 'x' } : undefined,
        );
        expect(await bodyOf(response), `${method} ${target}`).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'The client credential does not exist',
          errorCode: 'inexistent_client_credential',
        });
      }
    }
    expect(await fx.tenant.clients.credentials(other.client_id)).toEqual([added]);
    await fx.call('DELETE', path(other.client_id, id), admin);
  });

  it("needs Auth0's client_credentials scopes; read:clients and update:clients are not enough", async () => {
    const added = await bodyOf(
      await fx.call('POST', path(other.client_id), admin, {
        credential_type: 'public_key',
        pem: rsaPem,
      }),
    );
    const id = added.id as string;
    const { token } = await fx.m2m('Clients only', [
      'read:clients',
      'update:clients',
      'create:clients',
      'delete:clients',
    ]);
    const routes = [
      ['GET', path(other.client_id), 'read:client_credentials'],
      ['GET', path(other.client_id, id), 'read:client_credentials'],
      ['POST', path(other.client_id), 'create:client_credentials'],
      ['PATCH', path(other.client_id, id), 'update:client_credentials'],
      ['DELETE', path(other.client_id, id), 'delete:client_credentials'],
    ] as const;
    for (const [method, target, scope] of routes) {
      const body =
        method === 'POST'
          ? { credential_type: 'public_key', jwk: ecJwk, alg: 'ES256' }
          : method === 'PATCH'
            ? { name: 'x' }
            : undefined;
      const refused = await fx.call(method, target, token, body);
      expect(refused.status, `${method} ${target}`).toBe(403);
      expect(await bodyOf(refused)).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: `Insufficient scope, expected any of: ${scope}`,
        errorCode: 'insufficient_scope',
      });
      const allowed = (await fx.m2m(`Only ${scope}`, [scope])).token;
      const answered = await fx.call(method, target, allowed, body);
      expect(answered.status, `${method} ${target} with ${scope}`).toBeLessThan(300);
    }
    const missing = await fx.call('GET', path(other.client_id), null);
    expect(missing.status).toBe(401);
    expect(await fx.tenant.clients.credentials(other.client_id)).toHaveLength(1);
  });
});
