/**
 * Delivers logout tokens: one `POST` of `logout_token=<jwt>` (form-encoded, §2.5) per
 * client, retried a bounded number of times with backoff on a network error, a timeout or
 * a status other than 200/204, never following a redirect. Each delivery is audited
 * (`oidc_backchannel_logout_succeeded` / `oidc_backchannel_logout_failed`, Auth0's log
 * types). Deliveries run after the response that ended the session, never before it; at
 * most `maxPending` wait at once (more are refused and audited, so a burst of logouts
 * cannot grow memory without bound).
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#BCRequest
 */
import { InvalidArgumentError } from '../errors.js';

/** Options of back-channel logout delivery (tenant option `backchannelLogout`). */
export interface BackchannelLogoutOptions {
  /** Attempts per client, 1..10. Default 3. */
  maxAttempts?: number;
  /** Milliseconds each attempt may take. Default 5,000. */
  timeoutMs?: number;
  /** Milliseconds before the first retry, doubled for each next one. Default 250. */
  backoffMs?: number;
  /**
   * Deliveries waiting at once, at most, and ended sessions whose logout tokens are being
   * made (counted apart). Default 1,000.
   */
  maxPending?: number;
  /** The fetch to post with (tests, proxies). Default the global `fetch`. */
  fetch?: typeof fetch;
}

/** Checked options. @internal */
export interface BackchannelLogoutConfig {
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly backoffMs: number;
  readonly maxPending: number;
  readonly fetch: typeof fetch;
}

/** Checks the tenant option `backchannelLogout`. @internal */
export function readBackchannelLogoutOptions(value: unknown): BackchannelLogoutConfig {
  const given = (value ?? {}) as BackchannelLogoutOptions;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new InvalidArgumentError('/backchannelLogout', 'backchannelLogout must be an object');
  }
  const integer = (
    name: keyof BackchannelLogoutOptions,
    min: number,
    max: number,
    fallback: number,
  ) => {
    const found = given[name];
    if (found === undefined) return fallback;
    if (typeof found !== 'number' || !Number.isInteger(found) || found < min || found > max) {
      throw new InvalidArgumentError(
        `/backchannelLogout/${name}`,
        `backchannelLogout.${name} must be a whole number from ${min} to ${max}`,
      );
    }
    return found;
  };
  if (given.fetch !== undefined && typeof given.fetch !== 'function') {
    throw new InvalidArgumentError(
      '/backchannelLogout/fetch',
      'backchannelLogout.fetch must be a function',
    );
  }
  return {
    maxAttempts: integer('maxAttempts', 1, 10, 3),
    timeoutMs: integer('timeoutMs', 100, 60_000, 5_000),
    backoffMs: integer('backoffMs', 0, 60_000, 250),
    maxPending: integer('maxPending', 1, 100_000, 1_000),
    fetch: given.fetch ?? ((input, init) => fetch(input, init)),
  };
}

/** One logout token to deliver. @internal */
export interface LogoutDelivery {
  readonly url: string;
  readonly token: string;
  readonly clientId: string;
  readonly sessionId: string;
}

/** What a delivery reports. @internal */
export type DeliveryReport = (
  delivery: LogoutDelivery,
  outcome: { ok: true; attempts: number } | { ok: false; attempts: number; reason: string },
) => void;

/** Posts logout tokens with bounded retries. @internal */
export class LogoutDeliveries {
  readonly #config: BackchannelLogoutConfig;
  readonly #report: DeliveryReport;
  readonly #pending = new Set<Promise<void>>();

  constructor(config: BackchannelLogoutConfig, report: DeliveryReport) {
    this.#config = config;
    this.#report = report;
  }

  /** Starts delivering; refused (and reported) when too many wait already. */
  send(delivery: LogoutDelivery): void {
    if (this.#pending.size >= this.#config.maxPending) {
      this.#report(delivery, { ok: false, attempts: 0, reason: 'too many deliveries pending' });
      return;
    }
    const running = this.#deliver(delivery).finally(() => this.#pending.delete(running));
    this.#pending.add(running);
  }

  /** Resolves when every delivery started so far has succeeded or given up. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #deliver(delivery: LogoutDelivery): Promise<void> {
    let reason = '';
    for (let attempt = 1; attempt <= this.#config.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(this.#config.backoffMs * 2 ** (attempt - 2));
      reason = await this.#post(delivery);
      if (reason === '') {
        this.#report(delivery, { ok: true, attempts: attempt });
        return;
      }
    }
    this.#report(delivery, { ok: false, attempts: this.#config.maxAttempts, reason });
  }

  /** One attempt: '' when the client answered 200 or 204, the reason otherwise. */
  async #post(delivery: LogoutDelivery): Promise<string> {
    try {
      const response = await this.#config.fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: delivery.token }).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#config.timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status === 200 || response.status === 204 ? '' : `status ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.name : 'network error';
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
