/**
 * Audit `log_id`s: unique and sortable by time, built without a syscall per event.
 *
 * Layout (32 lowercase hex characters): 12 for the millisecond timestamp, 4 for a
 * sequence number within that millisecond, 16 random ones drawn once per generator. The
 * clock part never goes backwards within a generator, so ids from one trail sort in
 * recording order; the random part keeps ids of different trails and processes apart.
 */
import { randomBytes } from 'node:crypto';

const MAX_SEQUENCE = 0xffff;

/** Returns a function that turns the current time (ms since the epoch) into a fresh log id. */
export function createLogIdGenerator(): (nowMs: number) => string {
  const instance = randomBytes(8).toString('hex');
  let lastMs = -1;
  let sequence = 0;
  return (nowMs) => {
    if (nowMs > lastMs) {
      lastMs = nowMs;
      sequence = 0;
    } else if (sequence < MAX_SEQUENCE) {
      // Same millisecond, or the wall clock stepped back: keep counting on the last one.
      sequence += 1;
    } else {
      // 65,536 ids in one millisecond: borrow the next one rather than repeat an id.
      lastMs += 1;
      sequence = 0;
    }
    const time = lastMs.toString(16).padStart(12, '0');
    return `${time}${sequence.toString(16).padStart(4, '0')}${instance}`;
  };
}
