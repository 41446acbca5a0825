/**
 * Comparing a proof's `htu` with the URI of the request it came with (RFC 9449 §4.3,
 * item 9): query and fragment are ignored, and both sides are normalised first as the RFC
 * asks (RFC 3986 §6.2.2 syntax-based: case of scheme and host, upper-case percent-encoding
 * hex digits, unreserved characters decoded, dot-segments removed; §6.2.3 scheme-based:
 * default ports dropped, an empty path is `/`). WHATWG URL parsing does all of that except
 * the percent-encoding rules, which are applied to the path here.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2
 */

/** Longest `htu` looked at. */
export const MAX_HTU_LENGTH = 2048;

/** RFC 3986 §2.3 unreserved characters. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Percent-encoded octets in a path: decoded when unreserved, hex upper-cased otherwise. */
function normalisePercentEncoding(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The normal form of an `http`/`https` URI for `htu` comparison, without query and
 * fragment; undefined for anything else (another scheme, userinfo, not a URL, too long).
 */
export function normalisedHtu(uri: string): string | undefined {
  if (uri.length > MAX_HTU_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  // WHATWG has removed dot-segments, `%2e` spellings included, before this decoding.
  return `${url.protocol}//${url.host}${normalisePercentEncoding(url.pathname)}`;
}

/**
 * True when the proof's `htu` names the same resource as one of `requestUris` (the URI the
 * request was received at, and the one this server advertises for the endpoint).
 */
export function htuMatches(htu: unknown, requestUris: readonly string[]): boolean {
  if (typeof htu !== 'string') return false;
  const claimed = normalisedHtu(htu);
  return claimed !== undefined && requestUris.some((uri) => normalisedHtu(uri) === claimed);
}
