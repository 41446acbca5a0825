/**
 * The session cookie's name and attributes. On an HTTPS issuer it is
 * `__Host-clientele_session`, `Secure`, `HttpOnly`, `Path=/`, `SameSite=None` (the
 * `__Host-` prefix makes the browser refuse one set by a subdomain or over plain HTTP, and
 * `SameSite=None` lets the hidden iframe of a silent authentication carry it); on a
 * plain-HTTP issuer (loopback development) `clientele_session`, `HttpOnly`, `Path=/`,
 * `SameSite=Lax`, since browsers refuse `SameSite=None` without `Secure`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6265bis#section-4.1.3.2
 */

const SECURE_NAME = '__Host-clientele_session';
const PLAIN_NAME = 'clientele_session';

/** The cookie name for `issuer`. @internal */
export function sessionCookieName(issuer: string): string {
  return issuer.startsWith('https:') ? SECURE_NAME : PLAIN_NAME;
}

/** `Set-Cookie` for a session cookie valid `maxAgeSeconds`. @internal */
export function sessionCookie(issuer: string, value: string, maxAgeSeconds: number): string {
  return `${sessionCookieName(issuer)}=${value}; ${attributes(issuer)}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
}

/** `Set-Cookie` that removes the session cookie. @internal */
export function clearedSessionCookie(issuer: string): string {
  return `${sessionCookieName(issuer)}=; ${attributes(issuer)}; Max-Age=0`;
}

function attributes(issuer: string): string {
  return issuer.startsWith('https:')
    ? 'Path=/; Secure; HttpOnly; SameSite=None'
    : 'Path=/; HttpOnly; SameSite=Lax';
}

/**
 * The session cookie's value in a `Cookie` header, or undefined. A cookie of that name
 * sent twice (one may have been planted for a parent domain or another path) yields
 * nothing: the request has no session rather than possibly the wrong one.
 *
 * @internal
 */
export function readSessionCookie(issuer: string, header: string | null): string | undefined {
  if (header === null || header === '') return undefined;
  const name = sessionCookieName(issuer);
  let found: string | undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    if (found !== undefined) return undefined;
    found = pair.slice(equals + 1).trim();
  }
  return found;
}
