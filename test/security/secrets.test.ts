/**
 * Secrets never leave through an output channel: a whole tenant's life (clients,
 * rotations, registrations, keys, failures) is run, everything the library emitted or
 * threw is serialised every way a program could log it, and every secret created along
 * the way is searched for.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FileStore,
  Tenant,
  generateSigningKey,
  memorySink,
  ndjsonFileSink,
  type AuditEvent,
} from '../../src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'clientele-secrets-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every way a program might print or log a value. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 20, showHidden: false }), String(value)];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: inspect above still covers it
  }
  if (value instanceof Error)
    out.push(value.message, value.stack ?? '', JSON.stringify({ ...value }));
  return out;
}

describe('secrets never appear in output', () => {
  it('hides client secrets, registration tokens and private keys everywhere', async () => {
    const ndjson = join(dir, 'audit.ndjson');
    const sink = memorySink();
    const events: AuditEvent[] = [];
    const seen: unknown[] = [];
    const keyRecord = await generateSigningKey('RS256');
    const tenant = await Tenant.create({
      domain: 'acme.example.com',
      store: new FileStore(join(dir, 'tenant.json')),
      auditSinks: [sink, ndjsonFileSink(ndjson)],
      dynamicRegistration: { enabled: true, initialAccessToken: 'initial-access-token-0123456789' },
      signingKeys: { algorithm: 'RS256' },
    });
    tenant.audit.on('event', (event) => events.push(event));
    /** Runs an operation and keeps what it threw; results that are meant to carry a secret (a registration read, a token) are not output channels. */
    const attempt = async (operation: () => Promise<unknown>) => {
      try {
        await operation();
      } catch (error) {
        seen.push(error);
      }
    };

    const secrets: string[] = ['initial-access-token-0123456789'];
    const web = await tenant.clients.create({
      name: 'Web',
      app_type: 'regular_web',
      jwt_configuration: { alg: 'HS256' },
    });
    secrets.push(web.client_secret!);
    seen.push(web, await tenant.clients.list());
    const rotated = await tenant.clients.rotateSecret(web.client_id);
    secrets.push(rotated.client_secret!);
    seen.push(rotated);

    const registered = await tenant.registration.register(
      { client_name: 'Third party', redirect_uris: ['https://tp.example.com/cb'] },
      { initialAccessToken: 'initial-access-token-0123456789' },
    );
    secrets.push(registered.client_secret!, registered.registration_access_token);
    seen.push(registered.client_id);

    await tenant.apis.create({
      identifier: 'https://api.example.com',
      name: 'API',
      scopes: [{ value: 'read' }],
    });
    const worker = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
    secrets.push(worker.client_secret!);

    // A rotation with an overlap: the previous secret keeps working and stays secret.
    const overlapping = await tenant.clients.create({ name: 'Fleet', app_type: 'non_interactive' });
    const previous = overlapping.client_secret!;
    const current = await tenant.clients.rotateSecret(overlapping.client_id, {
      previousSecretValidFor: 600,
    });
    secrets.push(previous, current.client_secret!);
    seen.push(current, await tenant.clients.get(overlapping.client_id));
    seen.push(
      await tenant.authenticateClient({
        body: { client_id: overlapping.client_id, client_secret: previous },
      }),
    );
    await attempt(() =>
      tenant.authenticateClient({
        body: { client_id: overlapping.client_id, client_secret: `${previous}x` },
      }),
    );
    await attempt(() =>
      tenant.clients.update(overlapping.client_id, { client_secret: previous } as never),
    );

    // Credentials: listed and answered without key material; private keys refused unechoed.
    const keyPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateJwk = keyPair.privateKey.export({ format: 'jwk' });
    const credential = await tenant.clients.addCredential(worker.client_id, {
      credential_type: 'public_key',
      pem: keyPair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      alg: 'RS256',
    });
    seen.push(credential, await tenant.clients.credentials(worker.client_id));
    const privatePem = keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await attempt(() =>
      tenant.clients.addCredential(worker.client_id, {
        credential_type: 'public_key',
        pem: privatePem,
        alg: 'RS256',
      }),
    );
    await attempt(() =>
      tenant.clients.addCredential(worker.client_id, {
        credential_type: 'public_key',
        jwk: privateJwk as never,
        alg: 'RS256',
      }),
    );
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
      secrets.push(String(privateJwk[member]));
    }
    secrets.push(privatePem.split('\n')[1]!);
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: 'https://api.example.com',
      scope: ['read'],
    });
    await tenant.connections.create({
      name: 'google',
      strategy: 'google-oauth2',
      enabled_clients: [web.client_id],
      options: { client_id: 'google-id', client_secret: 'google-connection-secret-value' },
    });
    secrets.push('google-connection-secret-value');
    seen.push(await tenant.connections.list());

    // Log stream sink secrets: write-only, whatever is done with the stream.
    const stream = await tenant.logStreams.create({
      name: 'SIEM',
      type: 'http',
      status: 'paused',
      sink: {
        httpEndpoint: 'https://siem.example.com/',
        httpAuthorization: 'Bearer log-stream-secret-1',
      },
    });
    await tenant.logStreams.update(stream.id, {
      sink: { httpAuthorization: 'Bearer log-stream-secret-2' },
    });
    await tenant.logStreams.create({
      name: 'DD',
      type: 'datadog',
      status: 'paused',
      sink: { datadogRegion: 'eu', datadogApiKey: 'datadog-api-key-secret' },
    });
    await attempt(() =>
      tenant.logStreams.create({
        type: 'splunk',
        sink: {
          splunkDomain: 'bad domain',
          splunkPort: '1',
          splunkToken: 'splunk-token-secret-x',
          splunkSecure: 1,
        },
      } as never),
    );
    secrets.push(
      'Bearer log-stream-secret-1',
      'Bearer log-stream-secret-2',
      'datadog-api-key-secret',
      'splunk-token-secret-x',
    );
    seen.push(stream, await tenant.logStreams.list(), tenant.logStreams.health());

    // Failures of every kind, some carrying secrets in their input.
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    await attempt(() =>
      tenant.authenticateClient({
        body: { client_id: web.client_id, client_secret: web.client_secret },
      }),
    );
    await attempt(() =>
      tenant.authenticateClient({
        authorization: basic(worker.client_id, `${worker.client_secret}x`),
        body: {},
      }),
    );
    await attempt(() =>
      tenant.authenticateClient({
        body: { client_id: worker.client_id, client_secret: worker.client_secret },
      }),
    );
    await attempt(() =>
      tenant.clients.update(web.client_id, { client_secret: rotated.client_secret } as never),
    );
    await attempt(() =>
      tenant.clients.create({
        name: 'Bad',
        app_type: 'spa',
        client_secret: worker.client_secret,
        callbacks: 42,
      } as never),
    );
    await attempt(() =>
      tenant.registration.read(registered.client_id, `${registered.registration_access_token}x`),
    );
    await attempt(() =>
      tenant.registration.read(registered.client_id, registered.registration_access_token),
    );
    await attempt(() =>
      tenant.registration.register(
        { redirect_uris: ['https://x'] },
        { initialAccessToken: 'wrong-token-wrong-token' },
      ),
    );
    await attempt(() => tenant.issueIdToken(web.client_id, { sub: 'u1' }));
    await attempt(() =>
      tenant.issueAccessToken(worker.client_id, { audience: 'https://api.example.com' }),
    );
    await attempt(() =>
      Tenant.create({ domain: 'acme.example.com', signingKeys: [{ ...keyRecord, kid: 'forged' }] }),
    );
    await attempt(() => tenant.rotateSigningKeys());
    seen.push(await tenant.jwks());

    // Private key material of the stored ring and of the given record.
    const ring = (await tenant.store.get<{ keys: { privateJwk: Record<string, string> }[] }>(
      'keys',
      'signing',
    ))!.value;
    for (const key of [...ring.keys, keyRecord]) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
        const value = (key.privateJwk as unknown as Record<string, string | undefined>)[member];
        if (value) secrets.push(value);
      }
    }

    await tenant.close();
    const outputs = [
      ...seen.flatMap(renderings),
      ...events.flatMap(renderings),
      ...sink.events.flatMap(renderings),
      await readFile(ndjson, 'utf8'),
    ];
    expect(sink.events.length).toBeGreaterThan(15);
    expect(seen.filter((value) => value instanceof Error)).toHaveLength(12);
    expect(secrets.every((secret) => typeof secret === 'string' && secret.length >= 16)).toBe(true);
    for (const secret of secrets) {
      for (const output of outputs) {
        if (output.includes(secret)) {
          throw new Error(
            `a secret (${secret.slice(0, 4)}…) appeared in: ${output.slice(Math.max(0, output.indexOf(secret) - 400), output.indexOf(secret) + 100)}`,
          );
        }
      }
    }
  });
});
