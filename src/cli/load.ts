/**
 * Loads every tenant export named on the command line.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { KeywordMappings } from './keywords.js';
import { loadTenantDirectory } from './loaders/directory.js';
import { loadTenantFile } from './loaders/file.js';
import { describeFsError } from './text.js';
import type { LoadFailure, LoadedTenant } from './types.js';

/** The exports that loaded, and one failure per path (or client file) that did not. */
export interface LoadOutcome {
  /** Exports that were read, in the order of the paths. */
  tenants: LoadedTenant[];
  /** Paths that could not be read or are not tenant exports. */
  failures: LoadFailure[];
}

/**
 * Loads a tenant export from `target`: a directory is a Deploy CLI directory export, a
 * file is a tenant file (see `loadTenantFile`). Keyword markers are replaced first.
 */
export async function loadTenantExport(
  target: string,
  keywords: KeywordMappings = {},
  cwd: string = process.cwd(),
): Promise<LoadOutcome> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path.resolve(cwd, target))).isDirectory();
  } catch (error) {
    return { tenants: [], failures: [{ file: target, reason: describeFsError(error) }] };
  }
  if (isDirectory) {
    const { tenant, failures } = await loadTenantDirectory(target, keywords, cwd);
    return { tenants: tenant ? [tenant] : [], failures };
  }
  const result = await loadTenantFile(target, keywords, cwd);
  return result.ok
    ? { tenants: [result.tenant], failures: [] }
    : { tenants: [], failures: [result.failure] };
}
