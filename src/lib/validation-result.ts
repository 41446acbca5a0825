/**
 * The result type of validation functions that never throw.
 */
import type { Issue } from '../errors.js';

/**
 * Either the validated (normalised) value, or every problem found, each at its JSON
 * pointer. Validation functions return it instead of throwing.
 *
 * @typeParam T - the type of the validated value
 * @example
 * ```ts
 * const result = validateClientSettings(input);
 * if (!result.ok) for (const issue of result.issues) console.log(issue.path, issue.message);
 * ```
 */
export type ValidationResult<T> =
  | {
      /** Validation passed. */
      ok: true;
      /** The normalised value. */
      value: T;
    }
  | {
      /** Validation failed. */
      ok: false;
      /** Every problem found, at least one. */
      issues: Issue[];
    };
