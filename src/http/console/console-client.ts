/**
 * The console's own client: a first-party single-page application that signs in with the
 * tenant's `/authorize` (code + PKCE) and calls the Management API. Created on first use
 * and found again by a marker in its `client_metadata`.
 *
 * @module
 * @internal
 */
import type { Tenant } from '../../tenant.js';

/** The `client_metadata` key that marks the console's client. */
export const CONSOLE_MARKER = 'clientele_console';

/**
 * Returns the id of the console's client, creating it when the tenant has none. Its
 * callback, logout URL and web origin follow the console's public URL.
 */
export async function ensureConsoleClient(
  tenant: Tenant,
  options: { name: string; url: string },
): Promise<string> {
  const callback = `${options.url}/callback`;
  const origin = new URL(options.url).origin;
  for (let page = 0; ; page += 1) {
    const { clients, total } = await tenant.clients.list({ page, perPage: 100 });
    const found = clients.find((client) => client.client_metadata?.[CONSOLE_MARKER] === 'true');
    if (found) {
      if (!found.callbacks?.includes(callback)) {
        await tenant.clients.update(found.client_id, {
          callbacks: [...(found.callbacks ?? []), callback],
        });
      }
      return found.client_id;
    }
    if ((page + 1) * 100 >= total) break;
  }
  const created = await tenant.clients.create({
    name: options.name,
    app_type: 'spa',
    description: 'The admin console of this tenant (clientele).',
    callbacks: [callback],
    allowed_logout_urls: [`${options.url}/`],
    web_origins: [origin],
    allowed_origins: [origin],
    grant_types: ['authorization_code', 'refresh_token'],
    is_first_party: true,
    client_metadata: { [CONSOLE_MARKER]: 'true' },
  });
  return created.client_id;
}

/** True when `clientId` names the console's client (found by its marker). */
export async function isConsoleClient(tenant: Tenant, clientId: unknown): Promise<boolean> {
  if (typeof clientId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(clientId)) return false;
  const client = await tenant.clients.find(clientId);
  return client?.client_metadata?.[CONSOLE_MARKER] === 'true';
}
