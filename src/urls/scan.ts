/**
 * The raw-string checks that run before the WHATWG parser sees a URL.
 *
 * The WHATWG parser repairs what it is given: it strips tabs, newlines and leading
 * spaces, turns `\` into `/`, resolves `%2e%2e`, decodes `%2e` in hosts and accepts
 * `https:host`. Another component (a browser, a proxy, the client app) may read the same
 * string differently, so anything the parser would silently repair is refused here.
 *
 * @see https://url.spec.whatwg.org/#concept-basic-url-parser
 */
import { forbiddenSchemeReason, WEB_SCHEMES } from './schemes.js';

/** Longest URL (in UTF-16 code units) an allow-list entry or candidate may be. */
export const MAX_URL_LENGTH = 2048;

/** Stable codes for the ways a URL string can be refused. */
export type UrlProblemCode =
  | 'not_a_string'
  | 'too_long'
  | 'forbidden_character'
  | 'missing_scheme'
  | 'forbidden_scheme'
  | 'scheme_not_allowed'
  | 'missing_host'
  | 'opaque_path'
  | 'userinfo'
  | 'percent_in_host'
  | 'invalid_port'
  | 'dot_segment'
  | 'fragment'
  | 'query'
  | 'path'
  | 'unparseable'
  | 'empty_label'
  | 'host_asterisk'
  | 'idn_deviation'
  | 'idn_not_normalized'
  | 'public_suffix_host'
  | 'wildcard_position'
  | 'wildcard_count'
  | 'wildcard_scheme'
  | 'wildcard_label'
  | 'wildcard_ip'
  | 'wildcard_public_suffix'
  | 'wildcard_needs_domain'
  | 'placeholder_count'
  | 'placeholder_wildcard'
  | 'placeholder_scheme'
  | 'placeholder_position'
  | 'placeholder_needs_domain'
  | 'placeholder_public_suffix';

/** Why a URL string was refused: a stable code and a reason a person can act on. */
export interface UrlProblem {
  /** Always `false`: discriminates a problem from a scanned URL. */
  readonly ok: false;
  /** Stable code. */
  readonly code: UrlProblemCode;
  /** What is wrong, phrased as a predicate on the URL ("must not contain a fragment"). */
  readonly reason: string;
}

/** The parts of a URL string, as written, after the raw checks passed. */
export interface RawUrl {
  readonly ok: true;
  /** Lower-cased scheme without the colon. */
  readonly scheme: string;
  /** `http` or `https`. */
  readonly web: boolean;
  /** The string has `//` after the scheme. */
  readonly hasAuthority: boolean;
  /** The host as written (`''` without an authority). */
  readonly host: string;
  /** The port digits as written, `undefined` when no port is written. */
  readonly port: string | undefined;
  /** The path as written. */
  readonly path: string;
  /** The query without `?`, `undefined` when there is no `?`. */
  readonly query: string | undefined;
  /** The fragment without `#`, `undefined` when there is no `#`. */
  readonly fragment: string | undefined;
}

/** Printable ASCII except backslash: strings made only of these skip the Unicode check. */
const NOT_PLAIN_ASCII = /[^\x21-\x5b\x5d-\x7e]/;
/**
 * Control, format, surrogate, space and separator code points, and backslash. Covers
 * tab/CR/LF/NUL, U+2028/2029, soft hyphen, zero-width characters and BOM, which the
 * host parser would otherwise delete.
 */
const FORBIDDEN_CHARACTER = /[\p{Cc}\p{Cf}\p{Cs}\p{Zs}\p{Zl}\p{Zp}\\]/u;
const SCHEME_CHAR = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const PORT = /^[1-9][0-9]{0,4}$/;

/** Builds a {@link UrlProblem}. */
export function problem(code: UrlProblemCode, reason: string): UrlProblem {
  return { ok: false, code, reason };
}

/**
 * Splits `input` into its written parts, refusing anything the WHATWG parser would
 * repair or that commonly tricks redirect checks. Entries and candidates share it.
 */
export function scanUrl(input: string): RawUrl | UrlProblem {
  if (input.length > MAX_URL_LENGTH) {
    return problem('too_long', `must be at most ${MAX_URL_LENGTH} characters`);
  }
  if (NOT_PLAIN_ASCII.test(input)) {
    const bad = FORBIDDEN_CHARACTER.exec(input);
    if (bad) return problem('forbidden_character', `must not contain ${describeCharacter(bad[0])}`);
  }

  const colon = input.indexOf(':');
  if (colon < 1 || !SCHEME_CHAR.test(input.slice(0, colon))) {
    return problem('missing_scheme', 'must be an absolute URL with a scheme, such as https://');
  }
  const scheme = input.slice(0, colon).toLowerCase();
  const forbidden = forbiddenSchemeReason(scheme);
  if (forbidden !== undefined) {
    return problem('forbidden_scheme', `must not use the ${scheme}: scheme (${forbidden})`);
  }
  const web = WEB_SCHEMES.has(scheme);

  let cursor = colon + 1;
  const hasAuthority = input.startsWith('//', cursor);
  let host = '';
  let port: string | undefined;
  if (hasAuthority) {
    cursor += 2;
    const end = endOfAuthority(input, cursor);
    const authority = input.slice(cursor, end);
    cursor = end;
    if (authority.includes('@')) {
      return problem('userinfo', 'must not contain user info (a "user@" part before the host)');
    }
    const split = splitHostPort(authority);
    if (!split) return problem('unparseable', 'has a malformed IPv6 host');
    host = split.host;
    port = split.port;
    if (host.includes('%')) return problem('percent_in_host', 'must not contain "%" in the host');
    if (port !== undefined && !(PORT.test(port) && Number(port) <= 65535)) {
      return problem(
        'invalid_port',
        `has an invalid port ":${port}" (1 to 5 digits without a leading zero, at most 65535)`,
      );
    }
    if (web && host === '') return problem('missing_host', `must have a host after "${scheme}://"`);
  } else if (web) {
    return problem('missing_host', `must have "//" and a host after "${scheme}:"`);
  } else if (input.charCodeAt(cursor) !== 0x2f /* / */) {
    return problem(
      'opaque_path',
      `must continue with "/" after "${scheme}:" (a private-use scheme URI looks like com.example.app:/callback)`,
    );
  }

  const hash = input.indexOf('#', cursor);
  const beforeHash = hash === -1 ? input.length : hash;
  const question = input.indexOf('?', cursor);
  const pathEnd = question === -1 || question > beforeHash ? beforeHash : question;
  const path = input.slice(cursor, pathEnd);
  if (hasDotSegment(path)) {
    return problem(
      'dot_segment',
      'must not contain "." or ".." path segments (also percent-encoded)',
    );
  }
  return {
    ok: true,
    scheme,
    web,
    hasAuthority,
    host,
    port,
    path,
    query: pathEnd < beforeHash ? input.slice(pathEnd + 1, beforeHash) : undefined,
    fragment: hash === -1 ? undefined : input.slice(hash + 1),
  };
}

function endOfAuthority(input: string, from: number): number {
  for (let i = from; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */) return i;
  }
  return input.length;
}

function splitHostPort(authority: string): { host: string; port: string | undefined } | undefined {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) return undefined;
    const after = authority.slice(close + 1);
    if (after === '') return { host: authority.slice(0, close + 1), port: undefined };
    if (!after.startsWith(':')) return undefined;
    return { host: authority.slice(0, close + 1), port: after.slice(1) };
  }
  const colon = authority.indexOf(':');
  if (colon === -1) return { host: authority, port: undefined };
  return { host: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

/** A `.` or `..` segment, written literally or with `%2e` in any case. */
export function hasDotSegment(path: string): boolean {
  if (!path.includes('.') && !path.includes('%')) return false;
  for (const segment of path.split('/')) {
    if (segment.length === 0 || segment.length > 6) continue;
    const decoded = segment.toLowerCase().replaceAll('%2e', '.');
    if (decoded === '.' || decoded === '..') return true;
  }
  return false;
}

function describeCharacter(character: string): string {
  if (character === '\\') return 'a backslash ("\\")';
  const hex = character.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0') ?? '????';
  const names: Record<string, string> = {
    '0009': 'a tab',
    '000A': 'a line feed',
    '000D': 'a carriage return',
    '0000': 'a NUL character',
    '0020': 'a space',
  };
  return `${names[hex] ?? 'a whitespace, control or invisible character'} (U+${hex})`;
}
