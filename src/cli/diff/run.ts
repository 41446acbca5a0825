/**
 * `clientele diff`: reads the two sides (a live one through its Management API), diffs
 * them with `diffTenants` and prints the report in the format asked for.
 *
 * @module
 */
import { palette, useColour } from '../ansi.js';
import { packageVersion } from '../args.js';
import { formatGithub } from '../format-github.js';
import { formatSarif } from '../format-sarif.js';
import { loadKeywords, type KeywordMappings } from '../keywords.js';
import { diffTenants } from '../../diff/diff-tenants.js';
import { readManagementApiTenant } from '../../diff/management-api.js';
import type { TenantInput } from '../../diff/sources.js';
import type { TenantDiff } from '../../diff/types.js';
import { isClienteleError } from '../../errors.js';
import { changeAnnotations, diffRuleHelp } from './annotations.js';
import type { DiffCommand, DiffFormat, LiveSource } from './args.js';
import { summaryText } from './describe.js';
import { formatDiffHuman } from './format-human.js';
import { formatDiffMarkdown } from './format-markdown.js';

/** What `clientele diff` needs of its invocation (see `DiffInvocation` in `run.ts`). */
export interface DiffInvocation {
  /** Where the report goes. */
  readonly stdout: { write(text: string): unknown };
  /** Whether stdout is a terminal (colours are used only then). */
  readonly isTTY: boolean;
  /** Environment variables (`NO_COLOR`, `FORCE_COLOR`, `TERM`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths start from; defaults to `process.cwd()`. */
  readonly cwd?: string | undefined;
}

/** Exit codes of `clientele diff`. */
export const DIFF_EXIT = {
  /** Nothing changes (nothing destructive with `--fail-on destructive`). */
  same: 0,
  /** Something changes. */
  changed: 1,
  /** A side could not be read, or the usage is wrong. */
  error: 2,
} as const;

/**
 * Runs a parsed `clientele diff` and resolves to its exit code. `fail` prints one line on
 * stderr and returns exit code 2.
 */
export async function runDiff(
  command: DiffCommand,
  invocation: DiffInvocation,
  fail: (line: string) => number,
): Promise<number> {
  const cwd = invocation.cwd ?? process.cwd();
  let keywords: KeywordMappings = {};
  if (command.keywords !== undefined) {
    const loaded = await loadKeywords(command.keywords, cwd);
    if (!loaded.ok) return fail(`${command.keywords}: ${loaded.reason}`);
    keywords = loaded.mappings;
  }

  let diff: TenantDiff;
  try {
    const exported: TenantInput = command.before;
    const other = typeof command.after === 'string' ? command.after : await readLive(command.after);
    diff = command.reverse
      ? await diffTenants(other, exported, { keywords, cwd })
      : await diffTenants(exported, other, { keywords, cwd });
  } catch (error) {
    if (isClienteleError(error)) return fail(error.message);
    throw error;
  }
  if (typeof command.after !== 'string') {
    // The live side was read into a document; name it by its URL.
    const live = { source: command.after.url, format: 'management-api' as const };
    if (command.reverse) diff.before = live;
    else diff.after = live;
  }

  invocation.stdout.write(REPORTS[command.format](diff, invocation, cwd));
  const failing =
    command.failOn === 'destructive' ? diff.summary.destructive : diff.summary.changes;
  return failing > 0 ? DIFF_EXIT.changed : DIFF_EXIT.same;
}

function readLive(live: LiveSource) {
  return readManagementApiTenant({
    url: live.url,
    ...(live.token === undefined ? {} : { token: live.token }),
    ...(live.clientId === undefined ? {} : { clientId: live.clientId }),
    ...(live.clientSecret === undefined ? {} : { clientSecret: live.clientSecret }),
  });
}

/** Each output format of `clientele diff`. */
const REPORTS: Readonly<
  Record<DiffFormat, (diff: TenantDiff, invocation: DiffInvocation, cwd: string) => string>
> = {
  human: (diff, invocation) =>
    formatDiffHuman(diff, palette(useColour(invocation.isTTY, invocation.env))),
  json: (diff) => `${JSON.stringify(diff, null, 2)}\n`,
  markdown: (diff) => formatDiffMarkdown(diff),
  sarif: (diff, _invocation, cwd) =>
    formatSarif(changeAnnotations(diff.changes, diff.before.source), diffRuleHelp, [], {
      tool: 'clientele',
      version: packageVersion(),
      cwd,
    }),
  github: (diff) =>
    formatGithub(changeAnnotations(diff.changes, diff.before.source), [], summaryText(diff)),
};
