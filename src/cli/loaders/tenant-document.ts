/**
 * Recognises a parsed tenant file: which format it is and where its clients are.
 *
 * - Deploy CLI YAML (`tenant.yaml`) and this library's tenant JSON share one shape: an
 *   object with a `clients` list (other top-level keys such as `connections`,
 *   `resourceServers`, `apis` or `tenant` are read but not checked).
 * - A `FileStore` file (`"format": "clientele-store"`): the `value` of every record in
 *   `collections.clients` is a client.
 * - One file of a Deploy CLI directory export (`…/clients/<name>.json`) holds one client.
 *
 * @module
 */
import path from 'node:path';
import { isRecord } from '../pointer.js';
import type { LoadedClient, LoadResult, TenantFormat } from '../types.js';
import { clientLines, type LineFinder } from './source-lines.js';

/** Where a parsed file came from. */
export interface DocumentSource {
  /** Path as shown to the user. */
  file: string;
  /** `yaml` or `json`: decides the format name of a `clients` list. */
  syntax: 'yaml' | 'json';
  /** Line lookup over the file's text. */
  lines: LineFinder;
}

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
    return tenant(
      source,
      format,
      clients.map((raw, index) => ({ raw, base: ['clients', index] })),
    );
  }

  const collections = value['collections'];
  const isStore = value['format'] === FILE_STORE_FORMAT;
  if (isStore || (isRecord(collections) && 'clients' in collections)) {
    // A FileStore leaves empty collections out, so a store without clients has none.
    const stored = isRecord(collections) ? (collections['clients'] ?? []) : undefined;
    const records = fileStoreClients(stored);
    if (records === undefined) {
      return notTenant('"collections.clients" must be a list or an object of client records');
    }
    return tenant(source, 'clientele-file-store', records);
  }

  if (path.basename(path.dirname(file)) === 'clients') {
    return tenant(source, 'deploy-cli-directory', [{ raw: value, base: [] }]);
  }

  const keys = Object.keys(value).slice(0, 5);
  const found = keys.length === 0 ? 'the object is empty' : `found ${keys.join(', ')}`;
  return notTenant(`no "clients" list at the top level (${found})`);
}

/** The `format` field of a FileStore file (see src/storage/envelope.ts). */
const FILE_STORE_FORMAT = 'clientele-store';

interface Located {
  raw: unknown;
  base: (string | number)[];
}

function tenant(source: DocumentSource, format: TenantFormat, found: Located[]): LoadResult {
  const clients: LoadedClient[] = found.map(({ raw, base }, index) => ({
    file: source.file,
    position: index + 1,
    raw,
    lineOf: clientLines(source.lines, base),
  }));
  return { ok: true, tenant: { source: source.file, format, clients } };
}

/**
 * A FileStore keeps records as `{ id, version, value }`, in a list or keyed by id; the
 * client is the record's `value`.
 */
function fileStoreClients(collection: unknown): Located[] | undefined {
  const entries: [string | number, unknown][] | undefined = Array.isArray(collection)
    ? collection.map((record, index) => [index, record])
    : isRecord(collection)
      ? Object.entries(collection)
      : undefined;
  return entries?.map(([key, record]) =>
    isRecord(record) && 'value' in record && 'version' in record
      ? { raw: record['value'], base: ['collections', 'clients', key, 'value'] }
      : { raw: record, base: ['collections', 'clients', key] },
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (isRecord(value)) return 'an object';
  return `a ${typeof value}`;
}
