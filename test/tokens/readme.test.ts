/**
 * The README's "Signed JWTs" example, run as it is written (imports from the package
 * entry), so what it shows stays true.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { expect, it } from 'vitest';
import { InvalidClientError, JWT_BEARER_ASSERTION_TYPE, Tenant } from '../../src/index.js';

it('README: private_key_jwt with a credential, and a rotation with an overlap', async () => {
  const tenant = await Tenant.create({ domain: 'id.example.com' });
  const worker = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credential = await tenant.clients.addCredential(worker.client_id, {
    credential_type: 'public_key',
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    alg: 'ES256',
    name: 'worker 2026',
    expires_at: '2031-01-01T00:00:00Z',
  });
  await tenant.clients.update(worker.client_id, {
    client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id }] } },
  });
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: credential.kid })
    .setIssuer(worker.client_id)
    .setSubject(worker.client_id)
    .setAudience('https://id.example.com/')
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(privateKey);
  const body = { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion };
  const client = await tenant.authenticateClient({ body });
  expect(client.client_id).toBe(worker.client_id);
  await expect(tenant.authenticateClient({ body })).rejects.toBeInstanceOf(InvalidClientError);

  const machine = await tenant.clients.create({ name: 'Billing', app_type: 'non_interactive' });
  const rotated = await tenant.clients.rotateSecret(machine.client_id, {
    previousSecretValidFor: 3600,
  });
  for (const secret of [machine.client_secret, rotated.client_secret]) {
    await expect(
      tenant.authenticateClient({
        body: { client_id: machine.client_id, client_secret: secret },
      }),
    ).resolves.toMatchObject({ client_id: machine.client_id });
  }
  await tenant.close();
});
