/**
 * `Tenant.create({ secretsKey })`: secrets are encrypted before they reach the store and
 * decrypted on read; nothing changes for users of the Tenant. On MemoryStore here; the
 * FileStore and PostgresStore runs are in test/storage/.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MemoryStore,
  SecretDecryptionError,
  Tenant,
  type AuditEvent,
  type Client,
  type SecretsKey,
  type Store,
} from '../../src/index.js';
import { failure, snapshotOf } from './helpers.js';

const KEY_A = { id: 'a', key: randomBytes(32) };
const KEY_B = { id: 'b', key: randomBytes(32) };
const ENVELOPE = /^enc:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22,}$/;

async function tenantOn(store: Store, secretsKey?: SecretsKey) {
  const events: AuditEvent[] = [];
  const tenant = await Tenant.create({
    domain: 'auth.example.com',
    store,
    ...(secretsKey === undefined ? {} : { secretsKey }),
  });
  tenant.audit.on('event', (event: AuditEvent) => events.push(event));
  return { tenant, events };
}

function confidential(tenant: Tenant, name = 'Worker'): Promise<Client> {
  return tenant.clients.create({
    name,
    app_type: 'regular_web',
    callbacks: ['https://app.example.com/callback'],
    jwt_configuration: { alg: 'HS256' },
  });
}

async function rawSecret(store: Store, clientId: string): Promise<unknown> {
  return ((await store.get('clients', clientId))?.value as Record<string, unknown>)[
    'client_secret'
  ];
}

/** Everything the store holds, as one string. */
async function rawText(store: Store): Promise<string> {
  const collections = [
    'clients',
    'client_credentials',
    'connections',
    'apis',
    'keys',
    'grants',
    'registrations',
  ];
  return JSON.stringify(await Promise.all(collections.map((c) => store.list(c))));
}

/** A client_secret_post request (the method of a regular_web client). */
function post(client: Client, secret = client.client_secret ?? '') {
  return { body: { client_id: client.client_id, client_secret: secret } };
}

describe('secretsKey: what reaches the store', () => {
  it('encrypts client secrets, previous secrets, connection and API secrets and private keys', async () => {
    const store = new MemoryStore();
    const { tenant } = await tenantOn(store, KEY_A);
    const client = await confidential(tenant);
    const rotated = await tenant.clients.rotateSecret(client.client_id, {
      previousSecretValidFor: 600,
    });
    const connection = await tenant.connections.create({
      name: 'google',
      strategy: 'google-oauth2',
      options: { client_id: 'gid', client_secret: 'google-secret-value-1234' },
    });
    const database = await tenant.connections.create({
      name: 'db',
      strategy: 'auth0',
      options: { configuration: { DB_PASSWORD: 'database-password-5678' }, brute_force: true },
    });
    const api = await tenant.apis.create({
      identifier: 'https://api.example.com/',
      name: 'API',
      signing_alg: 'HS256',
      signing_secret: 'api-signing-secret-abcdefgh-0123456789',
    });
    await tenant.jwks();

    const raw = await rawText(store);
    for (const secret of [
      client.client_secret!,
      rotated.client_secret!,
      'google-secret-value-1234',
      'database-password-5678',
      'api-signing-secret-abcdefgh-0123456789',
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(await rawSecret(store, client.client_id)).toMatch(ENVELOPE);
    const ring = (await store.get('keys', 'signing'))?.value as { keys: { privateJwk: unknown }[] };
    expect(ring.keys[0]?.privateJwk).toMatch(ENVELOPE);
    const stored = (await store.get('connections', connection.id))?.value as {
      options: Record<string, unknown>;
    };
    expect(stored.options['client_id']).toBe('gid');
    expect(stored.options['client_secret']).toMatch(ENVELOPE);
    const db = (await store.get('connections', database.id))?.value as {
      options: Record<string, unknown>;
    };
    expect(db.options['configuration']).toMatch(ENVELOPE);
    expect(db.options['brute_force']).toBe(true);

    // The tenant gives everything back in plain text, as without a key.
    expect((await tenant.clients.get(client.client_id)).client_secret).toBe(rotated.client_secret);
    expect((await tenant.connections.get(connection.id)).options).toEqual({
      client_id: 'gid',
      client_secret: 'google-secret-value-1234',
    });
    expect((await tenant.connections.get(database.id)).options['configuration']).toEqual({
      DB_PASSWORD: 'database-password-5678',
    });
    expect((await tenant.apis.get(api.id)).signing_secret).toBe(
      'api-signing-secret-abcdefgh-0123456789',
    );
    await tenant.close();
  });

  it('authenticates, signs HS256 id tokens and honours a rotation overlap as without a key', async () => {
    const store = new MemoryStore();
    const { tenant } = await tenantOn(store, KEY_A);
    const client = await confidential(tenant);
    const authenticated = await tenant.authenticateClient({
      body: {
        client_id: client.client_id,
        client_secret: client.client_secret,
        grant_type: 'client_credentials',
      },
    });
    expect(authenticated.client_id).toBe(client.client_id);
    const idToken = await tenant.issueIdToken(client.client_id, { sub: 'auth0|1' });
    expect((await tenant.verifyIdToken(idToken, client.client_id)).sub).toBe('auth0|1');

    const rotated = await tenant.clients.rotateSecret(client.client_id, {
      previousSecretValidFor: 600,
    });
    const credentials = (await store.get('client_credentials', client.client_id))?.value as {
      previous_secret: { secret: unknown; expires_at: unknown };
    };
    expect(credentials.previous_secret.secret).toMatch(ENVELOPE);
    expect(typeof credentials.previous_secret.expires_at).toBe('number');
    // A second tenant on the same store (another process) reads what the first wrote.
    const { tenant: other } = await tenantOn(store, KEY_A);
    for (const secret of [client.client_secret, rotated.client_secret]) {
      const ok = await other.authenticateClient(post(client, secret));
      expect(ok.client_id).toBe(client.client_id);
    }
    await Promise.all([tenant.close(), other.close()]);
  });
});

describe('secretsKey: a ciphertext opens only where it was written', () => {
  it('refuses a client secret moved to another client (AAD binds collection, id and field)', async () => {
    const store = new MemoryStore();
    const { tenant } = await tenantOn(store, KEY_A);
    const one = await confidential(tenant, 'One');
    const two = await confidential(tenant, 'Two');
    const first = (await store.get('clients', one.client_id))!;
    const second = (await store.get('clients', two.client_id))!;
    await store.replace(
      'clients',
      two.client_id,
      { ...(second.value as object), client_secret: await rawSecret(store, one.client_id) },
      second.version,
    );
    const { tenant: fresh } = await tenantOn(store, KEY_A);
    const error = await failure(fresh.clients.get(two.client_id));
    expect(error).toBeInstanceOf(SecretDecryptionError);
    expect(error).toMatchObject({
      code: 'secret_decryption_failed',
      reason: 'tampered',
      collection: 'clients',
      id: two.client_id,
      path: '/client_secret',
    });
    expect(String((error as Error).message)).toContain(two.client_id);
    // The other client is untouched and still served.
    expect((await fresh.clients.get(one.client_id)).client_secret).toBe(one.client_secret);
    expect(first.version).toBe((await store.get('clients', one.client_id))!.version);
    await Promise.all([tenant.close(), fresh.close()]);
  });

  it('refuses a ciphertext moved to another field of the same record', async () => {
    const store = new MemoryStore();
    const { tenant } = await tenantOn(store, KEY_A);
    const connection = await tenant.connections.create({
      name: 'twitter',
      strategy: 'twitter',
      options: { client_secret: 'secret-one-xxxxxxxx', api_secret: 'secret-two-yyyyyyyy' },
    });
    const stored = (await store.get('connections', connection.id))!;
    const options = (stored.value as { options: Record<string, unknown> }).options;
    await store.replace(
      'connections',
      connection.id,
      {
        ...(stored.value as object),
        options: { client_secret: options['api_secret'], api_secret: options['client_secret'] },
      },
      stored.version,
    );
    const error = await failure(tenant.connections.get(connection.id));
    expect(error).toMatchObject({ reason: 'tampered', collection: 'connections' });
    await tenant.close();
  });

  it('refuses a changed ciphertext, and leaves the data as it was on update and delete', async () => {
    const store = new MemoryStore();
    const { tenant } = await tenantOn(store, KEY_A);
    const client = await confidential(tenant);
    const stored = (await store.get('clients', client.client_id))!;
    const envelope = (await rawSecret(store, client.client_id)) as string;
    const last = envelope.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${envelope.slice(0, -2)}${last}${envelope.slice(-1)}`;
    await store.replace(
      'clients',
      client.client_id,
      { ...(stored.value as object), client_secret: tampered },
      stored.version,
    );
    const { tenant: fresh, events } = await tenantOn(store, KEY_A);
    const before = await snapshotOf(store);
    for (const attempt of [
      fresh.clients.get(client.client_id),
      fresh.clients.update(client.client_id, { name: 'Renamed' }),
      fresh.clients.rotateSecret(client.client_id),
      fresh.clients.delete(client.client_id),
      fresh.authenticateClient(post(client)),
    ]) {
      const error = await failure(attempt);
      if (error instanceof SecretDecryptionError) expect(error.reason).toBe('tampered');
      else expect(error).toMatchObject({ code: 'invalid_client' });
    }
    expect(await snapshotOf(store)).toEqual(before);
    await fresh.audit.flush();
    expect(events.some((event) => event.details['error'] === 'secret_decryption_failed')).toBe(
      true,
    );
    expect(JSON.stringify(events)).not.toContain(client.client_secret);
    await Promise.all([tenant.close(), fresh.close()]);
  });
});

describe('secretsKey: keys and rotation', () => {
  it('decrypts with every key, encrypts with the first, re-encrypting on the next write', async () => {
    const store = new MemoryStore();
    const { tenant: old } = await tenantOn(store, KEY_A);
    const client = await confidential(old);
    expect(await rawSecret(store, client.client_id)).toMatch(/^enc:v1:a:/);

    const { tenant: rotating } = await tenantOn(store, [KEY_B, KEY_A]);
    expect((await rotating.clients.get(client.client_id)).client_secret).toBe(client.client_secret);
    expect(await rawSecret(store, client.client_id)).toMatch(/^enc:v1:a:/);
    await rotating.clients.update(client.client_id, { description: 'touched' });
    expect(await rawSecret(store, client.client_id)).toMatch(/^enc:v1:b:/);

    // The old key can go once every record was written again.
    const { tenant: renewed } = await tenantOn(store, KEY_B);
    expect((await renewed.clients.get(client.client_id)).client_secret).toBe(client.client_secret);
    await Promise.all([old.close(), rotating.close(), renewed.close()]);
  });

  it('resealSecrets() moves every secret to the first key, so the old key can go', async () => {
    const store = new MemoryStore();
    const { tenant: plain } = await tenantOn(store);
    const legacy = await confidential(plain, 'Legacy');
    const { tenant: old } = await tenantOn(store, KEY_A);
    const client = await confidential(old);
    await old.clients.rotateSecret(client.client_id, { previousSecretValidFor: 600 });
    await old.connections.create({
      name: 'gh',
      strategy: 'github',
      options: { client_secret: 'connection-secret-to-reseal' },
    });
    await old.jwks();
    const untouched = await tenantOn(store);
    await expect(untouched.tenant.resealSecrets()).rejects.toBeInstanceOf(InvalidArgumentError);

    const { tenant: rotating, events } = await tenantOn(store, [KEY_B, KEY_A]);
    // Legacy client, client, its previous secret, the connection, the key ring.
    expect(await rotating.resealSecrets()).toEqual({ records: 5 });
    expect(await rotating.resealSecrets()).toEqual({ records: 0 });
    const raw = await rawText(store);
    expect(raw).not.toMatch(/enc:v1:a:/);
    expect(raw).not.toContain(legacy.client_secret);
    await rotating.audit.flush();
    expect(events.map((event) => [event.type, event.details['operation']])).toContainEqual([
      'sapi',
      'reseal_secrets',
    ]);

    const { tenant: renewed } = await tenantOn(store, KEY_B);
    expect((await renewed.clients.get(legacy.client_id)).client_secret).toBe(legacy.client_secret);
    await renewed.authenticateClient(post(client));
    expect((await renewed.connections.list())[0]?.options['client_secret']).toBe(
      'connection-secret-to-reseal',
    );
    await Promise.all(
      [plain, old, untouched.tenant, rotating, renewed].map((tenant) => tenant.close()),
    );
  });

  it('names the missing key, and the missing secretsKey, without the secret or the key', async () => {
    const store = new MemoryStore();
    const { tenant } = await tenantOn(store, KEY_A);
    const client = await confidential(tenant);
    const { tenant: wrong } = await tenantOn(store, KEY_B);
    const { tenant: none } = await tenantOn(store);
    const unknown = await failure(wrong.clients.get(client.client_id));
    expect(unknown).toMatchObject({ reason: 'unknown_key', collection: 'clients' });
    expect((unknown as Error).message).toContain('"a"');
    const missing = await failure(none.clients.list());
    expect(missing).toMatchObject({ reason: 'no_key', id: client.client_id });
    for (const error of [unknown, missing]) {
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      expect(text).not.toContain(client.client_secret);
      expect(text).not.toContain(KEY_A.key.toString('base64'));
      expect(text).not.toContain(KEY_A.key.toString('hex'));
    }
    await Promise.all([tenant.close(), wrong.close(), none.close()]);
  });

  it('accepts raw 32-byte keys, whose id is derived from the key', async () => {
    const store = new MemoryStore();
    const raw = randomBytes(32);
    const { tenant } = await tenantOn(store, raw);
    const client = await confidential(tenant);
    const kid = String(await rawSecret(store, client.client_id)).split(':')[2];
    expect(kid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    // The same bytes, in a rotation list behind a new key, still decrypt.
    const { tenant: next } = await tenantOn(store, [KEY_B, Uint8Array.from(raw)]);
    expect((await next.clients.get(client.client_id)).client_secret).toBe(client.client_secret);
    await Promise.all([tenant.close(), next.close()]);
  });

  it('refuses a malformed secretsKey with an InvalidArgumentError that does not echo it', async () => {
    const short = randomBytes(16);
    const cases: [unknown, string][] = [
      [short, '/secretsKey'],
      [short.toString('base64'), '/secretsKey'],
      [[], '/secretsKey'],
      [[KEY_A, { id: 'a', key: randomBytes(32) }], '/secretsKey/1'],
      [{ id: 'has:colon', key: randomBytes(32) }, '/secretsKey/id'],
      [{ id: 'k', key: 'x'.repeat(32) }, '/secretsKey/key'],
      [[KEY_A, 42], '/secretsKey/1'],
    ];
    for (const [secretsKey, path] of cases) {
      const error = await failure(
        Tenant.create({ domain: 'auth.example.com', secretsKey: secretsKey as SecretsKey }),
      );
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).path).toBe(path);
      expect((error as Error).message).not.toContain(short.toString('base64'));
    }
  });
});

describe('secretsKey: records written before the key', () => {
  it('keeps serving plain secrets and encrypts them on their next write', async () => {
    const store = new MemoryStore();
    const { tenant: plain } = await tenantOn(store);
    const client = await confidential(plain);
    expect(await rawSecret(store, client.client_id)).toBe(client.client_secret);

    const { tenant } = await tenantOn(store, KEY_A);
    expect((await tenant.clients.get(client.client_id)).client_secret).toBe(client.client_secret);
    await tenant.authenticateClient(post(client));
    await tenant.clients.update(client.client_id, { description: 'now encrypted' });
    expect(await rawSecret(store, client.client_id)).toMatch(ENVELOPE);
    expect((await tenant.clients.get(client.client_id)).client_secret).toBe(client.client_secret);
    await Promise.all([plain.close(), tenant.close()]);
  });

  it('changes nothing without a key: secrets stored as they are', async () => {
    const store = new MemoryStore();
    const { tenant } = await tenantOn(store);
    const client = await confidential(tenant);
    const connection = await tenant.connections.create({
      name: 'gh',
      strategy: 'github',
      options: { client_secret: 'plain-connection-secret' },
    });
    expect(await rawSecret(store, client.client_id)).toBe(client.client_secret);
    const stored = (await store.get('connections', connection.id))?.value as {
      options: Record<string, unknown>;
    };
    expect(stored.options['client_secret']).toBe('plain-connection-secret');
    await tenant.close();
  });
});

describe('secretsKey: secrets stay out of what is printed', () => {
  it('keeps them out of JSON, errors and audit events', async () => {
    const store = new MemoryStore();
    const { tenant, events } = await tenantOn(store, KEY_A);
    const client = await confidential(tenant);
    const connection = await tenant.connections.create({
      name: 'gh',
      strategy: 'github',
      options: { client_secret: 'connection-secret-zzzz' },
    });
    await tenant.clients.rotateSecret(client.client_id, { previousSecretValidFor: 60 });
    const wrong = await failure(tenant.authenticateClient(post(client, 'nope')));
    await tenant.audit.flush();
    const printed = JSON.stringify([
      await tenant.clients.get(client.client_id),
      await tenant.connections.get(connection.id),
      events,
      wrong,
      String(wrong),
    ]);
    expect(printed).not.toContain(client.client_secret);
    expect(printed).not.toContain('connection-secret-zzzz');
    await tenant.close();
  });
});
