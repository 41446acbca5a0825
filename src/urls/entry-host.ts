/**
 * Checks on the host of an http(s) entry after the WHATWG parser has normalised it: what
 * the written host turned into must be what its author meant and what browsers will use.
 */
import { checkInternationalHost } from './idn.js';
import { listedPublicSuffix } from './public-suffix.js';
import { problem, type UrlProblem } from './scan.js';

/**
 * Checks `written` (the host as in the entry, with any wildcard or placeholder label
 * replaced by an ordinary one) against `hostname` (what the parser made of it).
 */
export function checkEntryHost(written: string, hostname: string): UrlProblem | undefined {
  if (hostname.startsWith('[')) return undefined; // IPv6: no labels, no IDN
  if (hostname.includes('*')) {
    // U+FF0A "＊" and other look-alikes normalise to "*": the normalised entry would read
    // back as a wildcard although none was written (and Chromium goes to "%2A" instead).
    return problem(
      'host_asterisk',
      `must not contain a character that normalises to "*" in the host (it reads as ${hostname}); a wildcard is the ASCII "*" in the leftmost label`,
    );
  }
  if (hasEmptyLabel(hostname)) {
    return problem(
      'empty_label',
      `must not contain an empty label in the host (${hostname}): no leading dot, no ".." (one trailing dot is a different, valid host)`,
    );
  }
  return checkInternationalHost(written, hostname);
}

/**
 * Refuses an exact entry whose host is itself a public suffix (`s3.amazonaws.com`,
 * `github.io`): anyone can publish there, so no URL on it may receive authorization
 * responses, and the matcher never allows such a host.
 */
export function checkExactHost(hostname: string): UrlProblem | undefined {
  const suffix = listedPublicSuffix(hostname);
  if (suffix === undefined) return undefined;
  return problem(
    'public_suffix_host',
    `must not use a public suffix as the host (${suffix}): anyone can publish under it, so no URL there can be allowed`,
  );
}

/** A label other than the root's (one trailing dot) is empty. */
function hasEmptyLabel(hostname: string): boolean {
  const end = hostname.endsWith('.') ? hostname.length - 1 : hostname.length;
  if (end === 0 || hostname.charCodeAt(0) === 0x2e /* . */) return true;
  const double = hostname.indexOf('..');
  return double !== -1 && double < end;
}
