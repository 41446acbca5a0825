/** A sink that keeps events in an array: for tests and small embedded setups. */
import type { AuditEvent, AuditSink } from '../event.js';
import { typesOf, type AuditSinkOptions } from './options.js';

/** Options of {@link memorySink}. */
export type MemorySinkOptions = AuditSinkOptions;

/** An {@link AuditSink} that appends every delivered event to {@link MemorySink.events}. */
export interface MemorySink extends AuditSink {
  /** Every event delivered so far, in delivery order. Grows without bound: clear it as needed. */
  readonly events: AuditEvent[];
}

/**
 * Creates a sink that keeps delivered events in memory. Its writes never fail.
 *
 * @example
 * ```ts
 * const failures = memorySink({ types: ['f*'] });
 * const audit = new AuditTrail({ sinks: [failures] });
 * audit.record({ type: 'feccft', description: 'Unauthorized client', client_id: 'abc' });
 * await audit.flush();
 * failures.events.map((event) => event.type); // ['feccft']
 * ```
 */
export function memorySink(options: MemorySinkOptions = {}): MemorySink {
  const events: AuditEvent[] = [];
  return {
    events,
    ...typesOf(options),
    write(batch) {
      for (const event of batch) events.push(event);
      return Promise.resolve();
    },
  };
}
