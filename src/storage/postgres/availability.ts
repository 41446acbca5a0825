/**
 * Whether PostgresStore can reach its database, as the last operation found it: every
 * query and every connection of the change feed reports its outcome here, and a listener
 * hears of the two transitions only (the database became unavailable; it is back), so an
 * outage during which thousands of requests fail is one line in a log, not thousands.
 *
 * @internal
 * @module
 */
import { StoreUnavailableError } from '../../errors.js';

/**
 * A change of a store's reachability, as `PostgresStore`'s `onAvailabilityChange` hears it.
 *
 * @example
 * ```ts
 * const store = new PostgresStore({
 *   connectionString,
 *   onAvailabilityChange: (change) =>
 *     console.error(change.available ? 'database back' : `database down: ${change.error.message}`),
 * });
 * ```
 */
export type StoreAvailabilityChange =
  | {
      /** The database cannot be reached (the first failure of an outage). */
      readonly available: false;
      /** The failure that started it. */
      readonly error: StoreUnavailableError;
    }
  | {
      /** The database answers again (the first success after an outage). */
      readonly available: true;
      /** How long it was unavailable, in milliseconds. */
      readonly unavailableForMs: number;
    };

/** Tracks reachability and reports its transitions to `listener`. */
export class Availability {
  readonly #listener: (change: StoreAvailabilityChange) => void;
  /** When the current outage began (ms), or undefined while the database answers. */
  #since: number | undefined;

  constructor(listener: (change: StoreAvailabilityChange) => void) {
    this.#listener = listener;
  }

  /** An operation reached the database. */
  reached(): void {
    if (this.#since === undefined) return;
    const unavailableForMs = Date.now() - this.#since;
    this.#since = undefined;
    this.#notify({ available: true, unavailableForMs });
  }

  /**
   * An operation failed with `error`, returned for the caller to throw: the start of an
   * outage when it is a {@link StoreUnavailableError}, otherwise a refusal by a database
   * that answered (a conflict), which counts as {@link reached}.
   */
  failed<E>(error: E): E {
    if (!(error instanceof StoreUnavailableError)) this.reached();
    else if (this.#since === undefined) {
      this.#since = Date.now();
      this.#notify({ available: false, error });
    }
    return error;
  }

  #notify(change: StoreAvailabilityChange): void {
    try {
      this.#listener(change);
    } catch {
      // A listener's failure must not turn into the store's.
    }
  }
}

/** The default listener: one process warning when the database goes, one when it is back. */
export function warnAvailability(change: StoreAvailabilityChange): void {
  if (change.available) {
    process.emitWarning(
      `PostgresStore: the database is available again (unavailable for ${(change.unavailableForMs / 1000).toFixed(1)} s)`,
      { type: 'ClienteleStoreWarning', code: 'CLIENTELE_STORE_AVAILABLE' },
    );
  } else {
    process.emitWarning(change.error.message, {
      type: 'ClienteleStoreWarning',
      code: 'CLIENTELE_STORE_UNAVAILABLE',
    });
  }
}
