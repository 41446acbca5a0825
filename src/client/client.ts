/**
 * `Client` snapshots: an immutable view of one client's stored settings, with its URL
 * allow-lists compiled lazily (on first use) and cached for the snapshot's life. The
 * secret is readable as `client.client_secret` but never enumerable, so spreading,
 * `JSON.stringify`, `structuredClone`, `util.inspect` and loggers never show it.
 */
import { inspect, type InspectOptionsStylized } from 'node:util';
import { compileAllowList, type AllowList, type AllowsContext } from '../urls/allow-list.js';
import type { AllowListKind } from '../urls/kinds.js';
import type { UrlPattern } from '../urls/pattern.js';
import { capabilitiesOf, isAppType, type UrlListSetting } from './app-types.js';
import { setOwn } from '../lib/set-own.js';
import { parsePattern } from './pattern-cache.js';
import type { ClientSettings, JsonValue } from './settings.js';

/** A client's settings and identity as plain data, without its secret. */
export type ClientJson = ClientSettings & {
  /** The client's id. */
  client_id: string;
};

/**
 * One client, as `Tenant.clients` returns it: its settings (read-only), its id, its
 * secret for confidential clients, and the allow-list checks a login, logout or CORS
 * request needs.
 *
 * @example
 * ```ts
 * const client = await tenant.clients.get(clientId);
 * if (!client.allowsCallback(redirectUri)) throw new Error('redirect_uri not allowed');
 * if (client.allowsOrigin(request.headers.origin)) response.setHeader('Access-Control-Allow-Origin', origin);
 * JSON.stringify(client); // settings and client_id, never the secret
 * ```
 */
export interface Client extends Readonly<ClientSettings> {
  /** The client's id (32 characters of `[A-Za-z0-9]`, optionally prefixed). */
  readonly client_id: string;
  /**
   * The secret of a confidential client; `undefined` for a public one. Readable, but not
   * an own enumerable property: spreads, `toJSON`, `util.inspect` and logs never show it.
   */
  readonly client_secret?: string | undefined;
  /**
   * True when `url` is an allowed `redirect_uri` (exact match against `callbacks`,
   * subdomain wildcards, and for native apps loopback IPs on any port). Never throws.
   * Entries with `{organization_name}` match only with `context.organizationName`.
   *
   * @example
   * ```ts
   * client.allowsCallback('https://acme.example.com/callback', { organizationName: 'acme' });
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1
   * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
   */
  allowsCallback(url: string, context?: AllowsContext): boolean;
  /**
   * True when `url` is an allowed logout `returnTo` (`allowed_logout_urls`). Never throws.
   * Entries with `{organization_name}` match only with `context.organizationName`.
   */
  allowsLogoutUrl(url: string, context?: AllowsContext): boolean;
  /**
   * True when `origin` (an `Origin` header value) may make CORS requests: the entries of
   * `allowed_origins` plus the origin of every http(s) callback. Never throws.
   *
   * @see https://auth0.com/docs/get-started/applications/application-settings (Allowed Origins)
   */
  allowsOrigin(origin: string): boolean;
  /**
   * True when `origin` is in `web_origins` (web_message response mode, cross-origin
   * authentication). Never throws.
   */
  allowsWebOrigin(origin: string): boolean;
  /** The settings and `client_id` as plain, mutable data; never the secret. */
  toJSON(): ClientJson;
}

/**
 * What the Tenant stores for a client and hands to {@link createClient}: validated
 * settings, the id, and the secret when the client is confidential.
 *
 * @internal
 */
export type ClientRecord = ClientSettings & {
  /** The client's id. */
  client_id: string;
  /** The secret, for confidential clients; absent for public ones. */
  client_secret?: string | undefined;
};

/**
 * Builds a {@link Client} snapshot from a stored record. The record is copied (the
 * snapshot never shares mutable state with the caller) and is trusted to be valid
 * settings; URL entries that do not parse are skipped, so they allow nothing.
 *
 * @internal
 */
export function createClient(record: ClientRecord): Client {
  const { client_id: clientId, client_secret: secret, ...rest } = record;
  const settings = frozenCopy(rest) as Readonly<ClientSettings>;
  const snapshot = new ClientSnapshot(clientId, secret, settings);
  return Object.freeze(Object.assign(snapshot, settings));
}

/**
 * True when the settings make a confidential client, which has a secret: any
 * `token_endpoint_auth_method` but `none`.
 *
 * @internal
 */
export function isConfidential(
  settings: Pick<ClientSettings, 'token_endpoint_auth_method'>,
): boolean {
  return settings.token_endpoint_auth_method !== 'none';
}

/**
 * The plain data of a `Client` snapshot, or `value` itself when it is not one, so that
 * validation and lint read a snapshot like the settings it was made from.
 *
 * @internal
 */
export function plainSettings(value: unknown): unknown {
  return value instanceof ClientSnapshot ? value.toJSON() : value;
}

class ClientSnapshot {
  readonly client_id: string;
  readonly #secret: string | undefined;
  readonly #settings: Readonly<ClientSettings>;
  #callbacks: AllowList | undefined;
  #logoutUrls: AllowList | undefined;
  #origins: AllowList | undefined;
  #webOrigins: AllowList | undefined;

  constructor(clientId: string, secret: string | undefined, settings: Readonly<ClientSettings>) {
    this.client_id = clientId;
    this.#secret = secret;
    this.#settings = settings;
  }

  get client_secret(): string | undefined {
    return this.#secret;
  }

  allowsCallback(url: string, context?: AllowsContext): boolean {
    this.#callbacks ??= compileAllowList(
      'callback',
      listPatterns(this.#settings, 'callbacks', 'callback'),
      {
        loopbackAnyPort: this.#type()?.loopbackRedirects === true,
      },
    );
    return this.#callbacks.allows(url, context);
  }

  allowsLogoutUrl(url: string, context?: AllowsContext): boolean {
    this.#logoutUrls ??= compileAllowList(
      'logout',
      listPatterns(this.#settings, 'allowed_logout_urls', 'logout'),
    );
    return this.#logoutUrls.allows(url, context);
  }

  allowsOrigin(origin: string): boolean {
    this.#origins ??= compileAllowList('origin', effectiveOriginPatterns(this.#settings));
    return this.#origins.allows(origin);
  }

  allowsWebOrigin(origin: string): boolean {
    this.#webOrigins ??= compileAllowList(
      'origin',
      listPatterns(this.#settings, 'web_origins', 'origin'),
    );
    return this.#webOrigins.allows(origin);
  }

  toJSON(): ClientJson {
    const json: Record<string, unknown> = { client_id: this.client_id };
    for (const key of Object.keys(this.#settings)) {
      setOwn(json, key, mutableCopy((this.#settings as Record<string, unknown>)[key]));
    }
    return json as unknown as ClientJson;
  }

  [inspect.custom](depth: number, options: InspectOptionsStylized, nested: typeof inspect): string {
    if (depth < 0) return options.stylize('[Client]', 'special');
    const shown: Record<string, unknown> = { ...this.toJSON() };
    if (this.#secret !== undefined) shown['client_secret'] = '[redacted]';
    const inner = { ...options, depth: options.depth === null ? null : (options.depth ?? 2) - 1 };
    return `Client ${nested(shown, inner)}`;
  }
  #type() {
    return typeOf(this.#settings);
  }
}

/** The client's row of the app type table (a client without `app_type` has one too). */
function typeOf(settings: Readonly<ClientSettings>) {
  const appType = settings.app_type;
  if (appType === undefined) return capabilitiesOf(undefined);
  return isAppType(appType) ? capabilitiesOf(appType) : undefined;
}

/**
 * The parsed entries of one list; none when the list does not apply to the app type
 * (DESIGN: such settings are kept but inert, so they allow nothing).
 */
function listPatterns(
  settings: Readonly<ClientSettings>,
  field: UrlListSetting,
  kind: AllowListKind,
): UrlPattern[] {
  const type = typeOf(settings);
  const list: unknown = settings[field];
  if (!type?.urlLists.includes(field) || !Array.isArray(list)) return [];
  const patterns: UrlPattern[] = [];
  for (const entry of list) {
    if (typeof entry !== 'string') continue;
    const result = parsePattern(kind, entry);
    if (result.ok) patterns.push(result.pattern);
  }
  return patterns;
}

/**
 * A client's effective CORS origins: `allowed_origins` plus the origin of each http(s)
 * callback (private-use-scheme callbacks have none).
 *
 * @internal
 */
export function effectiveOriginPatterns(settings: Readonly<ClientSettings>): UrlPattern[] {
  const origins = listPatterns(settings, 'allowed_origins', 'origin');
  for (const callback of listPatterns(settings, 'callbacks', 'callback')) {
    if (callback.scheme !== 'http' && callback.scheme !== 'https') continue;
    const result = parsePattern('origin', callback.entry);
    if (result.ok) origins.push(result.pattern);
  }
  return origins;
}

/** A deep copy of JSON-like data, frozen at every level. */
function frozenCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwn(out, key, frozenCopy((value as Record<string, unknown>)[key]));
  }
  return Object.freeze(out);
}

/** A deep, mutable copy of frozen JSON-like data. */
function mutableCopy(value: unknown): JsonValue | undefined {
  if (typeof value !== 'object' || value === null) return value as JsonValue | undefined;
  if (Array.isArray(value)) return value.map((item) => mutableCopy(item) ?? null);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwn(out, key, mutableCopy((value as Record<string, unknown>)[key]));
  }
  return out as JsonValue;
}
