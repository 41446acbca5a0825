/**
 * `createAdminConsole`: the Dashboard of Auth0's "Clients" page as a handler. It serves one
 * page and its browser code; everything the page shows and changes goes through the
 * Management API with a token the browser obtains from the tenant's own `/authorize`
 * (authorization code + PKCE, as the console's first-party client).
 *
 * @module
 */
import { ADDON_NAMES } from '../../client/schema.js';
import { InvalidArgumentError } from '../../errors.js';
import type { Tenant } from '../../tenant.js';
import { loadAssets, type Asset } from './assets.js';
import { checkSettings, readCheckBody } from './check-settings.js';
import { ensureConsoleClient } from './console-client.js';
import { contentSecurityPolicy, renderPage, type ConsoleConfig } from './page.js';
import { CONSOLE_CSS } from './styles.js';

/** Options of {@link createAdminConsole}. */
export interface AdminConsoleOptions {
  /** Path the console is mounted at (default `/console`). */
  basePath?: string;
  /**
   * The console's public URL (default: `basePath` resolved against the tenant issuer).
   * Its callback (`{url}/callback`) is registered on the console client.
   */
  url?: string;
  /** Base URL of the Management API (default `{issuer}api/v2/`). */
  managementApi?: string;
  /** Name of the console's first-party client, created on first use (default "Admin Console"). */
  clientName?: string;
}

/** A Fetch API handler of the admin console. */
export type AdminConsoleHandler = (request: Request) => Promise<Response>;

/** Scopes the console asks for: what its screens read and change. */
const CONSOLE_SCOPES = [
  'openid',
  'read:clients',
  'create:clients',
  'update:clients',
  'delete:clients',
  'read:client_keys',
  'read:connections',
  'update:connections',
  'read:logs',
].join(' ');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
} as const;

/** Routes that answer with the page: the browser code draws the screen. */
const PAGE_ROUTE =
  /^(?:\/?|\/clients(?:\/[A-Za-z0-9_-]{1,64}(?:\/[a-z-]{1,20})?)?|\/logs|\/callback)$/;

/**
 * Creates the admin console: the Clients list with "Create Client", a client view with the
 * tabs Quick Start, Settings, Addons and Connections, the Danger Zone, and the Logs, as
 * web pages that call the Management API. Mount it next to {@link createManagementApi}
 * and the provider (its sign-in is the tenant's own login).
 *
 * The console's client (a first-party single-page application) is created on first use;
 * `POST {basePath}/check` validates and lints settings for the Settings form without
 * storing anything.
 *
 * @throws {@link InvalidArgumentError} for a malformed `basePath` or URL option.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { Tenant } from 'clientele';
 * import { createAdminConsole, toNodeListener } from 'clientele/http';
 *
 * const tenant = await Tenant.create({ domain: 'localhost:3000', issuer: 'http://localhost:3000/' });
 * const console_ = createAdminConsole(tenant);
 * createServer(toNodeListener(console_)).listen(3000);
 * ```
 */
export function createAdminConsole(
  tenant: Tenant,
  options: AdminConsoleOptions = {},
): AdminConsoleHandler {
  const basePath = readBasePath(options.basePath ?? '/console');
  const url = readUrl('/url', options.url ?? new URL(basePath, tenant.issuer).href).replace(
    /\/$/,
    '',
  );
  const managementApi = readUrl(
    '/managementApi',
    options.managementApi ?? new URL('api/v2/', tenant.issuer).href,
  );
  const clientName = options.clientName ?? 'Admin Console';
  let assets: Promise<ReadonlyMap<string, Asset>> | undefined;
  let config: Promise<ConsoleConfig> | undefined;

  const configOnce = (): Promise<ConsoleConfig> => {
    config ??= ensureConsoleClient(tenant, { name: clientName, url }).then(
      (clientId) => ({
        basePath,
        domain: tenant.domain,
        issuer: tenant.issuer,
        clientId,
        managementApi,
        audience: new URL('api/v2/', tenant.issuer).href,
        scope: CONSOLE_SCOPES,
        addons: ADDON_NAMES,
      }),
      (error: unknown) => {
        config = undefined;
        throw error;
      },
    );
    return config;
  };

  return async (request) => {
    const path = new URL(request.url).pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return notFound();
    const rest = path.slice(basePath.length);
    const method = request.method;

    if (rest === '/check') {
      if (method !== 'POST') return methodNotAllowed('POST');
      const body = await readCheckBody(request);
      return json(body.ok ? checkSettings(body.value) : body.error, body.ok ? 200 : 400);
    }
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed('GET, HEAD');
    if (rest.startsWith('/assets/')) {
      assets ??= loadAssets().then((loaded) =>
        new Map(loaded).set('console.css', {
          body: CONSOLE_CSS,
          contentType: 'text/css; charset=utf-8',
        }),
      );
      const asset = (await assets).get(rest.slice('/assets/'.length));
      if (asset === undefined) return notFound();
      return respond(method, asset.body, 200, {
        'content-type': asset.contentType,
        ...SECURITY_HEADERS,
        'cache-control': 'no-cache',
      });
    }
    if (!PAGE_ROUTE.test(rest)) return notFound();
    const pageConfig = await configOnce();
    if (!(await tenant.clients.find(pageConfig.clientId))) {
      // Someone deleted the console's client: make a new one.
      config = undefined;
    }
    const current = await configOnce();
    return respond(method, renderPage(current), 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(current),
      ...SECURITY_HEADERS,
    });
  };
}

function respond(
  method: string,
  body: string,
  status: number,
  headers: Record<string, string>,
): Response {
  return new Response(method === 'HEAD' ? null : body, { status, headers });
}

function json(value: unknown, status: number): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', ...SECURITY_HEADERS },
  });
}

function notFound(): Response {
  return json({ statusCode: 404, error: 'Not Found', message: 'no such console page' }, 404);
}

function methodNotAllowed(allow: string): Response {
  return new Response(null, { status: 405, headers: { allow, ...SECURITY_HEADERS } });
}

function readBasePath(value: unknown): string {
  if (typeof value !== 'string' || !/^(?:\/[A-Za-z0-9._~-]+)+$/.test(value)) {
    throw new InvalidArgumentError(
      '/basePath',
      'basePath must be a path such as /console (segments of letters, digits, ".", "_", "~", "-"; no trailing slash)',
    );
  }
  return value;
}

function readUrl(pointer: string, value: unknown): string {
  if (typeof value === 'string' && URL.canParse(value)) {
    const url = new URL(value);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '') {
      return url.href;
    }
  }
  throw new InvalidArgumentError(pointer, `${pointer.slice(1)} must be an absolute http(s) URL`);
}
