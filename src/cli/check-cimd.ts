/**
 * `clientele check-cimd <file-or-url>`: validates a Client ID Metadata Document as the
 * authorization server will, from a file (checked against the URL it will be served at:
 * `--url`, or its own `client_id`) or fetched from its URL with the server's safeguards.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { looksLikeClientIdUrl } from '../cimd/client-id-url.js';
import { fetchClientMetadataDocument } from '../cimd/fetch.js';
import { validateClientMetadataDocument } from '../cimd/validate.js';
import { isClienteleError, type Issue } from '../errors.js';
import { printable } from './text.js';

/** Usage of `clientele check-cimd`. */
export const CHECK_CIMD_USAGE = `Usage: clientele check-cimd [options] <file-or-url>

Validates a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document)
as a clientele authorization server will: a JSON file, or an https URL fetched with
the server's limits (no redirects, 5 KB, application/json, no private addresses).

Options:
  --url <url>        the URL the file will be served at (default: its client_id)
  --allow-private    fetch from private and loopback addresses (local testing only)
  --format <format>  human (default) or json: { valid, violations, warnings }
  -h, --help         show this help

Exit codes: 0 valid, 1 invalid, 2 unreadable, not fetched, or bad usage.
`;

const MAX_FILE_BYTES = 1024 * 1024;

/** The streams and directory of one invocation. */
interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

/** Runs `check-cimd` with the arguments after the command name; resolves to the exit code. */
export async function checkCimd(argv: readonly string[], io: Io): Promise<number> {
  const fail = (line: string): number => {
    io.stderr.write(`clientele check-cimd: ${printable(line)}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        'allow-private': { type: 'boolean' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout.write(CHECK_CIMD_USAGE);
    return 0;
  }
  const format = values.format ?? 'human';
  if (format !== 'human' && format !== 'json') return fail('--format must be human or json');
  if (positionals.length !== 1) return fail('give exactly one file or URL (see --help)');
  const target = positionals[0] ?? '';
  let document: unknown;
  let url: string;
  if (looksLikeClientIdUrl(target)) {
    url = target;
    try {
      document = (
        await fetchClientMetadataDocument(target, {
          allowPrivateNetwork: values['allow-private'] === true,
        })
      ).document;
    } catch (error) {
      return fail(isClienteleError(error) ? `${error.code}: ${error.message}` : String(error));
    }
  } else {
    try {
      const file = path.resolve(io.cwd, target);
      const text = await readFile(file, 'utf8');
      if (Buffer.byteLength(text) > MAX_FILE_BYTES) return fail(`${target}: larger than 1 MB`);
      document = JSON.parse(text);
    } catch (error) {
      return fail(`${target}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const own = (document as { client_id?: unknown } | null)?.client_id;
    url = values.url ?? (typeof own === 'string' ? own : '');
    if (url === '') return fail(`${target}: no client_id to check against; pass --url`);
  }
  const result = validateClientMetadataDocument(document, url);
  const violations: readonly Issue[] = result.ok ? [] : result.issues;
  if (format === 'json') {
    io.stdout.write(
      `${JSON.stringify({ valid: result.ok, violations, warnings: result.warnings }, null, 2)}\n`,
    );
  } else {
    const lines = [
      `${result.ok ? 'ok' : 'invalid'}  ${url}`,
      ...violations.map((issue) => `  error    ${issue.path || '/'}  ${issue.message}`),
      ...result.warnings.map((issue) => `  warning  ${issue.path}  ${issue.message}`),
    ];
    io.stdout.write(`${lines.map((line) => printable(line)).join('\n')}\n`);
  }
  return result.ok ? 0 : 1;
}
