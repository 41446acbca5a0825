/**
 * `clientele/postgres`: {@link PostgresStore}, a store in PostgreSQL for services that run
 * on more than one instance. Needs the `pg` driver (an optional peer dependency of this
 * entry point only; the main `clientele` entry never imports it).
 *
 * @module
 */
export { PostgresStore } from './storage/postgres/postgres-store.js';
export type { PostgresStoreOptions } from './storage/postgres/postgres-store.js';
export type { StoreAvailabilityChange } from './storage/postgres/availability.js';
