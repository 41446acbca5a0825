/**
 * The storage contract: named collections of versioned records with optimistic
 * concurrency. Everything the library persists (clients, connections, APIs, grants,
 * signing keys, registration tokens) goes through it, so an adapter for Postgres, Redis
 * or DynamoDB only implements this interface and passes `runStoreConformance`.
 *
 * @module
 */

import type { StoreLogs } from './log.js';

/** The collections the library uses. Adapters must accept any non-empty name. */
export type CollectionName =
  'clients' | 'connections' | 'apis' | 'grants' | 'keys' | 'registrations' | (string & {});

/** A stored value with its identity and version. */
export interface StoredRecord<T = unknown> {
  /** Unique within its collection. */
  readonly id: string;
  /** Starts at 1 on insert and grows by 1 on every replace. */
  readonly version: number;
  /** The JSON-serialisable value. Read-only: a store never shares mutable state with callers. */
  readonly value: T;
}

/** One write in a {@link Store.commit} batch. */
export type WriteOperation =
  | {
      /** Adds a record; fails with `ConflictError` if the id exists. */
      readonly op: 'insert';
      /** Target collection. */
      readonly collection: CollectionName;
      /** New record id. */
      readonly id: string;
      /** JSON-serialisable value. */
      readonly value: unknown;
    }
  | {
      /** Replaces a record; fails with `ConflictError` when its version is not `expectedVersion`. */
      readonly op: 'replace';
      /** Target collection. */
      readonly collection: CollectionName;
      /** Record id; `NotFoundError` if absent. */
      readonly id: string;
      /** JSON-serialisable value. */
      readonly value: unknown;
      /** The version the caller read. */
      readonly expectedVersion: number;
    }
  | {
      /** Removes a record; `NotFoundError` if absent. */
      readonly op: 'delete';
      /** Target collection. */
      readonly collection: CollectionName;
      /** Record id. */
      readonly id: string;
      /** When given, `ConflictError` unless the record is at this version. */
      readonly expectedVersion?: number;
    };

/** One committed change of one record, reported by {@link Store.watch}. */
export interface RecordChange {
  /** The record's collection. */
  readonly collection: CollectionName;
  /** The record's id. */
  readonly id: string;
  /** The record's version after the change; `0` when the change deleted it. */
  readonly version: number;
}

/**
 * Reported by {@link Store.watch} when the store cannot say exactly what changed (a change
 * feed that has just connected, or that was away longer than its history reaches): forget
 * everything derived from the store's data and read it again.
 */
export interface ChangeFeedReset {
  /** Always `true`. */
  readonly reset: true;
}

/** What a {@link Store.watch} listener receives; tell them apart with `'reset' in change`. */
export type StoreChange = RecordChange | ChangeFeedReset;

/** Called by {@link Store.watch} for every committed change. Exceptions it throws are ignored. */
export type ChangeListener = (change: StoreChange) => void;

/**
 * A store of named collections. Implementations must be safe to call concurrently from
 * one process; every method leaves the data unchanged when it throws.
 *
 * Rules every implementation follows (and `runStoreConformance` checks):
 * - Collection names and ids are non-empty strings, any characters allowed
 *   (`__proto__`, `a/b`, emoji); anything else is an `InvalidArgumentError`, as is an
 *   `expectedVersion` that is not a positive integer.
 * - Values are JSON values: plain objects, arrays, strings, finite numbers, booleans,
 *   `null`. A value JSON cannot hold unchanged (`undefined`, a function, a `Date`, a
 *   `Map`, a class instance, `NaN`, a cycle) is an `InvalidArgumentError`; object
 *   properties set to `undefined` are dropped, as `JSON.stringify` does.
 * - What a caller passed in or got back is never shared mutably with the stored data
 *   (the built-in stores return deep-frozen values).
 * - `list` is in insertion order: a replace keeps a record's place, a re-insert after a
 *   delete goes last and starts again at version 1.
 * - A `commit` batch may touch each record once (`InvalidArgumentError` otherwise).
 */
export interface Store {
  /** The record, or `undefined` when there is none. */
  get<T = unknown>(collection: CollectionName, id: string): Promise<StoredRecord<T> | undefined>;
  /** Every record of the collection, in insertion order (stable across calls). */
  list<T = unknown>(collection: CollectionName): Promise<StoredRecord<T>[]>;
  /** Inserts a new record at version 1. `ConflictError` if the id exists. */
  insert<T = unknown>(collection: CollectionName, id: string, value: T): Promise<StoredRecord<T>>;
  /**
   * Replaces a record if it is still at `expectedVersion`, returning it at the next version.
   * `ConflictError` on a stale version, `NotFoundError` when it does not exist.
   */
  replace<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
    expectedVersion: number,
  ): Promise<StoredRecord<T>>;
  /** Deletes a record. `NotFoundError` when absent; `ConflictError` on a stale `expectedVersion`. */
  delete(collection: CollectionName, id: string, expectedVersion?: number): Promise<void>;
  /**
   * Applies every operation or none (all checks run before anything is written).
   * Returns the written records of inserts and replaces, in operation order.
   */
  commit(operations: readonly WriteOperation[]): Promise<StoredRecord[]>;
  /**
   * Optional change feed: calls `listener` for every committed change of any record, this
   * instance's and other instances' (processes, machines) alike, in commit order per
   * record, and returns a function that stops it. A change of this instance is reported
   * by the time its write resolves; another instance's as soon as the store learns of it
   * (milliseconds for the built-in stores). When the store cannot tell what changed it
   * sends one {@link ChangeFeedReset} instead. A store without `watch` is only ever read
   * on demand; readers then bound how long they trust what they read.
   */
  watch?(listener: ChangeListener): () => void;
  /**
   * Optional append-only logs (the audit events behind `/logs`): appending costs the same
   * whatever a log holds, reads go through an index, and retention is trimmed in bounded
   * steps. A store without them still works: the library then keeps such entries as
   * records of a collection, which costs one insert per batch but a full `list` for every
   * read and retention sweep (see docs/storage.md, "Append-only logs").
   */
  readonly logs?: StoreLogs;
  /** Releases resources (file handles, locks, connections). Optional. */
  close?(): Promise<void>;
}
