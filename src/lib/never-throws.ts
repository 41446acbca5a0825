/**
 * The shell every public validator shares: read `{ partial }` from options that may be
 * anything, and turn an unexpected exception into an issue instead of a crash.
 */
import type { ValidationResult } from './validation-result.js';

/**
 * Runs `validate(input, partial)` so that it never throws: `partial` is read defensively
 * from `options` (a getter that throws counts as `false`), and an exception, which would
 * be a bug since inputs are copied before anything reads them, becomes one
 * `internal_error` issue saying what could not be validated.
 *
 * @internal
 */
export function validateSafely<T>(
  what: string,
  input: unknown,
  options: unknown,
  validate: (input: unknown, partial: boolean) => ValidationResult<T>,
): ValidationResult<T> {
  try {
    return validate(input, readPartial(options));
  } catch {
    return {
      ok: false,
      issues: [{ path: '', code: 'internal_error', message: `${what} could not be validated` }],
    };
  }
}

function readPartial(options: unknown): boolean {
  try {
    return (
      typeof options === 'object' &&
      options !== null &&
      (options as { partial?: unknown }).partial === true
    );
  } catch {
    return false;
  }
}
