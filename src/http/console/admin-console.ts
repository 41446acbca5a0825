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
import { readJsonObject } from '../body.js';
import { HttpError } from '../errors.js';
import type { Handler } from '../handler.js';
import { BASE_HEADERS, emptyResponse, jsonResponse } from '../responses.js';
import { createRouter, type RouteHandler } from '../router.js';
import { loadAssets, type Asset } from './assets.js';
import { checkSettings } from './check-settings.js';
import { ensureManagementApi } from '../management/scopes.js';
import { ensureConsoleClient, isConsoleClient } from './console-client.js';
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

/** The admin console handler, which knows its own client. */
export interface AdminConsole extends Handler {
  /**
   * True when `clientId` is the console's own first-party client (never creates it). An
   * embedding server uses it to recognise the console's sign-ins: its login can ask for an
   * administrator, and `createManagementApi`'s `acceptUserToken` can admit user tokens
   * whose `azp` is the console's client only.
   */
  isConsoleClient(clientId: unknown): Promise<boolean>;
}

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

/** The client view's tabs, as path segments (`/clients/{id}/settings`). */
const TABS: ReadonlySet<string> = new Set(['quickstart', 'settings', 'addons', 'connections']);

const PAGE_HEADERS = {
  ...BASE_HEADERS,
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
} as const;

/** Largest settings body `/check` reads: a client with every list full is far below it. */
const CHECK_BODY_LIMIT = 256 * 1024;

/**
 * Creates the admin console: the Clients list with "Create Client", a client view with the
 * tabs Quick Start, Settings, Addons and Connections, the Danger Zone, and the Logs, as
 * web pages that call the Management API. Mount it next to the Management API and the
 * provider (its sign-in is the tenant's own `/authorize`).
 *
 * The console's client (a first-party single-page application) is created on first use;
 * `POST {basePath}/check` validates and lints settings for the Settings form without
 * storing anything.
 *
 * @throws `InvalidArgumentError` for a malformed `basePath` or URL option.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { Tenant } from 'clientele';
 * import { createAdminConsole, toNodeListener } from 'clientele/http';
 *
 * const tenant = await Tenant.create({ domain: '127.0.0.1:3000', issuer: 'http://127.0.0.1:3000/' });
 * createServer(toNodeListener(createAdminConsole(tenant))).listen(3000);
 * ```
 */
export function createAdminConsole(
  tenant: Tenant,
  options: AdminConsoleOptions = {},
): AdminConsole {
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

  const currentConfig = async (): Promise<ConsoleConfig> => {
    const known = await config;
    // Someone may have deleted the console's client: then make a new one.
    if (known && (await tenant.clients.find(known.clientId))) return known;
    // The console signs in for the Management API's audience: that API must exist first.
    config = ensureManagementApi(tenant)
      .then(() => ensureConsoleClient(tenant, { name: clientName, url }))
      .then(
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

  const page: RouteHandler = async () => {
    const current = await currentConfig();
    return new Response(renderPage(current), {
      headers: {
        ...PAGE_HEADERS,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': contentSecurityPolicy(current),
      },
    });
  };

  const asset: RouteHandler = async (_request, { params }) => {
    assets ??= loadAssets().then((loaded) =>
      new Map(loaded).set('console.css', {
        body: CONSOLE_CSS,
        contentType: 'text/css; charset=utf-8',
      }),
    );
    const found = (await assets).get(params.name ?? '');
    if (!found) throw notFound();
    return new Response(found.body, {
      headers: { ...PAGE_HEADERS, 'Content-Type': found.contentType, 'Cache-Control': 'no-cache' },
    });
  };

  const router = createRouter(
    [
      { method: 'GET', path: '/', handler: page },
      { method: 'GET', path: '/clients', handler: page },
      { method: 'GET', path: '/clients/:id', handler: page },
      {
        method: 'GET',
        path: '/clients/:id/:tab',
        handler: (request, context) =>
          TABS.has(context.params.tab ?? '') ? page(request, context) : Promise.reject(notFound()),
      },
      { method: 'GET', path: '/logs', handler: page },
      { method: 'GET', path: '/callback', handler: page },
      { method: 'GET', path: '/assets/:name', handler: asset },
      {
        method: 'POST',
        path: '/check',
        handler: async (request) => {
          const body = await readJsonObject(request, { limit: CHECK_BODY_LIMIT });
          if (!('settings' in body)) {
            throw new HttpError({
              status: 400,
              code: 'invalid_body',
              message: 'the body must be an object with "settings"',
            });
          }
          return jsonResponse(200, checkSettings(body.settings));
        },
      },
    ],
    { prefix: basePath },
  );

  const handler = ((request: Request) => {
    const { pathname } = new URL(request.url);
    if (pathname === basePath) {
      return Promise.resolve(emptyResponse(308, { Location: `${basePath}/` }));
    }
    return router(request);
  }) as AdminConsole;
  handler.isConsoleClient = (clientId) => isConsoleClient(tenant, clientId);
  return handler;
}

function notFound(): HttpError {
  return new HttpError({ status: 404, code: 'not_found', message: 'no such console page' });
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
