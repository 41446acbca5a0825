/**
 * DPoP (RFC 9449), PAR (RFC 9126) and JAR (RFC 9101) against the example server, driven
 * by openid-client and oauth4webapi with their defaults, as a relying party would: bound
 * client-credentials tokens, the code flow with a bound code and bound tokens, the refresh
 * of a public client's bound token, userinfo with DPoP, a server nonce round trip (a
 * server started with --dpop-nonce), PAR then authorize, a signed request object, and
 * each of them together with PAR. The tenant is prepared with the library in a FileStore
 * before the server starts.
 */
import path from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  buildAuthorizationUrlWithJAR,
  buildAuthorizationUrlWithPAR,
  calculatePKCECodeChallenge,
  ClientSecretBasic,
  ClientSecretPost,
  clientCredentialsGrant,
  customFetch,
  discovery,
  fetchUserInfo,
  getDPoPHandle,
  None,
  randomDPoPKeyPair,
  randomPKCECodeVerifier,
  randomState,
  refreshTokenGrant,
  type Configuration,
} from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore, Tenant, type Client } from 'clientele';
import {
  ensureBuilt,
  fetchManual,
  INSECURE,
  scratch,
  startServer,
  type RunningServer,
} from './helpers.js';

const API = 'https://orders.example.test/';
const SPA_CALLBACK = 'http://127.0.0.1:8080/callback';
const WEB_CALLBACK = 'https://web.example.test/callback';
const INSECURE_AS = { [oauth.allowInsecureRequests]: true } as const;

interface Prepared {
  machine: Client;
  spa: Client;
  web: Client;
  signer: Client;
  signerKey: CryptoKey;
}

let plain: RunningServer;
let nonces: RunningServer;
let prepared: Prepared;
let cleanup: () => Promise<void>;

/** The same clients in a new FileStore at `file`. */
async function prepare(file: string, signerKey: CryptoKey, signerPublic: CryptoKey) {
  const tenant = await Tenant.create({
    domain: 'prepare.example.test',
    store: new FileStore(file),
  });
  await tenant.apis.create({
    identifier: API,
    name: 'Orders',
    scopes: [{ value: 'read:orders' }],
    proof_of_possession: { mechanism: 'dpop', required: false },
  });
  const machine = await tenant.clients.create({
    name: 'Worker',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
  });
  await tenant.apis.grant({ client_id: machine.client_id, audience: API, scope: ['read:orders'] });
  const spa = await tenant.clients.create({
    name: 'Storefront',
    app_type: 'spa',
    callbacks: [SPA_CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    refresh_token: {
      rotation_type: 'rotating',
      expiration_type: 'expiring',
      leeway: 0,
      token_lifetime: 86_400,
      idle_token_lifetime: 3600,
    },
  });
  const web = await tenant.clients.create({
    name: 'Back office',
    app_type: 'regular_web',
    callbacks: [WEB_CALLBACK],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  let signer = await tenant.clients.create({
    name: 'Bank',
    app_type: 'regular_web',
    callbacks: [WEB_CALLBACK],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  const credential = await tenant.clients.addCredential(signer.client_id, {
    credential_type: 'public_key',
    jwk: (await exportJWK(signerPublic)) as never,
    alg: 'RS256',
  });
  signer = await tenant.clients.update(signer.client_id, {
    signed_request_object: { credentials: [{ id: credential.id }], required: true },
  });
  await tenant.close();
  return { machine, spa, web, signer, signerKey };
}

beforeAll(async () => {
  const [, { dir, remove }] = await Promise.all([ensureBuilt(), scratch()]);
  cleanup = remove;
  const pair = await generateKeyPair('RS256');
  prepared = await prepare(path.join(dir, 'plain.json'), pair.privateKey, pair.publicKey);
  // The nonce server gets the same clients (same ids and secrets) in its own store.
  const second = path.join(dir, 'nonces.json');
  await (await import('node:fs/promises')).copyFile(path.join(dir, 'plain.json'), second);
  [plain, nonces] = await Promise.all([
    startServer(['--store', path.join(dir, 'plain.json')]),
    startServer(['--store', second, '--dpop-nonce']),
  ]);
}, 180_000);

afterAll(async () => {
  const exits = await Promise.all([plain?.stop(), nonces?.stop()]);
  await cleanup?.();
  expect(exits).toEqual([
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);
});

const config = (server: RunningServer, client: Client, auth = None()) =>
  discovery(new URL(server.issuer), client.client_id, undefined, auth, INSECURE);
const secretPost = (client: Client) => ClientSecretPost(client.client_secret);
const secretBasic = (client: Client) => ClientSecretBasic(client.client_secret);

/** The browser's trip: /authorize redirects at once to the callback (the demo login). */
async function follow(url: URL): Promise<URL> {
  const response = await fetchManual(url);
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function pkce() {
  const verifier = randomPKCECodeVerifier();
  return { verifier, challenge: await calculatePKCECodeChallenge(verifier) };
}

describe('openid-client: DPoP', () => {
  it('gets a DPoP-bound client-credentials token', async () => {
    const cfg = await config(plain, prepared.machine, secretPost(prepared.machine));
    const keyPair = await randomDPoPKeyPair();
    const DPoP = getDPoPHandle(cfg, keyPair);
    const tokens = await clientCredentialsGrant(cfg, { audience: API }, { DPoP });
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: API,
      cnf: { jkt: await DPoP.calculateThumbprint() },
    });
  });

  it('runs the code flow with a bound code and tokens, userinfo and refresh of the public client', async () => {
    const cfg = await config(plain, prepared.spa);
    const DPoP = getDPoPHandle(cfg, await randomDPoPKeyPair());
    const { verifier, challenge } = await pkce();
    const state = randomState();
    const callback = await follow(
      buildAuthorizationUrl(cfg, {
        redirect_uri: SPA_CALLBACK,
        scope: 'openid profile offline_access',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        dpop_jkt: await DPoP.calculateThumbprint(),
      }),
    );
    const tokens = await authorizationCodeGrant(
      cfg,
      callback,
      { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true },
      undefined,
      { DPoP },
    );
    expect(tokens.token_type).toBe('dpop');
    const jkt = await DPoP.calculateThumbprint();
    expect(decodeJwt(tokens.access_token)).toMatchObject({ cnf: { jkt } });
    const userinfo = await fetchUserInfo(cfg, tokens.access_token, 'demo|alice', { DPoP });
    expect(userinfo).toMatchObject({ sub: 'demo|alice', name: 'Alice Example' });

    // The refresh token is bound to the key: without a proof it is refused and unused.
    await expect(refreshTokenGrant(cfg, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const refreshed = await refreshTokenGrant(cfg, tokens.refresh_token!, undefined, { DPoP });
    expect(refreshed.token_type).toBe('dpop');
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ cnf: { jkt } });
  });

  it('does the server nonce round trip by itself', async () => {
    const cfg = await config(nonces, prepared.machine, secretPost(prepared.machine));
    const seen: { status: number; error?: string; nonce: string | null }[] = [];
    cfg[customFetch] = async (url, options) => {
      const response = await fetch(url, options as RequestInit);
      const body =
        response.status === 400
          ? ((await response.clone().json()) as { error: string })
          : undefined;
      seen.push({
        status: response.status,
        nonce: response.headers.get('dpop-nonce'),
        ...(body ? { error: body.error } : {}),
      });
      return response;
    };
    const DPoP = getDPoPHandle(cfg, await randomDPoPKeyPair());
    const tokens = await clientCredentialsGrant(cfg, { audience: API }, { DPoP });
    expect(tokens.token_type).toBe('dpop');
    expect(seen).toEqual([
      { status: 400, error: 'use_dpop_nonce', nonce: expect.any(String) },
      { status: 200, nonce: expect.any(String) },
    ]);
  });
});

describe('oauth4webapi: DPoP', () => {
  async function metadata(server: RunningServer) {
    const issuer = new URL(server.issuer);
    return oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...INSECURE_AS }),
    );
  }

  it('gets a bound client-credentials token after a nonce round trip it handles itself', async () => {
    const as = await metadata(nonces);
    const client: oauth.Client = { client_id: prepared.machine.client_id };
    const auth = oauth.ClientSecretPost(prepared.machine.client_secret!);
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const request = () =>
      oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        { audience: API },
        { DPoP, ...INSECURE_AS },
      );
    let failed: unknown;
    try {
      await oauth.processClientCredentialsResponse(as, client, await request());
    } catch (error) {
      failed = error;
    }
    expect(oauth.isDPoPNonceError(failed)).toBe(true);
    const tokens = await oauth.processClientCredentialsResponse(as, client, await request());
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      cnf: { jkt: await DPoP.calculateThumbprint() },
    });
  });

  it('runs the code flow with DPoP, userinfo and a refresh of the public client', async () => {
    const as = await metadata(plain);
    const client: oauth.Client = { client_id: prepared.spa.client_id };
    const auth = oauth.None();
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    for (const [name, value] of Object.entries({
      client_id: client.client_id,
      redirect_uri: SPA_CALLBACK,
      response_type: 'code',
      scope: 'openid offline_access',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      dpop_jkt: await DPoP.calculateThumbprint(),
    })) {
      url.searchParams.set(name, value);
    }
    const params = oauth.validateAuthResponse(as, client, await follow(url));
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, SPA_CALLBACK, verifier, {
        DPoP,
        ...INSECURE_AS,
      }),
      { requireIdToken: true },
    );
    expect(tokens.token_type).toBe('dpop');
    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      'demo|alice',
      await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP, ...INSECURE_AS }),
    );
    expect(userinfo.sub).toBe('demo|alice');
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, {
        DPoP,
        ...INSECURE_AS,
      }),
    );
    expect(refreshed.token_type).toBe('dpop');
  });
});

describe('PAR, JAR, and each with PAR', () => {
  async function webTokens(cfg: Configuration, url: URL, verifier: string, options = {}) {
    const callback = await follow(url);
    return authorizationCodeGrant(
      cfg,
      callback,
      { pkceCodeVerifier: verifier, idTokenExpected: true },
      undefined,
      options,
    );
  }

  it('openid-client: PAR then authorize', async () => {
    const cfg = await config(plain, prepared.web, secretBasic(prepared.web));
    const { verifier, challenge } = await pkce();
    const url = await buildAuthorizationUrlWithPAR(cfg, {
      redirect_uri: WEB_CALLBACK,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect((await webTokens(cfg, url, verifier)).claims()).toMatchObject({ sub: 'demo|alice' });
  });

  it('openid-client: DPoP with PAR binds the code to the key of the push', async () => {
    const cfg = await config(plain, prepared.web, secretBasic(prepared.web));
    const DPoP = getDPoPHandle(cfg, await randomDPoPKeyPair());
    const { verifier, challenge } = await pkce();
    const url = await buildAuthorizationUrlWithPAR(
      cfg,
      {
        redirect_uri: WEB_CALLBACK,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      { DPoP },
    );
    const tokens = await webTokens(cfg, url, verifier, { DPoP });
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      cnf: { jkt: await DPoP.calculateThumbprint() },
    });
  });

  it('openid-client: a signed request object, alone and with PAR', async () => {
    const cfg = await config(plain, prepared.signer, secretBasic(prepared.signer));
    for (const pushed of [false, true]) {
      const { verifier, challenge } = await pkce();
      const jar = await buildAuthorizationUrlWithJAR(
        cfg,
        {
          redirect_uri: WEB_CALLBACK,
          scope: 'openid',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        },
        prepared.signerKey,
      );
      expect(jar.searchParams.get('request')).toEqual(expect.any(String));
      const url = pushed ? await buildAuthorizationUrlWithPAR(cfg, jar.searchParams) : jar;
      expect((await webTokens(cfg, url, verifier)).claims()).toMatchObject({
        aud: prepared.signer.client_id,
      });
    }
  });

  it('oauth4webapi: a signed request object pushed, then authorize', async () => {
    const issuer = new URL(plain.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...INSECURE_AS }),
    );
    const client: oauth.Client = { client_id: prepared.signer.client_id };
    const auth = oauth.ClientSecretBasic(prepared.signer.client_secret!);
    const verifier = oauth.generateRandomCodeVerifier();
    const request = await oauth.issueRequestObject(
      as,
      client,
      {
        redirect_uri: WEB_CALLBACK,
        response_type: 'code',
        scope: 'openid',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      },
      prepared.signerKey,
    );
    const pushed = await oauth.processPushedAuthorizationResponse(
      as,
      client,
      await oauth.pushedAuthorizationRequest(as, client, auth, { request }, INSECURE_AS),
    );
    expect(pushed.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const url = new URL(as.authorization_endpoint!);
    url.searchParams.set('client_id', client.client_id);
    url.searchParams.set('request_uri', pushed.request_uri);
    const params = oauth.validateAuthResponse(as, client, await follow(url));
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth,
        params,
        WEB_CALLBACK,
        verifier,
        INSECURE_AS,
      ),
      { requireIdToken: true },
    );
    expect(tokens.access_token).toEqual(expect.any(String));
  });

  it('refuses the signer a plain authorization request (signed_request_object.required)', async () => {
    const cfg = await config(plain, prepared.signer, secretBasic(prepared.signer));
    const { challenge } = await pkce();
    const location = await follow(
      buildAuthorizationUrl(cfg, {
        redirect_uri: WEB_CALLBACK,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });
});
