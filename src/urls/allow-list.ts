/**
 * A compiled allow-list of callback, logout or origin URLs.
 *
 * Compiled once: exact entries go into a set keyed by their normalised form, wildcard
 * entries into a map keyed by everything but the wildcard label, loopback entries into a
 * port-free set. `allows()` is then one strict parse plus a few hash lookups, whatever
 * the list's length.
 */
import { InvalidArgumentError, InvalidUrlPatternError } from '../errors.js';
import { parseCandidate } from './candidate.js';
import { isAllowListKind, type AllowListKind } from './kinds.js';
import { keyWithoutFirstLabel, matchKey } from './match-key.js';
import { parseUrlPattern, type UrlPattern } from './pattern.js';
import { wildcardLabelMatches, type WildcardHost } from './wildcard.js';

/** Options of {@link createAllowList}. */
export interface AllowListOptions {
  /**
   * Let an `http` callback entry on `127.0.0.1` or `[::1]` match that host on any port
   * (RFC 8252 §7.3, native apps). Off by default; `localhost` never gets it; other
   * kinds ignore it.
   */
  loopbackAnyPort?: boolean;
}

/** Decides whether a URL is in a client's allow-list. */
export interface AllowList {
  /** Which kind of URL the list holds. */
  readonly kind: AllowListKind;
  /** The parsed entries, in the order given. */
  readonly patterns: readonly UrlPattern[];
  /**
   * True when `candidate` is allowed. Never throws: anything malformed, ambiguous or not
   * a string is simply not allowed.
   */
  allows(candidate: string): boolean;
}

/**
 * Compiles `entries` into an {@link AllowList} of `kind`.
 *
 * @throws {@link InvalidUrlPatternError} naming the first invalid entry and why.
 * @throws {@link InvalidArgumentError} when `kind`, `entries` or `options` have the wrong type.
 * @example
 * ```ts
 * const callbacks = createAllowList('callback', ['https://*.example.com/callback']);
 * callbacks.allows('https://tenant1.example.com/callback'); // true
 * callbacks.allows('https://a.b.example.com/callback');     // false: one label only
 * callbacks.allows('https://tenant1.example.com/callback#x'); // false: fragment
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1 (exact redirect URI matching)
 */
export function createAllowList(
  kind: AllowListKind,
  entries: readonly string[],
  options: AllowListOptions = {},
): AllowList {
  if (!isAllowListKind(kind)) {
    throw new InvalidArgumentError('/kind', 'kind must be "callback", "logout" or "origin"');
  }
  if (!Array.isArray(entries)) {
    throw new InvalidArgumentError('/entries', 'entries must be an array of strings');
  }
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new InvalidArgumentError('/options', 'options must be an object');
  }
  if (options.loopbackAnyPort !== undefined && typeof options.loopbackAnyPort !== 'boolean') {
    throw new InvalidArgumentError('/options/loopbackAnyPort', 'loopbackAnyPort must be a boolean');
  }
  const patterns = entries.map((entry: unknown, index) => {
    const result = parseUrlPattern(kind, entry);
    if (!result.ok) throw new InvalidUrlPatternError(String(entry), result.reason, index);
    return result.pattern;
  });
  return compileAllowList(kind, patterns, options);
}

/**
 * Compiles already-parsed patterns (all of `kind`). For callers that hold patterns from
 * {@link parseUrlPattern}, such as `Client` snapshots, to avoid parsing twice.
 *
 * @internal
 */
export function compileAllowList(
  kind: AllowListKind,
  patterns: readonly UrlPattern[],
  options: AllowListOptions = {},
): AllowList {
  return new CompiledAllowList(
    kind,
    patterns,
    kind === 'callback' && options.loopbackAnyPort === true,
  );
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

class CompiledAllowList implements AllowList {
  readonly kind: AllowListKind;
  readonly patterns: readonly UrlPattern[];
  /** Canonical keys of exact entries. */
  readonly #exact = new Set<string>();
  /** Strings that are already canonical keys: allowed without parsing (see constructor). */
  readonly #verbatim = new Set<string>();
  /** Wildcard entries by key without the wildcard label. */
  readonly #wildcards = new Map<string, WildcardHost[]>();
  /** Loopback entries by port-free key (only with loopbackAnyPort). */
  readonly #loopback = new Set<string>();

  constructor(kind: AllowListKind, patterns: readonly UrlPattern[], loopbackAnyPort: boolean) {
    this.kind = kind;
    this.patterns = Object.freeze([...patterns]);
    for (const pattern of patterns) {
      if (pattern.wildcard) {
        const bucket = this.#wildcards.get(pattern.key);
        if (bucket) bucket.push(pattern.wildcard);
        else this.#wildcards.set(pattern.key, [pattern.wildcard]);
        continue;
      }
      this.#exact.add(pattern.key);
      if (loopbackAnyPort && pattern.loopbackIp) {
        this.#loopback.add(withoutPort(pattern.key, 'http:', pattern.host, pattern.port));
      }
    }
    // A string that equals a canonical key parses back to that key (WHATWG serialisation
    // is idempotent), so it can be allowed without parsing. Each key is proven through the
    // full path first, so the shortcut can never allow what the full path would refuse.
    for (const key of this.#exact) {
      if (this.#allowsParsed(key)) this.#verbatim.add(key);
    }
  }

  allows(candidate: string): boolean {
    if (typeof candidate !== 'string') return false;
    if (this.#verbatim.has(candidate)) return true;
    try {
      return this.#allowsParsed(candidate);
    } catch {
      return false;
    }
  }

  #allowsParsed(candidate: string): boolean {
    const url = parseCandidate(this.kind, candidate);
    if (!url) return false;
    const key = matchKey(url, this.kind);
    if (this.#exact.has(key)) return true;
    const { protocol, hostname } = url;
    if (this.#loopback.size > 0 && protocol === 'http:' && LOOPBACK_HOSTS.has(hostname)) {
      if (this.#loopback.has(withoutPort(key, protocol, hostname, url.port))) return true;
    }
    if (this.#wildcards.size > 0 && isWildcardable(protocol, hostname)) {
      const bucket = this.#wildcards.get(keyWithoutFirstLabel(key, protocol, hostname));
      if (bucket) {
        const label = hostname.slice(0, hostname.indexOf('.'));
        return bucket.some((wildcard) => wildcardLabelMatches(label, wildcard));
      }
    }
    return false;
  }
}

/** A serialised WHATWG host made of digits and dots can only be IPv4. */
const IPV4 = /^[0-9.]+$/;

/** Only http(s) domain names can match a wildcard: not IP literals, not one-label hosts. */
function isWildcardable(protocol: string, hostname: string): boolean {
  return (
    (protocol === 'https:' || protocol === 'http:') &&
    hostname.includes('.') &&
    !IPV4.test(hostname)
  );
}

/** `key` (which starts with `protocol//hostname[:port]`) without its port. */
function withoutPort(key: string, protocol: string, hostname: string, port: string): string {
  if (port === '') return key;
  const hostEnd = protocol.length + 2 + hostname.length;
  return key.slice(0, hostEnd) + key.slice(hostEnd + 1 + port.length);
}
