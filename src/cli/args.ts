/**
 * Command-line parsing for `clientele`, with `node:util`'s `parseArgs`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { packageRoot } from '../lib/package-root.js';
import { parseDiffCommand, type DiffCommand } from './diff/args.js';
import { oneLine } from './text.js';

/** Output formats of `clientele check`. */
export const OUTPUT_FORMATS = ['human', 'json', 'sarif', 'github'] as const;

/** An output format of `clientele check`. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What the command line asks for. */
export type Command =
  | {
      /** `--help`: print the usage. */
      kind: 'help';
    }
  | {
      /** `--version`: print the package version. */
      kind: 'version';
    }
  | {
      /** `check <path...>`: check tenant exports. */
      kind: 'check';
      /** Files, directories and glob patterns, as given. */
      paths: string[];
      /** The `--keywords` file, if any. */
      keywords?: string;
      /** `--strict`: warnings fail the check too. */
      strict: boolean;
      /** `--format`. */
      format: OutputFormat;
    }
  | DiffCommand
  | {
      /** `diff --help`: print the usage of `clientele diff`. */
      kind: 'diff-help';
    }
  | {
      /** The command line is wrong; exit 2. */
      kind: 'usage-error';
      /** One line saying what is wrong. */
      message: string;
      /** The command whose help to point to (`diff`), when not the general one. */
      topic?: 'diff';
    };

/** The text of `clientele --help`. */
export const USAGE = `Usage: clientele check [options] <path...>
       clientele diff [options] <before> <after>   (see clientele diff --help)

Validates and lints every client of Auth0 tenant exports, and validates their
APIs, connections and client grants and the references between them: Deploy CLI
YAML (tenant.yaml), Deploy CLI directory exports (a directory with
clients/*.json), and clientele tenant JSON ({ "clients": [...] }). Paths may be
glob patterns (quote them: 'tenants/**/tenant.yaml').

Options:
  --keywords <file.json>  values for ##KEY## (text) and @@KEY@@ (JSON) markers,
                          as the Auth0 Deploy CLI replaces them
  --strict                fail on warnings too
  --format <format>       output format (default: human):
                          human   findings grouped by client, for people
                          json    { findings, summary, failures }, each finding
                                  with file, line and column
                          sarif   SARIF 2.1.0, for code scanning (GitHub and others)
                          github  GitHub Actions annotations (workflow commands)
  -h, --help              show this help
  -v, --version           show the version

Exit codes: 0 no errors (warnings allowed), 1 errors (or warnings with --strict),
2 an input could not be read or is not a tenant export, or bad usage.

clientele check-cimd <file-or-url> validates a Client ID Metadata Document
(clientele check-cimd --help).
`;

/**
 * Parses `argv` (the arguments after the program name). Never throws. `env` gives
 * `clientele diff --live` the Deploy CLI's credential variables.
 */
export function parseCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Command {
  if (argv[0] === 'diff') return parseDiffCommand(argv.slice(1), env);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        keywords: { type: 'string' },
        strict: { type: 'boolean' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    return { kind: 'usage-error', message: describeParseError(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...paths] = positionals;
  if (command === undefined) {
    return { kind: 'usage-error', message: 'missing command: try clientele check <path...>' };
  }
  if (command === 'diff') {
    return {
      kind: 'usage-error',
      message: 'diff takes its options after it: clientele diff [options] <before> <after>',
    };
  }
  if (command !== 'check') {
    return {
      kind: 'usage-error',
      message: `unknown command "${command}": the commands are check and diff`,
    };
  }
  if (paths.length === 0) {
    return { kind: 'usage-error', message: 'check needs at least one path to a tenant export' };
  }
  const format = values.format ?? 'human';
  if (!isOutputFormat(format)) {
    return {
      kind: 'usage-error',
      message: `--format must be one of ${OUTPUT_FORMATS.join(', ')}, not "${format}"`,
    };
  }
  return {
    kind: 'check',
    paths,
    ...(values.keywords === undefined ? {} : { keywords: values.keywords }),
    strict: values.strict === true,
    format,
  };
}

function isOutputFormat(format: string): format is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(format);
}

/** The package version, read from the package's package.json. */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL('package.json', packageRoot()), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** parseArgs' messages are long and suggest `--`; say the essential part instead. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = oneLine(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option
        ? `option ${option} ${/missing/.test(message) ? 'needs a value' : 'takes no value'}`
        : message;
    default:
      return message;
  }
}
