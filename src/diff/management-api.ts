/**
 * `readManagementApiTenant`: a live tenant's clients, APIs, client grants and connections
 * read through its Management API (Auth0's, or clientele's own `createManagementApi`), as
 * the Deploy CLI reads them before it deploys, so the result diffs against an export.
 *
 * @module
 */
import type { JsonObject } from '../client/settings.js';
import { InvalidArgumentError, TenantReadError } from '../errors.js';
import { requestJson, type RequestSettings } from './management-request.js';

/** Options of {@link readManagementApiTenant}. */
export interface ManagementApiOptions {
  /**
   * The Management API's base URL, as the Deploy CLI's `AUTH0_DOMAIN` names it with the
   * path: `https://TENANT.eu.auth0.com/api/v2/`. HTTPS (plain HTTP only on a loopback host).
   */
  url: string;
  /** An access token for the Management API (with the `read:` scopes below). */
  token?: string | undefined;
  /** A client of the tenant allowed to get such a token by client credentials. */
  clientId?: string | undefined;
  /** That client's secret. */
  clientSecret?: string | undefined;
  /** The token endpoint; defaults to `/oauth/token` on the URL's origin. */
  tokenUrl?: string | undefined;
  /** Milliseconds one request may take (default 30,000). */
  timeoutMs?: number;
  /** Retries of a request the API rate-limits with 429 (default 3), each after the wait it asks for (at most 10 s). */
  maxRetries?: number;
  /** Items asked for per page (default and most: 100, Auth0's largest page). */
  pageSize?: number;
  /** The `fetch` to use (default: the global one), e.g. one with a proxy or a CA of its own. */
  fetch?: typeof fetch;
}

/**
 * A tenant as read from its Management API, in the Deploy CLI's shape: what
 * {@link diffTenants} takes as one side, and what a Management API dump file holds.
 */
export interface ManagementApiTenant {
  /** Every client but Auth0's global one (`GET /clients?is_global=false`). */
  clients: JsonObject[];
  /** Every API (`GET /resource-servers`), Auth0's system APIs included (a diff leaves them out). */
  resourceServers: JsonObject[];
  /**
   * Every client grant (`GET /client-grants`), but those of the client whose credentials
   * read them: the Deploy CLI never exports or deploys the grants of its own client.
   */
  clientGrants: JsonObject[];
  /** Every connection (`GET /connections`), `enabled_clients` from `GET /connections/{id}/clients`. */
  connections: JsonObject[];
}

/** Most pages read from one list: a guard against an API that never says "last page". */
const MAX_PAGES = 10_000;

/**
 * Reads a live tenant through its Management API: clients, resource servers, client
 * grants and connections with their enabled clients, every page of each. The token is
 * `token`, or one obtained with `clientId` and `clientSecret` (client credentials, for the
 * audience `url`). Needs the scopes `read:clients`, `read:resource_servers`,
 * `read:client_grants` and `read:connections`.
 *
 * @param options - where the Management API is and how to authenticate
 * @returns the tenant, in the Deploy CLI's shape
 * @throws {@link InvalidArgumentError} when the options are incomplete or the URL is not HTTPS
 * @throws {@link TenantReadError} when a request fails (its `status` is the HTTP status)
 * @example
 * ```ts
 * const live = await readManagementApiTenant({
 *   url: 'https://acme.eu.auth0.com/api/v2/',
 *   clientId: process.env.AUTH0_CLIENT_ID,
 *   clientSecret: process.env.AUTH0_CLIENT_SECRET,
 * });
 * const drift = await diffTenants('tenant.yaml', live);
 * ```
 * @see https://auth0.com/docs/api/management/v2
 */
export async function readManagementApiTenant(
  options: ManagementApiOptions,
): Promise<ManagementApiTenant> {
  const { base, settings, clientId, pageSize } = checkOptions(options);
  const token = options.token ?? (await clientCredentialsToken(options, base, settings));
  const headers = { authorization: `Bearer ${token}` };
  const get: Get = (path, query) => {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return requestJson({ method: 'GET', url, label: `GET /${path}`, headers }, settings);
  };
  const lists: Lists = { get, source: settings.source, pageSize };

  const clients = (await offsetPages(lists, 'clients', 'clients', { is_global: 'false' })).filter(
    (client) => client['global'] !== true,
  );
  const resourceServers = await offsetPages(lists, 'resource-servers', 'resource_servers', {});
  const clientGrants = (await checkpointPages(lists, 'client-grants', 'client_grants')).filter(
    (grant) => clientId === undefined || grant['client_id'] !== clientId,
  );
  const connections: JsonObject[] = [];
  for (const connection of await checkpointPages(lists, 'connections', 'connections')) {
    const id = connection['id'];
    if (typeof id !== 'string') {
      throw new TenantReadError(settings.source, 'GET /connections: a connection has no id');
    }
    const path = `connections/${encodeURIComponent(id)}/clients`;
    const enabled = await checkpointPages(lists, path, 'clients');
    connections.push({
      ...connection,
      enabled_clients: enabled
        .map((client) => client['client_id'])
        .filter((value): value is string => typeof value === 'string'),
    });
  }
  return { clients, resourceServers, clientGrants, connections };
}

type Get = (path: string, query: Record<string, string>) => Promise<unknown>;

/** How lists are read: the request function, the source for errors, the page size. */
interface Lists {
  readonly get: Get;
  readonly source: string;
  readonly pageSize: number;
}

/** Every item of a list read with `page`/`per_page`/`include_totals`. */
async function offsetPages(
  { get, source, pageSize }: Lists,
  path: string,
  key: string,
  query: Record<string, string>,
): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await get(path, {
      ...query,
      page: String(page),
      per_page: String(pageSize),
      include_totals: 'true',
    });
    const { list, total } = pageOf(body, key, path, source);
    items.push(...list);
    if (list.length < pageSize || (total !== undefined && items.length >= total)) return items;
  }
  return items;
}

/** Every item of a list read with checkpoints (`take`, then `from` = the page's `next`). */
async function checkpointPages(
  { get, source, pageSize }: Lists,
  path: string,
  key: string,
): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  let from: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await get(path, {
      take: String(pageSize),
      ...(from === undefined ? {} : { from }),
    });
    const { list, next } = pageOf(body, key, path, source);
    items.push(...list);
    if (next === undefined || list.length === 0) return items;
    from = next;
  }
  return items;
}

/** A page's items (a bare array is a page too), its `total` and its `next` checkpoint. */
function pageOf(
  body: unknown,
  key: string,
  path: string,
  source: string,
): { list: JsonObject[]; total?: number; next?: string } {
  const record = isRecord(body) ? body : undefined;
  const list = Array.isArray(body) ? body : record?.[key];
  if (!Array.isArray(list) || !list.every(isRecord)) {
    throw new TenantReadError(source, `GET /${path}: the response has no "${key}" list`);
  }
  const total = record?.['total'];
  const next = record?.['next'];
  return {
    list: list as JsonObject[],
    ...(typeof total === 'number' ? { total } : {}),
    ...(typeof next === 'string' && next !== '' ? { next } : {}),
  };
}

async function clientCredentialsToken(
  options: ManagementApiOptions,
  base: URL,
  settings: RequestSettings,
): Promise<string> {
  const url =
    options.tokenUrl === undefined ? new URL('/oauth/token', base) : new URL(options.tokenUrl);
  const body = await requestJson(
    {
      method: 'POST',
      url,
      label: `POST ${url.pathname} (client credentials)`,
      headers: {},
      form: {
        grant_type: 'client_credentials',
        client_id: options.clientId ?? '',
        client_secret: options.clientSecret ?? '',
        audience: base.href,
      },
    },
    settings,
  );
  const token = isRecord(body) ? body['access_token'] : undefined;
  if (typeof token !== 'string' || token === '') {
    throw new TenantReadError(
      settings.source,
      `POST ${url.pathname}: the response has no access_token`,
    );
  }
  return token;
}

/** The checked options: the base URL (with a trailing slash) and the request settings. */
function checkOptions(options: ManagementApiOptions): {
  base: URL;
  settings: RequestSettings;
  clientId: string | undefined;
  pageSize: number;
} {
  if (!isRecord(options)) throw new InvalidArgumentError('', 'options must be an object');
  const base = secureUrl(options.url, '/url');
  if (options.tokenUrl !== undefined) secureUrl(options.tokenUrl, '/tokenUrl');
  const given = (value: unknown) => value !== undefined;
  if (given(options.token)) {
    if (typeof options.token !== 'string' || options.token.trim() === '') {
      throw new InvalidArgumentError('/token', 'token must be a non-empty string');
    }
    if (given(options.clientSecret)) {
      throw new InvalidArgumentError(
        '/clientSecret',
        'give either token or clientId and clientSecret, not both',
      );
    }
  } else {
    for (const field of ['clientId', 'clientSecret'] as const) {
      const value = options[field];
      if (typeof value !== 'string' || value === '') {
        throw new InvalidArgumentError(
          `/${field}`,
          `${field} is required without a token (a client allowed to get a Management API token)`,
        );
      }
    }
  }
  const number = (value: unknown, field: string, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `/${field}`,
        `${field} must be an integer from ${min} to ${max}`,
      );
    }
    return value;
  };
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new InvalidArgumentError('/fetch', 'fetch must be a function');
  }
  return {
    base,
    clientId: options.clientId,
    pageSize: number(options.pageSize, 'pageSize', 100, 1, 100),
    settings: {
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: number(options.timeoutMs, 'timeoutMs', 30_000, 1, 600_000),
      maxRetries: number(options.maxRetries, 'maxRetries', 3, 0, 10),
      maxWaitMs: 10_000,
      source: base.href,
    },
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `value` as an https URL (http on loopback), without credentials, query or fragment. */
function secureUrl(value: unknown, path: string): URL {
  const field = path.slice(1);
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new InvalidArgumentError(
      path,
      `${field} must be an absolute URL (https://TENANT/api/v2/)`,
    );
  }
  const url = new URL(value);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new InvalidArgumentError(
      path,
      `${field} must use https (plain http only on a loopback host)`,
    );
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new InvalidArgumentError(
      path,
      `${field} must not carry credentials, a query or a fragment`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
