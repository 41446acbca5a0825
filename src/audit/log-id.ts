/**
 * Audit `log_id`s in Auth0's format: 56 decimal digits, unique and sortable by time, built
 * without a syscall per event.
 *
 * Layout: `900`, the UTC time to the millisecond as `yyyyMMddHHmmssSSS` (17 digits), a
 * sequence number within that millisecond (6 digits) and 30 random digits drawn once per
 * generator. Every part has a fixed width, so ids compare the same as strings and as
 * numbers. The clock part never goes backwards within a generator, so ids from one trail
 * sort in recording order; the random part keeps ids of different trails and processes
 * apart.
 *
 * Auth0's ids have the same length and start the same way (`900` and the time), which is
 * what consumers of its logs key and order them by.
 */
import { randomBytes } from 'node:crypto';
import { rememberLast } from '../lib/remember-last.js';

const MAX_SEQUENCE = 999_999;
const SEQUENCE_DIGITS = 6;
const RANDOM_DIGITS = 30;

/** Returns a function that turns the current time (ms since the epoch) into a fresh log id. */
export function createLogIdGenerator(): (nowMs: number) => string {
  const instance = (BigInt(`0x${randomBytes(16).toString('hex')}`) % 10n ** 30n)
    .toString()
    .padStart(RANDOM_DIGITS, '0');
  let lastMs = -1;
  let prefix = '';
  let sequence = 0;
  return (nowMs) => {
    if (nowMs > lastMs) {
      lastMs = nowMs;
      prefix = timePrefix(lastMs);
      sequence = 0;
    } else if (sequence < MAX_SEQUENCE) {
      // Same millisecond, or the wall clock stepped back: keep counting on the last one.
      sequence += 1;
    } else {
      // A million ids in one millisecond: borrow the next one rather than repeat an id.
      lastMs += 1;
      prefix = timePrefix(lastMs);
      sequence = 0;
    }
    return `${prefix}${sequence.toString().padStart(SEQUENCE_DIGITS, '0')}${instance}`;
  };
}

/** `yyyy-MM-ddTHH:mm:ss.` of the second that starts at `ms`. */
const secondPrefix = rememberLast((ms: number) => new Date(ms).toISOString().slice(0, 20));

/**
 * `new Date(ms).toISOString()`, made once per millisecond (the events of one millisecond,
 * and their log ids, share it) from a prefix made once per second.
 */
export const isoDate = rememberLast((ms: number): string => {
  const second = Math.floor(ms / 1000) * 1000;
  return `${secondPrefix(second)}${String(ms - second).padStart(3, '0')}Z`;
});

/** `900` and `yyyyMMddHHmmssSSS` (UTC) of `ms`. */
function timePrefix(ms: number): string {
  // `yyyy-MM-ddTHH:mm:ss.SSSZ` for years 0 to 9999: its digits, in order.
  const at = isoDate(ms);
  return `900${at.slice(0, 4)}${at.slice(5, 7)}${at.slice(8, 10)}${at.slice(11, 13)}${at.slice(14, 16)}${at.slice(17, 19)}${at.slice(20, 23)}`;
}
