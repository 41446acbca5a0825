import { vi } from 'vitest';
import type { AuditEvent, AuditSink } from '../../src/index.js';

/** A promise with its resolve function exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A sink whose n-th write call (1-based) fails when `fails(n)` says so. */
export interface ScriptedSink extends AuditSink {
  /** Every batch passed to write, failed or not, in call order. */
  readonly calls: (readonly AuditEvent[])[];
  /** Events of the writes that succeeded, in order. */
  readonly delivered: AuditEvent[];
  /** Number of successful write calls. */
  readonly batches: (readonly AuditEvent[])[];
}

export function scriptedSink(
  fails: (call: number) => boolean,
  extra: { types?: string[] } = {},
): ScriptedSink {
  const calls: (readonly AuditEvent[])[] = [];
  const delivered: AuditEvent[] = [];
  const batches: (readonly AuditEvent[])[] = [];
  return {
    ...extra,
    calls,
    delivered,
    batches,
    write(batch) {
      calls.push(batch);
      if (fails(calls.length)) return Promise.reject(new Error(`write ${calls.length} failed`));
      batches.push(batch);
      delivered.push(...batch);
      return Promise.resolve();
    },
  };
}

/** Fails the first `n` write calls, then succeeds. */
export function failingFirst(n: number, extra: { types?: string[] } = {}): ScriptedSink {
  return scriptedSink((call) => call <= n, extra);
}

/** Replaces process.emitWarning for the test and returns the warnings it received. */
export function captureWarnings(): { message: string; code: string | undefined }[] {
  const warnings: { message: string; code: string | undefined }[] = [];
  vi.spyOn(process, 'emitWarning').mockImplementation((warning, options) => {
    const code = typeof options === 'object' && options !== null ? options.code : undefined;
    warnings.push({ message: String(warning), code });
  });
  return warnings;
}

/** The descriptions of `events`, for compact order assertions. */
export function descriptions(events: readonly AuditEvent[]): string[] {
  return events.map((event) => event.description);
}
