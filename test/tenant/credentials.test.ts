/**
 * `tenant.clients` credentials (Auth0's `/clients/{id}/credentials`) and secret rotation
 * with an overlap: shapes, validation, audit, atomicity, and the clock.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MemoryStore,
  NotFoundError,
  Tenant,
  ValidationError,
  memorySink,
  type ClientCredentialInput,
} from '../../src/index.js';
import { failure, pathsAndCodes, snapshotOf } from './helpers.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecJwk = ec.publicKey.export({ format: 'jwk' });
const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const START = Date.parse('2030-01-01T00:00:00.000Z');

async function setup() {
  let now = START;
  const sink = memorySink();
  const store = new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store,
    auditSinks: [sink],
    now: () => now,
  });
  const client = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
  return {
    tenant,
    store,
    sink,
    client,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const basic = (input: Partial<ClientCredentialInput> = {}) =>
  ({ credential_type: 'public_key', pem: rsaPem, alg: 'RS256', ...input }) as ClientCredentialInput;

describe('addCredential', () => {
  it("answers Auth0's ClientCredential shape, without key material, and lists it", async () => {
    const { tenant, client } = await setup();
    const added = await tenant.clients.addCredential(
      client.client_id,
      basic({ name: 'worker key', expires_at: '2031-01-01T00:00:00Z' }),
    );
    expect(added).toEqual({
      id: expect.stringMatching(/^cred_[A-Za-z0-9]{24}$/),
      credential_type: 'public_key',
      kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      alg: 'RS256',
      name: 'worker key',
      created_at: '2030-01-01T00:00:00.000Z',
      updated_at: '2030-01-01T00:00:00.000Z',
      expires_at: '2031-01-01T00:00:00.000Z',
    });
    expect(await tenant.clients.credentials(client.client_id)).toEqual([added]);
    expect(JSON.stringify(added)).not.toContain('BEGIN');
  });

  it('takes a JWK, ES256, and a chosen kid', async () => {
    const { tenant, client } = await setup();
    const added = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      jwk: ecJwk as never,
      alg: 'ES256',
      kid: 'my-key-2030-01',
    });
    expect(added).toMatchObject({ alg: 'ES256', kid: 'my-key-2030-01' });
  });

  it('defaults alg to RS256 as Auth0 does', async () => {
    const { tenant, client } = await setup();
    const { alg: _alg, ...input } = basic();
    expect((await tenant.clients.addCredential(client.client_id, input as never)).alg).toBe(
      'RS256',
    );
  });

  it('refuses a key of the wrong type for its alg', async () => {
    const { tenant, client } = await setup();
    const error = await failure(
      tenant.clients.addCredential(client.client_id, basic({ alg: 'ES256' })),
    );
    expect(pathsAndCodes(error)).toEqual([['/pem', 'key_mismatch']]);
    expect((error as ValidationError).message).toContain('ES256 needs an EC P-256 key');
    const rsaForEc = await failure(
      tenant.clients.addCredential(client.client_id, {
        credential_type: 'public_key',
        jwk: ecJwk as never,
        alg: 'PS256',
      }),
    );
    expect(pathsAndCodes(rsaForEc)).toEqual([['/jwk', 'key_mismatch']]);
  });

  it('refuses RSA keys under 2048 bits', async () => {
    const { tenant, client } = await setup();
    const pem = smallRsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const error = await failure(tenant.clients.addCredential(client.client_id, basic({ pem })));
    expect(pathsAndCodes(error)).toEqual([['/pem', 'key_mismatch']]);
    expect((error as Error).message).toContain('1024 bits; at least 2048');
  });

  it('refuses private key material in a PEM or a JWK and never echoes it', async () => {
    const { tenant, client, sink } = await setup();
    const privatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const privateJwk = ec.privateKey.export({ format: 'jwk' });
    for (const input of [
      basic({ pem: privatePem }),
      basic({ pem: pkcs1 }),
      { credential_type: 'public_key', jwk: privateJwk, alg: 'ES256' },
    ]) {
      const error = await failure(tenant.clients.addCredential(client.client_id, input as never));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.code).toBe('private_key');
      expect((error as Error).message).toContain('private key material');
      const rendered = JSON.stringify({ ...(error as object), message: (error as Error).message });
      expect(rendered).not.toContain('PRIVATE KEY');
      expect(rendered).not.toContain(String(privateJwk.d));
    }
    await tenant.audit.flush();
    expect(JSON.stringify(sink.events)).not.toContain(String(privateJwk.d));
    expect(JSON.stringify(sink.events)).not.toContain('PRIVATE');
    expect(await tenant.clients.credentials(client.client_id)).toEqual([]);
  });

  it('lists every problem at its pointer', async () => {
    const { tenant, client } = await setup();
    const error = await failure(
      tenant.clients.addCredential(client.client_id, {
        credential_type: 'x509_cert',
        pem: rsaPem,
        jwk: ecJwk,
        alg: 'HS256',
        kid: 'short',
        expires_at: '2029-01-01T00:00:00Z',
        extra: 1,
      } as never),
    );
    expect(pathsAndCodes(error)).toEqual([
      ['/extra', 'unknown_property'],
      ['/credential_type', 'unsupported'],
      ['/alg', 'unsupported'],
      ['/expires_at', 'in_the_past'],
      ['/kid', 'invalid_format'],
      ['', 'key_required'],
    ]);
  });

  it('refuses a duplicate kid and an unknown client, and writes nothing then', async () => {
    const { tenant, client, store } = await setup();
    await tenant.clients.addCredential(client.client_id, basic({ kid: 'the-same-kid' }));
    const before = await snapshotOf(store);
    const duplicate = await failure(
      tenant.clients.addCredential(client.client_id, basic({ kid: 'the-same-kid' })),
    );
    expect(pathsAndCodes(duplicate)).toEqual([['/kid', 'duplicate']]);
    await expect(tenant.clients.addCredential('nope', basic())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await snapshotOf(store)).toEqual(before);
    expect(await store.list('client_credentials')).toHaveLength(1);
  });

  it('audits sapi with the credential id, and fapi with the error code', async () => {
    const { tenant, client, sink } = await setup();
    const added = await tenant.clients.addCredential(client.client_id, basic());
    await failure(tenant.clients.addCredential(client.client_id, basic({ alg: 'ES256' })));
    await tenant.audit.flush();
    const events = sink.events.filter((e) => e.details['operation'] === 'create_credential');
    expect(events.map((e) => [e.type, e.client_id])).toEqual([
      ['sapi', client.client_id],
      ['fapi', client.client_id],
    ]);
    expect(events[0]?.details).toMatchObject({ credential_id: added.id, kid: added.kid });
    expect(events[1]?.details).toMatchObject({
      error: 'invalid_client_metadata',
      kind: 'credential',
    });
  });
});

describe('updateCredential and deleteCredential', () => {
  it('changes the name and the expiry, and removes the expiry with null', async () => {
    const { tenant, client, advance } = await setup();
    const added = await tenant.clients.addCredential(client.client_id, basic());
    advance(1000);
    const renamed = await tenant.clients.updateCredential(client.client_id, added.id, {
      name: 'renamed',
      expires_at: '2032-05-01T00:00:00Z',
    });
    expect(renamed).toMatchObject({
      name: 'renamed',
      expires_at: '2032-05-01T00:00:00.000Z',
      updated_at: '2030-01-01T00:00:01.000Z',
      created_at: added.created_at,
      kid: added.kid,
    });
    const open = await tenant.clients.updateCredential(client.client_id, added.id, {
      expires_at: null,
    });
    expect(open).not.toHaveProperty('expires_at');
    expect(open.name).toBe('renamed');
  });

  it('refuses other fields and unknown ids', async () => {
    const { tenant, client } = await setup();
    const added = await tenant.clients.addCredential(client.client_id, basic());
    expect(
      pathsAndCodes(
        await failure(
          tenant.clients.updateCredential(client.client_id, added.id, { alg: 'PS256' } as never),
        ),
      ),
    ).toEqual([['/alg', 'read_only']]);
    await expect(
      tenant.clients.updateCredential(client.client_id, 'cred_nope', { name: 'x' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(tenant.clients.deleteCredential(client.client_id, 'cred_nope')).rejects.toThrow(
      NotFoundError,
    );
  });

  it('deleting a credential removes it from client_authentication_methods in the same commit', async () => {
    const { tenant, client, store } = await setup();
    const one = await tenant.clients.addCredential(client.client_id, basic());
    const two = await tenant.clients.addCredential(client.client_id, {
      credential_type: 'public_key',
      jwk: ecJwk as never,
      alg: 'ES256',
    });
    await tenant.clients.update(client.client_id, {
      client_authentication_methods: {
        private_key_jwt: { credentials: [{ id: one.id }, { id: two.id }] },
      },
    });
    const commits: number[] = [];
    const commit = store.commit.bind(store);
    store.commit = (operations) => {
      commits.push(operations.length);
      return commit(operations);
    };
    await tenant.clients.deleteCredential(client.client_id, one.id);
    expect(commits).toEqual([2]);
    const after = await tenant.clients.get(client.client_id);
    expect(after.client_authentication_methods).toEqual({
      private_key_jwt: { credentials: [{ id: two.id }] },
    });
    expect((await tenant.clients.credentials(client.client_id)).map((c) => c.id)).toEqual([two.id]);
  });

  it('refuses client_authentication_methods naming a credential the client does not hold', async () => {
    const { tenant, client } = await setup();
    const other = await tenant.clients.create({ name: 'Other', app_type: 'non_interactive' });
    const foreign = await tenant.clients.addCredential(other.client_id, basic());
    const error = await failure(
      tenant.clients.update(client.client_id, {
        client_authentication_methods: { private_key_jwt: { credentials: [{ id: foreign.id }] } },
      }),
    );
    expect(pathsAndCodes(error)).toEqual([
      ['/client_authentication_methods/private_key_jwt/credentials/0/id', 'unknown_credential'],
    ]);
  });

  it('deleting a client deletes its credentials in the same commit', async () => {
    const { tenant, client, store } = await setup();
    await tenant.clients.addCredential(client.client_id, basic());
    await tenant.clients.delete(client.client_id);
    expect(await store.list('client_credentials')).toEqual([]);
    await expect(tenant.clients.credentials(client.client_id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('rotateSecret with an overlap', () => {
  const post = (clientId: string, secret: string) => ({
    body: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
  });

  it('accepts the old and the new secret until the instant, then only the new one', async () => {
    const { tenant, client, advance } = await setup();
    const old = client.client_secret as string;
    const rotated = await tenant.clients.rotateSecret(client.client_id, {
      previousSecretValidFor: 60,
    });
    const fresh = rotated.client_secret as string;
    expect(fresh).not.toBe(old);
    await expect(tenant.authenticateClient(post(client.client_id, old))).resolves.toBeDefined();
    await expect(tenant.authenticateClient(post(client.client_id, fresh))).resolves.toBeDefined();
    advance(59_999);
    await expect(tenant.authenticateClient(post(client.client_id, old))).resolves.toBeDefined();
    advance(1);
    await expect(tenant.authenticateClient(post(client.client_id, old))).rejects.toThrow(
      'client authentication failed',
    );
    await expect(tenant.authenticateClient(post(client.client_id, fresh))).resolves.toBeDefined();
  });

  it('keeps one previous secret: a second rotation replaces it, a plain one ends it', async () => {
    const { tenant, client } = await setup();
    const first = client.client_secret as string;
    const second = (
      await tenant.clients.rotateSecret(client.client_id, {
        previousSecretValidFor: 3600,
      })
    ).client_secret as string;
    const third = (
      await tenant.clients.rotateSecret(client.client_id, {
        previousSecretValidFor: 3600,
      })
    ).client_secret as string;
    await expect(tenant.authenticateClient(post(client.client_id, first))).rejects.toThrow();
    await expect(tenant.authenticateClient(post(client.client_id, second))).resolves.toBeDefined();
    await tenant.clients.rotateSecret(client.client_id);
    await expect(tenant.authenticateClient(post(client.client_id, second))).rejects.toThrow();
    await expect(tenant.authenticateClient(post(client.client_id, third))).rejects.toThrow();
  });

  it('refuses an overlap outside 1 second to 30 days, and changes nothing then', async () => {
    const { tenant, client, store } = await setup();
    const before = await snapshotOf(store);
    for (const value of [0, -1, 2_592_001, 1.5, '60', Number.NaN]) {
      const error = await failure(
        tenant.clients.rotateSecret(client.client_id, { previousSecretValidFor: value as number }),
      );
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).path).toBe('/options/previousSecretValidFor');
    }
    expect(await snapshotOf(store)).toEqual(before);
    await tenant.clients.rotateSecret(client.client_id, { previousSecretValidFor: 2_592_000 });
  });

  it('never records the previous secret in the audit event', async () => {
    const { tenant, client, sink } = await setup();
    await tenant.clients.rotateSecret(client.client_id, { previousSecretValidFor: 60 });
    await tenant.audit.flush();
    const event = sink.events.find((e) => e.details['operation'] === 'rotate_secret');
    expect(event?.details).toMatchObject({ previous_secret_valid_for: 60 });
    expect(JSON.stringify(sink.events)).not.toContain(client.client_secret as string);
  });
});
