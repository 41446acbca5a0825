/**
 * Strict decoding of HTTP Basic client credentials at the token endpoint.
 *
 * @module
 */
import { decodeBase64Strict } from './base64.js';
import { clientAuthError } from './client-auth-failure.js';

/** Client credentials from an `Authorization: Basic` header. */
export interface BasicCredentials {
  /** The client id, form-urlencoding decoded; never empty. */
  readonly clientId: string;
  /** The client secret, form-urlencoding decoded; may be empty. */
  readonly clientSecret: string;
}

/** Headers longer than this are refused before decoding (ids and secrets are short). */
export const MAX_AUTHORIZATION_LENGTH = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes an `Authorization: Basic` header value into client credentials, strictly:
 * the scheme is `Basic` (any case) followed by one or more spaces; the credentials are
 * canonical padded base64 (RFC 4648 §4: no whitespace, no URL-safe characters, exact
 * padding, zero trailing bits) of UTF-8 text; that text is split at the first `:`; each
 * part is `application/x-www-form-urlencoded` decoded (`+` is a space, `%XX` a byte; a
 * malformed escape or invalid UTF-8 is refused), as RFC 6749 §2.3.1 requires of clients.
 *
 * @throws {@link InvalidClientError} for anything else (always the same message; the
 *   reason, `unsupported_scheme` or `malformed_basic`, is available to the audit trail
 *   through `clientAuthFailure`). Never throws any other error, whatever the input.
 * @example
 * ```ts
 * parseBasicAuthorization('Basic ' + btoa('my%20app:s%2Bcret'));
 * // { clientId: 'my app', clientSecret: 's+cret' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 */
export function parseBasicAuthorization(header: string): BasicCredentials {
  if (typeof header !== 'string' || header.length > MAX_AUTHORIZATION_LENGTH) {
    throw clientAuthError('malformed_basic', { mechanism: 'client_secret_basic' });
  }
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') throw clientAuthError('unsupported_scheme');
  const credentials = space < 0 ? undefined : decodeCredentials(header.slice(space));
  if (credentials === undefined) {
    throw clientAuthError('malformed_basic', { mechanism: 'client_secret_basic' });
  }
  return credentials;
}

/** `1*SP token68` after the scheme, decoded; `undefined` when anything is malformed. */
function decodeCredentials(afterScheme: string): BasicCredentials | undefined {
  let start = 0;
  while (afterScheme.charCodeAt(start) === 0x20) start++;
  const decoded = decodeBase64Strict(afterScheme.slice(start));
  const text = decoded === undefined ? undefined : utf8Text(decoded);
  if (text === undefined) return undefined;
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const clientId = formDecode(text.slice(0, colon));
  const clientSecret = formDecode(text.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) return undefined;
  return { clientId, clientSecret };
}

function utf8Text(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * `application/x-www-form-urlencoded` decoding of one value: `+` is a space, `%XX` a
 * byte, and the bytes must be UTF-8. `decodeURIComponent` refuses a `%` not followed by
 * two hex digits and escapes that are not UTF-8, where the WHATWG form decoder would
 * silently keep or replace them.
 *
 * @see https://url.spec.whatwg.org/#application/x-www-form-urlencoded
 */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}
