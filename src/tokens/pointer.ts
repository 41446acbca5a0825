/**
 * JSON pointer helpers for error paths.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/**
 * Escapes one JSON pointer reference token (RFC 6901 §3), so a claim or member name with
 * `/` or `~` still yields a pointer that resolves to it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6901#section-3
 * @internal
 */
export function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * An `InvalidArgumentError` at `pointer` whose message starts with the pointer, as every
 * message of the library starts with the field it is about.
 *
 * @internal
 */
export function invalidAt(pointer: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(pointer, `${pointer || '(root)'} ${problem}`);
}
