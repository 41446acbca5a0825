/**
 * `--format github`: GitHub Actions workflow commands, one line per finding, which the
 * runner turns into annotations on the pull request's files:
 *
 * ```text
 * ::warning file=auth0/tenant.yaml,line=31,col=9,title=wildcard-url::Storefront: callbacks[1] …
 * ```
 *
 * Values are escaped as the runner expects (`%`, CR and LF in the message; also `:` and
 * `,` in properties), and control and bidi characters are shown as escapes, so a tenant
 * file can neither start a workflow command of its own nor disguise one.
 *
 * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 * @module
 */
import type { Annotation, AnnotatedFailure, AnnotationLevel } from './annotation.js';
import { printable } from './text.js';

const COMMAND: Readonly<Record<AnnotationLevel, string>> = {
  error: 'error',
  warning: 'warning',
  note: 'notice',
};

/**
 * The workflow commands for `annotations`, then one `error` command per input that could
 * not be checked, then `summary` as a plain log line.
 */
export function formatGithub(
  annotations: readonly Annotation[],
  failures: readonly AnnotatedFailure[],
  summary: string,
): string {
  const lines = annotations.map((annotation) => {
    const properties: [string, string | number | undefined][] = [
      ['file', annotation.file],
      ['line', annotation.line],
      ['col', annotation.column],
      ['title', annotation.rule],
    ];
    return command(COMMAND[annotation.level], properties, annotation.message);
  });
  for (const failure of failures) {
    lines.push(
      command(
        'error',
        [
          ['file', failure.file],
          ['title', 'unreadable-input'],
        ],
        failure.message,
      ),
    );
  }
  lines.push(printable(summary));
  return `${lines.join('\n')}\n`;
}

function command(
  name: string,
  properties: readonly [string, string | number | undefined][],
  message: string,
): string {
  const props = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

function escapeData(text: string): string {
  return printable(text.replaceAll('%', '%25')).replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
