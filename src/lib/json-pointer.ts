/**
 * JSON pointer reference tokens (RFC 6901), for the paths in issues and errors.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6901#section-3
 */

/**
 * Escapes one reference token, so a member name with `/` or `~` still yields a pointer
 * that resolves to it.
 *
 * @internal
 */
export function escapePointer(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
