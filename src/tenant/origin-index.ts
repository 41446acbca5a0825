/**
 * A tenant-wide index of the CORS origins any client allows, for answering preflight
 * (`OPTIONS`) requests, which carry no client id. Compiled once into one origin
 * allow-list, so a lookup costs what one client's `allowsOrigin` costs, never a scan of
 * all clients.
 */
import { effectiveOriginPatterns } from '../client/client.js';
import type { ClientSettings } from '../client/settings.js';
import { compileAllowList, type AllowList } from '../urls/allow-list.js';
import type { UrlPattern } from '../urls/pattern.js';

/** How long an index built from a store without a change feed is trusted before it is rebuilt (writes by other processes). */
const MAX_AGE_MS = 5_000;

/** Builds and caches the index; `invalidate()` after every client write of this process. */
export class OriginIndex {
  readonly #load: () => Promise<readonly ClientSettings[]>;
  readonly #now: () => number;
  #built: { list: AllowList; at: number } | undefined;
  #building: Promise<AllowList> | undefined;
  #generation = 0;

  readonly #maxAgeMs: number;

  /**
   * @param maxAgeMs - how long a build is trusted; `Infinity` when a change feed calls
   *   {@link OriginIndex.invalidate} on every client change
   */
  constructor(
    load: () => Promise<readonly ClientSettings[]>,
    now: () => number,
    maxAgeMs = MAX_AGE_MS,
  ) {
    this.#load = load;
    this.#now = now;
    this.#maxAgeMs = maxAgeMs;
  }

  /** True when some client's effective CORS origins (allowed_origins and callback origins) allow `origin`. */
  async allows(origin: string): Promise<boolean> {
    const built = this.#built;
    const list =
      built && this.#now() - built.at < this.#maxAgeMs ? built.list : await this.#rebuild();
    return list.allows(origin);
  }

  /** Forgets the index; the next lookup rebuilds it. */
  invalidate(): void {
    this.#built = undefined;
    this.#generation++;
  }

  #rebuild(): Promise<AllowList> {
    this.#building ??= (async () => {
      const generation = this.#generation;
      const at = this.#now();
      const list = compileAllowList('origin', originPatterns(await this.#load()));
      // A write that happened while loading makes this build stale: use it once, keep nothing.
      if (generation === this.#generation) this.#built = { list, at };
      return list;
    })().finally(() => {
      this.#building = undefined;
    });
    return this.#building;
  }
}

/** Every client's effective CORS origins, as one list without duplicates. */
function originPatterns(clients: readonly ClientSettings[]): UrlPattern[] {
  const byKey = new Map<string, UrlPattern>();
  for (const client of clients) {
    for (const pattern of effectiveOriginPatterns(client)) {
      if (!byKey.has(pattern.key)) byKey.set(pattern.key, pattern);
    }
  }
  return [...byKey.values()];
}
