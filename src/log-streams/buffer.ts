/**
 * The events recorded since the streams last caught up, shared by every stream: each event
 * once, numbered in recording order (its sequence number), whatever the number of
 * streams. A stream keeps only its position in it, so an event costs O(1) memory and a
 * paused stream costs nothing but the events it has not had yet. The hub bounds it.
 *
 * @internal
 * @module
 */
import type { AuditEvent } from '../audit/event.js';

/** Events by sequence number, oldest first; dropped from the front only. */
export class EventBuffer {
  #events: AuditEvent[] = [];
  /** Index in `#events` of the oldest kept event. */
  #head = 0;
  /** Sequence number of the oldest kept event. */
  #start = 0;

  /** Sequence number of the oldest kept event (`end` when none is kept). */
  get start(): number {
    return this.#start;
  }

  /** Sequence number the next event gets. */
  get end(): number {
    return this.#start + this.#events.length - this.#head;
  }

  /** Events kept. */
  get size(): number {
    return this.#events.length - this.#head;
  }

  /** Appends `event` and returns its sequence number. */
  push(event: AuditEvent): number {
    this.#events.push(event);
    return this.end - 1;
  }

  /** The event numbered `seq`, when it is still kept. */
  at(seq: number): AuditEvent | undefined {
    if (seq < this.#start || seq >= this.end) return undefined;
    return this.#events[this.#head + seq - this.#start];
  }

  /** Drops every event numbered below `seq`. */
  dropBefore(seq: number): void {
    const count = Math.min(seq, this.end) - this.#start;
    if (count <= 0) return;
    this.#head += count;
    this.#start += count;
    if (this.#head === this.#events.length) {
      this.#events = [];
      this.#head = 0;
    } else if (this.#head >= 4096 && this.#head * 2 >= this.#events.length) {
      // Drop the consumed front now and then rather than on every call.
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }
}
