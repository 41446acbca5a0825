/**
 * Caching fetched metadata documents within bounds: a response's own caching headers
 * (`Cache-Control: max-age`, `no-cache`, `no-store`, `Expires` against `Date`, less `Age`)
 * decide how long it is fresh, clamped to the tenant's `minCacheSeconds` and
 * `maxCacheSeconds`, so no host can make the server fetch it on every request nor keep a
 * document forever. When a re-fetch fails because the host is down (no connection, a
 * timeout, a 5xx), the last good document is served for `staleIfErrorSeconds` more and
 * refused after that; any other failure (the document changed into an invalid one, a 404)
 * is final at once. Concurrent requests for one URL share one fetch, and the number of
 * entries is bounded (the oldest go first).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1
 * @see https://www.rfc-editor.org/rfc/rfc5861#section-4
 */
import { ClientMetadataDocumentError } from '../errors.js';
import type { FetchedDocument } from './fetch.js';

/** The bounds of the cache. */
export interface CachePolicy {
  /** Shortest freshness, whatever the response says (seconds). Default 300. */
  readonly minCacheSeconds: number;
  /** Longest freshness, whatever the response says (seconds). Default 86400. */
  readonly maxCacheSeconds: number;
  /** How long past its freshness a document is served while its host is down (seconds). */
  readonly staleIfErrorSeconds: number;
  /** Most documents kept. */
  readonly maxEntries: number;
  /**
   * How long a failure is remembered (seconds): requests for that URL meanwhile get the
   * same error without a fetch, so no one can make the server fetch a failing URL at the
   * rate of their requests. Default 30.
   */
  readonly failureSeconds: number;
  /**
   * Most documents fetched at once, all URLs together: a URL asked for beyond it gets its
   * stale document while one is kept, else `cimd_busy` (not remembered), so anonymous
   * requests naming many URLs cannot make the server open as many connections. Default 16.
   */
  readonly maxConcurrentFetches: number;
}

/**
 * Defaults: 5 minutes to 24 hours fresh, 1 hour stale while the host is down, failures
 * remembered 30 seconds, 1,000 entries.
 */
export const DEFAULT_CACHE_POLICY: CachePolicy = {
  minCacheSeconds: 300,
  maxCacheSeconds: 86_400,
  staleIfErrorSeconds: 3_600,
  maxEntries: 1_000,
  failureSeconds: 30,
  maxConcurrentFetches: 16,
};

/** What a load gives: the value to keep and the response headers that say for how long. */
export interface Loaded<T> {
  readonly value: T;
  readonly headers: FetchedDocument['headers'];
}

interface Entry<T> {
  readonly value: T;
  readonly freshUntil: number;
  readonly staleUntil: number;
}

/** Failures that mean "the host is down", for which a stale document may still be served. */
const HOST_DOWN: ReadonlySet<string> = new Set(['cimd_network', 'cimd_timeout', 'cimd_dns_failed']);

/**
 * How many seconds a response is fresh, by its headers, clamped to the policy's bounds.
 *
 * @param headers - the response's caching headers
 * @param nowMs - the clock, in milliseconds
 * @param policy - the bounds
 * @example
 * ```ts
 * freshnessSeconds({ 'cache-control': 'max-age=60' }, Date.now(), DEFAULT_CACHE_POLICY); // 300
 * ```
 */
export function freshnessSeconds(
  headers: Partial<FetchedDocument['headers']>,
  nowMs: number,
  policy: Pick<CachePolicy, 'minCacheSeconds' | 'maxCacheSeconds'>,
): number {
  const stated = statedFreshness(headers, nowMs);
  const given = stated ?? policy.minCacheSeconds;
  return Math.min(policy.maxCacheSeconds, Math.max(policy.minCacheSeconds, given));
}

/** What the headers say, in seconds, or undefined when they say nothing usable. */
function statedFreshness(
  headers: Partial<FetchedDocument['headers']>,
  nowMs: number,
): number | undefined {
  const directives = new Map<string, string | undefined>();
  for (const part of (headers['cache-control'] ?? '').split(',')) {
    const [name = '', value] = part.trim().split('=', 2);
    if (name !== '') directives.set(name.toLowerCase(), value?.replace(/^"(.*)"$/, '$1'));
  }
  if (directives.has('no-store') || directives.has('no-cache')) return 0;
  const age = seconds(headers.age) ?? 0;
  const maxAge = seconds(directives.get('max-age'));
  if (maxAge !== undefined) return maxAge - age;
  const expires = Date.parse(headers.expires ?? '');
  if (Number.isNaN(expires)) return headers.expires === undefined ? undefined : 0;
  const date = Date.parse(headers.date ?? '');
  return Math.floor((expires - (Number.isNaN(date) ? nowMs : date)) / 1000) - age;
}

function seconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,10}$/.test(value.trim()) ? Number(value) : undefined;
}

/**
 * A bounded cache of documents by URL, on an injectable clock. @internal
 *
 * @example
 * ```ts
 * const cache = new DocumentCache(DEFAULT_CACHE_POLICY, Date.now);
 * const value = await cache.get(url, async () => ({ value: await load(url), headers }));
 * ```
 */
export class DocumentCache<T> {
  readonly #policy: CachePolicy;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #loading = new Map<string, Promise<T>>();
  readonly #failures = new Map<string, { readonly error: unknown; readonly until: number }>();

  constructor(policy: CachePolicy, now: () => number) {
    this.#policy = policy;
    this.#now = now;
  }

  /** How many documents are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The document of `url`: the cached one while fresh, else what `load` gives (one load
   * at a time per URL). A failed load serves the stale document while the host is down
   * and the stale window lasts; otherwise the failure is thrown and the entry dropped.
   */
  get(url: string, load: () => Promise<Loaded<T>>): Promise<T> {
    const entry = this.#entries.get(url);
    if (entry && this.#now() < entry.freshUntil) return Promise.resolve(entry.value);
    const failed = this.#failures.get(url);
    if (failed && this.#now() < failed.until) return Promise.reject(failed.error);
    const pending = this.#loading.get(url);
    if (pending) return pending;
    if (this.#loading.size >= this.#policy.maxConcurrentFetches) {
      if (entry && this.#now() < entry.staleUntil) return Promise.resolve(entry.value);
      return Promise.reject(
        new ClientMetadataDocumentError(
          'cimd_busy',
          url,
          `${this.#policy.maxConcurrentFetches} client metadata documents are being fetched already; try again shortly`,
        ),
      );
    }
    const loading = this.#load(url, load, entry).finally(() => this.#loading.delete(url));
    this.#loading.set(url, loading);
    return loading;
  }

  /** Drops a URL's document, so the next `get` fetches it. */
  forget(url: string): void {
    this.#entries.delete(url);
    this.#failures.delete(url);
  }

  async #load(url: string, load: () => Promise<Loaded<T>>, stale: Entry<T> | undefined) {
    let loaded: Loaded<T>;
    try {
      loaded = await load();
    } catch (error) {
      const down =
        error instanceof ClientMetadataDocumentError &&
        (HOST_DOWN.has(error.code) ||
          (error.code === 'cimd_http_status' && (error.status ?? 0) >= 500));
      if (stale && down && this.#now() < stale.staleUntil) return stale.value;
      this.#entries.delete(url);
      this.#remember(url, error);
      throw error;
    }
    this.#failures.delete(url);
    const now = this.#now();
    const fresh = freshnessSeconds(loaded.headers, now, this.#policy) * 1000;
    this.#entries.delete(url);
    while (this.#entries.size >= this.#policy.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(url, {
      value: loaded.value,
      freshUntil: now + fresh,
      staleUntil: now + fresh + this.#policy.staleIfErrorSeconds * 1000,
    });
    return loaded.value;
  }

  /** Remembers a failure for `failureSeconds`, in a map bounded like the documents'. */
  #remember(url: string, error: unknown): void {
    if (this.#policy.failureSeconds <= 0) return;
    this.#failures.delete(url);
    while (this.#failures.size >= this.#policy.maxEntries) {
      const oldest = this.#failures.keys().next();
      if (oldest.done === true) break;
      this.#failures.delete(oldest.value);
    }
    this.#failures.set(url, { error, until: this.#now() + this.#policy.failureSeconds * 1000 });
  }
}
