/** What every built-in sink factory accepts. */
import { InvalidArgumentError } from '../../errors.js';
import type { AuditSink } from '../event.js';

/** Options every built-in sink factory accepts. */
export interface AuditSinkOptions {
  /**
   * Only events whose type matches one of these minimatch globs (`['f*', 'sapi']`) reach
   * the sink. All events when absent.
   */
  types?: readonly string[];
}

/**
 * `{ types }` as a frozen copy when given, `{}` otherwise (exactOptionalPropertyTypes).
 * The globs themselves are checked and compiled by the trail that uses the sink.
 */
export function typesOf(options: AuditSinkOptions): Pick<AuditSink, 'types'> {
  const { types } = options;
  if (types === undefined) return {};
  if (!Array.isArray(types)) {
    throw new InvalidArgumentError('/options/types', 'types must be an array of glob strings');
  }
  return { types: Object.freeze([...types]) };
}
