/**
 * `secretsKey` on PostgresStore: the table never holds a secret in the clear, another
 * instance with the key reads and authenticates with what the first wrote (through its
 * local cache), and one with a wrong key is refused without changing a row.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretDecryptionError, Tenant } from 'clientele';
import { PostgresStore } from 'clientele/postgres';
import { AVAILABLE, RUN, dropRunSchemas, newPool } from './database.js';

describe.skipIf(!AVAILABLE)('secretsKey on PostgresStore', () => {
  const admin = newPool(2);
  const pools = [newPool(4), newPool(4), newPool(2)];
  afterAll(async () => {
    await dropRunSchemas(admin);
    await Promise.all([admin, ...pools].map((pool) => pool.end()));
  });

  it('stores ciphertext only, and every instance with the key reads the secrets', async () => {
    const schema = `${RUN}_secrets`;
    const secretsKey = [{ id: 'pg1', key: randomBytes(32) }];
    const [one, two, three] = pools.map((pool) => new PostgresStore({ pool, schema }));
    const first = await Tenant.create({ domain: 'auth.example.com', store: one!, secretsKey });
    const worker = await first.clients.create({ name: 'Worker', app_type: 'non_interactive' });
    const rotated = await first.clients.rotateSecret(worker.client_id, {
      previousSecretValidFor: 600,
    });
    await first.connections.create({
      name: 'gh',
      strategy: 'github',
      options: { client_secret: 'postgres-connection-secret' },
    });
    await first.jwks();

    const rows = await admin.query<{ collection: string; value: string }>(
      `SELECT collection, value::text AS value FROM "${schema}".clientele_records`,
    );
    const table = rows.rows.map((row) => row.value).join('\n');
    expect(rows.rows.map((row) => row.collection)).toEqual(
      expect.arrayContaining(['clients', 'client_credentials', 'connections', 'keys']),
    );
    for (const secret of [worker.client_secret!, rotated.client_secret!]) {
      expect(table).not.toContain(secret);
    }
    expect(table).not.toContain('postgres-connection-secret');
    expect(table).toMatch(/"client_secret":"enc:v1:pg1:/);

    const second = await Tenant.create({ domain: 'auth.example.com', store: two!, secretsKey });
    expect((await second.clients.get(worker.client_id)).client_secret).toBe(rotated.client_secret);
    for (const secret of [worker.client_secret, rotated.client_secret]) {
      const client = await second.authenticateClient({
        body: { client_id: worker.client_id, client_secret: secret },
      });
      expect(client.client_id).toBe(worker.client_id);
    }
    expect((await second.connections.list())[0]?.options['client_secret']).toBe(
      'postgres-connection-secret',
    );

    const dump = async () =>
      (
        await admin.query<{ value: string }>(
          `SELECT id, version, value::text AS value FROM "${schema}".clientele_records ORDER BY position`,
        )
      ).rows;
    const before = await dump();
    const wrong = await Tenant.create({
      domain: 'auth.example.com',
      store: three!,
      secretsKey: randomBytes(32),
    });
    const error = await wrong.clients.update(worker.client_id, { name: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(SecretDecryptionError);
    expect(error).toMatchObject({ reason: 'unknown_key', id: worker.client_id });
    expect(await dump()).toEqual(before);
    await Promise.all([first.close(), second.close(), wrong.close()]);
  });
});
