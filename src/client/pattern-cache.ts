/**
 * A bounded memo of allow-list entry parses, shared by validation, lint and `Client`
 * snapshots. The same entries are parsed again and again (every update of a client
 * validates all its lists, every snapshot compiles them, a tenant export repeats URLs
 * across clients); parsing an entry is pure, so each distinct entry is parsed once while
 * it stays in the memo.
 */
import type { AllowListKind } from '../urls/kinds.js';
import { parseUrlPattern, type UrlPatternResult } from '../urls/pattern.js';

/** Entries remembered at most; when full, the memo starts over. */
export const MAX_CACHED_PATTERNS = 10_000;
/** Longer entries are parsed every time, so the memo's memory stays small. */
const MAX_CACHED_LENGTH = 1024;

/**
 * One map per kind, keyed by the entry itself: the entry strings come from the caller's
 * data, and a string caches its hash, so a lookup does not build or hash a new key.
 */
const memo: Record<AllowListKind, Map<string, UrlPatternResult>> = {
  callback: new Map(),
  logout: new Map(),
  origin: new Map(),
};
let size = 0;

/**
 * {@link parseUrlPattern}, memoised. The results are frozen and shared: never mutate them.
 *
 * @internal
 */
export function parsePattern(kind: AllowListKind, entry: string): UrlPatternResult {
  if (entry.length > MAX_CACHED_LENGTH) return parseUrlPattern(kind, entry);
  const map = memo[kind];
  const known = map.get(entry);
  if (known !== undefined) return known;
  const result = freeze(parseUrlPattern(kind, entry));
  if (size >= MAX_CACHED_PATTERNS) {
    // Start over rather than track recency: cheap, bounded, and refilled on demand.
    memo.callback.clear();
    memo.logout.clear();
    memo.origin.clear();
    size = 0;
  }
  map.set(entry, result);
  size++;
  return result;
}

function freeze(result: UrlPatternResult): UrlPatternResult {
  if (result.ok) {
    if (result.pattern.wildcard) Object.freeze(result.pattern.wildcard);
    Object.freeze(result.pattern);
  }
  return Object.freeze(result);
}
