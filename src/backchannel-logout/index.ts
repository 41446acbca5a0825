/**
 * OIDC Back-Channel Logout 1.0 for a tenant: when a login session ends, each client that
 * received tokens in it and registered a back-channel logout URL for that kind of end
 * (see initiators.ts) gets a logout token (logout-token.ts), delivered with bounded
 * retries (delivery.ts). This is the feature's one switch: the tenant wires it to
 * `tenant.sessions.onEnd`.
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html
 */
import type { Client } from '../client/client.js';
import type { AuditTrail } from '../audit/trail.js';
import type { EndedSession } from '../tenant/sessions.js';
import { backchannelTarget } from './initiators.js';
import { LogoutDeliveries, type BackchannelLogoutConfig } from './delivery.js';
import { LOGOUT_TOKEN_TYP, logoutTokenClaims } from './logout-token.js';

export type { BackchannelLogoutOptions } from './delivery.js';

/** Signs a JWT for a client the way its ID tokens are signed. */
type ClientSigner = (
  clientId: string,
  typ: string,
  claims: Record<string, unknown>,
) => Promise<string>;

/** Back-channel logout of one tenant. */
export class BackchannelLogout {
  readonly #deliveries: LogoutDeliveries;
  readonly #issuer: string;
  readonly #now: () => number;
  readonly #findClient: (clientId: string) => Promise<Client | undefined>;
  readonly #sign: ClientSigner;
  readonly #audit: AuditTrail;
  readonly #preparing = new Set<Promise<void>>();
  readonly #maxPending: number;

  /** @internal */
  constructor(options: {
    config: BackchannelLogoutConfig;
    issuer: string;
    now: () => number;
    findClient: (clientId: string) => Promise<Client | undefined>;
    sign: ClientSigner;
    audit: AuditTrail;
  }) {
    this.#issuer = options.issuer;
    this.#maxPending = options.config.maxPending;
    this.#now = options.now;
    this.#findClient = options.findClient;
    this.#sign = options.sign;
    this.#audit = options.audit;
    this.#deliveries = new LogoutDeliveries(options.config, (delivery, outcome) => {
      this.#audit.record({
        type: outcome.ok ? 'oidc_backchannel_logout_succeeded' : 'oidc_backchannel_logout_failed',
        description: outcome.ok
          ? 'Successful OIDC Back-Channel Logout'
          : `Failed OIDC Back-Channel Logout: ${outcome.reason}`,
        client_id: delivery.clientId,
        details: {
          session_id: delivery.sessionId,
          url: delivery.url,
          attempts: outcome.attempts,
          ...(outcome.ok ? {} : { reason: outcome.reason }),
        },
      });
    });
  }

  /**
   * Sends logout tokens for a session that ended (does not wait for delivery). Sessions
   * whose tokens are still being made count against `maxPending` as deliveries do: past
   * it, the session's logout is refused and audited.
   */
  notify(ended: EndedSession): void {
    if (this.#preparing.size >= this.#maxPending) {
      this.#audit.record({
        type: 'oidc_backchannel_logout_failed',
        description: 'Failed OIDC Back-Channel Logout: too many deliveries pending',
        details: { session_id: ended.id, reason: 'too many deliveries pending' },
      });
      return;
    }
    const preparing = this.#prepare(ended)
      .catch((error: unknown) => {
        this.#audit.record({
          type: 'oidc_backchannel_logout_failed',
          description: 'Failed OIDC Back-Channel Logout: the logout token could not be made',
          details: {
            session_id: ended.id,
            reason: error instanceof Error ? error.message : 'unknown',
          },
        });
      })
      .finally(() => this.#preparing.delete(preparing));
    this.#preparing.add(preparing);
  }

  /** Resolves when every logout token of sessions ended so far was delivered or given up. */
  async flush(): Promise<void> {
    while (this.#preparing.size > 0) await Promise.allSettled([...this.#preparing]);
    await this.#deliveries.flush();
  }

  async #prepare(ended: EndedSession): Promise<void> {
    for (const clientId of ended.clients) {
      const client = await this.#findClient(clientId);
      const url = client && backchannelTarget(client, ended.reason);
      if (!client || url === undefined) continue;
      const token = await this.#sign(
        clientId,
        LOGOUT_TOKEN_TYP,
        logoutTokenClaims({
          issuer: this.#issuer,
          clientId,
          sub: ended.sub,
          sid: ended.id,
          now: Math.floor(this.#now() / 1000),
        }),
      );
      this.#deliveries.send({ url, token, clientId, sessionId: ended.id });
    }
  }
}
