/**
 * The replay cache of client assertions: each verified assertion's `jti` is recorded in the
 * store (collection `assertion_jtis`) until its `exp`, so a second use is refused by every
 * process sharing the store. Single use rests on the store's `insert`, which fails when
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

/** What the store keeps for a used `jti`: whose it was and until when it is kept. */
interface JtiRecord {
  /** The client that used it. */
  readonly client_id: string;
  /** Seconds since the epoch; after this the assertion is expired anyway. */
  readonly expires_at: number;
}

/** Sweep expired entries at most this often (milliseconds). */
const SWEEP_INTERVAL_MS = 60_000;
/** Entries deleted per sweep commit. */
const SWEEP_BATCH = 500;

/** Records used assertion ids in a store. @internal */
export class JtiCache {
  readonly #store: Store;
  readonly #now: () => number;
  #lastSweep: number;

  constructor(store: Store, now: () => number) {
    this.#store = store;
    this.#now = now;
    this.#lastSweep = now();
  }

  /**
   * Records `jti` of `clientId` as used until `exp` (seconds). Resolves false when it is
   * already recorded and not yet expired: a replay.
   */
  async consume(clientId: string, jti: string, exp: number): Promise<boolean> {
    // Hashed: a fixed-length id whatever the jti holds, and no client text as a store key.
    const id = hash('sha256', `${clientId}\u0000${jti}`, 'base64url');
    const value: JtiRecord = { client_id: clientId, expires_at: exp };
    await this.#maybeSweep();
    try {
      await this.#store.insert(JTI_COLLECTION, id, value);
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    const existing = await this.#store.get<JtiRecord>(JTI_COLLECTION, id);
    if (existing === undefined || existing.value.expires_at * 1000 > this.#now()) return false;
    try {
      await this.#store.replace(JTI_COLLECTION, id, value, existing.version);
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
    const expired: WriteOperation[] = [];
    for (const record of await this.#store.list<JtiRecord>(JTI_COLLECTION)) {
      if (record.value.expires_at * 1000 > now) continue;
      expired.push({
        op: 'delete',
        collection: JTI_COLLECTION,
        id: record.id,
        expectedVersion: record.version,
      });
      if (expired.length >= SWEEP_BATCH) break;
    }
    if (expired.length > 0) await this.#store.commit(expired);
  }
}
