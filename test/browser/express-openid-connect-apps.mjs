// @ts-check
/**
 * Two Express apps protected by Auth0's `express-openid-connect`, as their authors write
 * them, against the identity server at `issuer`, each served over HTTPS with the test
 * certificate. This process trusts that certificate through NODE_EXTRA_CA_CERTS (how a
 * Node app trusts a private CA); the SDK's own settings are untouched.
 *
 * - `defaults` (https://127.0.0.1:<port>): `auth()` with nothing but the required
 *   settings, so `response_type=id_token` with `response_mode=form_post`, every route
 *   protected. `/` answers who is signed in.
 * - `code` (https://localhost:<port>, another host so the browser keeps its cookies apart):
 *   `response_type: 'code'` with `offline_access` (a refresh token), public routes
 *   (`authRequired: false`) and `requiresAuth()` on `/profile` and `/refresh`, RP-initiated
 *   logout at the identity server (`idpLogout: true`: its `end_session_endpoint`,
 *   `/oidc/logout`), and Back-Channel Logout (`backchannelLogout` with a store for the
 *   logout entries, as the SDK requires with its default cookie sessions).
 * - `code-v2` (https://localhost:<another port>): the `code` app deployed a second time
 *   with `auth0Logout: true` (what the SDK picks by itself on an `*.auth0.com` domain), so
 *   its `/logout` goes to Auth0's `/v2/logout`. Same host, secret and cookie as `code`: it
 *   sees the same session.
 *
 *   node express-openid-connect-apps.mjs '<json>'
 *     json: { issuer, cert, key, defaults: { clientID }, code: { clientID, clientSecret } }
 *
 * Prints one line, `{"defaults":"https://…","code":"https://…","codeV2":"https://…"}`,
 * once all three listen; stops on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import express from 'express';
import openidConnect from 'express-openid-connect';

// A CommonJS module: its named exports come through the default import.
const { auth, requiresAuth } = openidConnect;

/**
 * @typedef {object} Settings
 * @property {string} issuer
 * @property {string} cert
 * @property {string} key
 * @property {{ clientID: string }} defaults
 * @property {{ clientID: string, clientSecret: string }} code
 */

const settings = /** @type {Settings} */ (JSON.parse(process.argv[2] ?? '{}'));
const tls = { cert: readFileSync(settings.cert), key: readFileSync(settings.key) };
const secret = randomBytes(32).toString('base64url');

/**
 * An HTTPS server on a free port of 127.0.0.1, and its base URL on `host` (the app needs
 * its URL, so it is attached once the server listens).
 *
 * @param {string} host
 * @returns {Promise<{ url: string, server: import('node:https').Server }>}
 */
function listen(host) {
  const server = createServer(tls);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({ url: `https://${host}:${address.port}`, server });
    });
  });
}

/**
 * Errors as JSON, so the test shows what the SDK said.
 *
 * @param {unknown} error
 * @param {import('express').Request} _request
 * @param {import('express').Response} response
 * @param {import('express').NextFunction} _next
 */
function errors(error, _request, response, _next) {
  const failure = /** @type {{ status?: number, message?: string, error?: string }} */ (error);
  response
    .status(failure.status ?? 500)
    .json({ error: failure.error ?? 'error', message: failure.message });
}

/** Back-Channel Logout entries: an express-session style store, in memory. */
const logoutStore = (() => {
  /** @type {Map<string, unknown>} */
  const entries = new Map();
  return {
    /** @param {string} key */
    async get(key) {
      return entries.get(key);
    },
    /** @param {string} key @param {unknown} value */
    async set(key, value) {
      entries.set(key, value);
    },
    /** @param {string} key */
    async destroy(key) {
      entries.delete(key);
    },
  };
})();

/**
 * @param {string} baseURL
 * @param {Record<string, unknown>} [extra]
 */
function codeApp(baseURL, extra = {}) {
  const app = express();
  app.use(
    auth({
      issuerBaseURL: settings.issuer,
      baseURL,
      clientID: settings.code.clientID,
      clientSecret: settings.code.clientSecret,
      secret,
      authRequired: false,
      idpLogout: true,
      authorizationParams: { response_type: 'code', scope: 'openid profile email offline_access' },
      backchannelLogout: { store: logoutStore },
      ...extra,
    }),
  );
  app.get('/', (request, response) => {
    response.json({
      authenticated: request.oidc.isAuthenticated(),
      sid: request.oidc.idTokenClaims?.sid,
    });
  });
  app.get('/profile', requiresAuth(), (request, response) => {
    response.json({
      sub: request.oidc.user?.sub,
      name: request.oidc.user?.name,
      sid: request.oidc.idTokenClaims?.sid,
    });
  });
  app.get('/refresh', requiresAuth(), async (request, response, next) => {
    try {
      const before = request.oidc.accessToken;
      if (!before) throw new Error('no access token in the session');
      const after = await before.refresh();
      const userinfo = await request.oidc.fetchUserInfo();
      response.json({
        before: before.access_token,
        after: after?.access_token,
        expires_in: after?.expires_in,
        refresh_token_changed: request.oidc.refreshToken !== undefined,
        userinfo_sub: userinfo.sub,
      });
    } catch (error) {
      next(error);
    }
  });
  app.use(errors);
  return app;
}

const [defaultsAt, codeAt, codeV2At] = await Promise.all([
  listen('127.0.0.1'),
  listen('localhost'),
  listen('localhost'),
]);

const defaults = express();
defaults.use(
  auth({
    issuerBaseURL: settings.issuer,
    baseURL: defaultsAt.url,
    clientID: settings.defaults.clientID,
    secret,
  }),
);
defaults.get('/', (request, response) => {
  response.json({
    sub: request.oidc.user?.sub,
    name: request.oidc.user?.name,
    sid: request.oidc.idTokenClaims?.sid,
  });
});
defaults.use(errors);

defaultsAt.server.on('request', defaults);

codeAt.server.on('request', codeApp(codeAt.url));
codeV2At.server.on('request', codeApp(codeV2At.url, { auth0Logout: true }));

console.log(JSON.stringify({ defaults: defaultsAt.url, code: codeAt.url, codeV2: codeV2At.url }));

process.on('SIGTERM', () => {
  for (const { server } of [defaultsAt, codeAt, codeV2At]) server.close();
  process.exit(0);
});
