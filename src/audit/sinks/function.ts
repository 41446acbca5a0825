/** A sink that hands each batch to a function of the caller's. */
import { InvalidArgumentError } from '../../errors.js';
import type { AuditEvent, AuditSink } from '../event.js';
import { typesOf, type AuditSinkOptions } from './options.js';

/** Options of {@link functionSink}. */
export type FunctionSinkOptions = AuditSinkOptions;

/**
 * Creates a sink that calls `fn` with each batch, in order, one batch at a time. When `fn`
 * throws or its promise rejects, the trail retries the same batch with backoff.
 *
 * @param fn - receives a frozen batch; resolve (or return) once it is stored
 * @throws {@link InvalidArgumentError} when `fn` is not a function.
 * @example
 * ```ts
 * const audit = new AuditTrail({
 *   sinks: [functionSink((batch) => queue.sendMessages(batch), { types: ['s*'] })],
 * });
 * ```
 */
export function functionSink(
  fn: (batch: readonly AuditEvent[]) => void | Promise<void>,
  options: FunctionSinkOptions = {},
): AuditSink {
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError('/fn', 'fn must be a function that receives a batch of events');
  }
  return {
    ...typesOf(options),
    async write(batch) {
      await fn(batch);
    },
  };
}
