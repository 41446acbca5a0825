/**
 * Loads a Deploy CLI directory export: `<dir>/clients/*.json`, one client per file, in
 * file-name order. Other folders of the export (`connections/`, `resource-servers/`, …)
 * and non-JSON files in `clients/` (custom login pages) are not read.
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceKeywords, type KeywordMappings } from '../keywords.js';
import { describeFsError, stripBom } from '../text.js';
import type { LoadedClient, LoadFailure, LoadedTenant } from '../types.js';
import { parseJsonText } from './parse.js';
import { clientLines, lineFinder } from './source-lines.js';

/** A directory export's clients, plus the client files that could not be read. */
export interface DirectoryLoad {
  /** The export, or undefined when the directory is not one. */
  tenant?: LoadedTenant;
  /** Why the directory, or some of its client files, could not be read. */
  failures: LoadFailure[];
}

/**
 * Loads the directory export at `dir`. `dir` may also be the `clients` folder itself.
 * A directory with neither a `clients/` folder nor that name is not a tenant export.
 * Paths are shown as given and read relative to `cwd`.
 */
export async function loadTenantDirectory(
  dir: string,
  keywords: KeywordMappings,
  cwd: string,
): Promise<DirectoryLoad> {
  let entries: { name: string; isDirectory(): boolean; isFile(): boolean }[];
  try {
    entries = await readdir(path.resolve(cwd, dir), { withFileTypes: true });
  } catch (error) {
    return { failures: [{ file: dir, reason: describeFsError(error) }] };
  }
  const hasClientsDir = entries.some((entry) => entry.isDirectory() && entry.name === 'clients');
  let clientsDir: string;
  if (hasClientsDir) {
    clientsDir = path.join(dir, 'clients');
  } else if (path.basename(path.resolve(cwd, dir)) === 'clients') {
    clientsDir = dir;
  } else {
    return { failures: [{ file: dir, reason: notAnExport(entries.map((entry) => entry.name)) }] };
  }

  let files: string[];
  try {
    files = (await readdir(path.resolve(cwd, clientsDir), { withFileTypes: true }))
      .filter((entry) => !entry.isDirectory() && entry.name.toLowerCase().endsWith('.json'))
      .map((entry) => entry.name)
      .sort(compareNames);
  } catch (error) {
    return { failures: [{ file: clientsDir, reason: describeFsError(error) }] };
  }

  const clients: LoadedClient[] = [];
  const failures: LoadFailure[] = [];
  for (const name of files) {
    const file = path.join(clientsDir, name);
    let text: string;
    try {
      text = replaceKeywords(stripBom(await readFile(path.resolve(cwd, file), 'utf8')), keywords);
    } catch (error) {
      failures.push({ file, reason: describeFsError(error) });
      continue;
    }
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      failures.push({ file, reason: parsed.reason });
      continue;
    }
    clients.push({
      file,
      position: clients.length + 1,
      raw: parsed.value,
      lineOf: clientLines(lineFinder(text), []),
    });
  }
  return { tenant: { source: dir, format: 'deploy-cli-directory', clients }, failures };
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
