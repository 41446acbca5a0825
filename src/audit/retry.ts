/**
 * The retry policy for failing sinks: how many attempts, and how long to wait between
 * them (exponential backoff with jitter).
 */
import { InvalidArgumentError } from '../errors.js';

/** How the trail retries a batch that a sink rejected. */
export interface AuditRetryOptions {
  /** Attempts per batch, the first included, before it is dead-lettered. Default 5. */
  attempts?: number;
  /** Ceiling of the first retry delay, doubled for each further retry. Default 50 ms. */
  baseDelayMs?: number;
  /** Largest delay between two attempts. Default 5,000 ms. */
  maxDelayMs?: number;
}

/** A validated {@link AuditRetryOptions} with every default filled in. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

const DEFAULTS: RetryPolicy = { attempts: 5, baseDelayMs: 50, maxDelayMs: 5_000 };

/** Validates `options` and fills in the defaults; throws InvalidArgumentError at `/retry/...`. */
export function retryPolicy(options: AuditRetryOptions | undefined): RetryPolicy {
  if (options === undefined) return DEFAULTS;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('/retry', 'retry must be an object');
  }
  const attempts = options.attempts ?? DEFAULTS.attempts;
  const baseDelayMs = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? Math.max(DEFAULTS.maxDelayMs, baseDelayMs);
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new InvalidArgumentError('/retry/attempts', 'retry.attempts must be an integer ≥ 1');
  }
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) {
    throw new InvalidArgumentError('/retry/baseDelayMs', 'retry.baseDelayMs must be a number ≥ 0');
  }
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) {
    throw new InvalidArgumentError(
      '/retry/maxDelayMs',
      'retry.maxDelayMs must be a number ≥ retry.baseDelayMs',
    );
  }
  return { attempts, baseDelayMs, maxDelayMs };
}

/**
 * Delay before retry number `retry` (1 for the first retry): "equal jitter" — a random
 * point in the upper half of the exponential ceiling, so retries of many trails spread
 * out while each still backs off.
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
