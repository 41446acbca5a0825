/**
 * Recognises a parsed tenant file: which format it is and where its clients, APIs,
 * connections and client grants are.
 *
 * - Deploy CLI YAML (`tenant.yaml`) and this library's tenant JSON share one shape: an
 *   object with a `clients` list, and optionally lists of APIs (`resourceServers`, or
 *   `apis`), connections (`connections`, and the Deploy CLI's database connections in
 *   `databases`) and client grants (`clientGrants`, or `grants`). Other top-level keys
 *   (`tenant`, `roles`, …) are not read.
 * - A `FileStore` file (`"format": "clientele-store"`): the `value` of every record in
 *   `collections.clients`, and likewise in `collections.apis`, `connections` and `grants`.
 * - One file of a Deploy CLI directory export (`…/clients/<name>.json`) holds one client.
 *
 * @module
 */
import path from 'node:path';
import { isRecord } from '../pointer.js';
import type { LoadedEntry, LoadedTenant, LoadResult, TenantFormat } from '../types.js';
import { entryLocator, type LineFinder } from './source-lines.js';

/** Where a parsed file came from. */
export interface DocumentSource {
  /** Path as shown to the user. */
  file: string;
  /** `yaml` or `json`: decides the format name of a `clients` list. */
  syntax: 'yaml' | 'json';
  /** Line lookup over the file's text. */
  lines: LineFinder;
}

/** The entry lists besides `clients`. */
type EntryKind = 'apis' | 'connections' | 'grants';

/**
 * The top-level keys of a tenant file that hold each kind of entry, read in this order:
 * the Deploy CLI's names, then this library's (`apis`, `grants`). The Deploy CLI keeps
 * database connections (strategy `auth0`) apart from the others, in `databases`.
 */
const TENANT_FILE_LISTS: Readonly<Record<EntryKind, readonly string[]>> = {
  apis: ['resourceServers', 'apis'],
  connections: ['connections', 'databases'],
  grants: ['clientGrants', 'grants'],
};

/** What each list holds, for messages. */
const LIST_CONTENT: Readonly<Record<EntryKind, string>> = {
  apis: 'APIs',
  connections: 'connections',
  grants: 'client grants',
};

/** Turns a parsed file into a tenant, or says why it is not a tenant export. */
export function readTenantDocument(value: unknown, source: DocumentSource): LoadResult {
  const { file } = source;
  const notTenant = (why: string): LoadResult => ({
    ok: false,
    failure: { file, reason: `not a tenant export: ${why}` },
  });

  if (value === null || value === undefined) return notTenant('the file is empty');
  if (Array.isArray(value)) {
    return notTenant('the top level is a list; expected an object with a "clients" list');
  }
  if (!isRecord(value)) {
    return notTenant(
      `the top level is a ${typeof value}; expected an object with a "clients" list`,
    );
  }

  if ('clients' in value) {
    const clients = value['clients'];
    if (!Array.isArray(clients)) {
      return notTenant(`"clients" must be a list, found ${describe(clients)}`);
    }
    const format: TenantFormat = source.syntax === 'yaml' ? 'deploy-cli-yaml' : 'clientele-json';
    const loaded = tenant(
      source,
      format,
      clients.map((raw, index) => ({ raw, base: ['clients', index] })),
    );
    for (const kind of KINDS) {
      const found: Located[] = [];
      let present = false;
      for (const key of TENANT_FILE_LISTS[kind]) {
        const list = value[key];
        // `resourceServers:` with nothing after it is null: the Deploy CLI skips it.
        if (list === undefined || list === null) continue;
        if (!Array.isArray(list)) {
          return failed(
            file,
            `"${key}" must be a list of ${LIST_CONTENT[kind]}, found ${describe(list)}`,
          );
        }
        present = true;
        const database = key === DATABASES_KEY;
        list.forEach((raw: unknown, index) =>
          found.push({
            raw: database ? asDatabase(raw) : raw,
            base: [key, index],
            ...(database && { database }),
          }),
        );
      }
      if (present) loaded[kind] = entries(source, found);
    }
    return { ok: true, tenant: loaded };
  }

  const collections = value['collections'];
  const isStore = value['format'] === FILE_STORE_FORMAT;
  if (isStore || (isRecord(collections) && 'clients' in collections)) {
    // A FileStore leaves empty collections out, so a store without clients has none.
    const stored = isRecord(collections) ? collections : undefined;
    const clients = stored && fileStoreRecords(stored, 'clients', false);
    if (stored === undefined || clients === undefined) {
      return notTenant('"collections.clients" must be a list or an object of client records');
    }
    const loaded = tenant(source, 'clientele-file-store', clients);
    for (const kind of KINDS) {
      // The store is the whole tenant: a missing collection is an empty one.
      const records = fileStoreRecords(stored, kind, true);
      if (records === undefined) {
        return failed(file, `"collections.${kind}" must be a list or an object of records`);
      }
      loaded[kind] = entries(source, records);
    }
    return { ok: true, tenant: loaded };
  }

  if (path.basename(path.dirname(file)) === 'clients') {
    return { ok: true, tenant: tenant(source, 'deploy-cli-directory', [{ raw: value, base: [] }]) };
  }

  const keys = Object.keys(value).slice(0, 5);
  const found = keys.length === 0 ? 'the object is empty' : `found ${keys.join(', ')}`;
  return notTenant(`no "clients" list at the top level (${found})`);
}

const KINDS: readonly EntryKind[] = ['apis', 'connections', 'grants'];

/** The Deploy CLI's list of database connections. */
const DATABASES_KEY = 'databases';

/**
 * A `databases` entry as the Deploy CLI deploys it: a connection whose `strategy` is
 * `auth0` unless it says otherwise (its schema's default), so an entry without one is a
 * database connection, not one that lacks a strategy.
 */
export function asDatabase(raw: unknown): unknown {
  return isRecord(raw) && !('strategy' in raw) ? { ...raw, strategy: 'auth0' } : raw;
}

/** The `format` field of a FileStore file (see src/storage/envelope.ts). */
const FILE_STORE_FORMAT = 'clientele-store';

interface Located {
  raw: unknown;
  base: (string | number)[];
  database?: boolean;
}

function tenant(source: DocumentSource, format: TenantFormat, found: Located[]): LoadedTenant {
  return { source: source.file, format, clients: entries(source, found) };
}

function entries(source: DocumentSource, found: readonly Located[]): LoadedEntry[] {
  return found.map(({ raw, base, database }, index) => ({
    file: source.file,
    position: index + 1,
    raw,
    ...entryLocator(source.lines, base),
    ...(database && { database }),
  }));
}

function failed(file: string, reason: string): LoadResult {
  return { ok: false, failure: { file, reason } };
}

/**
 * A FileStore keeps records as `{ id, version, value }`, in a list or keyed by id; the
 * entry is the record's `value`. An API, connection or grant value repeats the record's
 * `id`, which the tenant assigned: it is left out (the validators refuse a given `id`).
 */
function fileStoreRecords(
  collections: Record<string, unknown>,
  name: string,
  dropId: boolean,
): Located[] | undefined {
  const collection = collections[name] ?? [];
  const records: [string | number, unknown][] | undefined = Array.isArray(collection)
    ? collection.map((record, index) => [index, record])
    : isRecord(collection)
      ? Object.entries(collection)
      : undefined;
  return records?.map(([key, record]) => {
    if (!(isRecord(record) && 'value' in record && 'version' in record)) {
      return { raw: record, base: ['collections', name, key] };
    }
    const stored = record['value'];
    const raw = dropId && isRecord(stored) ? withoutId(stored) : stored;
    return { raw, base: ['collections', name, key, 'value'] };
  });
}

function withoutId(value: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = value;
  return rest;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'an object';
  return `a ${typeof value}`;
}
