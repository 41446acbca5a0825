/**
 * Backpressure at the door: a request that arrives while the store-backed log is
 * `maxPending` events behind waits for room before it is served, so the queue behind the
 * responses stays bounded. If the log does not catch up within {@link ROOM_WAIT_MS} (its
 * store is down), the request is answered like a store outage: `503` with `Retry-After`.
 *
 * @internal
 * @module
 */
import type { AuditTrail } from '../audit/trail.js';
import { StoreUnavailableError } from '../errors.js';

/** Longest a request waits for the store-backed log to catch up. */
export const ROOM_WAIT_MS = 5_000;

/**
 * Resolves at once while the trail has room (the usual case costs one property read).
 *
 * @throws {@link StoreUnavailableError} when the log stayed full for {@link ROOM_WAIT_MS}
 */
export async function waitForAuditRoom(audit: AuditTrail): Promise<void> {
  if (!audit.full || (await audit.waitForRoom(ROOM_WAIT_MS))) return;
  throw new StoreUnavailableError(
    `the store-backed audit log has been ${audit.backlog.pending} events behind for ${ROOM_WAIT_MS} ms`,
  );
}
