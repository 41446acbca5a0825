/**
 * A compiled allow-list of callback, logout or origin URLs.
 *
 * Compiled once: exact entries go into a set keyed by their normalised form, wildcard
 * entries into a map keyed by the domain after the wildcard label, loopback entries into
 * a set of port-free paths per loopback host. `allows()` is then one strict parse (often
 * not even that: see candidate.ts) plus a few lookups, whatever the list's length.
 */
import { InvalidArgumentError, InvalidUrlPatternError } from '../errors.js';
import { candidateKey } from './candidate.js';
import { isAllowListKind, type AllowListKind } from './kinds.js';
import { parseUrlPattern, type UrlPattern } from './pattern.js';
import { ORGANIZATION_PLACEHOLDER, usableOrganizationName } from './placeholder.js';
import { isPublicSuffixHost, suffixBeneath } from './public-suffix.js';
import { MAX_URL_LENGTH } from './scan.js';
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

/** What `allows()` knows about the request beyond the URL. */
export interface AllowsContext {
  /**
   * The organization the transaction is in (Auth0 Organizations). Entries with the
   * `{organization_name}` placeholder match only with it, and only when it is 1–50
   * characters of `a-z0-9-` that make a valid DNS label.
   */
  organizationName?: string | undefined;
}

/** Decides whether a URL is in a client's allow-list. */
export interface AllowList {
  /** Which kind of URL the list holds. */
  readonly kind: AllowListKind;
  /** The parsed entries, in the order given. */
  readonly patterns: readonly UrlPattern[];
  /**
   * True when `candidate` is allowed. Never throws: anything malformed, ambiguous or not
   * a string is simply not allowed. Bound to its list, so it works detached
   * (`urls.filter(list.allows)`; a context that is not an object is ignored).
   *
   * @param context - the organization, for entries with `{organization_name}`; without
   *   it those entries match nothing.
   * @example
   * ```ts
   * const list = createAllowList('callback', ['https://{organization_name}.example.com/cb']);
   * list.allows('https://acme.example.com/cb', { organizationName: 'acme' }); // true
   * list.allows('https://acme.example.com/cb'); // false: no organization
   * ```
   */
  allows(candidate: string, context?: AllowsContext): boolean;
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

class CompiledAllowList implements AllowList {
  readonly kind: AllowListKind;
  readonly patterns: readonly UrlPattern[];
  /** Canonical keys of exact entries. */
  readonly #exact = new Set<string>();
  /** Strings that are already canonical keys: allowed without parsing (see constructor). */
  readonly #verbatim = new Set<string>();
  /** Wildcard entries by the domain after their wildcard label. */
  readonly #wildcards = new Map<string, CompiledWildcard[]>();
  /** `domainLengths[n]` is 1 when some wildcard domain is `n` characters long. */
  readonly #domainLengths = new Uint8Array(MAX_URL_LENGTH + 1);
  /**
   * Every wildcard entry, when there are few: comparing a handful of domains in place is
   * cheaper than hashing a slice of the candidate for the map.
   */
  readonly #fewWildcards: CompiledWildcard[] | undefined;
  /** `lengths[n]` is 1 when some exact key is `n` characters long: skips hashing most misses. */
  readonly #lengths = new Uint8Array(MAX_URL_LENGTH + 1);
  /**
   * Loopback entries (only with loopbackAnyPort): the port-free rest of the key (path and
   * query) per loopback host, `127.0.0.1` at index 0 and `[::1]` at index 1.
   */
  readonly #loopback: readonly [Set<string>, Set<string>] = [new Set(), new Set()];
  #hasLoopback = false;
  /**
   * Placeholder entries as the matcher reads them: `http[s]://{organization_name}.{rest}`,
   * compared in place, as wildcard entries are. Empty for most lists, which then never
   * read the context.
   */
  readonly #placeholders: CompiledPlaceholder[] = [];
  /** The same by `rest`, when there are more than a few (see FEW_WILDCARDS). */
  #placeholdersByRest: Map<string, CompiledPlaceholder[]> | undefined;

  /** An own, bound function: `list.allows` works detached, as a callback. */
  readonly allows: (candidate: string, context?: AllowsContext) => boolean;

  constructor(kind: AllowListKind, patterns: readonly UrlPattern[], loopbackAnyPort: boolean) {
    this.allows = (candidate, context) => this.#allows(candidate, context);
    this.kind = kind;
    this.patterns = Object.freeze([...patterns]);
    for (const pattern of patterns) {
      if (pattern.organizationPlaceholder) {
        this.#placeholders.push(compilePlaceholder(pattern));
        continue;
      }
      if (pattern.wildcard) {
        const compiled = compileWildcard(pattern, pattern.wildcard);
        const bucket = this.#wildcards.get(pattern.wildcard.domain);
        if (bucket) bucket.push(compiled);
        else this.#wildcards.set(pattern.wildcard.domain, [compiled]);
        this.#domainLengths[pattern.wildcard.domain.length] = 1;
        continue;
      }
      this.#exact.add(pattern.key);
      this.#lengths[pattern.key.length] = 1;
      const host = loopbackAnyPort && pattern.loopbackIp ? loopbackHost(pattern.key) : -1;
      const tailStart = host === -1 ? -1 : loopbackTailStart(pattern.key, host);
      if (host !== -1 && tailStart !== -1) {
        this.#loopback[host].add(pattern.key.slice(tailStart));
        this.#hasLoopback = true;
      }
    }
    if (this.#placeholders.length > FEW_WILDCARDS) {
      this.#placeholdersByRest = new Map();
      for (const placeholder of this.#placeholders) {
        const bucket = this.#placeholdersByRest.get(placeholder.rest);
        if (bucket) bucket.push(placeholder);
        else this.#placeholdersByRest.set(placeholder.rest, [placeholder]);
      }
    }
    const all = [...this.#wildcards.values()].flat();
    this.#fewWildcards = all.length <= FEW_WILDCARDS ? all : undefined;
    // A string that equals a canonical key parses back to that key (WHATWG serialisation
    // is idempotent), so it can be allowed without parsing. Each key is proven through the
    // full path first, so the shortcut can never allow what the full path would refuse.
    for (const key of this.#exact) {
      if (this.#allowsParsed(key)) this.#verbatim.add(key);
    }
  }

  #allows(candidate: unknown, context: unknown): boolean {
    if (typeof candidate !== 'string' || candidate.length > MAX_URL_LENGTH) return false;
    if (this.#lengths[candidate.length] === 1 && this.#verbatim.has(candidate)) return true;
    try {
      const organization =
        this.#placeholders.length === 0 ? undefined : usableOrganizationName(context);
      return this.#allowsParsed(candidate, organization);
    } catch {
      return false;
    }
  }

  #allowsParsed(candidate: string, organization?: string): boolean {
    const key = candidateKey(this.kind, candidate);
    if (key === undefined) return false;
    if (this.#lengths[key.length] === 1 && this.#exact.has(key)) return true;
    if (this.#hasLoopback && this.#matchesLoopback(key)) return true;
    if (this.#wildcards.size > 0 && this.#matchesWildcard(key)) return true;
    return organization !== undefined && this.#matchesPlaceholder(key, organization);
  }

  /**
   * The candidate's first host label is exactly the organization's name (which has no dot),
   * and the rest of its key is a placeholder entry's, compared in place.
   */
  #matchesPlaceholder(key: string, organization: string): boolean {
    const hostStart = webHostStart(key);
    if (hostStart === -1) return false;
    const labelEnd = hostStart + organization.length;
    if (!key.startsWith(organization, hostStart) || key.charCodeAt(labelEnd) !== 0x2e /* . */) {
      return false;
    }
    const restLength = key.length - labelEnd - 1;
    const byRest = this.#placeholdersByRest;
    const candidates = byRest ? (byRest.get(key.slice(labelEnd + 1)) ?? []) : this.#placeholders;
    for (const placeholder of candidates) {
      if (
        placeholder.hostStart === hostStart &&
        placeholder.rest.length === restLength &&
        key.endsWith(placeholder.rest)
      ) {
        return !placeholder.checkSuffix || !isPublicSuffixHost(hostOf(key, hostStart));
      }
    }
    return false;
  }

  /** An `http` key on 127.0.0.1 or [::1], any port, with a loopback entry's path and query. */
  #matchesLoopback(key: string): boolean {
    const host = loopbackHost(key);
    if (host === -1) return false;
    const tailStart = loopbackTailStart(key, host);
    return tailStart !== -1 && this.#loopback[host].has(key.slice(tailStart));
  }

  /**
   * Looks the candidate's domain (its host minus the first label) up in the wildcard index,
   * then compares the rest of the key in place, without building strings.
   */
  #matchesWildcard(key: string): boolean {
    const hostStart = webHostStart(key);
    if (hostStart === -1) return false;
    const hostEnd = endOfHost(key, hostStart);
    const dot = key.indexOf('.', hostStart);
    if (dot === -1 || dot >= hostEnd) return false;
    // Most candidates' domains have a length no wildcard domain has: no hashing for them.
    const domainLength = hostEnd - dot - 1;
    if (this.#domainLengths[domainLength] !== 1) return false;
    const bucket =
      this.#fewWildcards?.filter(
        (wildcard) =>
          wildcard.host.domain.length === domainLength &&
          key.startsWith(wildcard.host.domain, dot + 1),
      ) ?? this.#wildcards.get(key.slice(dot + 1, hostEnd));
    if (!bucket || bucket.length === 0) return false;
    const hostname = key.slice(hostStart, hostEnd);
    // Wildcard domains never end in a numeric label, so an IPv4 host cannot reach a bucket;
    // checked anyway so the rule does not rest on that.
    if (endsInNumericLabel(hostname)) return false;
    const label = key.slice(hostStart, dot);
    const restLength = key.length - hostEnd;
    for (const wildcard of bucket) {
      if (
        wildcard.hostStart === hostStart &&
        wildcard.rest.length === restLength &&
        key.endsWith(wildcard.rest) &&
        wildcardLabelMatches(label, wildcard.host)
      ) {
        // Parsed entries never cover a domain with public suffixes beneath it; a pattern
        // built otherwise (or against another suffix table) is asked of tldts per host.
        return !wildcard.checkSuffix || !isPublicSuffixHost(hostname);
      }
    }
    return false;
  }
}

/** A wildcard entry as the matcher reads it: `http[s]://{prefix*suffix.domain}{rest}`. */
interface CompiledWildcard {
  /** Where the host starts in a key: 8 for `https://`, 7 for `http://` (so it names the scheme). */
  readonly hostStart: number;
  /** Everything after the host in the entry's key: `:port`, path and query as compared. */
  readonly rest: string;
  readonly host: WildcardHost;
  /** The domain has public suffixes beneath it: check each produced host with tldts. */
  readonly checkSuffix: boolean;
}

function compileWildcard(pattern: UrlPattern, host: WildcardHost): CompiledWildcard {
  const hostStart = `${pattern.scheme}://`.length;
  return {
    hostStart,
    rest: pattern.key.slice(hostStart + pattern.host.length),
    host,
    checkSuffix: suffixBeneath(host.domain) !== undefined,
  };
}

/** A placeholder entry as the matcher reads it: `http[s]://{organization_name}.{rest}`. */
interface CompiledPlaceholder {
  /** Where the host starts in a key: 8 for `https://`, 7 for `http://`. */
  readonly hostStart: number;
  /** The key after `{organization_name}.`: the domain, `:port`, path and query. */
  readonly rest: string;
  /** As for wildcards: the domain has public suffixes beneath it. */
  readonly checkSuffix: boolean;
}

function compilePlaceholder(pattern: UrlPattern): CompiledPlaceholder {
  const hostStart = `${pattern.scheme}://`.length;
  const rest = pattern.key.slice(hostStart + ORGANIZATION_PLACEHOLDER.length + 1);
  const domain = pattern.host.slice(ORGANIZATION_PLACEHOLDER.length + 1);
  return { hostStart, rest, checkSuffix: suffixBeneath(domain) !== undefined };
}

function hostOf(key: string, hostStart: number): string {
  return key.slice(hostStart, endOfHost(key, hostStart));
}

/** WHATWG only lets a host end in an all-digit label when the host is IPv4. */
function endsInNumericLabel(hostname: string): boolean {
  let i = hostname.length - 1;
  for (; i >= 0 && hostname.charCodeAt(i) !== 0x2e /* . */; i--) {
    const c = hostname.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return i < hostname.length - 1;
}
const LOOPBACK_PREFIXES = ['http://127.0.0.1', 'http://[::1]'] as const;
/** Up to this many wildcard entries are compared one by one instead of through the map. */
const FEW_WILDCARDS = 8;

/**
 * Where the host starts in an http(s) key (8 or 7), or -1 for other schemes and IPv6
 * literals. Keys are WHATWG serialisations, so the scheme is lower case.
 */
function webHostStart(key: string): number {
  if (
    key.charCodeAt(0) !== 0x68 /* h */ ||
    key.charCodeAt(1) !== 0x74 /* t */ ||
    key.charCodeAt(2) !== 0x74 /* t */ ||
    key.charCodeAt(3) !== 0x70 /* p */
  ) {
    return -1;
  }
  const start = key.startsWith('s://', 4) ? 8 : key.startsWith('://', 4) ? 7 : -1;
  return start !== -1 && key.charCodeAt(start) !== 0x5b /* [ */ ? start : -1;
}

/** The end of the host that starts at `hostStart`: the port's `:`, the path's `/` or the end. */
function endOfHost(key: string, hostStart: number): number {
  const slash = key.indexOf('/', hostStart);
  const end = slash === -1 ? key.length : slash;
  const colon = key.indexOf(':', hostStart);
  return colon !== -1 && colon < end ? colon : end;
}

/** 0 for an `http` key on 127.0.0.1, 1 on [::1], -1 otherwise. */
function loopbackHost(key: string): 0 | 1 | -1 {
  const first = key.charCodeAt(7);
  if (first === 0x31 /* 1 */) return key.startsWith(LOOPBACK_PREFIXES[0]) ? 0 : -1;
  if (first === 0x5b /* [ */) return key.startsWith(LOOPBACK_PREFIXES[1]) ? 1 : -1;
  return -1;
}

/**
 * Where the port-free rest (path and query) of a loopback key starts, or -1 when the host
 * only starts like a loopback one (`127.0.0.10`).
 */
function loopbackTailStart(key: string, host: 0 | 1): number {
  const end = LOOPBACK_PREFIXES[host].length;
  const next = key.charCodeAt(end);
  if (next === 0x2f /* / */ || Number.isNaN(next)) return end;
  if (next !== 0x3a /* : */) return -1;
  const path = key.indexOf('/', end);
  return path === -1 ? key.length : path;
}
