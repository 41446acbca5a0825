/**
 * JSON pointer helpers for error paths.
 *
 * @module
 */
import { escapePointer } from '../lib/json-pointer.js';
import { InvalidArgumentError } from '../errors.js';

export { escapePointer };

/**
 * An `InvalidArgumentError` at `pointer` whose message starts with the pointer, as every
 * message of the library starts with the field it is about.
 *
 * @internal
 */
export function invalidAt(pointer: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(pointer, `${pointer || '(root)'} ${problem}`);
}
