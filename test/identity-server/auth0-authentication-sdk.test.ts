/**
 * The `auth0` SDK's AuthenticationClient against the example server over HTTPS: a code
 * exchange, a refresh, `revokeRefreshToken` (which sends a JSON body to /oauth/revoke) and
 * the refresh that then fails, in a child process trusting the test certificate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementServer, type ManagementSetup } from './management-helpers.js';
import { runDriver } from './sdk-driver.js';

const REDIRECT_URI = 'https://app.example.test/callback';
let setup: ManagementSetup;

beforeAll(async () => {
  setup = await startManagementServer();
}, 120_000);

afterAll(async () => {
  await setup?.stop();
});

describe('the auth0 SDK AuthenticationClient', () => {
  it('exchanges a code, refreshes, revokes the refresh token with revokeRefreshToken, and the refresh then fails', async () => {
    const app = await setup.tenant.clients.create({
      name: 'Regular web app',
      app_type: 'regular_web',
      callbacks: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
    });
    const result = await runDriver<Record<string, unknown>>(
      'test/identity-server/auth0-authentication-sdk.mjs',
      [setup.domain, app.client_id, app.client_secret ?? '', REDIRECT_URI],
      setup.caFile,
    );
    expect(result).toEqual({
      state: 'sdk-state',
      exchanged: {
        token_type: 'Bearer',
        scope: 'openid profile offline_access',
        id_token: 'string',
        refresh_token: 'string',
      },
      refreshed: { access_token: 'string' },
      revoked: 200,
      afterRevoke: { status: 400, error: 'invalid_grant' },
    });
    await setup.tenant.audit.flush();
  });
});
