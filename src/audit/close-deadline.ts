/**
 * The deadline of {@link AuditTrail.close}: how long shutdown waits for undelivered events
 * before it hands them to `onDeadLetter`. Without one, a log service that never answers
 * holds `close()` for attempts × the sink's own timeout per batch (101 s for 150 events
 * with the default `httpSink`, measured; docs/audit.md).
 */
import { InvalidArgumentError } from '../errors.js';

/** Options of `AuditTrail.close()` and `Tenant.close()`. */
export interface CloseOptions {
  /**
   * How long to wait for queued events to be delivered (retries included) and for the
   * sinks' `flush`, in milliseconds. What is still undelivered then goes to `onDeadLetter`
   * with a `ClienteleError` of code `audit_close_timeout`, and the sinks are closed
   * without waiting for them. Default {@link DEFAULT_CLOSE_TIMEOUT_MS}; `Infinity` waits
   * for every retry, as before.
   */
  timeoutMs?: number;
}

/**
 * The default close deadline: 5 s, long enough for a healthy log service to take a
 * backlog of thousands of events and for a few quick retries, short enough for a process
 * manager's stop timeout (systemd and Kubernetes give 90 s and 30 s before SIGKILL).
 */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

/** Reads `options.timeoutMs`; throws InvalidArgumentError at `/options/timeoutMs`. */
export function closeTimeout(options: unknown): number {
  if (options === undefined) return DEFAULT_CLOSE_TIMEOUT_MS;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('/options', 'close options must be an object');
  }
  const { timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS } = options as CloseOptions;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new InvalidArgumentError(
      '/options/timeoutMs',
      'timeoutMs must be a number of milliseconds ≥ 0 (or Infinity)',
    );
  }
  return timeoutMs;
}

/**
 * Resolves to `true` when `work` settles within `ms`, `false` when the deadline passes
 * first. The timer does not keep the process alive and is cleared when `work` wins.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms === Infinity) {
    await work;
    return true;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([work.then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
