/**
 * Secrets at rest on a FileStore: the file never holds them, another instance with the
 * key reads them, `clientele check` on the file does not take the ciphertext for a
 * plaintext secret; and, over arbitrary secrets and record ids, what the Tenant's store
 * layer seals opens back to exactly the same value and only in its own record and field.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { FileStore, MemoryStore, SecretDecryptionError, Tenant } from '../../src/index.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { SealedStore } from '../../src/tenant/sealed-store.js';

const root = mkdtempSync(join(tmpdir(), 'clientele-secrets-'));
let count = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const secretsKey = { id: 'k1', key: randomBytes(32) };

async function check(file: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await run({
    argv: ['check', file, '--format', 'json'],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => undefined },
    isTTY: false,
    env: {},
  });
  return { code, stdout };
}

describe('secretsKey on a FileStore', () => {
  it('keeps every secret out of the file, and another instance with the key reads them', async () => {
    const path = join(root, `store-${++count}.json`);
    const tenant = await Tenant.create({
      domain: 'auth.example.com',
      store: new FileStore(path),
      secretsKey,
    });
    const worker = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
    const rotated = await tenant.clients.rotateSecret(worker.client_id, {
      previousSecretValidFor: 3600,
    });
    await tenant.connections.create({
      name: 'gh',
      strategy: 'github',
      options: { client_id: 'gh-id', client_secret: 'github-secret-in-options' },
    });
    await tenant.jwks();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(worker.client_secret);
    expect(text).not.toContain(rotated.client_secret);
    expect(text).not.toContain('github-secret-in-options');
    expect(text).toContain('gh-id');
    expect(text).not.toMatch(/"d":"/); // no private JWK member in the clear

    const other = await Tenant.create({
      domain: 'auth.example.com',
      store: new FileStore(path),
      secretsKey,
    });
    expect((await other.clients.get(worker.client_id)).client_secret).toBe(rotated.client_secret);
    for (const secret of [worker.client_secret, rotated.client_secret]) {
      const client = await other.authenticateClient({
        body: { client_id: worker.client_id, client_secret: secret },
      });
      expect(client.client_id).toBe(worker.client_id);
    }
    const wrong = await Tenant.create({
      domain: 'auth.example.com',
      store: new FileStore(path),
      secretsKey: randomBytes(32),
    });
    await expect(wrong.clients.get(worker.client_id)).rejects.toBeInstanceOf(SecretDecryptionError);
    expect(readFileSync(path, 'utf8')).toBe(text);
    await Promise.all([tenant.close(), other.close(), wrong.close()]);
  });

  it('clientele check warns secret-in-config for a plain secret, not for an encrypted one', async () => {
    const findings = async (key: typeof secretsKey | undefined) => {
      const path = join(root, `store-${++count}.json`);
      const tenant = await Tenant.create({
        domain: 'auth.example.com',
        store: new FileStore(path),
        ...(key === undefined ? {} : { secretsKey: key }),
      });
      await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
      await tenant.close();
      const { stdout } = await check(path);
      return stdout;
    };
    const plain = await findings(undefined);
    expect(plain).toContain('secret-in-config');
    const encrypted = await findings(secretsKey);
    expect(JSON.parse(encrypted)).toMatchObject({
      findings: [],
      summary: { clients: 1, warnings: 0, errors: 0 },
    });
  });
});

describe('sealing, over arbitrary secrets and ids', () => {
  const box = new SecretBox([secretsKey]);

  it('opens to exactly the value sealed, and never in another record or field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
        fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
        fc.string({ maxLength: 200, unit: 'binary' }),
        fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
        async (id, otherId, secret, optionName) => {
          fc.pre(id !== otherId);
          const inner = new MemoryStore();
          const sealed = new SealedStore(inner, box);
          const client = { client_id: id, name: 'C', client_secret: secret };
          const written = await sealed.insert('clients', id, client);
          expect(written.value).toEqual(client);
          const raw = (await inner.get('clients', id))!.value as Record<string, unknown>;
          expect(raw['client_secret']).not.toBe(secret);
          expect(String(raw['client_secret'])).toMatch(/^enc:v1:k1:/);
          expect((await new SealedStore(inner, box).get('clients', id))?.value).toEqual(client);

          // The same ciphertext in another client's record does not open.
          await inner.insert('clients', otherId, { ...raw, client_id: otherId });
          const moved = await sealed.get('clients', otherId).then(
            () => 'opened',
            (error: unknown) => (error as SecretDecryptionError).reason,
          );
          expect(moved).toBe('tampered');

          // Connection options: any secret-named option, any value.
          const connection = {
            id,
            name: 'c',
            strategy: 'oidc',
            enabled_clients: [],
            options: { [`${optionName}_secret`]: secret, plain: secret },
          };
          await sealed.insert('connections', id, connection);
          const stored = (await inner.get('connections', id))!.value as {
            options: Record<string, unknown>;
          };
          expect(stored.options[`${optionName}_secret`]).toMatch(/^enc:v1:k1:/);
          expect(stored.options['plain']).toBe(secret);
          expect((await new SealedStore(inner, box).get('connections', id))?.value).toEqual(
            connection,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
