/**
 * The replay cache of client assertions (collection `assertion_jtis`), and with another
 * collection of DPoP proofs (`dpop_proof_jtis`) and request objects (`request_object_jtis`):
 * each verified token's `jti` is recorded in the store until it expires, so a second use is
 * refused by every process sharing the store. Single use rests on the store's `insert`, which fails when
 * the id exists: two processes presenting the same assertion at once cannot both succeed.
 * An entry whose `exp` has passed may be taken over (a `replace` at the version read, so
 * again only one taker wins), and expired entries are swept from time to time.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3 (item 7: jti replay)
 */
import { hash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Store, WriteOperation } from '../storage/store.js';

/** The store collection of used assertion ids. */
export const JTI_COLLECTION = 'assertion_jtis';

/**
 * What the store keeps for a used `jti`: whose it was (a member named by the cache: the
 * client's `client_id`, a proof key's `jkt`) and until when it is kept.
 */
interface JtiRecord {
  readonly [owner: string]: string | number;
  /** Seconds since the epoch; after this the token is expired anyway. */
  readonly expires_at: number;
}

/** Where a cache keeps its ids, and the member naming whose each id was. */
export interface JtiCollection {
  readonly collection: string;
  readonly owner: string;
}

/** Sweep expired entries at most this often (milliseconds). */
const SWEEP_INTERVAL_MS = 60_000;
/** Entries deleted per sweep commit. */
const SWEEP_BATCH = 500;

/** Records used assertion ids in a store. @internal */
export class JtiCache {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #where: JtiCollection;
  #lastSweep: number;

  constructor(
    store: Store,
    now: () => number,
    where: JtiCollection = { collection: JTI_COLLECTION, owner: 'client_id' },
  ) {
    this.#store = store;
    this.#now = now;
    this.#where = where;
    this.#lastSweep = now();
  }

  /**
   * Records `jti` of `owner` (a client id, a key thumbprint) as used until `exp` (seconds).
   * Resolves false when it is already recorded and not yet expired: a replay.
   */
  async consume(owner: string, jti: string, exp: number): Promise<boolean> {
    // Hashed: a fixed-length id whatever the jti holds, and no client text as a store key.
    const id = hash('sha256', `${owner}\u0000${jti}`, 'base64url');
    const { collection } = this.#where;
    const value: JtiRecord = { [this.#where.owner]: owner, expires_at: exp };
    await this.#maybeSweep();
    try {
      await this.#store.insert(collection, id, value);
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    const existing = await this.#store.get<JtiRecord>(collection, id);
    if (existing === undefined || existing.value.expires_at * 1000 > this.#now()) return false;
    try {
      await this.#store.replace(collection, id, value, existing.version);
      return true;
    } catch (error) {
      if (error instanceof ConflictError || error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** Sweeps expired entries when the last sweep is old enough; a failed sweep is retried later. */
  async #maybeSweep(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    try {
      await this.#sweep(now);
    } catch {
      // Another process swept or took an entry over at the same time: next round.
    }
  }

  async #sweep(now: number): Promise<void> {
    const { collection } = this.#where;
    const expired: WriteOperation[] = [];
    for (const record of await this.#store.list<JtiRecord>(collection)) {
      if (record.value.expires_at * 1000 > now) continue;
      expired.push({
        op: 'delete',
        collection,
        id: record.id,
        expectedVersion: record.version,
      });
      if (expired.length >= SWEEP_BATCH) break;
    }
    if (expired.length > 0) await this.#store.commit(expired);
  }
}
