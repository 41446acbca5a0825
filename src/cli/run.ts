/**
 * `run`: the whole `clientele` command as a function of its inputs, so it can be tested
 * in-process; `main.ts` only wires it to the real process.
 *
 * @module
 */
import { findingAnnotations } from './annotation.js';
import { palette, useColour } from './ansi.js';
import { packageVersion, parseCommand, USAGE, type OutputFormat } from './args.js';
import { DIFF_USAGE } from './diff/args.js';
import { runDiff } from './diff/run.js';
import { checkCimd } from './check-cimd.js';
import { checkTenantFiles, type TenantCheckResult } from './check-files.js';
import type { ClientChecker } from './client-check.js';
import { formatGithub } from './format-github.js';
import { formatHuman, summaryText } from './format-human.js';
import { formatJson } from './format-json.js';
import { formatSarif } from './format-sarif.js';
import { loadKeywords, type KeywordMappings } from './keywords.js';
import { ruleHelp } from './rule-help.js';
import { printable } from './text.js';

/** A stream the CLI writes to (`process.stdout` qualifies). */
export interface TextSink {
  /** Writes text as it is. */
  write(text: string): unknown;
}

/** The inputs of one CLI invocation. */
export interface CliInvocation {
  /** Arguments after the program name (`process.argv.slice(2)`). */
  argv: readonly string[];
  /** Where the report goes. */
  stdout: TextSink;
  /** Where problems with the inputs go, one line each. */
  stderr: TextSink;
  /** Whether stdout is a terminal (colours are used only then). */
  isTTY: boolean;
  /** Environment variables (`NO_COLOR`, `FORCE_COLOR`, `TERM`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths start from; defaults to `process.cwd()`. */
  cwd?: string;
  /** @internal Replaces the library's validator and linter (tests only). */
  checker?: ClientChecker;
}

/** Exit codes of `clientele`. */
export const EXIT = {
  /** No errors (warnings allowed unless `--strict`). */
  ok: 0,
  /** At least one error, or a warning under `--strict`. */
  findings: 1,
  /** An input could not be read or is not a tenant export, or the usage is wrong. */
  input: 2,
} as const;

/** Runs `clientele` with `invocation` and resolves to the exit code. Never rejects. */
export async function run(invocation: CliInvocation): Promise<number> {
  const { stdout, stderr } = invocation;
  const fail = (line: string): number => {
    stderr.write(`clientele: ${printable(line)}\n`);
    return EXIT.input;
  };
  try {
    if (invocation.argv[0] === 'check-cimd') {
      return await checkCimd(invocation.argv.slice(1), {
        ...invocation,
        cwd: invocation.cwd ?? process.cwd(),
      });
    }
    const command = parseCommand(invocation.argv, invocation.env);
    switch (command.kind) {
      case 'help':
        stdout.write(USAGE);
        return EXIT.ok;
      case 'version':
        stdout.write(`${packageVersion()}\n`);
        return EXIT.ok;
      case 'usage-error':
        return fail(
          `${command.message} (see clientele ${command.topic === undefined ? '' : `${command.topic} `}--help)`,
        );
      case 'diff-help':
        stdout.write(DIFF_USAGE);
        return EXIT.ok;
      case 'diff':
        return await runDiff(command, invocation, fail);
      case 'check':
        break;
    }

    const cwd = invocation.cwd ?? process.cwd();
    let keywords: KeywordMappings = {};
    if (command.keywords !== undefined) {
      const loaded = await loadKeywords(command.keywords, cwd);
      if (!loaded.ok) return fail(`${command.keywords}: ${loaded.reason}`);
      keywords = loaded.mappings;
    }

    const result = await checkTenantFiles(command.paths, {
      keywords,
      cwd,
      ...(invocation.checker ? { checker: invocation.checker } : {}),
    });
    const report = REPORTS[command.format](result, { invocation, cwd });
    if (report !== '') stdout.write(report);
    for (const failure of result.failures) fail(`${failure.file}: ${failure.reason}`);

    if (result.failures.length > 0) return EXIT.input;
    const { errors, warnings } = result.summary;
    if (errors > 0 || (command.strict && warnings > 0)) return EXIT.findings;
    return EXIT.ok;
  } catch (error) {
    // A bug, not a bad input: still one line and exit 2 rather than a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    return fail(`internal error: ${message}`);
  }
}

/** What a report is written from. */
interface ReportContext {
  readonly invocation: CliInvocation;
  readonly cwd: string;
}

/** Each output format of `clientele check`, as text (empty: nothing to print). */
const REPORTS: Readonly<
  Record<OutputFormat, (result: TenantCheckResult, context: ReportContext) => string>
> = {
  human: (result, { invocation }) => {
    // Only failures: stderr says it all, an empty report would only add noise.
    if (result.exports.length === 0 && result.failures.length > 0) return '';
    const colours = palette(useColour(invocation.isTTY, invocation.env));
    return formatHuman(result.exports, result.summary, colours);
  },
  json: (result) => formatJson(result.findings, result.summary, result.failures),
  sarif: (result, { cwd }) =>
    formatSarif(findingAnnotations(result.findings), ruleHelp, failuresOf(result), {
      tool: 'clientele',
      version: packageVersion(),
      cwd,
    }),
  github: (result) =>
    formatGithub(
      findingAnnotations(result.findings),
      failuresOf(result),
      summaryText(result.summary, infoCount(result)),
    ),
};

function failuresOf(result: TenantCheckResult) {
  return result.failures.map(({ file, reason }) => ({ file, message: reason }));
}

function infoCount(result: TenantCheckResult): number {
  return result.findings.filter((finding) => finding.severity === 'info').length;
}
