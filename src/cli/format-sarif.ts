/**
 * `--format sarif`: a SARIF 2.1.0 log, the format GitHub code scanning (and most other
 * code-scanning services) reads. One run; `tool.driver.rules` describes every rule that has
 * a result, each result points at its file, line and column (relative paths resolve
 * against `%SRCROOT%`, the working directory) and names the entry and JSON pointer as its
 * logical location. Inputs that could not be checked are tool execution notifications,
 * and the invocation then did not succeed.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @module
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LEVEL, type Annotation, type AnnotatedFailure } from './annotation.js';
import type { RuleHelp } from './rule-help.js';

/** The schema a SARIF 2.1.0 log names. */
export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Who wrote the log, and where relative paths start. */
export interface SarifOptions {
  /** The tool's name (`clientele`). */
  readonly tool: string;
  /** The tool's version. */
  readonly version: string;
  /** Where the tool is documented, when known. */
  readonly informationUri?: string;
  /** The directory relative paths in the annotations start from. */
  readonly cwd: string;
}

/** The SARIF log as text (two-space indented, with a final newline). */
export function formatSarif(
  annotations: readonly Annotation[],
  help: (rule: string) => RuleHelp,
  failures: readonly AnnotatedFailure[],
  options: SarifOptions,
): string {
  const rules = [...new Set(annotations.map((annotation) => annotation.rule))].map(help);
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.tool,
            version: options.version,
            ...(options.informationUri === undefined
              ? {}
              : { informationUri: options.informationUri }),
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(options.cwd) } },
        invocations: [
          {
            executionSuccessful: failures.length === 0,
            toolExecutionNotifications: failures.map((failure) => ({
              level: 'error',
              message: { text: failure.message },
              locations: [{ physicalLocation: { artifactLocation: artifact(failure.file) } }],
            })),
          },
        ],
        results: annotations.map((annotation) => ({
          ruleId: annotation.rule,
          ruleIndex: index.get(annotation.rule),
          level: annotation.level,
          message: { text: annotation.message },
          locations: [location(annotation)],
          partialFingerprints: { 'clienteleFinding/v1': fingerprint(annotation) },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: RuleHelp) {
  return {
    id: rule.id,
    shortDescription: { text: firstSentence(rule.description) },
    fullDescription: { text: rule.description },
    help: {
      text:
        rule.helpUri === undefined ? rule.description : `${rule.description} See ${rule.helpUri}`,
    },
    ...(rule.helpUri === undefined ? {} : { helpUri: rule.helpUri }),
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
}

function location(annotation: Annotation) {
  const region =
    annotation.line === undefined
      ? undefined
      : {
          startLine: annotation.line,
          ...(annotation.column === undefined ? {} : { startColumn: annotation.column }),
        };
  return {
    physicalLocation: {
      artifactLocation: artifact(annotation.file),
      ...(region === undefined ? {} : { region }),
    },
    ...(annotation.subject === undefined
      ? {}
      : { logicalLocations: [{ fullyQualifiedName: annotation.subject, kind: 'object' }] }),
  };
}

/** A relative path as a URI reference against `%SRCROOT%`; an absolute one as a file URL. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const segments = file
    .split(path.sep === '/' ? '/' : /[\\/]/)
    .filter((segment) => segment !== '' && segment !== '.');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(path.resolve(directory)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Stable across edits that move the finding to another line: the rule, the file and what
 * in it the finding is about, not the line.
 */
function fingerprint(annotation: Annotation): string {
  return createHash('sha256')
    .update(`${annotation.rule}\0${annotation.file}\0${annotation.subject ?? annotation.message}`)
    .digest('hex')
    .slice(0, 32);
}

function firstSentence(text: string): string {
  const end = text.search(/[.;:](?:\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1).replace(/[;:]$/, '.');
}
