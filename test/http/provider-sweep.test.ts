/**
 * The provider's grants do not pile up in the store: used and expired codes, rotated and
 * expired refresh tokens, revoked families and revocations past their `exp` are swept, on
 * the tenant's clock (moved by the test, never waited for), while everything still usable
 * or still needed for reuse detection stays.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey, MemoryStore, Tenant, type Client } from '../../src/index.js';

const CALLBACK = 'http://127.0.0.1:8080/callback';
const VERIFIER = 'sweep-tests-verifier-0123456789-abcdefghijklmnopqrs';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const DAY = 86_400;

let tenant: Tenant;
let store: MemoryStore;
let offset = 0;

/** Moves the tenant clock forward. */
const advance = (seconds: number) => {
  offset += seconds * 1000;
};

const count = async (collection: string) => (await store.list(collection)).length;

beforeEach(async () => {
  offset = 0;
  store = new MemoryStore();
  tenant = await Tenant.create({
    domain: '127.0.0.1:1',
    issuer: 'http://127.0.0.1:1/',
    store,
    signingKeys: [await generateSigningKey('RS256')],
    now: () => Date.now() + offset,
  });
  return () => tenant.close();
});

async function spa(rotating: boolean): Promise<Client> {
  return tenant.clients.create({
    name: rotating ? 'Rotating' : 'Plain',
    app_type: 'spa',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: rotating
      ? { rotation_type: 'rotating', expiration_type: 'non-expiring', leeway: 0 }
      : { rotation_type: 'non-rotating', expiration_type: 'non-expiring' },
  });
}

function code(client: Client, scope = ['openid', 'offline_access']): Promise<string> {
  return tenant.authorization.issueCode({
    clientId: client.client_id,
    redirectUri: CALLBACK,
    codeChallenge: CHALLENGE,
    scope,
    sub: 'auth0|alice',
  });
}

async function signIn(client: Client, scope?: string[]) {
  return tenant.authorization.exchangeCode(client, {
    code: await code(client, scope),
    redirectUri: CALLBACK,
    codeVerifier: VERIFIER,
  });
}

describe('sweeping the grants in the store', () => {
  it('deletes codes once expired, used or not, and keeps live ones', async () => {
    const client = await spa(false);
    await signIn(client); // one used code
    await code(client); // one unused code
    expect(await count('authorization_codes')).toBe(2);
    advance(61); // both past their 60 s lifetime, and the sweep interval passed
    await code(client); // a write that sweeps, and a live code
    expect(await count('authorization_codes')).toBe(1);
  });

  it('keeps rotated refresh tokens for reuse detection, then deletes them', async () => {
    const client = await spa(true);
    const first = (await signIn(client)).refresh_token as string;
    let token = first;
    for (let i = 0; i < 3; i++) {
      advance(1);
      token = (await tenant.authorization.refresh(client, { refreshToken: token }))
        .refresh_token as string;
    }
    expect(await count('refresh_tokens')).toBe(4);
    advance(10 * DAY);
    await code(client); // sweeps: the rotated tokens are still needed to detect reuse
    expect(await count('refresh_tokens')).toBe(4);
    advance(21 * DAY); // 30 days after the rotations: no access token of theirs is left
    await code(client);
    expect(await count('refresh_tokens')).toBe(1);
    expect(await count('authorizations')).toBe(1);
    // The current token still works; a swept one is unknown.
    await expect(
      tenant.authorization.refresh(client, { refreshToken: first }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
    const next = await tenant.authorization.refresh(client, { refreshToken: token });
    expect(next.refresh_token).toBeTruthy();
  });

  it('deletes a revoked family and its refresh tokens', async () => {
    const client = await spa(false);
    const tokens = await signIn(client);
    expect(await count('refresh_tokens')).toBe(1);
    await tenant.authorization.revoke(client, tokens.refresh_token as string);
    advance(61);
    await code(client);
    expect(await count('refresh_tokens')).toBe(0);
    expect(await count('authorizations')).toBe(0);
    await expect(
      tenant.authorization.refresh(client, { refreshToken: tokens.refresh_token as string }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('keeps a non-expiring family with a live refresh token, whatever its age', async () => {
    const client = await spa(false);
    const tokens = await signIn(client);
    advance(400 * DAY);
    await code(client);
    expect(await count('refresh_tokens')).toBe(1);
    expect(await count('authorizations')).toBe(1);
    const again = await tenant.authorization.refresh(client, {
      refreshToken: tokens.refresh_token as string,
    });
    expect(again.access_token).toBeTruthy();
  });

  it('deletes a login without refresh tokens once its access tokens have expired', async () => {
    const client = await spa(false);
    const tokens = await signIn(client, ['openid']);
    expect(await count('authorizations')).toBe(1);
    advance(DAY - 10);
    await code(client);
    expect(await count('authorizations')).toBe(1);
    await expect(tenant.authorization.userinfo(tokens.access_token)).resolves.toMatchObject({
      sub: 'auth0|alice',
    });
    advance(30 * DAY);
    await code(client);
    expect(await count('authorizations')).toBe(0);
  });

  it('deletes the revocation of an access token once the token has expired', async () => {
    const client = await spa(false);
    const tokens = await signIn(client, ['openid']);
    await tenant.authorization.revoke(client, tokens.access_token);
    expect(await count('revoked_access_tokens')).toBe(1);
    advance(DAY - 10);
    await code(client);
    expect(await count('revoked_access_tokens')).toBe(1);
    advance(70); // past its exp, and a minute after the last sweep
    await code(client);
    expect(await count('revoked_access_tokens')).toBe(0);
  });

  it('sweeps at most once a minute of tenant time', async () => {
    const client = await spa(false);
    await code(client); // sweeps (the first write does)
    await code(client);
    advance(59);
    expect(await count('authorization_codes')).toBe(2);
    await code(client); // both expired (60 s) only at 60 s; no sweep yet anyway
    advance(2);
    await code(client); // 61 s after the first sweep: the first two are gone
    expect(await count('authorization_codes')).toBe(2);
  });
});
