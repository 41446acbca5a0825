/**
 * Reading one side of a diff with the loaders `clientele check` uses: a path (Deploy CLI
 * YAML or JSON, a directory export, a FileStore file, a Management API dump saved as
 * JSON), or a tenant document already in memory (what the Management API reader builds).
 * Keyword markers are replaced in both, as the Deploy CLI replaces them.
 *
 * @module
 */
import { TenantReadError } from '../errors.js';
import { replaceKeywords, type KeywordMappings } from '../cli/keywords.js';
import { loadTenantExport } from '../cli/load.js';
import { readTenantDocument } from '../cli/loaders/tenant-document.js';
import { isRecord } from '../cli/pointer.js';
import type { LoadedTenant } from '../cli/types.js';
import type { ManagementApiTenant } from './management-api.js';
import type { DiffSide } from './types.js';

/**
 * One side of a diff: the path of a tenant export, or a tenant document (an object with a
 * `clients` list, and optionally `resourceServers`, `connections`, `databases` and
 * `clientGrants`, as a Deploy CLI `tenant.json` or a Management API dump holds them).
 */
export type TenantInput = string | ManagementApiTenant | Readonly<Record<string, unknown>>;

/** What {@link loadSide} read. */
export interface LoadedSide {
  /** Where it came from. */
  side: DiffSide;
  /** Its entries, as read. */
  tenant: LoadedTenant;
}

/** How a document given as an object is named in messages and in {@link DiffSide}. */
export const DOCUMENT_SOURCE = '(document)';

/**
 * Reads `input` (the `which` side). Throws {@link TenantReadError} when it cannot be read
 * in full: a diff of half a tenant would report what is missing as removed.
 */
export async function loadSide(
  input: TenantInput,
  which: 'before' | 'after',
  keywords: KeywordMappings,
  cwd: string,
): Promise<LoadedSide> {
  if (typeof input === 'string') {
    if (input === '') throw new TenantReadError(input, `${which}: the path is empty`);
    const loaded = await loadTenantExport(input, keywords, cwd);
    const [failure] = loaded.failures;
    const [tenant] = loaded.tenants;
    if (failure !== undefined || tenant === undefined) {
      const reason = failure ? `${failure.file}: ${failure.reason}` : `${input}: nothing was read`;
      throw new TenantReadError(input, `${which}: ${reason}`);
    }
    return { side: { source: input, format: tenant.format }, tenant };
  }
  if (!isRecord(input as unknown)) {
    throw new TenantReadError(
      DOCUMENT_SOURCE,
      `${which}: a tenant is a path or a tenant document (an object with a "clients" list)`,
    );
  }
  const result = readTenantDocument(documentValue(input as Record<string, unknown>, keywords), {
    file: DOCUMENT_SOURCE,
    syntax: 'json',
    lines: () => undefined,
  });
  if (!result.ok) throw new TenantReadError(DOCUMENT_SOURCE, `${which}: ${result.failure.reason}`);
  return { side: { source: DOCUMENT_SOURCE, format: result.tenant.format }, tenant: result.tenant };
}

/**
 * The document as the loaders would read it from a JSON file: its JSON form (what a
 * program put in it that JSON cannot carry is dropped, never walked), with keyword
 * markers replaced in its text.
 */
function documentValue(
  input: Readonly<Record<string, unknown>>,
  keywords: KeywordMappings,
): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(input);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TenantReadError(DOCUMENT_SOURCE, `the tenant document is not JSON data: ${why}`);
  }
  return JSON.parse(replaceKeywords(text ?? '{}', keywords)) as unknown;
}
