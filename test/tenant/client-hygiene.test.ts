import { describe, expect, it } from 'vitest';
import { createProvider } from '../../src/http/index.js';
import { memorySink, Tenant } from '../../src/index.js';

const DOC = 'https://agent.example.com/client.json';
const documents = (() =>
  Promise.resolve(
    new Response(
      JSON.stringify({ client_id: DOC, redirect_uris: ['https://agent.example.com/cb'] }),
      {
        headers: { 'content-type': 'application/json' },
      },
    ),
  )) as typeof fetch;

async function tenantAt(options: { unused?: number } = {}) {
  let now = Date.parse('2026-03-01T00:00:00Z');
  const sink = memorySink();
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    now: () => now,
    auditSinks: [sink],
    dynamicRegistration: { enabled: true },
    clientIdMetadataDocuments: { enabled: true, fetch: documents },
    ...(options.unused === undefined ? {} : { deleteUnusedRegisteredClientsAfter: options.unused }),
  });
  return { tenant, sink, advance: (seconds: number) => (now += seconds * 1000) };
}

const register = (tenant: Tenant, name: string) =>
  tenant.registration.register({
    client_name: name,
    redirect_uris: ['https://app.example.com/cb'],
  });

describe('registration hygiene: deleteUnusedRegisteredClientsAfter', () => {
  it('deletes DCR and dynamic-CIMD clients unused for the configured time, and keeps the rest', async () => {
    const { tenant, sink, advance } = await tenantAt({ unused: 3_600 });
    const idle = await register(tenant, 'Idle');
    const busy = await register(tenant, 'Busy');
    const cimd = await tenant.clientIdMetadataDocuments.resolve(DOC);
    const own = await tenant.clients.create({
      name: 'Own',
      app_type: 'spa',
      callbacks: ['https://own.example.com/cb'],
    });
    advance(3_000);
    await tenant.clientHygiene.noteUse(await tenant.clients.get(busy.client_id));
    advance(700);
    const swept = await tenant.clientHygiene.sweep();
    expect([...swept.deleted].sort()).toEqual([idle.client_id, cimd?.client_id].sort());
    expect(await tenant.clients.find(idle.client_id)).toBeUndefined();
    expect(await tenant.clients.find(busy.client_id)).toBeDefined();
    expect(await tenant.clients.find(own.client_id)).toBeDefined();
    expect(await tenant.clientIdMetadataDocuments.find(DOC)).toBeUndefined();
    // The next use of the URL makes a new client from its document.
    expect((await tenant.clientIdMetadataDocuments.resolve(DOC))?.client_id).not.toBe(
      cimd?.client_id,
    );
    await tenant.audit.flush();
    expect(sink.events).toContainEqual(
      expect.objectContaining({
        type: 'sapi',
        details: expect.objectContaining({ operation: 'sweep_unused_clients', deleted: 2 }),
      }),
    );
    await tenant.close();
  });

  it('never sweeps a CIMD client an administrator registered, nor anything without the option', async () => {
    const { tenant, advance } = await tenantAt({ unused: 3_600 });
    const registered = await tenant.clientIdMetadataDocuments.register(DOC);
    advance(10 * 86_400);
    expect((await tenant.clientHygiene.sweep()).deleted).toEqual([]);
    expect(await tenant.clients.find(registered.client_id)).toBeDefined();
    const off = await tenantAt();
    const dcr = await register(off.tenant, 'Kept');
    off.advance(365 * 86_400);
    expect((await off.tenant.clientHygiene.sweep()).deleted).toEqual([]);
    expect(await off.tenant.clients.find(dcr.client_id)).toBeDefined();
    await tenant.close();
    await off.tenant.close();
  });

  it('deletes at most 100 clients per sweep', async () => {
    const { tenant, advance } = await tenantAt({ unused: 3_600 });
    for (let index = 0; index < 103; index++) await register(tenant, `One-off ${index}`);
    advance(7_200);
    expect((await tenant.clientHygiene.sweep()).deleted).toHaveLength(100);
    expect((await tenant.clientHygiene.sweep()).deleted).toHaveLength(3);
    expect((await tenant.clients.list()).total).toBe(0);
    await tenant.close();
  });

  it('refuses a time under an hour', async () => {
    await expect(
      Tenant.create({ domain: 'id.example.com', deleteUnusedRegisteredClientsAfter: 60 }),
    ).rejects.toThrow(/deleteUnusedRegisteredClientsAfter/);
  });

  it('records a use when the provider authenticates the client, so a used client is kept', async () => {
    const { tenant, advance } = await tenantAt({ unused: 3_600 });
    const robot = await tenant.registration.register({
      client_name: 'Robot',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    const provider = createProvider(tenant);
    advance(3_000);
    const response = await provider(
      new Request('https://id.example.com/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: robot.client_id,
          client_secret: robot.client_secret ?? '',
          audience: 'https://api.example.com/',
        }),
      }),
    );
    expect(response.status).toBe(400); // authenticated, but no such API: still a use
    expect(await tenant.store.get('client_usage', robot.client_id)).toBeDefined();
    advance(3_000);
    expect((await tenant.clientHygiene.sweep()).deleted).toEqual([]);
    await tenant.close();
  });
});
