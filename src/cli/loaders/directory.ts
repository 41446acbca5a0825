/**
 * Loads a Deploy CLI directory export: `<dir>/clients/*.json`, one client per file, in
 * file-name order, and, as the Deploy CLI lays them out, the APIs in
 * `resource-servers/*.json`, the connections in `connections/*.json` and
 * `database-connections/<name>/database.json`, and the client grants in `grants/*.json`.
 * Other folders of the export (`rules/`, `roles/`, …) are not read; the files its entries
 * name (custom login pages, email templates, database scripts) are, as the Deploy CLI
 * reads them (see `file-references.ts`).
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceKeywordsMapped, type KeywordMappings } from '../keywords.js';
import { describeFsError, stripBom } from '../text.js';
import type { LoadedEntry, LoadFailure, LoadedTenant } from '../types.js';
import { isRecord } from '../pointer.js';
import { parseJsonText } from './parse.js';
import { entryLocator, lineFinder } from './source-lines.js';
import { asDatabase } from './tenant-document.js';
import { resolveDirectoryFiles } from './file-references.js';

/** A directory export's entries, plus the files that could not be read. */
export interface DirectoryLoad {
  /** The export, or undefined when the directory is not one. */
  tenant?: LoadedTenant;
  /** Why the directory, or some of its files, could not be read. */
  failures: LoadFailure[];
}

/** The Deploy CLI's folder names (its `constants.*_DIRECTORY`). */
const FOLDERS = {
  clients: 'clients',
  apis: 'resource-servers',
  connections: 'connections',
  databases: 'database-connections',
  grants: 'grants',
} as const;

/** The file of a `database-connections/<name>/` folder that describes the connection. */
const DATABASE_FILE = 'database.json';

interface DirEntry {
  name: string;
  isDirectory(): boolean;
  isFile(): boolean;
}

/**
 * Loads the directory export at `dir`. `dir` may also be the `clients` folder itself (then
 * only clients are read). A directory with neither a `clients/` folder nor that name is
 * not a tenant export. Paths are shown as given and read relative to `cwd`.
 */
export async function loadTenantDirectory(
  dir: string,
  keywords: KeywordMappings,
  cwd: string,
): Promise<DirectoryLoad> {
  let entries: DirEntry[];
  try {
    entries = await readdir(path.resolve(cwd, dir), { withFileTypes: true });
  } catch (error) {
    return { failures: [{ file: dir, reason: describeFsError(error) }] };
  }
  const folders = new Set(entries.filter((entry) => entry.isDirectory()).map((e) => e.name));
  const reader = new JsonReader(keywords, cwd);
  if (!folders.has(FOLDERS.clients)) {
    if (path.basename(path.resolve(cwd, dir)) !== FOLDERS.clients) {
      return { failures: [{ file: dir, reason: notAnExport(entries.map((entry) => entry.name)) }] };
    }
    const clients = await reader.folder(dir);
    if (clients === undefined) return { failures: reader.failures };
    const tenant = await resolveDirectoryFiles(exported(dir, clients), { cwd, keywords });
    return { tenant, failures: reader.failures };
  }

  const clients = await reader.folder(path.join(dir, FOLDERS.clients));
  if (clients === undefined) return { failures: reader.failures };
  const tenant = exported(dir, clients);
  if (folders.has(FOLDERS.apis)) {
    tenant.apis = numbered((await reader.folder(path.join(dir, FOLDERS.apis))) ?? []);
  }
  if (folders.has(FOLDERS.connections) || folders.has(FOLDERS.databases)) {
    const connections = folders.has(FOLDERS.connections)
      ? ((await reader.folder(path.join(dir, FOLDERS.connections))) ?? [])
      : [];
    const databases = folders.has(FOLDERS.databases)
      ? await reader.databases(path.join(dir, FOLDERS.databases))
      : [];
    tenant.connections = numbered([...connections, ...databases]);
  }
  if (folders.has(FOLDERS.grants)) {
    tenant.grants = numbered((await reader.folder(path.join(dir, FOLDERS.grants))) ?? []);
  }
  return {
    tenant: await resolveDirectoryFiles(tenant, { cwd, keywords }),
    failures: reader.failures,
  };
}

function exported(dir: string, clients: LoadedEntry[]): LoadedTenant {
  return { source: dir, format: 'deploy-cli-directory', clients: numbered(clients) };
}

/** Positions count the entries of one kind that could be read, in reading order. */
function numbered(entries: readonly LoadedEntry[]): LoadedEntry[] {
  return entries.map((entry, index) => ({ ...entry, position: index + 1 }));
}

/** Reads JSON files of an export, collecting one failure per file that cannot be read. */
class JsonReader {
  readonly failures: LoadFailure[] = [];
  readonly #keywords: KeywordMappings;
  readonly #cwd: string;

  constructor(keywords: KeywordMappings, cwd: string) {
    this.#keywords = keywords;
    this.#cwd = cwd;
  }

  /** `folder/*.json` in file-name order; undefined when the folder cannot be listed. */
  async folder(folder: string): Promise<LoadedEntry[] | undefined> {
    const listed = await this.#list(folder);
    if (listed === undefined) return undefined;
    const names = listed
      .filter((entry) => !entry.isDirectory() && entry.name.toLowerCase().endsWith('.json'))
      .map((entry) => entry.name)
      .sort(compareNames);
    return this.#files(names.map((name) => path.join(folder, name)));
  }

  /**
   * `folder/<name>/database.json` for every sub-folder, in name order; a sub-folder
   * without one is skipped, as the Deploy CLI skips it.
   */
  async databases(folder: string): Promise<LoadedEntry[]> {
    const listed = (await this.#list(folder)) ?? [];
    const files: string[] = [];
    for (const name of listed
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort(compareNames)) {
      const inside: string[] = await readdir(path.resolve(this.#cwd, folder, name)).catch(() => []);
      if (inside.includes(DATABASE_FILE)) files.push(path.join(folder, name, DATABASE_FILE));
    }
    const loaded = await this.#files(files);
    return loaded.map((entry) => ({
      ...entry,
      raw: asDatabase(databaseFile(entry.raw)),
      database: true,
    }));
  }

  async #list(folder: string): Promise<DirEntry[] | undefined> {
    try {
      return await readdir(path.resolve(this.#cwd, folder), { withFileTypes: true });
    } catch (error) {
      this.failures.push({ file: folder, reason: describeFsError(error) });
      return undefined;
    }
  }

  async #files(files: readonly string[]): Promise<LoadedEntry[]> {
    const loaded: LoadedEntry[] = [];
    for (const file of files) {
      let written: string;
      try {
        written = stripBom(await readFile(path.resolve(this.#cwd, file), 'utf8'));
      } catch (error) {
        this.failures.push({ file, reason: describeFsError(error) });
        continue;
      }
      const replaced = replaceKeywordsMapped(written, this.#keywords);
      const text = replaced.text;
      const parsed = parseJsonText(text);
      if (!parsed.ok) {
        this.failures.push({ file, reason: parsed.reason });
        continue;
      }
      const source = text === written ? undefined : { text: written, original: replaced.original };
      loaded.push({
        file,
        position: loaded.length + 1,
        raw: parsed.value,
        ...entryLocator(lineFinder(text, source), []),
      });
    }
    return loaded;
  }
}

/**
 * A `database.json` may hold `customScripts` at its top level: the Deploy CLI moves them
 * into `options`, where the Management API has them.
 */
function databaseFile(raw: unknown): unknown {
  if (!isRecord(raw) || !('customScripts' in raw)) return raw;
  const { customScripts, ...rest } = raw;
  const options = isRecord(rest['options']) ? rest['options'] : {};
  return { ...rest, options: { ...options, customScripts } };
}

function notAnExport(names: string[]): string {
  if (names.length === 0) {
    return 'not a tenant export: the directory is empty (expected clients/*.json)';
  }
  const tenantFile = names.find((name) => /^tenant\.(ya?ml|json)$/i.test(name));
  const hint = tenantFile ? `; did you mean ${tenantFile}?` : '';
  return `not a tenant export: no clients/ directory (expected clients/*.json)${hint}`;
}

/** Code-unit order, so the result does not depend on the machine's locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
