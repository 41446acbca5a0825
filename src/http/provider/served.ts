/**
 * What this provider serves, in one place, so discovery, `/authorize` and the registration
 * endpoint agree: the authorization code flow only. The implicit and hybrid flows put
 * tokens in the browser's URL (RFC 9700 §2.1.2: the implicit grant SHOULD NOT be used), so
 * `/authorize` refuses them, discovery does not advertise them, and `/oidc/register`
 * refuses a client that declares them rather than register a promise it cannot keep.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.2
 */
import { HttpError } from '../errors.js';

/** `response_type` values `/authorize` serves (discovery's `response_types_supported`). */
export const RESPONSE_TYPES_SERVED: readonly string[] = ['code'];

/** Grant types the token endpoint serves (discovery's `grant_types_supported`). */
export const GRANT_TYPES_SERVED: readonly string[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
];

/** Response type components that only the implicit and hybrid flows use. */
const IMPLICIT_COMPONENTS: ReadonlySet<string> = new Set(['token', 'id_token']);

/**
 * Refuses registration metadata that declares the implicit flow (`grant_types` with
 * `implicit`, `response_types` with `token` or `id_token`). Malformed values are left to
 * the registration's own rules, which name them precisely.
 *
 * @throws `HttpError` `invalid_client_metadata` naming the field.
 */
export function refuseUnservedFlows(body: Readonly<Record<string, unknown>>): void {
  const grants = body['grant_types'];
  if (Array.isArray(grants) && grants.includes('implicit')) {
    throw unserved(
      'grant_types: implicit is not served here; this provider implements the authorization code flow with PKCE (RFC 9700 section 2.1.2)',
    );
  }
  const types = body['response_types'];
  if (!Array.isArray(types)) return;
  types.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') return;
    if (entry.split(' ').some((part) => IMPLICIT_COMPONENTS.has(part))) {
      throw unserved(
        `response_types/${index}: ${JSON.stringify(entry)} is not served here; /authorize serves ${RESPONSE_TYPES_SERVED.join(', ')} only (RFC 9700 section 2.1.2)`,
      );
    }
  });
}

function unserved(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid_client_metadata',
    oauthError: 'invalid_client_metadata',
    message,
  });
}
