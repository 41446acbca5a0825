/**
 * The command line of `clientele diff`, with `node:util`'s `parseArgs`.
 *
 * @module
 */
import { parseArgs } from 'node:util';

/** Output formats of `clientele diff`. */
export const DIFF_FORMATS = ['human', 'json', 'markdown', 'sarif', 'github'] as const;

/** An output format of `clientele diff`. */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Which changes make `clientele diff` exit with 1. */
export const FAIL_ON = ['any', 'destructive'] as const;

/** A value of `--fail-on`. */
export type FailOn = (typeof FAIL_ON)[number];

/** A live tenant to read through its Management API (`--live`). */
export interface LiveSource {
  /** The Management API URL. */
  url: string;
  /** `--token`, or `AUTH0_ACCESS_TOKEN`. */
  token?: string;
  /** `--client-id`, or `AUTH0_CLIENT_ID`. */
  clientId?: string;
  /** `--client-secret`, or `AUTH0_CLIENT_SECRET`. */
  clientSecret?: string;
}

/** `clientele diff …` as parsed. */
export interface DiffCommand {
  /** Discriminates the command. */
  kind: 'diff';
  /** The before side: a path. */
  before: string;
  /** The after side: a path, or the live tenant. */
  after: string | LiveSource;
  /** `--reverse`: the live tenant is the before side (what a deploy of the export changes). */
  reverse: boolean;
  /** The `--keywords` file, if any. */
  keywords?: string;
  /** `--format`. */
  format: DiffFormat;
  /** `--fail-on`. */
  failOn: FailOn;
}

/** What {@link parseDiffCommand} returns. */
export type ParsedDiff =
  | DiffCommand
  | {
      /** `clientele diff --help`. */
      kind: 'diff-help';
    }
  | {
      /** The command line is wrong; exit 2. */
      kind: 'usage-error';
      /** One line saying what is wrong. */
      message: string;
      /** Always `diff`: the help to point to. */
      topic: 'diff';
    };

/** The text of `clientele diff --help`. */
export const DIFF_USAGE = `Usage: clientele diff [options] <before> <after>
       clientele diff [options] <export> --live <management-api-url>

Shows what changes between two tenants, semantically: clients, APIs, connections
and client grants paired as the Auth0 Deploy CLI pairs them, compared after
Auth0's defaults are filled in, so a change Auth0 would not see is no change.
Each side is a tenant export as clientele check reads it (Deploy CLI YAML or
JSON, a directory export, a Management API dump saved as JSON). Destructive
changes (a deleted client, connection or API, a callback or origin removed, a
grant narrowed, a connection disabled for a client, a signing algorithm or
authentication method changed) are flagged.

Options:
  --live <url>            the after side is the live tenant, read through its
                          Management API (https://TENANT/api/v2/): drift since
                          the export, such as changes made in the dashboard
  --token <token>         a Management API token for --live (or AUTH0_ACCESS_TOKEN)
  --client-id <id>        a client to get one by client credentials (or
  --client-secret <s>     AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET)
  --reverse               with --live: the live tenant is the before side, so the
                          diff shows what deploying the export would change
  --keywords <file.json>  values for ##KEY## and @@KEY@@ markers, in both sides
  --fail-on <any|destructive>
                          what exits with 1 (default: any change)
  --format <format>       output format (default: human):
                          human     changes grouped by object, for people
                          json      { before, after, compared, changes, summary }
                          markdown  a pull-request comment
                          sarif     SARIF 2.1.0, for code scanning
                          github    GitHub Actions annotations
  -h, --help              show this help

Exit codes: 0 no change (no destructive change with --fail-on destructive),
1 changes, 2 a side could not be read, or bad usage.
`;

/**
 * Parses the arguments after `diff`. Never throws. `env` supplies the Deploy CLI's
 * variables for `--live` credentials not given as options.
 */
export function parseDiffCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedDiff {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        live: { type: 'string' },
        token: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        reverse: { type: 'boolean' },
        keywords: { type: 'string' },
        'fail-on': { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? message;
    return usage(
      (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${option}`
        : `option ${option} needs a value`,
    );
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'diff-help' };
  const format = values.format ?? 'human';
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) {
    return usage(`--format must be one of ${DIFF_FORMATS.join(', ')}, not "${format}"`);
  }
  const failOn = values['fail-on'] ?? 'any';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    return usage(`--fail-on must be any or destructive, not "${failOn}"`);
  }
  const common = {
    kind: 'diff' as const,
    ...(values.keywords === undefined ? {} : { keywords: values.keywords }),
    format: format as DiffFormat,
    failOn: failOn as FailOn,
    reverse: values.reverse === true,
  };
  const credentials = [values.token, values['client-id'], values['client-secret']];
  if (values.live === undefined) {
    if (credentials.some((value) => value !== undefined) || values.reverse) {
      return usage('--token, --client-id, --client-secret and --reverse go with --live');
    }
    if (positionals.length !== 2) {
      return usage(`diff needs two tenants, <before> and <after> (got ${positionals.length})`);
    }
    const [before = '', after = ''] = positionals;
    return { ...common, before, after };
  }
  if (positionals.length !== 1) {
    return usage(`diff --live needs one tenant export to compare with (got ${positionals.length})`);
  }
  const token = values.token ?? env['AUTH0_ACCESS_TOKEN'];
  const clientId = values['client-id'] ?? env['AUTH0_CLIENT_ID'];
  const clientSecret = values['client-secret'] ?? env['AUTH0_CLIENT_SECRET'];
  const byClient = values['client-id'] !== undefined || values['client-secret'] !== undefined;
  const live: LiveSource = { url: values.live };
  if (values.token !== undefined && byClient) {
    return usage('give --token or --client-id and --client-secret, not both');
  }
  if (token !== undefined && token !== '' && !byClient) {
    live.token = token;
  } else if (clientId && clientSecret) {
    live.clientId = clientId;
    live.clientSecret = clientSecret;
  } else {
    return usage(
      '--live needs --token (or AUTH0_ACCESS_TOKEN), or --client-id and --client-secret (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET)',
    );
  }
  return { ...common, before: positionals[0] ?? '', after: live };
}

function usage(message: string): ParsedDiff {
  return { kind: 'usage-error', message, topic: 'diff' };
}
