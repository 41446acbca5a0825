/**
 * The allow-list entry grammar: what `createAllowList` accepts, and what settings
 * validation and lint reuse to explain a bad entry.
 */
import { checkEntryHost, checkExactHost } from './entry-host.js';
import type { AllowListKind } from './kinds.js';
import { matchKey } from './match-key.js';
import { ORGANIZATION_PLACEHOLDER, placeholderProblem } from './placeholder.js';
import { MAX_URL_LENGTH, problem, scanUrl, type RawUrl, type UrlProblem } from './scan.js';
import { checkWildcardDomain, splitWildcardLabel, type WildcardHost } from './wildcard.js';

/** A valid allow-list entry, normalised. */
export interface UrlPattern {
  /** The list kind the entry was parsed for. */
  readonly kind: AllowListKind;
  /** The entry exactly as given. */
  readonly entry: string;
  /**
   * The canonical form: the WHATWG serialisation (lower-case scheme and host, punycode,
   * default port removed); for wildcards the same with the `*` label kept.
   */
  readonly normalized: string;
  /** Lower-case scheme without `:` (`https`, `http` or a private-use scheme). */
  readonly scheme: string;
  /** Normalised host (`''` when the URL has none); wildcard hosts keep their `*` label. */
  readonly host: string;
  /** The port, `''` when it is the scheme's default or absent. */
  readonly port: string;
  /** Normalised path (`/` for an empty http(s) path). */
  readonly path: string;
  /** Normalised query without `?`; `undefined` when the entry has no `?`. */
  readonly query: string | undefined;
  /** The wildcard parts when the host has a `*`, otherwise `undefined`. */
  readonly wildcard: WildcardHost | undefined;
  /**
   * The host's leftmost label is `{organization_name}` (Auth0 Organizations): the entry
   * matches only with an organization in the context of `allows()`.
   */
  readonly organizationPlaceholder: boolean;
  /** `http` on `127.0.0.1` or `[::1]`: the hosts RFC 8252 §7.3 lets use any port. */
  readonly loopbackIp: boolean;
  /**
   * What the allow-list compares (the parts of the URL that `kind` looks at, serialised):
   * a candidate matches an exact entry when its key is equal. Wildcard entries keep their
   * `*` label here. Two entries with the same key are duplicates.
   */
  readonly key: string;
}

/** A valid entry, as {@link parseUrlPattern} returns it. */
export interface ParsedUrlPattern {
  /** Always `true`: discriminates a pattern from a {@link UrlProblem}. */
  readonly ok: true;
  /** The normalised entry. */
  readonly pattern: UrlPattern;
}

/** The result of {@link parseUrlPattern}. */
export type UrlPatternResult = ParsedUrlPattern | UrlProblem;

/**
 * Parses one allow-list entry for `kind` and returns the normalised pattern, or the
 * problem as a stable `code` and a `reason` a person can act on.
 *
 * @example
 * ```ts
 * const result = parseUrlPattern('callback', 'https://*.co.uk/cb');
 * if (!result.ok) console.log(result.code, result.reason);
 * // wildcard_public_suffix  must not use a wildcard over a public suffix (co.uk); ...
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.1 (private-use URI schemes)
 */
export function parseUrlPattern(kind: AllowListKind, entry: unknown): UrlPatternResult {
  if (typeof entry !== 'string') return problem('not_a_string', 'must be a string');
  const star = entry.indexOf('*');
  if (star !== -1) {
    if (entry.indexOf('*', star + 1) !== -1) {
      return problem('wildcard_count', 'must not contain more than one "*"');
    }
    const misplaced = misplacedWildcard(entry, star);
    if (misplaced) return misplaced;
  }
  const raw = scanUrl(entry);
  if (!raw.ok) return raw;
  if (raw.fragment !== undefined) return problem('fragment', 'must not contain a fragment ("#")');
  if (kind === 'origin' && !raw.web) {
    return problem('scheme_not_allowed', 'must use http or https (it is a web origin)');
  }
  const misplaced = placeholderProblem(entry, raw, star !== -1);
  if (misplaced) return misplaced;
  const result =
    star !== -1
      ? wildcardPattern(kind, entry, raw)
      : raw.host.startsWith(ORGANIZATION_PLACEHOLDER)
        ? placeholderPattern(kind, entry, raw)
        : exactPattern(kind, entry, raw);
  return result.ok ? checkNormalizedLength(result) : result;
}

/**
 * Refuses an entry whose normalised form is longer than candidates may be: percent-encoding
 * and punycode lengthen an entry, and no candidate could ever match it.
 */
function checkNormalizedLength(result: ParsedUrlPattern): UrlPatternResult {
  const length = Math.max(result.pattern.normalized.length, result.pattern.key.length);
  if (length <= MAX_URL_LENGTH) return result;
  return problem(
    'too_long',
    `must be at most ${MAX_URL_LENGTH} characters once normalised (it becomes ${length}: percent-encoding and punycode lengthen it), so no URL could ever match it`,
  );
}

function exactPattern(kind: AllowListKind, entry: string, raw: RawUrl): UrlPatternResult {
  const url = parse(entry);
  if (!url) return problem('unparseable', 'is not a valid URL');
  if (raw.web) {
    const hostProblem = checkEntryHost(raw.host, url.hostname) ?? checkExactHost(url.hostname);
    if (hostProblem) return hostProblem;
  }
  return {
    ok: true,
    pattern: {
      kind,
      entry,
      normalized: kind === 'origin' ? url.origin : url.href,
      scheme: raw.scheme,
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      query: raw.query === undefined ? undefined : url.search.slice(1),
      wildcard: undefined,
      organizationPlaceholder: false,
      loopbackIp:
        raw.scheme === 'http' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]'),
      key: matchKey(url, kind),
    },
  };
}

function wildcardPattern(kind: AllowListKind, entry: string, raw: RawUrl): UrlPatternResult {
  if (!raw.web) {
    return problem('wildcard_scheme', 'may only use a wildcard in an http or https host');
  }
  const label = splitWildcardLabel(raw.host);
  if ('ok' in label) return label;
  // Parse with the `*` replaced by a valid label character, so the WHATWG parser
  // normalises the rest of the host (case, IDN) exactly as it will for candidates.
  const url = parse(entry.replace('*', 'a'));
  const placeholder = `${label.prefix}a${label.suffix}`;
  if (!url?.hostname.startsWith(`${placeholder}.`)) {
    return problem('unparseable', 'is not a valid URL with a wildcard host');
  }
  const hostProblem = checkEntryHost(raw.host.replace('*', 'a'), url.hostname);
  if (hostProblem) return hostProblem;
  const domain = url.hostname.slice(placeholder.length + 1);
  const notRegistrable = checkWildcardDomain(domain, 'wildcard');
  if (notRegistrable) return notRegistrable;

  const host = `${label.prefix}*${label.suffix}.${domain}`;
  return labelPattern(kind, entry, raw, url, host, {
    wildcard: { prefix: label.prefix, suffix: label.suffix, domain },
    organizationPlaceholder: false,
  });
}

/**
 * `https://{organization_name}.example.com/cb`: parsed with an ordinary label in place of
 * the placeholder, so the rest of the host is normalised as candidates' hosts are, then
 * written back with the placeholder, as wildcards keep their `*`.
 */
function placeholderPattern(kind: AllowListKind, entry: string, raw: RawUrl): UrlPatternResult {
  const url = parse(entry.replace(ORGANIZATION_PLACEHOLDER, 'a'));
  if (!url?.hostname.startsWith('a.')) {
    return problem('unparseable', 'is not a valid URL with an organization placeholder');
  }
  const hostProblem = checkEntryHost(raw.host.replace(ORGANIZATION_PLACEHOLDER, 'a'), url.hostname);
  if (hostProblem) return hostProblem;
  const domain = url.hostname.slice(2);
  const notRegistrable = checkWildcardDomain(domain, 'placeholder');
  if (notRegistrable) return notRegistrable;

  const host = `${ORGANIZATION_PLACEHOLDER}.${domain}`;
  return labelPattern(kind, entry, raw, url, host, {
    wildcard: undefined,
    organizationPlaceholder: true,
  });
}

/**
 * The pattern of an entry parsed with an ordinary first label (`url`), written back with
 * its special first label (`host`: a wildcard or the placeholder) in every serialisation.
 */
function labelPattern(
  kind: AllowListKind,
  entry: string,
  raw: RawUrl,
  url: URL,
  host: string,
  marks: Pick<UrlPattern, 'wildcard' | 'organizationPlaceholder'>,
): UrlPatternResult {
  const hostStart = url.protocol.length + 2;
  const withLabel = (serialised: string) =>
    serialised.slice(0, hostStart) + host + serialised.slice(hostStart + url.hostname.length);
  return {
    ok: true,
    pattern: {
      kind,
      entry,
      normalized: withLabel(kind === 'origin' ? url.origin : url.href),
      scheme: raw.scheme,
      host,
      port: url.port,
      path: url.pathname,
      query: raw.query === undefined ? undefined : url.search.slice(1),
      ...marks,
      loopbackIp: false,
      key: withLabel(matchKey(url, kind)),
    },
  };
}

/** Explains a `*` outside the leftmost host label, naming where it is. */
function misplacedWildcard(entry: string, star: number): UrlProblem | undefined {
  const colon = entry.indexOf(':');
  const where = (part: string) =>
    problem(
      'wildcard_position',
      `may only use "*" in the leftmost label of the host, not in the ${part} (https://*.example.com/callback)`,
    );
  if (colon === -1) return undefined; // scanUrl reports the missing scheme
  if (star < colon) return where('scheme');
  if (!entry.startsWith('//', colon + 1)) return where('path');
  const hostStart = colon + 3;
  const rest = entry.slice(hostStart);
  const authorityEnd = hostStart + rest.search(/[/?#]|$/);
  if (star > authorityEnd) {
    const tail = entry.slice(authorityEnd, star);
    if (tail.includes('#')) return where('fragment');
    if (tail.includes('?')) return where('query');
    return where('path');
  }
  const authority = entry.slice(hostStart, authorityEnd);
  const portColon = authority.startsWith('[')
    ? authority.indexOf(':', authority.indexOf(']'))
    : authority.indexOf(':');
  if (portColon !== -1 && star > hostStart + portColon) return where('port');
  return undefined;
}

function parse(input: string): URL | undefined {
  try {
    return new URL(input);
  } catch {
    return undefined;
  }
}
