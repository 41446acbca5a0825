/**
 * `checkTenantFiles`: the whole of `clientele check` except printing, for programs and
 * tests that want the findings as data.
 *
 * @module
 */
import { checkTenant, entryReports, summarise } from './check.js';
import type { ClientChecker } from './client-check.js';
import { expandPaths } from './expand.js';
import type { KeywordMappings } from './keywords.js';
import { libraryChecker } from './library-checker.js';
import { loadTenantExport } from './load.js';
import type { CheckSummary, ExportReport, LoadFailure, LocatedFinding } from './types.js';

/** Options of {@link checkTenantFiles}. */
export interface CheckTenantFilesOptions {
  /** Keyword values for `##KEY##` and `@@KEY@@` markers (as in a `--keywords` file). */
  keywords?: KeywordMappings;
  /** Directory that relative paths and patterns start from; defaults to `process.cwd()`. */
  cwd?: string;
  /** @internal Replaces the library's validator and linter (tests only). */
  checker?: ClientChecker;
}

/** What {@link checkTenantFiles} found. */
export interface TenantCheckResult {
  /**
   * Every finding, in the order checked: per export, those of its clients, then of its
   * APIs, connections and client grants.
   */
  findings: LocatedFinding[];
  /** Totals, as in the CLI's JSON output. */
  summary: CheckSummary;
  /** Paths that could not be checked (the CLI exits with 2 when there is any). */
  failures: LoadFailure[];
  /** Per export, every client, API, connection and grant checked, with or without findings. */
  exports: ExportReport[];
}

/**
 * Loads, validates and lints the tenant exports at `paths` (files, directory exports or
 * glob patterns), exactly as `clientele check` does, without printing anything: every
 * client, and every API, connection and client grant with the references between them.
 *
 * @example
 * ```ts
 * const { summary, findings } = await checkTenantFiles(['tenant.yaml'], {
 *   keywords: { ENV: 'dev' },
 * });
 * if (summary.errors > 0) console.error(findings);
 * ```
 */
export async function checkTenantFiles(
  paths: readonly string[],
  options: CheckTenantFilesOptions = {},
): Promise<TenantCheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const checker = options.checker ?? libraryChecker;
  const expanded = await expandPaths(paths, cwd);
  const failures: LoadFailure[] = [...expanded.failures];
  const exports: ExportReport[] = [];
  for (const target of expanded.paths) {
    const loaded = await loadTenantExport(target, options.keywords ?? {}, cwd);
    failures.push(...loaded.failures);
    for (const tenant of loaded.tenants) exports.push(checkTenant(tenant, checker));
  }
  const findings = exports.flatMap((exported) =>
    entryReports(exported).flatMap((report) => report.findings),
  );
  return { findings, summary: summarise(exports), failures, exports };
}
