/**
 * The library's one `error_description` function, as a public, argument-checking entry
 * point. The mapping lives in `error-description-charset.ts` (so `src/errors.ts` can use it
 * without an import cycle).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  MAX_OAUTH_ERROR_DESCRIPTION,
  OAUTH_ERROR_DESCRIPTION_PATTERN,
  toOAuthErrorDescription,
} from './error-description-charset.js';

export { MAX_OAUTH_ERROR_DESCRIPTION, OAUTH_ERROR_DESCRIPTION_PATTERN };

/**
 * Turns any message into an RFC 6749 §5.2 `error_description`: only `%x20-21 / %x23-5B /
 * %x5D-7E`, at most {@link MAX_OAUTH_ERROR_DESCRIPTION} characters. Every OAuth error body
 * (token endpoint, registration, authorization error redirects) takes its description
 * from here.
 *
 * @param message - the library's message (a `ClienteleError` message, or anything a
 *   client sent that an error echoes)
 * @returns the description; `''` when nothing printable is left
 * @throws {@link InvalidArgumentError} when `message` is not a string
 * @example
 * ```ts
 * oauthErrorDescription('redirect_uris/0: "https://a.example/#x" — no fragments (RFC 6749 §3.1.2)');
 * // "redirect_uris/0: 'https://a.example/#x' - no fragments (RFC 6749 section 3.1.2)"
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function oauthErrorDescription(message: string): string {
  if (typeof message !== 'string') {
    throw new InvalidArgumentError('/message', 'message must be a string');
  }
  return toOAuthErrorDescription(message);
}
