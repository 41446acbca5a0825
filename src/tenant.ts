/**
 * `Tenant`: the facade that wires a store, an audit trail and signing keys to the client
 * registry, APIs, connections, token issuance and Dynamic Client Registration.
 *
 * @module
 */
import type { CloseOptions } from './audit/close-deadline.js';
import { AuditTrail } from './audit/trail.js';
import { MemoryStore } from './storage/memory-store.js';
import type { Store } from './storage/store.js';
import type { JWTPayload } from 'jose';
import type { Client } from './client/client.js';
import type { AccessTokenResponse, DpopAccessTokenResponse } from './tokens/access-token.js';
import { apiPolicyOf } from './dpop/binding.js';
import { InvalidTokenError } from './errors.js';
import { accessTokenProfileOf } from './tokens/access-token-profile.js';
import type { SigningAlgorithm } from './tokens/algorithms.js';
import type { IdTokenInputClaims } from './tokens/id-token.js';
import type { PublicJwks } from './tokens/key-ring.js';
import { ApiRegistry } from './tenant/apis.js';
import { ClientRegistry } from './tenant/clients.js';
import { ConnectionRegistry } from './tenant/connections.js';
import { LogStreamRegistry } from './tenant/log-streams.js';
import { AuthorizationService } from './tenant/authorization.js';
import { audited, type TenantContext, type WriteOptions } from './tenant/context.js';
import { TenantKeys } from './tenant/keys.js';
import { SealedStore } from './tenant/sealed-store.js';
import { CachedStore, wantsCache } from './tenant/store-cache.js';
import { readTenantOptions, type TenantConfig, type TenantOptions } from './tenant/options.js';
import { RegistrationService } from './tenant/registration.js';
import { CimdService } from './tenant/cimd.js';
import { ClientHygiene } from './tenant/client-hygiene.js';
import { DpopService, type DpopPresentation } from './tenant/dpop.js';
import { PushedAuthorizationRequests } from './tenant/pushed-requests.js';
import { RequestObjects } from './tenant/request-objects.js';
import { SessionService } from './tenant/sessions.js';
import { BackchannelLogout } from './backchannel-logout/index.js';
import { UserTokens } from './tenant/user-tokens.js';
import {
  TenantTokens,
  type AccessTokenRequest,
  type ClientAuthenticationRequest,
  type GrantedApi,
} from './tenant/tokens.js';

/** The claims of a verified access token. */
export type VerifiedAccessToken = JWTPayload & {
  /** Granted scopes, space-separated. */
  scope?: string;
};

/**
 * One tenant: its clients, APIs, connections and keys, with audit and storage.
 *
 * @example
 * ```ts
 * const tenant = await Tenant.create({ domain: 'acme.example.com' });
 * const spa = await tenant.clients.create({
 *   name: 'Storefront',
 *   app_type: 'spa',
 *   callbacks: ['https://shop.example.com/callback'],
 * });
 * spa.allowsCallback('https://shop.example.com/callback'); // true
 * await tenant.close();
 * ```
 */
export class Tenant {
  /** The registry of client applications. */
  readonly clients: ClientRegistry;
  /**
   * Dynamic Client Registration (RFC 7591, OIDC DCR 1.0) and its management (RFC 7592);
   * refused unless `dynamicRegistration.enabled`.
   */
  readonly registration: RegistrationService;
  /**
   * Client ID Metadata Documents: the client a client id URL names (dynamic CIMD when
   * `clientIdMetadataDocuments.enabled`), and Auth0's manual `register` and `preview`.
   */
  readonly clientIdMetadataDocuments: CimdService;
  /**
   * Registration hygiene: the last use of self-registered clients (DCR, dynamic CIMD) and
   * the sweep that deletes the unused ones (`deleteUnusedRegisteredClientsAfter`).
   */
  readonly clientHygiene: ClientHygiene;
  /** APIs (resource servers) and client grants: which client may get tokens for which API. */
  readonly apis: ApiRegistry;
  /** Connections (database, social, enterprise, passwordless) and the clients using them. */
  readonly connections: ConnectionRegistry;
  /**
   * Auth0's log streams: where the audit trail is delivered (webhooks, Datadog, Splunk,
   * Sumo Logic, EventBridge), kept in the store with write-only sink secrets, and the
   * health of their delivery in this process.
   */
  readonly logStreams: LogStreamRegistry;
  /**
   * The audit trail: an eventemitter3 emitter (`'event'` and one event name per Auth0 log
   * type code) with `flush()`.
   */
  readonly audit: AuditTrail;
  /**
   * The user grants of an identity server, without HTTP: authorization codes, refresh
   * tokens (the client's Auth0 `refresh_token` settings), revocation, introspection and
   * userinfo. `createProvider` (clientele/http) serves them over HTTP.
   */
  readonly authorization: AuthorizationService;
  /**
   * Login sessions (single sign-on): started by `createProvider` at every login, kept in
   * the store (collection `sessions`), ended by logout, expiry or revocation.
   */
  readonly sessions: SessionService;
  /**
   * OIDC Back-Channel Logout: logout tokens to the clients of every session that ends
   * (Auth0's `oidc_logout` settings decide which); `flush()` waits for their delivery.
   */
  readonly backchannelLogout: BackchannelLogout;
  /**
   * DPoP (RFC 9449): proof checks with the single use of each `jti` across instances, server
   * nonces, and the algorithms served. `createProvider` uses it at the token endpoint and
   * `/userinfo`; a resource server of its own can too.
   */
  readonly dpop: DpopService;
  /**
   * Pushed Authorization Requests (RFC 9126): the one-time `request_uri`s that `/oauth/par`
   * hands out and `/authorize` takes, and whether a client must push.
   */
  readonly pushedAuthorizationRequests: PushedAuthorizationRequests;
  /**
   * JWT-secured authorization requests (JAR, RFC 9101): request objects verified with the
   * client's credentials for signed requests, and whether a client must sign.
   */
  readonly requestObjects: RequestObjects;
  /** The tenant domain. */
  readonly domain: string;
  /** The issuer (`iss`) of the tokens this tenant issues. */
  readonly issuer: string;
  /**
   * The store this tenant reads and writes, as stored: with `secretsKey`, the secrets in it
   * are encrypted (read them through the tenant).
   */
  readonly store: Store;

  readonly #context: TenantContext;
  readonly #local: Store;
  readonly #sealed: SealedStore;
  readonly #keys: TenantKeys;
  readonly #tokens: TenantTokens;
  readonly #userTokens: UserTokens;
  #closing: Promise<void> | undefined;

  private constructor(config: TenantConfig, store: Store, audit: AuditTrail) {
    this.domain = config.domain;
    this.issuer = config.issuer;
    this.store = store;
    this.audit = audit;
    // On a remote store with a change feed, reads come from a local copy kept exact by it.
    const local = wantsCache(store) ? new CachedStore(store) : store;
    this.#local = local;
    // Registries see checked records with their secrets decrypted, and write plain values.
    const sealed = new SealedStore(local, config.secrets);
    this.#sealed = sealed;
    const context: TenantContext = {
      store: sealed,
      audit,
      domain: config.domain,
      issuer: config.issuer,
      now: config.now,
      lintErrors: config.lintErrors,
    };
    this.#context = context;
    this.clients = new ClientRegistry(context);
    this.registration = new RegistrationService(
      context,
      config.dynamicRegistration,
      this.clients,
      config.keySource,
    );
    this.clientIdMetadataDocuments = new CimdService(
      context,
      config.clientIdMetadataDocuments,
      this.clients,
    );
    this.clientHygiene = new ClientHygiene(
      context,
      this.clients,
      config.deleteUnusedRegisteredClientsAfter,
    );
    this.apis = new ApiRegistry(context, this.clients);
    this.connections = new ConnectionRegistry(context, this.clients);
    this.logStreams = new LogStreamRegistry(context, config.logStreams);
    this.#keys = new TenantKeys(sealed, config.keySource, config.now);
    this.#tokens = new TenantTokens(
      context,
      this.#keys,
      this.clients,
      (clientId, audience) => this.#grantedApi(clientId, audience),
      config.tokenEndpoint,
      (clientIdUrl) => this.clientIdMetadataDocuments.resolve(clientIdUrl),
    );
    const direct = new SealedStore(store, config.secrets);
    this.#userTokens = new UserTokens(config.issuer, direct, this.#keys, (audience) =>
      this.apis.getByAudience(audience),
    );
    this.sessions = new SessionService(context, config.session);
    this.backchannelLogout = new BackchannelLogout({
      config: config.backchannelLogout,
      issuer: config.issuer,
      now: config.now,
      findClient: (clientId) => this.clients.find(clientId),
      sign: (clientId, typ, claims) => this.#tokens.signForClient(clientId, typ, claims),
      audit,
    });
    this.sessions.onEnd((ended) => this.backchannelLogout.notify(ended));
    this.dpop = new DpopService(context, config.dpop);
    this.pushedAuthorizationRequests = new PushedAuthorizationRequests(
      context,
      config.pushedAuthorizationRequests,
    );
    this.requestObjects = new RequestObjects(context, this.clients.keys);
    this.authorization = new AuthorizationService(
      context,
      this.#userTokens,
      (clientId, claims) => this.#tokens.issueIdToken(clientId, claims),
      {
        find: (audience) => this.apis.getByAudience(audience),
        hasGrant: async (clientId, audience) =>
          (await this.apis.findGrant(clientId, audience)) !== undefined,
      },
      this.dpop,
    );
  }

  /**
   * Creates a tenant. Nothing is written until the first operation, except Auth0's
   * "Default App" when `defaultApp` is set and the store holds no client yet.
   *
   * @throws {@link InvalidArgumentError} naming the option that is wrong.
   */
  static async create(options: TenantOptions): Promise<Tenant> {
    const config = readTenantOptions(options);
    const store = options.store ?? new MemoryStore();
    const audit = new AuditTrail({
      hostname: config.domain,
      ...options.audit,
      sinks: options.auditSinks ?? [],
    });
    const tenant = new Tenant(config, store, audit);
    // The streams this instance delivers to. A store that cannot be read now is read again
    // on its next change (or re-read); events recorded before then reach no stream.
    await tenant.logStreams.refresh().catch(() => undefined);
    if (config.defaultApp && (await store.list('clients')).length === 0) {
      await tenant.clients.create({ name: 'Default App', app_type: 'regular_web' });
    }
    return tenant;
  }

  /**
   * Authenticates the client of a token request: `client_secret_basic` (the
   * `Authorization` header), `client_secret_post` (`client_secret` in the body), a JWT
   * `client_assertion` (`private_key_jwt` with one of the client's enabled credentials,
   * or `client_secret_jwt`: HS256 keyed with its secret) or `none` (only `client_id`).
   * Exactly one mechanism may be used and the client's configuration must allow it; a
   * secret rotated with an overlap keeps working until the overlap ends. An assertion's
   * `jti` is single-use across every process sharing the store. A client made of a Client
   * ID Metadata Document is named by its Auth0 id or by its document's URL (its `client_id`
   * in the draft, and `iss`/`sub` of its assertions). Success and failure are audited (Auth0's
   * exchange codes for the body's `grant_type`: `seccft`/`feccft` for client credentials,
   * `seacft`/`feacft` for authorization codes, `sertft`/`fertft` for refresh tokens).
   *
   * @throws {@link InvalidClientError} for every authentication failure, with one message
   *   that never says whether the id or the secret was wrong.
   * @throws {@link InvalidRequestError} when more than one mechanism is used.
   * @example
   * ```ts
   * const client = await tenant.authenticateClient({
   *   authorization: request.headers.authorization,
   *   body: { grant_type: 'client_credentials', audience: 'https://api.example.com' },
   * });
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
   */
  authenticateClient(request: ClientAuthenticationRequest): Promise<Client> {
    return this.#tokens.authenticateClient(request);
  }

  /**
   * Issues an OpenID Connect ID token for a client: `iss`, `aud` = client id, `sub`,
   * `iat`, `exp` from `jwt_configuration.lifetime_in_seconds`, `nonce` when given and the
   * other claims passed. Signed with `jwt_configuration.alg`: HS256 with the client
   * secret, otherwise with the tenant's key for that algorithm (`kid` in the header).
   *
   * @throws {@link NotFoundError} for an unknown client.
   * @throws {@link InvalidArgumentError} for a reserved claim (`iss`, `aud`, `azp`, `iat`,
   *   `exp`, `nbf`) or an ill-typed one, at `/claims/<name>`.
   * @example
   * ```ts
   * const idToken = await tenant.issueIdToken(client.client_id, { sub: 'auth0|42', nonce });
   * ```
   * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
   */
  issueIdToken(clientId: string, claims: IdTokenInputClaims): Promise<string> {
    return this.#tokens.issueIdToken(clientId, claims);
  }

  /**
   * Verifies an ID token issued to `clientId`: signature (with the client's configured
   * algorithm only), `iss`, `aud` and `exp`. An HS256 token signed with a secret that has
   * since been rotated no longer verifies.
   *
   * @throws {@link InvalidTokenError} naming the check that failed.
   * @throws {@link NotFoundError} for an unknown client.
   */
  verifyIdToken(
    token: string,
    clientId: string,
    options?: {
      /**
       * Accept a token past its `exp` (an `id_token_hint` at `/authorize` or logout, which
       * OIDC lets the client send after it expired); the signature and the rest still count.
       */
      acceptExpired?: boolean;
    },
  ): Promise<JWTPayload> {
    return this.#tokens.verifyIdToken(token, clientId, options?.acceptExpired === true);
  }

  /**
   * Verifies an access token this tenant issued for `audience` (an API identifier, or
   * `{issuer}userinfo`), as a resource server must: signature against the tenant keys (or
   * the API's HS256 secret), `iss`, `aud`, `exp`, and revocation as the store records it
   * (the token revoked at `/oauth/revoke`, or its whole grant revoked by code reuse,
   * refresh-token reuse or refresh-token revocation). `scope` is a space-separated string.
   *
   * DPoP (RFC 9449 §7): a token bound to a key (`cnf.jkt`) verifies only with `options.dpop`,
   * the proof it came with (`Authorization: DPoP`), made by that key for this token
   * (`ath`), fresh and used once; a bearer token verifies only without one. An API whose
   * `proof_of_possession.required` is true accepts bound tokens only.
   *
   * @throws {@link InvalidTokenError} naming the check that failed.
   * @throws {@link InvalidDpopProofError} or {@link UseDpopNonceError} for the proof.
   * @throws {@link InvalidArgumentError} when `audience` is not a non-empty string.
   * @example
   * ```ts
   * const claims = await tenant.verifyAccessToken(bearer, { audience: 'https://api.example.com/' });
   * const scopes = claims.scope?.split(' ') ?? [];
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
   */
  async verifyAccessToken(
    token: string,
    options: {
      audience: string;
      /** The DPoP proof the token came with, for a `DPoP` authorization scheme. */
      dpop?: DpopPresentation | undefined;
    },
  ): Promise<VerifiedAccessToken> {
    const given = options as { audience?: unknown; dpop?: DpopPresentation } | undefined;
    const claims = (await this.#userTokens.verify(
      token,
      given?.audience,
      Math.floor(this.#context.now() / 1000),
    )) as VerifiedAccessToken;
    await this.dpop.checkPresentation(token, claims, given?.dpop);
    if (claims['cnf'] === undefined && typeof given?.audience === 'string') {
      const api = await this.apis.getByAudience(given.audience);
      if (apiPolicyOf(api?.proof_of_possession) === 'required') {
        throw new InvalidTokenError(
          'the API requires DPoP-bound tokens (proof_of_possession.required)',
        );
      }
    }
    return claims;
  }

  /**
   * The client-credentials grant: an access token for an API the client has a client
   * grant for. Requested scopes must be a subset of the grant's (none requested = all
   * granted). Claims: `iss`, `sub` = `{client_id}@clients`, `aud`, `iat`, `exp` (the API's
   * `token_lifetime`), `scope`, `gty` = `client-credentials`, `azp`. Audited as
   * `seccft`/`feccft`.
   *
   * @throws {@link UnauthorizedClientError} when the client is public, lacks the
   *   `client_credentials` grant type or has no grant for the audience.
   * @throws {@link InvalidScopeError} when a requested scope is not granted.
   * @throws {@link NotFoundError} for an unknown client.
   * @example
   * ```ts
   * const { access_token, expires_in } = await tenant.issueAccessToken(client.client_id, {
   *   audience: 'https://api.example.com',
   *   scope: 'read:orders',
   * });
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
   */
  issueAccessToken(
    clientId: string,
    request: AccessTokenRequest & { dpop?: undefined },
    options?: WriteOptions,
  ): Promise<AccessTokenResponse>;
  /**
   * With `request.dpop`, the key of a verified DPoP proof: the token is bound to it
   * (`cnf.jkt`, `token_type: 'DPoP'`) when the API's `proof_of_possession` names DPoP, and a
   * bearer token otherwise, as Auth0 decides.
   */
  issueAccessToken(
    clientId: string,
    request: AccessTokenRequest,
    options?: WriteOptions,
  ): Promise<AccessTokenResponse | DpopAccessTokenResponse>;
  issueAccessToken(
    clientId: string,
    request: AccessTokenRequest,
    options: WriteOptions = {},
  ): Promise<AccessTokenResponse | DpopAccessTokenResponse> {
    return this.#tokens.issueAccessToken(clientId, request, options);
  }

  /**
   * Rotates the signing keys: a new key of `algorithm` (default: the active key's) signs
   * from now on; older keys stay in the JWKS and keep verifying until retired. Audited.
   */
  async rotateSigningKeys(options: { algorithm?: SigningAlgorithm } = {}): Promise<PublicJwks> {
    const algorithm = options.algorithm ?? (await this.#keys.ring()).active.alg;
    const ring = await audited(
      this.#context,
      {
        operation: 'rotate_signing_keys',
        description: 'Rotate signing keys',
        details: { algorithm },
      },
      () => this.#keys.rotate(algorithm),
    );
    return ring.jwks();
  }

  /**
   * Removes a non-active signing key: tokens it signed stop verifying and it leaves the
   * JWKS. Audited.
   *
   * @throws {@link InvalidArgumentError} for an unknown kid or the active key.
   */
  async retireSigningKey(kid: string): Promise<PublicJwks> {
    const ring = await audited(
      this.#context,
      { operation: 'retire_signing_key', description: 'Retire signing key', details: { kid } },
      () => this.#keys.retire(kid),
    );
    return ring.jwks();
  }

  /**
   * Encrypts again, with the first key of `secretsKey`, every stored secret that is not
   * encrypted with it yet: secrets stored before the tenant had a key, and those of an
   * older key during a rotation. Run it once after putting a new key first; the older keys
   * can then be removed from `secretsKey`. Records that need nothing are not written.
   * Audited (`sapi`/`fapi`).
   *
   * @returns how many store records were written
   * @throws {@link InvalidArgumentError} when the tenant has no `secretsKey`.
   * @throws {@link SecretDecryptionError} when a stored secret opens with none of the keys.
   * @example
   * ```ts
   * const tenant = await Tenant.create({ domain, store, secretsKey: [newKey, oldKey] });
   * await tenant.resealSecrets(); // { records: 42 }: oldKey can go
   * ```
   */
  async resealSecrets(): Promise<{
    /** How many store records were written. */
    records: number;
  }> {
    const records = await audited(
      this.#context,
      { operation: 'reseal_secrets', description: 'Re-encrypt stored secrets' },
      () => this.#sealed.reseal(),
    );
    return { records };
  }

  /** The API and scopes a client may get client-credentials tokens for. */
  async #grantedApi(clientId: string, audience: string): Promise<GrantedApi | undefined> {
    const grant = await this.apis.findGrant(clientId, audience);
    // A grant for users' tokens (subject_type user or anonymous_user) is no client grant.
    if (grant?.subject_type !== undefined && grant.subject_type !== 'client') return undefined;
    const api = grant && (await this.apis.getByAudience(audience));
    if (!grant || !api) return undefined;
    return {
      identifier: api.identifier,
      tokenLifetime: api.token_lifetime,
      signingAlg: api.signing_alg,
      signingSecret: api.signing_secret,
      profile: accessTokenProfileOf(api.token_dialect),
      proofOfPossession: api.proof_of_possession,
      // allow_all_scopes: every scope the API defines now, including ones added later.
      scope: grant.allow_all_scopes ? api.scopes.map((scope) => scope.value) : grant.scope,
    };
  }

  /**
   * The public JSON Web Key Set of the tenant's signing keys (never a private member).
   * Generates the first key when the store has none.
   *
   * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
   */
  async jwks(): Promise<PublicJwks> {
    return (await this.#keys.freshRing()).jwks();
  }

  /**
   * Waits until every audit event has been delivered (or dead-lettered), closes the sinks
   * and the store. Waits at most `options.timeoutMs` (default 5 s) for the audit trail:
   * events still undelivered then go to `onDeadLetter` (see {@link AuditTrail.close}).
   * Idempotent.
   *
   * @throws {@link InvalidArgumentError} when `options.timeoutMs` is not a number ≥ 0
   */
  async close(options?: CloseOptions): Promise<void> {
    this.#closing ??= (async () => {
      await this.backchannelLogout.flush();
      await this.audit.close(options);
      await this.logStreams.close();
      this.clients.dispose();
      this.logStreams.dispose();
      this.#keys.dispose();
      await this.#local.close?.();
    })();
    return this.#closing;
  }
}
