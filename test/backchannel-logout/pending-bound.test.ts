/**
 * Back-channel logout keeps a bound on what waits behind the responses that ended sessions:
 * sessions whose logout tokens are still being made count against `maxPending` as the
 * deliveries do, so a burst of ended sessions is refused (and audited) past the bound
 * instead of piling up.
 */
import { describe, expect, it } from 'vitest';
import type { AuditTrail } from '../../src/audit/trail.js';
import { BackchannelLogout } from '../../src/backchannel-logout/index.js';
import { readBackchannelLogoutOptions } from '../../src/backchannel-logout/delivery.js';
import type { Client } from '../../src/index.js';

describe('BackchannelLogout.notify', () => {
  it('refuses, audited, a session ended while maxPending others are still being prepared', async () => {
    const events: { type: string; details?: Record<string, unknown> }[] = [];
    const release: (() => void)[] = [];
    const logout = new BackchannelLogout({
      config: readBackchannelLogoutOptions({ maxPending: 2, fetch: async () => new Response() }),
      issuer: 'https://id.example.com/',
      now: () => Date.now(),
      // Finding the client waits until the test lets it go: the sessions stay "preparing".
      findClient: () =>
        new Promise<Client | undefined>((resolve) => release.push(() => resolve(undefined))),
      sign: async () => 'token',
      audit: {
        record: (event: (typeof events)[number]) => events.push(event),
      } as never as AuditTrail,
    });
    for (const id of ['s1', 's2', 's3']) {
      logout.notify({ id, sub: 'auth0|ada', clients: ['app'], reason: 'rp-logout' });
    }
    expect(events).toEqual([
      expect.objectContaining({
        type: 'oidc_backchannel_logout_failed',
        details: expect.objectContaining({
          session_id: 's3',
          reason: 'too many deliveries pending',
        }),
      }),
    ]);
    for (const go of release) go();
    await logout.flush();
    logout.notify({ id: 's4', sub: 'auth0|ada', clients: ['app'], reason: 'rp-logout' });
    expect(events).toHaveLength(1);
    for (const go of release) go();
    await logout.flush();
  });
});
