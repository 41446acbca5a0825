/**
 * Which URL schemes an allow-list can hold. Kept as a table so the policy reads at a
 * glance and lint rules can reuse it.
 */

/** Schemes that can run code, read local data or leave the browser: never allowed. */
export const FORBIDDEN_SCHEMES: ReadonlySet<string> = new Set([
  'javascript',
  'data',
  'vbscript',
  'file',
  'blob',
  'about',
  'filesystem',
  'view-source',
  'ftp',
  'ws',
  'wss',
  'mailto',
  'tel',
  'sms',
]);

/** Schemes whose URLs have a host and are compared by origin (WHATWG "special" web schemes). */
export const WEB_SCHEMES: ReadonlySet<string> = new Set(['http', 'https']);

/** RFC 3986 §3.1 scheme syntax, followed by the colon that ends it. */
export const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):/;
