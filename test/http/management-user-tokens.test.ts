/**
 * `acceptUserToken`: a user's access token for the Management API (authorization code
 * grant) is refused unless the app accepts that user; an accepted user still needs the
 * scope, the audience, an unexpired token signed by the tenant, and a token the tenant has
 * not revoked. Refusals have Auth0's 401/403 shapes.
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client, Tenant } from 'clientele';
import { createManagementApi, managementAudience, type Handler } from 'clientele/http';
import { bodyOf, managementFixture, type ManagementFixture } from './management-helpers.js';

const CALLBACK = 'https://console.example.com/callback';
const ADMIN = 'auth0|admin';
const GUEST = 'auth0|guest';

let fx: ManagementFixture;
let consoleApp: Client;

/** A user's access token from the authorization code grant, for `audience` and `scope`. */
async function userToken(
  tenant: Tenant,
  sub: string,
  audience: string,
  scope: string,
): Promise<string> {
  const check = await tenant.authorization.checkRequest(consoleApp, { scope, audience });
  const code = await tenant.authorization.issueCode({
    clientId: consoleApp.client_id,
    redirectUri: CALLBACK,
    scope: check.scope,
    audience: check.audience,
    sub,
  });
  const tokens = await tenant.authorization.exchangeCode(consoleApp, {
    code,
    redirectUri: CALLBACK,
  });
  return tokens.access_token;
}

function get(api: Handler, token: string, path = '/clients'): Promise<Response> {
  return api(
    new Request(`https://id.example.com/api/v2${path}`, {
      headers: { authorization: `Bearer ${token}` },
    }),
  );
}

async function expectInvalidToken(response: Response, message: RegExp): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(
    /^Bearer realm="https:\/\/id\.example\.com\/api\/v2\/", error="invalid_token", error_description="/,
  );
  const body = await bodyOf<Record<string, unknown>>(response);
  expect(body).toMatchObject({
    statusCode: 401,
    error: 'Unauthorized',
    errorCode: 'invalid_token',
  });
  expect(body.message).toMatch(message);
}

beforeAll(async () => {
  fx = await managementFixture({ acceptUserToken: (claims) => claims.sub === ADMIN });
  consoleApp = await fx.tenant.clients.create({
    name: 'Console',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code'],
  });
});

describe('a user access token for the Management API', () => {
  it('is refused with 401 when acceptUserToken is not set, though valid and scoped', async () => {
    const token = await userToken(fx.tenant, ADMIN, managementAudience(fx.tenant), 'read:clients');
    expect(decodeJwt(token)).toMatchObject({ sub: ADMIN, scope: 'read:clients' });
    const strict = createManagementApi(fx.tenant);
    await expectInvalidToken(
      await get(strict, token),
      /^the token was not issued by client credentials$/,
    );
    expect((await get(fx.api, token)).status).toBe(200);
  });

  it('is refused with 401 for a user the app does not accept', async () => {
    const token = await userToken(fx.tenant, GUEST, managementAudience(fx.tenant), 'read:clients');
    await expectInvalidToken(
      await get(fx.api, token),
      /^the token was not issued by client credentials$/,
    );
  });

  it('is refused with 403 insufficient_scope without the endpoint scope', async () => {
    const token = await userToken(fx.tenant, ADMIN, managementAudience(fx.tenant), 'read:clients');
    const response = await get(fx.api, token, '/logs');
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="https://id.example.com/api/v2/", error="insufficient_scope", scope="read:logs"',
    );
    expect(await bodyOf(response)).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: read:logs',
      errorCode: 'insufficient_scope',
    });
    const none = await userToken(fx.tenant, ADMIN, managementAudience(fx.tenant), 'openid');
    expect((await get(fx.api, none)).status).toBe(403);
  });

  it('is refused with 401 when it is for another audience', async () => {
    const orders = await fx.tenant.apis.create({
      identifier: 'https://orders.example.com/',
      name: 'Orders',
      scopes: [{ value: 'read:clients' }],
    });
    const token = await userToken(fx.tenant, ADMIN, orders.identifier, 'read:clients');
    expect(decodeJwt(token).scope).toBe('read:clients');
    await expectInvalidToken(await get(fx.api, token), /^Bad audience/);
  });

  it('is refused with 401 once expired', async () => {
    const token = await userToken(fx.tenant, ADMIN, managementAudience(fx.tenant), 'read:clients');
    const exp = decodeJwt(token).exp!;
    const later = createManagementApi(fx.tenant, {
      acceptUserToken: () => true,
      now: () => (exp + 1) * 1000,
    });
    await expectInvalidToken(await get(later, token), /^Expired token/);
  });

  it('is refused with 401 when signed by another key, even one that claims the tenant kid', async () => {
    const token = await userToken(fx.tenant, ADMIN, managementAudience(fx.tenant), 'read:clients');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT(decodeJwt(token))
      .setProtectedHeader(decodeProtectedHeader(token) as { alg: string })
      .sign(privateKey);
    await expectInvalidToken(await get(fx.api, forged), /^Invalid signature$/);
    const [, payload] = token.split('.');
    const stripped = `${token.split('.').slice(0, 2).join('.')}.`;
    await expectInvalidToken(await get(fx.api, stripped), /^Invalid signature$/);
    const none = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    await expectInvalidToken(await get(fx.api, `${none}.${payload}.`), /^Invalid token$/);
  });

  it('is refused with 401 once the tenant revoked it', async () => {
    const token = await userToken(fx.tenant, ADMIN, managementAudience(fx.tenant), 'read:clients');
    expect((await get(fx.api, token)).status).toBe(200);
    await fx.tenant.authorization.revoke(consoleApp, token);
    await expectInvalidToken(
      await get(fx.api, token),
      /^the token was not issued by client credentials$/,
    );
  });
});
