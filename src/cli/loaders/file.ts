/**
 * Loads one tenant file: Deploy CLI YAML, this library's tenant JSON, a FileStore file,
 * or a single `clients/<name>.json` of a Deploy CLI directory export.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceKeywordsMapped, type KeywordMappings } from '../keywords.js';
import { describeFsError, stripBom } from '../text.js';
import type { LoadResult } from '../types.js';
import { parseJsonText, parseYamlText } from './parse.js';
import { resolveDirectoryFiles, resolveYamlFiles } from './file-references.js';
import { lineFinder } from './source-lines.js';
import { readTenantDocument } from './tenant-document.js';

/**
 * Reads, keyword-replaces and parses `file` (`.json` as JSON, anything else as YAML),
 * then recognises it as a tenant export. `file` is shown as given and read relative to `cwd`.
 */
export async function loadTenantFile(
  file: string,
  keywords: KeywordMappings,
  cwd: string,
): Promise<LoadResult> {
  let text: string;
  try {
    text = stripBom(await readFile(path.resolve(cwd, file), 'utf8'));
  } catch (error) {
    return { ok: false, failure: { file, reason: describeFsError(error) } };
  }
  const written = text;
  const replaced = replaceKeywordsMapped(written, keywords);
  text = replaced.text;
  // Positions are reported in the file as written, not in the replaced text.
  const source = text === written ? undefined : { text: written, original: replaced.original };
  const syntax = path.extname(file).toLowerCase() === '.json' ? 'json' : 'yaml';
  const parsed = syntax === 'json' ? parseJsonText(text) : parseYamlText(text, source);
  if (!parsed.ok) return { ok: false, failure: { file, reason: parsed.reason } };
  const lines = parsed.lines ?? lineFinder(text, source);
  const result = readTenantDocument(parsed.value, { file, syntax, lines });
  if (!result.ok) return result;
  const { tenant } = result;
  switch (tenant.format) {
    case 'deploy-cli-yaml':
      return { ok: true, tenant: await resolveYamlFiles(tenant, file, { cwd, keywords }) };
    case 'deploy-cli-directory': // one clients/<name>.json file
      return { ok: true, tenant: await resolveDirectoryFiles(tenant, { cwd, keywords }) };
    default:
      return result;
  }
}
