/**
 * What the framework tests share: a tenant with its Management API and provider, a
 * Management API token, and a machine client with a grant for an API of the tenant.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { MemoryStore, Tenant } from 'clientele';
import {
  createManagementApi,
  createProvider,
  ensureManagementApi,
  managementAudience,
  type Handler,
} from 'clientele/http';

/** The tenant, its handlers, and credentials to call them. */
export interface FrameworkFixture {
  readonly tenant: Tenant;
  readonly management: Handler;
  readonly provider: Handler;
  /** A Management API token with read:clients and create:clients. */
  readonly token: string;
  /** A client_credentials client with a grant for `audience`. */
  readonly machine: { client_id: string; client_secret: string };
  readonly audience: string;
}

export async function frameworkFixture(): Promise<FrameworkFixture> {
  const tenant = await Tenant.create({ domain: 'id.example.com', store: new MemoryStore() });
  await ensureManagementApi(tenant);
  const admin = await tenant.clients.create({
    name: 'Admin',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  await tenant.apis.grant({
    client_id: admin.client_id,
    audience: managementAudience(tenant),
    scope: ['read:clients', 'create:clients'],
  });
  const { access_token: token } = await tenant.issueAccessToken(admin.client_id, {
    audience: managementAudience(tenant),
  });
  const audience = 'https://api.example.com/';
  await tenant.apis.create({ identifier: audience, name: 'API', scopes: [{ value: 'read' }] });
  const machine = await tenant.clients.create({
    name: 'Machine',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
  });
  await tenant.apis.grant({ client_id: machine.client_id, audience, scope: ['read'] });
  return {
    tenant,
    management: createManagementApi(tenant),
    provider: createProvider(tenant),
    token,
    machine: { client_id: machine.client_id, client_secret: machine.client_secret ?? '' },
    audience,
  };
}

/** Listens on 127.0.0.1 at a free port; resolves to the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server and its idle keep-alive connections. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A client_credentials token request body, as a form. */
export function tokenForm(fixture: FrameworkFixture, extra = ''): string {
  const { client_id, client_secret } = fixture.machine;
  return `grant_type=client_credentials&client_id=${client_id}&client_secret=${encodeURIComponent(client_secret)}&audience=${encodeURIComponent(fixture.audience)}${extra}`;
}

/** `fetch` that gives up after 5 s, so a hang fails the test instead of timing it out. */
export function call(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
}
