/**
 * Turns the entries of a loaded tenant into what a diff compares: each object normalised
 * by the library's own validator (Auth0's defaults filled in, comma lists split, Auth0's
 * read-only fields dropped), its references to clients written as client names, and the
 * keys the Deploy CLI matches it by.
 *
 * An entry that does not validate is compared as written (comma lists split, read-only
 * fields dropped, no defaults filled in): a diff describes a tenant, it does not judge it
 * (`clientele check` does).
 *
 * @module
 */
import type { JsonObject } from '../client/settings.js';
import { READ_ONLY_FIELDS } from '../client/fields.js';
import { splitCommaLists } from '../client/normalize.js';
import { validateClientSettings } from '../client/validate.js';
import { validateApiInput } from '../apis/validate-api.js';
import { validateGrantInput } from '../apis/validate-grant.js';
import { validateConnectionInput } from '../connections/validate-connection.js';
import { isSystemEntry, withoutResponseFields } from '../cli/dump-fields.js';
import { isRecord } from '../cli/pointer.js';
import type { LoadedEntry, LoadedTenant } from '../cli/types.js';
import type { ValidationResult } from '../lib/validation-result.js';
import { TenantReadError } from '../errors.js';
import type { DiffObjectType } from './types.js';

/** One object of one side, ready to be matched and compared. */
export interface DiffEntry {
  /** Its kind. */
  readonly type: DiffObjectType;
  /** What identifies it in reports (see `DiffObject.key`). */
  readonly key: string;
  /** How people know it (see `DiffObject.name`). */
  readonly name: string;
  /** The normalised object. */
  readonly value: JsonObject;
  /**
   * Its match keys, one per Deploy CLI identifier in the order the CLI tries them
   * (`undefined` where the entry lacks the identifier).
   */
  readonly matchKeys: readonly (string | undefined)[];
  /** Fields that the side does not state, so they are not compared (`enabled_clients`). */
  readonly unstated: ReadonlySet<string>;
  /** The entry as loaded (its file and source lines). */
  readonly loaded: LoadedEntry;
}

/** The entries of one side, per kind; a kind is absent when the side has no list of it. */
export type DiffEntries = Partial<Record<DiffObjectType, DiffEntry[]>>;

/**
 * Fields the Deploy CLI drops from every export (its `readonly.js`), so an export never
 * states them and a live tenant always does: comparing them would report drift that no
 * deploy can cause or fix.
 *
 * @see https://github.com/auth0/auth0-deploy-cli/blob/master/src/readonly.ts
 */
const NEVER_EXPORTED: Readonly<Record<DiffObjectType, readonly string[]>> = {
  client: ['custom_login_page_preview', 'config_route', 'owners'],
  api: [],
  connection: ['realms', 'provisioning_ticket_url'],
  grant: [],
};

/** Database connections (strategy `auth0`): the export also drops `options.configuration`. */
const NEVER_EXPORTED_DATABASE_OPTIONS = ['configuration'];

/**
 * How deep an object may nest. Auth0's objects nest a few levels (a connection's options
 * perhaps ten); the comparison walks them recursively, so a file built to nest thousands
 * of levels deep is refused rather than walked.
 */
export const MAX_DIFF_DEPTH = 100;

/** The normalised clients of `tenant`. */
export function clientEntries(tenant: LoadedTenant): DiffEntry[] {
  return tenant.clients.map((entry) => clientEntry(checkedDepth(entry, 'client')));
}

/**
 * The normalised APIs, connections and grants of `tenant`, per kind it has a list of.
 * `names` maps every way the side refers to a client (its `name`, its `client_id`) to the
 * name references are compared by (see {@link clientNames}).
 */
export function otherEntries(
  tenant: LoadedTenant,
  names: ReadonlyMap<string, string>,
): Omit<DiffEntries, 'client'> {
  const entries: Omit<DiffEntries, 'client'> = {};
  if (tenant.apis) {
    entries.api = tenant.apis
      .filter((entry) => !isSystemEntry(entry.raw))
      .map((entry) => apiEntry(checkedDepth(entry, 'API')));
  }
  if (tenant.connections) {
    entries.connection = tenant.connections.map((entry) =>
      connectionEntry(checkedDepth(entry, 'connection'), names),
    );
  }
  if (tenant.grants) {
    entries.grant = tenant.grants
      .filter((entry) => !isSystemEntry(entry.raw))
      .map((entry) => grantEntry(checkedDepth(entry, 'client grant'), names));
  }
  return entries;
}

/**
 * How one side's references to clients are compared: a Deploy CLI export names clients,
 * a Management API dump gives their `client_id`, and a client renamed between the sides
 * is still the same client. So each client's `client_id` and `name` stand for one name:
 * the after side's name of the client it is paired with (`canonical`), or its own.
 */
export function clientNames(
  clients: readonly DiffEntry[],
  canonical: ReadonlyMap<DiffEntry, string> = new Map(),
): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const client of clients) {
    const name = canonical.get(client) ?? client.key;
    const raw = isRecord(client.loaded.raw) ? client.loaded.raw : {};
    const id = text(raw['client_id']);
    if (id !== undefined && !names.has(id)) names.set(id, name);
    const own = text(raw['name']);
    if (own !== undefined && !names.has(own)) names.set(own, name);
  }
  return names;
}

function clientEntry(loaded: LoadedEntry): DiffEntry {
  const raw = isRecord(loaded.raw) ? loaded.raw : {};
  const value = normalised(validateClientSettings(loaded.raw), () =>
    asWritten(raw, READ_ONLY_FIELDS),
  );
  dropNeverExported(value, 'client');
  const name = text(raw['name']) ?? `(unnamed #${loaded.position})`;
  const clientId = text(raw['client_id']);
  const external = text(raw['external_client_id']);
  // The Deploy CLI matches CIMD clients (external_client_id) only with each other, by that id.
  const family = external === undefined ? 'client' : 'cimd';
  return {
    type: 'client',
    key: name,
    name,
    value,
    matchKeys: [
      clientId && `${family} id ${clientId}`,
      external === undefined ? `name ${name}` : `external ${external}`,
    ],
    unstated: new Set(),
    loaded,
  };
}

function apiEntry(loaded: LoadedEntry): DiffEntry {
  const raw = isRecord(loaded.raw) ? loaded.raw : {};
  const value = normalised(validateApiInput(withoutResponseFields('api', raw)), () =>
    asWritten(raw, API_READ_ONLY),
  );
  const identifier = text(raw['identifier']) ?? `(no identifier #${loaded.position})`;
  return {
    type: 'api',
    key: identifier,
    name: text(raw['name']) ?? identifier,
    value,
    matchKeys: [idKey(raw), `identifier ${identifier}`],
    unstated: new Set(),
    loaded,
  };
}

function connectionEntry(loaded: LoadedEntry, names: ReadonlyMap<string, string>): DiffEntry {
  const raw = isRecord(loaded.raw) ? loaded.raw : {};
  const value = normalised(validateConnectionInput(withoutResponseFields('connection', raw)), () =>
    asWritten(raw, RESPONSE_ONLY),
  );
  dropNeverExported(value, 'connection');
  const options = value['options'];
  if (value['strategy'] === 'auth0' && isRecord(options)) {
    const exported: JsonObject = { ...(options as JsonObject) };
    for (const field of NEVER_EXPORTED_DATABASE_OPTIONS) Reflect.deleteProperty(exported, field);
    value['options'] = exported;
  }
  const enabled = value['enabled_clients'];
  if (Array.isArray(enabled)) {
    value['enabled_clients'] = enabled.map((id) =>
      typeof id === 'string' ? (names.get(id) ?? id) : id,
    );
  }
  const name = text(raw['name']) ?? `(unnamed #${loaded.position})`;
  return {
    type: 'connection',
    key: name,
    name,
    value,
    matchKeys: [idKey(raw), `name ${name}`],
    // Without enabled_clients the Deploy CLI leaves the connection's clients as they are.
    unstated: new Set(Array.isArray(raw['enabled_clients']) ? [] : ['enabled_clients']),
    loaded,
  };
}

function grantEntry(loaded: LoadedEntry, names: ReadonlyMap<string, string>): DiffEntry {
  const raw = isRecord(loaded.raw) ? loaded.raw : {};
  const value = normalised(validateGrantInput(withoutResponseFields('grant', raw)), () =>
    asWritten(raw, RESPONSE_ONLY),
  );
  const givenClient = text(raw['client_id']);
  const client = givenClient === undefined ? undefined : (names.get(givenClient) ?? givenClient);
  if (client !== undefined) value['client_id'] = client;
  const audience = text(raw['audience']);
  const defaultFor = text(raw['default_for']);
  const subjectType = text(raw['subject_type']);
  const key = `${client ?? defaultFor ?? '(no client)'} -> ${audience ?? '(no audience)'}`;
  const all = (...parts: (string | undefined)[]) =>
    parts.every((part) => part !== undefined) ? parts.join('\u0000') : undefined;
  return {
    type: 'grant',
    key,
    name: key,
    value,
    // The Deploy CLI's order: id, then client + audience + subject_type, then client +
    // audience, then the default grant of third-party clients by audience.
    matchKeys: [
      idKey(raw),
      all('client', client, audience, subjectType),
      all('client', client, audience),
      all('default', defaultFor, audience),
    ],
    unstated: new Set(),
    loaded,
  };
}

/**
 * The validated value, or the fallback for an entry that does not validate. A shallow
 * copy: the diff replaces top-level members (never changes them in place), and the
 * validators' values may be shared or frozen.
 */
function normalised<T>(result: ValidationResult<T>, fallback: () => JsonObject): JsonObject {
  if (!result.ok) return fallback();
  return { ...(result.value as unknown as JsonObject) };
}

/** Fields of Management API responses that no request takes (see `cli/dump-fields.ts`). */
const RESPONSE_ONLY: readonly string[] = ['id', 'is_system'];
/** An API's read-only fields: the client Auth0 links to it, and the response-only ones. */
const API_READ_ONLY: readonly string[] = [...RESPONSE_ONLY, 'client_id'];

/** An entry that does not validate: a JSON copy, comma lists split, read-only fields dropped. */
function asWritten(raw: Readonly<Record<string, unknown>>, readOnly: Iterable<string>): JsonObject {
  let copy: Record<string, unknown>;
  try {
    copy = JSON.parse(JSON.stringify(raw) ?? '{}') as Record<string, unknown>;
  } catch {
    copy = {};
  }
  splitCommaLists(copy);
  for (const field of readOnly) Reflect.deleteProperty(copy, field);
  return copy as JsonObject;
}

function dropNeverExported(value: JsonObject, type: DiffObjectType): void {
  for (const field of NEVER_EXPORTED[type]) Reflect.deleteProperty(value, field);
}

function idKey(raw: Readonly<Record<string, unknown>>): string | undefined {
  const id = text(raw['id']);
  return id === undefined ? undefined : `id ${id}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `entry`, when it nests at most {@link MAX_DIFF_DEPTH} levels; otherwise a
 * {@link TenantReadError} naming it. (The walk stops one level past the limit, so its own
 * recursion is bounded.)
 */
function checkedDepth(entry: LoadedEntry, noun: string): LoadedEntry {
  if (nestsDeeper(entry.raw, MAX_DIFF_DEPTH)) {
    throw new TenantReadError(
      entry.file,
      `${entry.file}: ${noun} #${entry.position} nests more than ${MAX_DIFF_DEPTH} levels deep; a diff does not compare it`,
    );
  }
  return entry;
}

function nestsDeeper(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  for (const item of Object.values(value)) {
    if (nestsDeeper(item, levels - 1)) return true;
  }
  return false;
}
