// @ts-check
/**
 * A service guard: the checks a Node service makes on every login and logout request,
 * with clients loaded from a tenant file. Run it with
 *
 *   npm run build && node examples/service-guard.js
 *
 * It prints each decision. `guard(tenant, request)` is what you would call from your
 * HTTP framework's handler.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { Tenant } from 'clientele';

/**
 * @typedef {object} GuardRequest
 * @property {'login' | 'logout' | 'cors'} kind
 * @property {string} clientId
 * @property {string} url the redirect_uri, the returnTo, or the Origin header
 */

/**
 * Decides one request. Never throws: an unknown client or a malformed URL is a refusal.
 *
 * @param {Tenant} tenant
 * @param {GuardRequest} request
 * @returns {Promise<{ allowed: boolean, reason: string }>}
 */
export async function guard(tenant, request) {
  const client = await tenant.clients.find(request.clientId).catch(() => undefined);
  if (!client) return { allowed: false, reason: 'unknown client' };
  switch (request.kind) {
    case 'login':
      return client.allowsCallback(request.url)
        ? { allowed: true, reason: 'registered callback' }
        : { allowed: false, reason: 'redirect_uri is not a registered callback' };
    case 'logout':
      return client.allowsLogoutUrl(request.url)
        ? { allowed: true, reason: 'allowed logout URL' }
        : { allowed: false, reason: 'returnTo is not an allowed logout URL' };
    case 'cors':
      return client.allowsOrigin(request.url)
        ? { allowed: true, reason: 'allowed origin' }
        : { allowed: false, reason: 'origin is not allowed' };
  }
}

/**
 * Loads the clients of a Deploy CLI `tenant.yaml` into an in-memory tenant, keeping a map
 * from client name to the id the tenant assigned.
 *
 * @param {string} path
 * @returns {Promise<{ tenant: Tenant, ids: Map<string, string> }>}
 */
export async function loadTenant(path) {
  const document = /** @type {{ clients?: Record<string, unknown>[] }} */ (
    load(await readFile(path, 'utf8'))
  );
  const tenant = await Tenant.create({ domain: 'guard.example.com' });
  /** @type {Map<string, string>} */
  const ids = new Map();
  for (const settings of document.clients ?? []) {
    const client = await tenant.clients.create(/** @type {never} */ (settings));
    ids.set(client.name, client.client_id);
  }
  return { tenant, ids };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { tenant, ids } = await loadTenant(new URL('./tenant.yaml', import.meta.url).pathname);
  const storefront = ids.get('Acme Storefront') ?? '';
  /** @type {GuardRequest[]} */
  const requests = [
    { kind: 'login', clientId: storefront, url: 'https://shop.acme-shop.com/callback' },
    { kind: 'login', clientId: storefront, url: 'https://pr-7.preview.acme-shop.com/callback' },
    { kind: 'login', clientId: storefront, url: 'https://shop.acme-shop.com/callback#token' },
    { kind: 'login', clientId: storefront, url: 'https://shop.acme-shop.com.evil.com/callback' },
    { kind: 'logout', clientId: storefront, url: 'https://shop.acme-shop.com/?lang=en' },
    { kind: 'cors', clientId: storefront, url: 'https://shop.acme-shop.com' },
    { kind: 'cors', clientId: storefront, url: 'https://evil.example' },
    { kind: 'login', clientId: 'no-such-client', url: 'https://shop.acme-shop.com/callback' },
  ];
  for (const request of requests) {
    const { allowed, reason } = await guard(tenant, request);
    console.log(
      `${allowed ? 'allow' : 'deny '}  ${request.kind.padEnd(6)} ${request.url}  (${reason})`,
    );
  }
  await tenant.close();
}
