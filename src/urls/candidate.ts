/**
 * Strict parsing of a URL presented at request time (`redirect_uri`, `returnTo`, an
 * `Origin` header) into the key an allow-list compares. Any doubt means "not allowed":
 * this returns `undefined`, never throws.
 */
import { checkInternationalHost, hasNonAscii } from './idn.js';
import type { AllowListKind } from './kinds.js';
import { matchKey } from './match-key.js';
import { hasDotSegment, MAX_URL_LENGTH, scanUrl } from './scan.js';

/*
 * Three ways in, from cheapest to most general; each is only taken when it gives exactly
 * the answer of the general one (the tests check this on random input):
 *
 * 1. Canonical: a lower-case http(s) URL with an LDH host, no default port and only
 *    characters WHATWG serialises as they are. Its WHATWG serialisation is the string
 *    itself, so it is its own key and needs no parse at all. Most real redirect URIs are
 *    written this way.
 * 2. Plain: printable ASCII, http(s), LDH host. Recognised by one regular expression that
 *    implies everything the general scan checks; then parsed with WHATWG `URL`.
 * 3. General: `scanUrl`, then WHATWG `URL`.
 */
const PATH_CHAR = String.raw`[\x21\x22\x24-\x3e\x40-\x5b\x5d-\x7e]`; // printable, not # ? \
const QUERY_CHAR = String.raw`[\x21\x22\x24-\x5b\x5d-\x7e]`; // printable, not # \
const FRAGMENT_CHAR = String.raw`[\x21-\x5b\x5d-\x7e]`; // printable, not \
/** 1 to 65535 without a leading zero. */
const PORT = String.raw`(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])`;
const PLAIN_AUTHORITY = String.raw`^[Hh][Tt][Tt][Pp][Ss]?:\/\/[A-Za-z0-9.-]+(?::${PORT})?`;
const PLAIN_WEB_URL = new RegExp(
  `${PLAIN_AUTHORITY}(?:\\/${PATH_CHAR}*)?(?:\\?${QUERY_CHAR}*)?(?:#${FRAGMENT_CHAR}*)?$`,
);
const PLAIN_WEB_ORIGIN = new RegExp(`${PLAIN_AUTHORITY}$`);

/** Path characters outside WHATWG's path percent-encode set (and not `\`). */
const CANONICAL_PATH_CHAR = String.raw`[\x21\x24-\x3b\x3d\x40-\x5b\x5d-\x5f\x61-\x7a\x7c\x7e]`;
/** Query characters outside WHATWG's special-query percent-encode set (and not `\`). */
const CANONICAL_QUERY_CHAR = String.raw`[\x21\x24-\x26\x28-\x3b\x3d\x3f-\x5b\x5d-\x7e]`;
/**
 * `http[s]://host[:port]` with LDH labels, none of them `xn--` (IDNA would check those).
 * The lower-case form is the usual one and needs nothing more; in the any-case form, scheme
 * and host are lower-cased here exactly as WHATWG would.
 */
const LOWER_AUTHORITY = String.raw`^https?:\/\/(?!xn--)[a-z0-9-]+(?:\.(?!xn--)[a-z0-9-]+)*(?::${PORT})?`;
const ANY_CASE_AUTHORITY = String.raw`^[Hh][Tt][Tt][Pp][Ss]?:\/\/(?![Xx][Nn]--)[A-Za-z0-9-]+(?:\.(?![Xx][Nn]--)[A-Za-z0-9-]+)*(?::${PORT})?`;
const CANONICAL_TAIL = `\\/${CANONICAL_PATH_CHAR}*(?:\\?${CANONICAL_QUERY_CHAR}*)?$`;
const LOWER_WEB_URL = new RegExp(`${LOWER_AUTHORITY}${CANONICAL_TAIL}`);
const ANY_CASE_WEB_URL = new RegExp(`${ANY_CASE_AUTHORITY}${CANONICAL_TAIL}`);
const LOWER_WEB_ORIGIN = new RegExp(`${LOWER_AUTHORITY}$`);
const ANY_CASE_WEB_ORIGIN = new RegExp(`${ANY_CASE_AUTHORITY}$`);
/** A label WHATWG's IPv4 parser would take: decimal, or hexadecimal with `0x`. */
const NUMERIC_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;
const CANONICAL_IPV4 =
  /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/**
 * The key `candidate` is compared by in an allow-list of `kind` (see `matchKey`), or
 * `undefined` when it must not be allowed whatever the list holds.
 */
export function candidateKey(kind: AllowListKind, candidate: string): string | undefined {
  if (candidate.length > MAX_URL_LENGTH) return undefined;
  const origin = kind === 'origin';
  const lower = (origin ? LOWER_WEB_ORIGIN : LOWER_WEB_URL).test(candidate);
  if (lower || (origin ? ANY_CASE_WEB_ORIGIN : ANY_CASE_WEB_URL).test(candidate)) {
    // The pattern fixed the shape: `http[s]://host[:port]` then, unless an origin, `/path[?query]`.
    const hostStart = (candidate.charCodeAt(4) | 0x20) === 0x73 /* s or S */ ? 8 : 7;
    const pathStart = origin ? candidate.length : candidate.indexOf('/', hostStart);
    const colon = candidate.indexOf(':', hostStart);
    const hostEnd = colon !== -1 && colon < pathStart ? colon : pathStart;
    const head = candidate.slice(0, hostEnd);
    const lowerHead = lower ? head : head.toLowerCase();
    const port = colon === hostEnd ? candidate.slice(hostEnd + 1, pathStart) : '';
    if (isCanonicalHost(lowerHead, hostStart)) {
      const query = origin ? -1 : candidate.indexOf('?', pathStart);
      const pathEnd = query === -1 ? candidate.length : query;
      if (dotSegmentBetween(candidate, pathStart, pathEnd)) return undefined;
      const defaultPort = port === (hostStart === 8 ? '443' : '80');
      // Usually the string is already its own serialisation; otherwise rebuild the
      // authority as WHATWG writes it (lower case, no default port).
      const serialised =
        lowerHead === head && !defaultPort
          ? candidate
          : lowerHead + (port === '' || defaultPort ? '' : `:${port}`) + candidate.slice(pathStart);
      if (kind !== 'logout' || query === -1) return serialised;
      return serialised.slice(0, serialised.length - (candidate.length - query));
    }
  }
  return referenceCandidateKey(kind, candidate);
}

/**
 * The same key, always through the raw checks and a WHATWG parse: the reference that
 * {@link candidateKey}'s shortcut must agree with.
 */
export function referenceCandidateKey(kind: AllowListKind, candidate: string): string | undefined {
  if (candidate.length > MAX_URL_LENGTH || !passesRawChecks(kind, candidate)) return undefined;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (hasNonAscii(candidate) && !isUnambiguousHost(candidate, url)) return undefined;
  return matchKey(url, kind);
}

/**
 * An http(s) host written in Unicode is compared only when the parser had nothing to map
 * (it is written as UTS #46 maps it, apart from ASCII case) and it has no character that
 * parsers read differently: then the punycode compared is the punycode a browser sends
 * (see idn.ts). Rare, so the string is simply scanned again for its host.
 */
function isUnambiguousHost(candidate: string, url: URL): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return true;
  const raw = scanUrl(candidate);
  return raw.ok && checkInternationalHost(raw.host, url.hostname) === undefined;
}

/** The raw-string checks for a candidate of `kind` (see `scanUrl`). */
export function passesRawChecks(kind: AllowListKind, candidate: string): boolean {
  if (kind === 'origin' ? PLAIN_WEB_ORIGIN.test(candidate) : PLAIN_WEB_URL.test(candidate)) {
    if (kind === 'origin') return true;
    // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
    if (kind === 'callback' && candidate.includes('#')) return false;
    return !hasDotSegmentInPath(candidate);
  }
  return passesGeneralChecks(kind, candidate);
}

/** The raw-string checks through the general scan. */
export function passesGeneralChecks(kind: AllowListKind, candidate: string): boolean {
  const raw = scanUrl(candidate);
  if (!raw.ok) return false;
  switch (kind) {
    case 'callback':
      return raw.fragment === undefined;
    case 'origin':
      // An Origin header is exactly scheme://host[:port] (RFC 6454 §7).
      return raw.web && raw.path === '' && raw.query === undefined && raw.fragment === undefined;
    case 'logout':
      return true;
  }
}

/**
 * True when WHATWG serialises the host of `head` (`scheme://host`, lower case, no `xn--`
 * label: the pattern saw to that) as written: no IPv4 host other than canonical dotted
 * decimal. Only a host whose last label starts with a digit (`1`, `0x7f`) can be one.
 */
function isCanonicalHost(head: string, hostStart: number): boolean {
  const lastLabel = Math.max(head.lastIndexOf('.') + 1, hostStart);
  const first = head.charCodeAt(lastLabel);
  if (first < 0x30 || first > 0x39 /* not 0-9 */) return true;
  return !NUMERIC_LABEL.test(head.slice(lastLabel)) || CANONICAL_IPV4.test(head.slice(hostStart));
}

/**
 * The path `url[start, end)` has a dot-segment. Most paths have neither `.` nor `%`, so
 * those are looked for before anything is sliced.
 */
function dotSegmentBetween(url: string, start: number, end: number): boolean {
  const dot = url.indexOf('.', start);
  const percent = url.indexOf('%', start);
  if ((dot === -1 || dot >= end) && (percent === -1 || percent >= end)) return false;
  return hasDotSegment(url.slice(start, end));
}

/** The path of a `scheme://authority/path?query#fragment` string has a dot-segment. */
function hasDotSegmentInPath(url: string): boolean {
  let pathStart = url.indexOf(':') + 3;
  for (; pathStart < url.length; pathStart++) {
    const c = url.charCodeAt(pathStart);
    if (c === 0x3f /* ? */ || c === 0x23 /* # */) return false;
    if (c === 0x2f /* / */) break;
  }
  const query = url.indexOf('?', pathStart);
  const fragment = url.indexOf('#', pathStart);
  const pathEnd = Math.min(
    query === -1 ? url.length : query,
    fragment === -1 ? url.length : fragment,
  );
  return dotSegmentBetween(url, pathStart, pathEnd);
}
