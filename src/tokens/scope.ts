/**
 * OAuth scopes (RFC 6749 §3.3): parsing a requested `scope` and deciding what a
 * client-credentials token gets from its client grant.
 *
 * @module
 */
import { InvalidArgumentError, InvalidScopeError } from '../errors.js';

/**
 * `scope-token = 1*NQCHAR`, `NQCHAR = %x21 / %x23-5B / %x5D-7E`: printable ASCII except
 * space, `"` and `\`.
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** At most this many refused scopes are named in an error message. */
const MAX_NAMED = 5;

/**
 * Splits a `scope` parameter into its tokens, strictly per RFC 6749 §3.3: tokens of
 * NQCHAR separated by exactly one space, no leading or trailing space, not empty.
 * Duplicates are dropped (the order of first appearance is kept).
 *
 * @throws {@link InvalidScopeError} when `scope` is malformed (the message says how, and
 *   quotes no more than the offending token).
 * @example
 * ```ts
 * parseScope('read:users write:users'); // ['read:users', 'write:users']
 * parseScope('read  write');            // throws InvalidScopeError (two spaces)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 * @internal
 */
export function parseScope(scope: string): string[] {
  if (typeof scope !== 'string') throw new InvalidScopeError('scope must be a string');
  if (scope === '') {
    throw new InvalidScopeError('scope must not be empty: omit it to request every granted scope');
  }
  const tokens = scope.split(' ');
  for (const token of tokens) {
    if (token === '') {
      throw new InvalidScopeError('scope tokens must be separated by exactly one space');
    }
    if (!SCOPE_TOKEN.test(token)) {
      throw new InvalidScopeError(
        "scope tokens may only contain printable ASCII other than space, '\"' and '\\' (RFC 6749 §3.3)",
      );
    }
  }
  return [...new Set(tokens)];
}

/**
 * The scopes a client-credentials token carries: every granted scope when none is
 * requested, otherwise the requested ones, which must all be granted.
 *
 * @param requested - the request's `scope` parameter, or `undefined` when absent
 * @param granted - the client grant's scopes for the audience
 * @throws {@link InvalidScopeError} when `requested` is malformed or names a scope that
 *   is not granted (the message lists those scopes).
 * @throws {@link InvalidArgumentError} when a granted scope is not a valid scope token.
 * @example
 * ```ts
 * resolveScopes(undefined, ['read', 'write']);   // ['read', 'write']
 * resolveScopes('read', ['read', 'write']);      // ['read']
 * resolveScopes('admin', ['read']);              // throws InvalidScopeError
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 * @internal
 */
export function resolveScopes(requested: string | undefined, granted: readonly string[]): string[] {
  if (!Array.isArray(granted))
    throw new InvalidArgumentError('/granted', '/granted must be an array');
  granted.forEach((scope: unknown, index) => {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new InvalidArgumentError(
        `/granted/${index}`,
        `/granted/${index} is not a valid scope token`,
      );
    }
  });
  if (requested === undefined) return [...new Set(granted)];
  const wanted = parseScope(requested);
  const allowed = new Set(granted);
  const missing = wanted.filter((scope) => !allowed.has(scope));
  if (missing.length > 0) {
    const named = missing.slice(0, MAX_NAMED).map((scope) => JSON.stringify(scope));
    const more = missing.length > MAX_NAMED ? ` and ${missing.length - MAX_NAMED} more` : '';
    throw new InvalidScopeError(
      `scope ${named.join(', ')}${more} ${missing.length === 1 ? 'is' : 'are'} not granted to this client for this audience`,
    );
  }
  return wanted;
}
