/**
 * The shape the CI outputs (`--format sarif`, `--format github`) are written from: one
 * annotation per finding, at a file, line and column, with a rule id and a level. Any
 * command that reports located findings (`clientele check`, and others that compare or
 * check tenant files) turns its findings into annotations and reuses the formatters.
 *
 * @module
 */
import type { CheckSeverity, LocatedFinding } from './types.js';

/** How serious an annotation is, in the words SARIF and GitHub use (`note` for `info`). */
export type AnnotationLevel = 'error' | 'warning' | 'note';

/** One located finding, ready for a CI format. */
export interface Annotation {
  /** Rule id (`wildcard-url`). */
  readonly rule: string;
  /** How serious. */
  readonly level: AnnotationLevel;
  /** The text shown, naming the entry it is about (`Storefront: callbacks[1] …`). */
  readonly message: string;
  /** The file, relative to the working directory (as given) or absolute. */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** 1-based column (UTF-16 code units), when known. */
  readonly column?: number;
  /** What inside the file it is about, as a name a person reads (`Storefront/callbacks/1`). */
  readonly subject?: string;
}

/** An input that could not be checked at all, for the outputs that report it. */
export interface AnnotatedFailure {
  /** The path or pattern as given. */
  readonly file: string;
  /** Why, on one line. */
  readonly message: string;
}

/** The level of each severity of `clientele check`. */
export const LEVEL: Readonly<Record<CheckSeverity, AnnotationLevel>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** The findings of `clientele check` as annotations, in the same order. */
export function findingAnnotations(findings: readonly LocatedFinding[]): Annotation[] {
  return findings.map((finding) => ({
    rule: finding.rule,
    level: LEVEL[finding.severity],
    message: `${finding.client}: ${finding.message}`,
    file: finding.file,
    ...(finding.line === undefined ? {} : { line: finding.line }),
    ...(finding.column === undefined ? {} : { column: finding.column }),
    subject: `${finding.client}${finding.path}`,
  }));
}
