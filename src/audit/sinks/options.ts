/** What every built-in sink factory accepts. */
import type { AuditSink } from '../event.js';

/** Options every built-in sink factory accepts. */
export interface AuditSinkOptions {
  /**
   * Only events whose type matches one of these minimatch globs (`['f*', 'sapi']`) reach
   * the sink. All events when absent.
   */
  types?: readonly string[];
}

/** `{ types }` as a frozen copy when given, `{}` otherwise (exactOptionalPropertyTypes). */
export function typesOf(options: AuditSinkOptions): Pick<AuditSink, 'types'> {
  return options.types === undefined ? {} : { types: Object.freeze([...options.types]) };
}
