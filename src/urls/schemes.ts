/**
 * Which URL schemes an allow-list can hold. Kept as a table so the policy reads at a
 * glance and lint rules can reuse it.
 */

/** Why a scheme is never allowed, as the end of the sentence "must not use the x: scheme (…)". */
type ForbiddenBecause =
  | 'it runs script'
  | 'it reads local or embedded data'
  | 'it is not a redirect target'
  | 'it is internal to a browser'
  | 'it is internal to an operating system';

const SCRIPT: ForbiddenBecause = 'it runs script';
const LOCAL: ForbiddenBecause = 'it reads local or embedded data';
const NOT_A_TARGET: ForbiddenBecause = 'it is not a redirect target';
const BROWSER: ForbiddenBecause = 'it is internal to a browser';
const OS: ForbiddenBecause = 'it is internal to an operating system';

/**
 * Schemes that can run code, read local data, reach into a browser or an operating system,
 * or leave the web: never allowed, in any case. A redirect to one of these hands the
 * authorization response to something that is not the client application.
 */
const FORBIDDEN: Readonly<Record<string, ForbiddenBecause>> = {
  javascript: SCRIPT,
  vbscript: SCRIPT,
  livescript: SCRIPT,
  mocha: SCRIPT,
  data: LOCAL,
  file: LOCAL,
  blob: LOCAL,
  filesystem: LOCAL,
  jar: LOCAL,
  mhtml: LOCAL,
  wyciwyg: LOCAL,
  about: BROWSER,
  'view-source': BROWSER,
  chrome: BROWSER,
  'chrome-extension': BROWSER,
  'chrome-untrusted': BROWSER,
  'chrome-search': BROWSER,
  'chrome-devtools': BROWSER,
  devtools: BROWSER,
  edge: BROWSER,
  'microsoft-edge': BROWSER,
  opera: BROWSER,
  brave: BROWSER,
  vivaldi: BROWSER,
  'moz-extension': BROWSER,
  'moz-icon': BROWSER,
  resource: BROWSER,
  'safari-extension': BROWSER,
  'safari-web-extension': BROWSER,
  intent: OS,
  'search-ms': OS,
  shell: OS,
  ftp: NOT_A_TARGET,
  ws: NOT_A_TARGET,
  wss: NOT_A_TARGET,
  mailto: NOT_A_TARGET,
  tel: NOT_A_TARGET,
  sms: NOT_A_TARGET,
};

/**
 * Scheme families reserved by an operating system: every scheme that starts with one of
 * these is refused (`ms-settings:`, `ms-windows-store:`, `ms-word:`, `ms-appx-web:`, …).
 */
const FORBIDDEN_PREFIXES: readonly (readonly [string, ForbiddenBecause])[] = [['ms-', OS]];

/** Every scheme refused by name (lower case), for lint rules and documentation. */
export const FORBIDDEN_SCHEMES: ReadonlySet<string> = new Set(Object.keys(FORBIDDEN));

/** Every scheme prefix refused as a family (lower case). */
export const FORBIDDEN_SCHEME_PREFIXES: readonly string[] = FORBIDDEN_PREFIXES.map(([p]) => p);

/**
 * Why `scheme` (lower case, without `:`) is never allowed, or `undefined` when it may be
 * used.
 */
export function forbiddenSchemeReason(scheme: string): ForbiddenBecause | undefined {
  if (Object.hasOwn(FORBIDDEN, scheme)) return FORBIDDEN[scheme];
  for (const [prefix, because] of FORBIDDEN_PREFIXES) {
    if (scheme.startsWith(prefix)) return because;
  }
  return undefined;
}

/** Schemes whose URLs have a host and are compared by origin (WHATWG "special" web schemes). */
export const WEB_SCHEMES: ReadonlySet<string> = new Set(['http', 'https']);

/** RFC 3986 §3.1 scheme syntax, followed by the colon that ends it. */
export const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):/;
