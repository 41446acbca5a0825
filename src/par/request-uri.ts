/**
 * The `request_uri` of a pushed authorization request (RFC 9126 §2.2): the URN prefix and
 * 256 random bits. The store keeps only the SHA-256 of the random part, so a copy of the
 * store (or its logs) holds nothing that can be used at `/authorize`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2.2
 */
import { createHash, randomBytes } from 'node:crypto';

/** RFC 9126's URN prefix (§2.2, registered in §7.1). */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

/** A new `request_uri`. */
export function newRequestUri(): string {
  return `${REQUEST_URI_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The store id of a `request_uri`: the hash of its random part; undefined for anything that
 * is not one of this server's request URIs.
 */
export function requestUriId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(REQUEST_URI_PREFIX)) return undefined;
  const random = value.slice(REQUEST_URI_PREFIX.length);
  if (!/^[A-Za-z0-9_-]{43}$/.test(random)) return undefined;
  return createHash('sha256').update(random, 'ascii').digest('base64url');
}

/**
 * Parameters kept out of the stored request: the client's authentication, which is
 * checked at the push and never stored. (`request_uri` and `request` are refused.)
 */
export const NOT_PUSHED: ReadonlySet<string> = new Set([
  'client_secret',
  'client_assertion',
  'client_assertion_type',
]);
