import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  InsufficientScopeError,
  InvalidArgumentError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTokenError,
  MemoryStore,
  Tenant,
  UnauthorizedClientError,
  UnsupportedTokenTypeError,
  generateSigningKey,
  memorySink,
  type Client,
  type RefreshTokenSettings,
} from '../../src/index.js';
import { failure } from './helpers.js';

const START = Date.UTC(2026, 10, 26, 12, 0, 0);
const API = 'https://api.example.test/';
const REDIRECT = 'https://app.example.com/callback';
const VERIFIER = 'v'.repeat(43) + 'erifier-for-tests';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const USER = {
  sub: 'auth0|alice',
  claims: { name: 'Alice', email: 'alice@example.com', nickname: 'al' },
};

const KEYS = [await generateSigningKey('RS256')];

async function setup(
  refresh: RefreshTokenSettings = {
    rotation_type: 'non-rotating',
    expiration_type: 'non-expiring',
  },
) {
  let clock = START;
  const sink = memorySink();
  const store = new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store,
    auditSinks: [sink],
    signingKeys: KEYS,
    now: () => clock,
  });
  await tenant.apis.create({
    identifier: API,
    name: 'Reports',
    scopes: [{ value: 'read:reports' }, { value: 'write:reports' }],
  });
  const spa = await tenant.clients.create({
    name: 'SPA',
    app_type: 'spa',
    callbacks: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: refresh,
  });
  const other = await tenant.clients.create({
    name: 'Other SPA',
    app_type: 'spa',
    callbacks: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: refresh,
  });
  const advance = (seconds: number) => {
    clock += seconds * 1000;
  };
  const code = async (
    client: Client = spa,
    scope = 'openid profile offline_access read:reports',
    extra: { codeChallenge?: string; lifetimeSeconds?: number } = { codeChallenge: CHALLENGE },
  ) => {
    const checked = await tenant.authorization.checkRequest(client, { scope, audience: API });
    return tenant.authorization.issueCode({
      clientId: client.client_id,
      redirectUri: REDIRECT,
      nonce: 'n-0S6',
      ...checked,
      ...USER,
      ...extra,
    });
  };
  const exchange = (
    value: string,
    client: Client = spa,
    codeVerifier: string | undefined = VERIFIER,
  ) =>
    tenant.authorization.exchangeCode(client, { code: value, redirectUri: REDIRECT, codeVerifier });
  return { tenant, store, sink, spa, other, advance, code, exchange, now: () => clock };
}

describe('authorization codes', () => {
  it('exchanges a code with PKCE for an access token, an ID token and a refresh token', async () => {
    const { tenant, spa, code, exchange, sink } = await setup();
    const tokens = await exchange(await code());
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe('openid profile offline_access read:reports');
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({
      sub: USER.sub,
      aud: [API, 'https://id.example.com/userinfo'],
      azp: spa.client_id,
      scope: 'openid profile offline_access read:reports',
    });
    const id = decodeJwt(tokens.id_token as string);
    expect(id).toMatchObject({ sub: USER.sub, aud: spa.client_id, nonce: 'n-0S6', name: 'Alice' });
    expect(id).not.toHaveProperty('email'); // email was not requested
    expect(id['at_hash']).toBe(
      createHash('sha256')
        .update(tokens.access_token)
        .digest()
        .subarray(0, 16)
        .toString('base64url'),
    );
    const jwks = createLocalJWKSet(await tenant.jwks());
    await jwtVerify(tokens.access_token, jwks, {
      issuer: 'https://id.example.com/',
      audience: API,
      currentDate: new Date(START),
    });
    await tenant.audit.flush();
    expect(sink.events.map((e) => e.type)).toContain('seacft');
  });

  it('leaves out scopes that are neither OIDC nor the API, and offline_access without the grant', async () => {
    const { tenant } = await setup();
    const web = await tenant.clients.create({
      name: 'No refresh',
      app_type: 'spa',
      callbacks: [REDIRECT],
      grant_types: ['authorization_code'],
    });
    const checked = await tenant.authorization.checkRequest(web, {
      scope: 'openid offline_access read:reports admin:all',
      audience: API,
    });
    expect(checked.scope).toEqual(['openid', 'read:reports']);
    await expect(
      tenant.authorization.checkRequest(web, { scope: 'openid', audience: 'https://nope/' }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      tenant.authorization.checkRequest(web, { scope: 'openid  profile' }),
    ).rejects.toBeInstanceOf(InvalidScopeError);
  });

  it('refuses a second use and revokes what the first use issued', async () => {
    const { tenant, code, exchange, sink } = await setup();
    const value = await code();
    const first = await exchange(value);
    const error = await failure(exchange(value));
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect((error as Error).message).toMatch(/already used/);
    await expect(tenant.verifyAccessToken(first.access_token, { audience: API })).rejects.toThrow(
      /revoked/,
    );
    await expect(
      tenant.authorization.refresh((await tenant.clients.list()).clients[0] as Client, {
        refreshToken: first.refresh_token as string,
      }),
    ).rejects.toBeInstanceOf(InvalidGrantError);
    await tenant.audit.flush();
    expect(sink.events.filter((e) => e.type === 'feacft')).toHaveLength(1);
  });

  it('refuses a code presented by another client and keeps it valid for its owner', async () => {
    const { code, exchange, other } = await setup();
    const value = await code();
    await expect(exchange(value, other)).rejects.toThrow(/another client/);
    await expect(exchange(value)).resolves.toHaveProperty('access_token');
  });

  it('refuses a wrong redirect_uri, and the code is burnt', async () => {
    const { tenant, spa, code, exchange } = await setup();
    const value = await code();
    await expect(
      tenant.authorization.exchangeCode(spa, {
        code: value,
        redirectUri: 'https://app.example.com/other',
        codeVerifier: VERIFIER,
      }),
    ).rejects.toThrow(/redirect_uri differs/);
    await expect(exchange(value)).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('refuses a missing code_verifier', async () => {
    const { code, tenant, spa } = await setup();
    const missing = tenant.authorization.exchangeCode(spa, {
      code: await code(),
      redirectUri: REDIRECT,
    });
    await expect(missing).rejects.toThrow(/code_verifier is missing/);
  });

  it('refuses a wrong code_verifier', async () => {
    const { code, exchange } = await setup();
    await expect(exchange(await code(), undefined, 'w'.repeat(43))).rejects.toThrow(
      /does not match/,
    );
  });

  it('refuses a verifier when the request had no challenge (PKCE cannot be stripped)', async () => {
    const { code, exchange, spa } = await setup();
    const value = await code(spa, 'openid', {});
    await expect(exchange(value)).rejects.toThrow(/had no code_challenge/);
  });

  it('refuses a plain PKCE challenge when the code is issued', async () => {
    const { code } = await setup();
    await expect(
      code(undefined, 'openid', { codeChallenge: 'plain-verifier' }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses an expired code (the clock moved past its lifetime)', async () => {
    const { code, exchange, advance } = await setup();
    const value = await code(undefined, 'openid', {
      codeChallenge: CHALLENGE,
      lifetimeSeconds: 30,
    });
    advance(31);
    await expect(exchange(value)).rejects.toThrow(/invalid or expired/);
  });

  it('refuses code lifetimes above ten minutes', async () => {
    const { code } = await setup();
    await expect(
      code(undefined, 'openid', { codeChallenge: CHALLENGE, lifetimeSeconds: 601 }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses a client without the authorization_code grant', async () => {
    const { tenant, code } = await setup();
    const m2m = await tenant.clients.create({
      name: 'M2M',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await expect(
      tenant.authorization.exchangeCode(m2m, { code: await code(), redirectUri: REDIRECT }),
    ).rejects.toBeInstanceOf(UnauthorizedClientError);
  });

  it('stores codes and refresh tokens only as hashes', async () => {
    const { store, code, exchange } = await setup();
    const value = await code();
    const tokens = await exchange(value);
    const dump = JSON.stringify([
      await store.list('authorization_codes'),
      await store.list('refresh_tokens'),
      await store.list('authorizations'),
    ]);
    expect(dump).not.toContain(value);
    expect(dump).not.toContain(tokens.refresh_token);
  });
});

describe('refresh tokens', () => {
  const rotating = {
    rotation_type: 'rotating',
    expiration_type: 'expiring',
    leeway: 10,
    token_lifetime: 3600,
    idle_token_lifetime: 600,
  } as const;

  it('non-rotating: the same token keeps working and no new one is returned', async () => {
    const { tenant, spa, code, exchange, advance } = await setup();
    const { refresh_token } = await exchange(await code());
    for (let i = 0; i < 3; i++) {
      advance(3600);
      const again = await tenant.authorization.refresh(spa, {
        refreshToken: refresh_token as string,
      });
      expect(again.refresh_token).toBeUndefined();
      expect(again.id_token).toBeDefined();
    }
  });

  it('rotating: a new token per use; the old one works within leeway and not after', async () => {
    const { tenant, spa, code, exchange, advance } = await setup(rotating);
    const first = (await exchange(await code())).refresh_token as string;
    const second = (await tenant.authorization.refresh(spa, { refreshToken: first })).refresh_token;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    advance(5);
    const retry = await tenant.authorization.refresh(spa, { refreshToken: first });
    expect(retry.refresh_token).toBeDefined();
    advance(6);
    await expect(tenant.authorization.refresh(spa, { refreshToken: first })).rejects.toThrow(
      /used again/,
    );
  });

  it('reuse after the leeway revokes the whole family, the newest token and access tokens too', async () => {
    const { tenant, spa, code, exchange, advance, sink } = await setup(rotating);
    const first = (await exchange(await code())).refresh_token as string;
    const next = await tenant.authorization.refresh(spa, { refreshToken: first });
    advance(11);
    await expect(tenant.authorization.refresh(spa, { refreshToken: first })).rejects.toBeInstanceOf(
      InvalidGrantError,
    );
    await expect(
      tenant.authorization.refresh(spa, { refreshToken: next.refresh_token as string }),
    ).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(tenant.verifyAccessToken(next.access_token, { audience: API })).rejects.toThrow(
      /revoked/,
    );
    await tenant.audit.flush();
    const reuse = sink.events.find((e) => e.type === 'ferrt');
    expect(reuse?.client_id).toBe(spa.client_id);
  });

  it('leeway 0: a replay in the same second as the rotation is reuse, from the first millisecond', async () => {
    const strict = { ...rotating, leeway: 0 } as const;
    for (const afterMs of [0, 1, 100, 999]) {
      const { tenant, spa, code, exchange, advance } = await setup(strict);
      const first = (await exchange(await code())).refresh_token as string;
      const next = await tenant.authorization.refresh(spa, { refreshToken: first });
      advance(afterMs / 1000);
      await expect(tenant.authorization.refresh(spa, { refreshToken: first })).rejects.toThrow(
        /used again/,
      );
      // The family is gone: no second live branch was created.
      await expect(
        tenant.authorization.refresh(spa, { refreshToken: next.refresh_token as string }),
      ).rejects.toBeInstanceOf(InvalidGrantError);
    }
  });

  it('a leeway counts in milliseconds from the rotation, not from the start of its second', async () => {
    const { tenant, spa, code, exchange, advance } = await setup({ ...rotating, leeway: 1 });
    advance(0.9); // the rotation happens 900 ms into a second
    const first = (await exchange(await code())).refresh_token as string;
    await tenant.authorization.refresh(spa, { refreshToken: first });
    expect((await tenant.authorization.introspect(spa, first)).active).toBe(true);
    advance(0.999);
    expect(
      (await tenant.authorization.refresh(spa, { refreshToken: first })).refresh_token,
    ).toBeDefined();
    advance(0.001);
    expect((await tenant.authorization.introspect(spa, first)).active).toBe(false);
    await expect(tenant.authorization.refresh(spa, { refreshToken: first })).rejects.toThrow(
      /used again/,
    );
  });

  it('a record rotated before times had milliseconds counts from the start of its second', async () => {
    const { tenant, spa, store, code, exchange, advance } = await setup({ ...rotating, leeway: 1 });
    const first = (await exchange(await code())).refresh_token as string;
    await tenant.authorization.refresh(spa, { refreshToken: first });
    const [rotated] = (await store.list<Record<string, unknown>>('refresh_tokens')).filter(
      (record) => record.value.rotated_at !== null,
    );
    if (!rotated) throw new Error('no rotated record');
    const { rotated_at_ms: _ms, ...legacy } = rotated.value;
    await store.replace('refresh_tokens', rotated.id, legacy, rotated.version);
    advance(0.999);
    expect(
      (await tenant.authorization.refresh(spa, { refreshToken: first })).refresh_token,
    ).toBeDefined();
    advance(0.001);
    await expect(tenant.authorization.refresh(spa, { refreshToken: first })).rejects.toThrow(
      /used again/,
    );
  });

  it('idle lifetime: unused for longer than idle_token_lifetime, the token expires', async () => {
    const { tenant, spa, code, exchange, advance } = await setup(rotating);
    let token = (await exchange(await code())).refresh_token as string;
    advance(590);
    token = (await tenant.authorization.refresh(spa, { refreshToken: token }))
      .refresh_token as string;
    advance(601);
    await expect(tenant.authorization.refresh(spa, { refreshToken: token })).rejects.toThrow(
      /not used for too long/,
    );
  });

  it('absolute lifetime: the family ends at token_lifetime however often it is used', async () => {
    const { tenant, spa, code, exchange, advance } = await setup(rotating);
    let token = (await exchange(await code())).refresh_token as string;
    for (let i = 0; i < 6; i++) {
      advance(590);
      token = (await tenant.authorization.refresh(spa, { refreshToken: token }))
        .refresh_token as string;
    }
    advance(100); // 3640 s after the code exchange
    await expect(tenant.authorization.refresh(spa, { refreshToken: token })).rejects.toBeInstanceOf(
      InvalidGrantError,
    );
  });

  it('infinite lifetimes and non-expiring tokens never expire', async () => {
    const { tenant, spa, code, exchange, advance } = await setup({
      rotation_type: 'non-rotating',
      expiration_type: 'expiring',
      infinite_token_lifetime: true,
      infinite_idle_token_lifetime: true,
      token_lifetime: 60,
      idle_token_lifetime: 60,
    });
    const token = (await exchange(await code())).refresh_token as string;
    advance(365 * 86400);
    await expect(
      tenant.authorization.refresh(spa, { refreshToken: token }),
    ).resolves.toHaveProperty('access_token');
  });

  it('scope may narrow, never widen; the refresh token keeps the full grant', async () => {
    const { tenant, spa, code, exchange } = await setup();
    const token = (await exchange(await code())).refresh_token as string;
    const narrow = await tenant.authorization.refresh(spa, {
      refreshToken: token,
      scope: 'read:reports',
    });
    expect(narrow.scope).toBe('read:reports');
    expect(narrow.id_token).toBeUndefined();
    await expect(
      tenant.authorization.refresh(spa, {
        refreshToken: token,
        scope: 'read:reports write:reports',
      }),
    ).rejects.toBeInstanceOf(InvalidScopeError);
    const full = await tenant.authorization.refresh(spa, { refreshToken: token });
    expect(full.scope).toBe('openid profile offline_access read:reports');
  });

  it('refuses the refresh token of another client and keeps it valid for its owner', async () => {
    const { tenant, spa, other, code, exchange } = await setup();
    const token = (await exchange(await code())).refresh_token as string;
    await expect(tenant.authorization.refresh(other, { refreshToken: token })).rejects.toThrow(
      /another client/,
    );
    await expect(tenant.authorization.refresh(spa, { refreshToken: token })).resolves.toBeDefined();
  });

  it('is honoured by another tenant instance on the same store', async () => {
    const { store, spa, code, exchange } = await setup();
    const token = (await exchange(await code())).refresh_token as string;
    const second = await Tenant.create({
      domain: 'id.example.com',
      store,
      signingKeys: KEYS,
      now: () => START,
    });
    await expect(
      second.authorization.refresh(spa, { refreshToken: token }),
    ).resolves.toHaveProperty('access_token');
    await second.authorization.revoke(spa, token);
    const first = await Tenant.create({
      domain: 'id.example.com',
      store,
      signingKeys: KEYS,
      now: () => START,
    });
    await expect(first.authorization.refresh(spa, { refreshToken: token })).rejects.toBeInstanceOf(
      InvalidGrantError,
    );
  });
});

describe('revocation, introspection, userinfo and verifyAccessToken', () => {
  it('revoking a refresh token revokes its family; another client revoking it changes nothing', async () => {
    const { tenant, spa, other, code, exchange, sink } = await setup();
    const tokens = await exchange(await code());
    const token = tokens.refresh_token as string;
    await tenant.authorization.revoke(other, token);
    await expect(tenant.authorization.refresh(spa, { refreshToken: token })).resolves.toBeDefined();
    await tenant.authorization.revoke(spa, token);
    await expect(tenant.authorization.refresh(spa, { refreshToken: token })).rejects.toBeInstanceOf(
      InvalidGrantError,
    );
    await expect(tenant.verifyAccessToken(tokens.access_token, { audience: API })).rejects.toThrow(
      /revoked/,
    );
    await tenant.audit.flush();
    expect(sink.events.some((e) => e.type === 'srrt')).toBe(true);
  });

  it('revoking one access token leaves the refresh token working', async () => {
    const { tenant, spa, code, exchange } = await setup();
    const tokens = await exchange(await code());
    await tenant.authorization.revoke(spa, tokens.access_token);
    expect(await tenant.authorization.introspect(spa, tokens.access_token)).toEqual({
      active: false,
    });
    await expect(
      tenant.authorization.refresh(spa, { refreshToken: tokens.refresh_token as string }),
    ).resolves.toBeDefined();
  });

  it('client-credentials access tokens cannot be revoked one by one', async () => {
    const { tenant } = await setup();
    const m2m = await tenant.clients.create({
      name: 'M2M',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await tenant.apis.grant({ client_id: m2m.client_id, audience: API, scope: ['read:reports'] });
    const { access_token } = await tenant.issueAccessToken(m2m.client_id, { audience: API });
    await expect(tenant.authorization.revoke(m2m, access_token)).rejects.toBeInstanceOf(
      UnsupportedTokenTypeError,
    );
  });

  it('introspection answers the owner, a client granted the API, and no one else', async () => {
    const { tenant, spa, other, code, exchange } = await setup();
    const tokens = await exchange(await code());
    expect(await tenant.authorization.introspect(spa, tokens.access_token)).toMatchObject({
      active: true,
      sub: USER.sub,
      scope: 'openid profile offline_access read:reports',
      client_id: spa.client_id,
    });
    expect(
      await tenant.authorization.introspect(spa, tokens.refresh_token as string),
    ).toMatchObject({
      active: true,
      token_type: 'refresh_token',
    });
    expect(await tenant.authorization.introspect(other, tokens.access_token)).toEqual({
      active: false,
    });
    expect(await tenant.authorization.introspect(other, tokens.refresh_token as string)).toEqual({
      active: false,
    });
    const backend = await tenant.clients.create({
      name: 'Reports backend',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await tenant.apis.grant({ client_id: backend.client_id, audience: API, scope: [] });
    expect(await tenant.authorization.introspect(backend, tokens.access_token)).toMatchObject({
      active: true,
    });
    expect(await tenant.authorization.introspect(spa, 'not-a-token')).toEqual({ active: false });
  });

  it('introspection answers the same whichever audience the token was last verified for', async () => {
    const { tenant, spa, code, exchange } = await setup();
    const tokens = await exchange(await code());
    const first = await tenant.authorization.introspect(spa, tokens.access_token);
    expect(first).toMatchObject({ active: true, aud: [API, `${tenant.issuer}userinfo`] });
    await tenant.authorization.userinfo(tokens.access_token);
    expect(await tenant.authorization.introspect(spa, tokens.access_token)).toEqual(first);
    // What a caller does with a verified payload changes nothing remembered.
    const payload = await tenant.verifyAccessToken(tokens.access_token, { audience: API });
    payload.sub = 'someone else';
    (payload.aud as string[]).push('https://elsewhere.test/');
    expect(await tenant.authorization.introspect(spa, tokens.access_token)).toEqual(first);
    await tenant.authorization.revoke(spa, tokens.access_token);
    expect(await tenant.authorization.introspect(spa, tokens.access_token)).toEqual({
      active: false,
    });
  });

  it('userinfo releases claims by scope and needs openid', async () => {
    const { tenant, spa, code, exchange } = await setup();
    const tokens = await exchange(await code());
    expect(await tenant.authorization.userinfo(tokens.access_token)).toEqual({
      sub: USER.sub,
      name: 'Alice',
      nickname: 'al',
    });
    const narrow = await tenant.authorization.refresh(spa, {
      refreshToken: tokens.refresh_token as string,
      scope: 'read:reports',
    });
    await expect(tenant.authorization.userinfo(narrow.access_token)).rejects.toBeInstanceOf(
      InvalidTokenError, // not for userinfo: its aud is the API only
    );
    const noOpenid = await exchange(await code(spa, 'profile read:reports'));
    await expect(tenant.authorization.userinfo(noOpenid.access_token)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    await expect(tenant.authorization.userinfo('x')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(InsufficientScopeError).toBeDefined();
  });

  it('verifyAccessToken checks audience and expiry with the tenant clock, and parses scope', async () => {
    const { tenant, code, exchange, advance } = await setup();
    const tokens = await exchange(await code());
    const claims = await tenant.verifyAccessToken(tokens.access_token, { audience: API });
    expect(claims.scope?.split(' ')).toContain('read:reports');
    await expect(
      tenant.verifyAccessToken(tokens.access_token, { audience: 'https://other.example/' }),
    ).rejects.toThrow(/audience/);
    advance(86_401);
    await expect(tenant.verifyAccessToken(tokens.access_token, { audience: API })).rejects.toThrow(
      /expired/,
    );
    await expect(
      tenant.verifyAccessToken(tokens.access_token, { audience: '' }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('issueCode refuses claims the tenant sets itself', async () => {
    const { tenant, spa } = await setup();
    await expect(
      tenant.authorization.issueCode({
        clientId: spa.client_id,
        redirectUri: REDIRECT,
        scope: ['openid'],
        sub: 'u',
        claims: { aud: 'x' },
      }),
    ).rejects.toThrow(/\/claims\/aud/);
  });
});
