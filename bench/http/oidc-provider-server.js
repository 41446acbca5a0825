// @ts-check
/**
 * The peer of bench/http.js: node-oidc-provider (a devDependency) with what the example
 * server is measured on: an RS256 key of the same size (2048 bits), a machine-to-machine
 * client with client_secret_basic and the client-credentials grant for an API whose
 * access tokens are RS256 JWTs (resource indicators), a public client with the code flow,
 * PKCE and refresh tokens, and introspection. Its in-memory adapter (the default) holds
 * what it stores. The interaction (login and consent) is finished by the server itself,
 * as the example server's demo login does. Prints `{ url, seed }` and answers `stats`.
 */
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const API = 'https://api.example.test/';
/** Introspection in node-oidc-provider finds stored (opaque) tokens only. */
const OPAQUE_API = 'https://opaque.example.test/';
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const REDIRECT = 'http://127.0.0.1:8080/callback';

const server = createServer();
server.keepAliveTimeout = 5_000;
server.maxRequestsPerSocket = 1_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', use: 'sig', alg: 'RS256' };

/** @type {any} The declaration in test/registration covers only `callback`. */
const provider = new Provider(
  issuer,
  /** @type {any} */ ({
    jwks: { keys: [jwk] },
    clients: [
      {
        client_id: 'machine',
        client_secret: SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: 'spa',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [REDIRECT],
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'read:reports', 'write:reports'],
    findAccount: (/** @type {any} */ _ctx, /** @type {any} */ sub) => ({
      accountId: sub,
      claims: () => ({ sub, name: 'Alice Example' }),
    }),
    interactions: {
      url: (/** @type {any} */ _ctx, /** @type {any} */ interaction) =>
        `/interaction/${interaction.uid}`,
    },
    issueRefreshToken: async (/** @type {any} */ _ctx, /** @type {any} */ client) =>
      client.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API,
        useGrantedResource: () => true,
        getResourceServerInfo: (/** @type {any} */ _ctx, /** @type {any} */ resource) => ({
          scope: 'read:reports write:reports',
          accessTokenFormat: resource === OPAQUE_API ? 'opaque' : 'jwt',
          ...(resource === OPAQUE_API ? {} : { jwt: { sign: { alg: 'RS256' } } }),
        }),
      },
    },
  }),
);
provider.on('server_error', (/** @type {any} */ _ctx, /** @type {any} */ error) =>
  console.error(error),
);
const callback = provider.callback();

server.on('request', async (req, res) => {
  if (!req.url?.startsWith('/interaction/')) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    const { params } = details;
    const grant = new provider.Grant({ accountId: 'alice', clientId: String(params['client_id']) });
    grant.addOIDCScope(String(params['scope'] ?? 'openid'));
    grant.addResourceScope(API, 'read:reports');
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: 'alice' }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    console.error(error);
    res.statusCode = 500;
    res.end();
  }
});

process.on('message', (message) => {
  if (message !== 'stats') return;
  const cpu = process.cpuUsage();
  process.send?.({
    rss: process.memoryUsage.rss(),
    heap: process.memoryUsage().heapTotal,
    cpuMs: (cpu.user + cpu.system) / 1000,
    pending: null,
    deadLetters: 0,
  });
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});

console.log(
  JSON.stringify({
    url: issuer,
    seed: {
      machine: { client_id: 'machine', client_secret: SECRET },
      spa: { client_id: 'spa', redirect_uri: REDIRECT },
      audience: API,
      opaqueAudience: OPAQUE_API,
    },
  }),
);
