/**
 * The tenant's token endpoint work: client authentication, ID tokens and
 * client-credentials access tokens, signed with the tenant's keys and audited.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { Client } from '../client/client.js';
import {
  ClientMetadataDocumentError,
  ClienteleError,
  InvalidArgumentError,
  InvalidRequestError,
  InvalidTokenError,
  UnauthorizedClientError,
} from '../errors.js';
import type { SigningAlgorithm } from '../tokens/algorithms.js';
import {
  issueAccessTokenResponse,
  issueAccessTokenResponseWith,
  type AccessTokenResponse,
  type DpopAccessTokenResponse,
} from '../tokens/access-token.js';
import { apiPolicyOf, BINDING_REFUSALS, bindingFor } from '../dpop/binding.js';
import type { AccessTokenProfile } from '../tokens/access-token-profile.js';
import { createHmacSigner, type HmacSigner } from '../tokens/jwt.js';
import { clientAuthFailure } from '../tokens/client-auth-failure.js';
import { authenticateClientRequest } from '../tokens/client-auth.js';
import type { AssertionContext } from '../tokens/client-assertion.js';
import type { AcceptedProof } from './dpop.js';
import { JtiCache } from './jti-cache.js';
import { grantAuditType } from '../tokens/grant-audit.js';
import { looksLikeClientIdUrl } from '../cimd/client-id-url.js';
import { IdTokenSigner } from '../tokens/id-token-signer.js';
import type { IdTokenInputClaims } from '../tokens/id-token.js';
import { resolveScopes } from '../tokens/scope.js';
import type { ClientRegistry } from './clients.js';
import type { TenantContext, WriteOptions } from './context.js';
import type { RequestContext } from '../audit/request-context.js';
import type { AuditRecordInput } from '../audit/trail.js';
import type { TenantKeys } from './keys.js';

/** A token request's client credentials, plus optional caller details for the audit trail. */
export interface ClientAuthenticationRequest extends RequestContext {
  /** The `Authorization` header value, when present. */
  authorization?: string | undefined;
  /** The form-decoded request body (`client_id`, `client_secret`, `grant_type`, ...). */
  body?: Record<string, string | undefined> | undefined;
}

/** A client-credentials token request. */
export interface AccessTokenRequest {
  /** The API identifier the token is for (`aud`). */
  audience: string;
  /** Space-separated scopes; all granted scopes when absent. */
  scope?: string | undefined;
  /**
   * The DPoP proof of the request, already verified (`tenant.dpop.verifyProof`): the token
   * is bound to its key (`cnf.jkt`, `token_type: 'DPoP'`) when the API's
   * `proof_of_possession` allows it, as Auth0 decides.
   */
  dpop?: AcceptedProof | undefined;
}

/** What the token service needs to know about an API and a client's grant for it. */
export interface GrantedApi {
  /** The API identifier: the token's `aud`. */
  readonly identifier: string;
  /** Access-token lifetime in seconds. */
  readonly tokenLifetime: number;
  /** Algorithm the API's tokens are signed with. */
  readonly signingAlg: SigningAlgorithm | 'HS256';
  /** The API's own key for `HS256` (Auth0's `signing_secret`); unused otherwise. */
  readonly signingSecret?: string | undefined;
  /** Scopes the client grant allows. */
  readonly scope: readonly string[];
  /** The API's access token profile (from its `token_dialect`). */
  readonly profile?: AccessTokenProfile | undefined;
  /** The API's Auth0 `proof_of_possession` (`{ mechanism, required }`), when set. */
  readonly proofOfPossession?: unknown;
}

/** Finds a client's grant for an audience (the APIs registry). */
export type GrantResolver = (clientId: string, audience: string) => Promise<GrantedApi | undefined>;

/**
 * The client a Client ID Metadata Document's URL names (`tenant.clientIdMetadataDocuments
 * .resolve`), so such a client authenticates with the URL it calls its `client_id`.
 */
export type UrlClientResolver = (clientIdUrl: string) => Promise<Client | undefined>;

const UNKNOWN_KID = 'token kid names no tenant signing key';
const MAX_API_SIGNERS = 1_000;
const MAX_AUDIENCE_LENGTH = 600;

/** Issues, verifies and authenticates on behalf of the tenant. @internal */
export class TenantTokens {
  readonly #context: TenantContext;
  readonly #keys: TenantKeys;
  readonly #clients: ClientRegistry;
  readonly #grants: GrantResolver;
  readonly #idTokens: IdTokenSigner;
  /** HS256 API signers by secret (a rotated secret simply gets a new entry). */
  readonly #apiSigners = new Map<string, HmacSigner>();
  /** Accepted `aud` values of client assertions. */
  readonly #assertionAudiences: readonly string[];
  readonly #jtis: JtiCache;
  readonly #urlClients: UrlClientResolver;

  constructor(
    context: TenantContext,
    keys: TenantKeys,
    clients: ClientRegistry,
    grants: GrantResolver,
    tokenEndpoint: string,
    urlClients: UrlClientResolver,
  ) {
    this.#context = context;
    this.#urlClients = urlClients;
    this.#assertionAudiences = [context.issuer, tokenEndpoint];
    this.#jtis = new JtiCache(context.store, context.now);
    this.#keys = keys;
    this.#clients = clients;
    this.#grants = grants;
    this.#idTokens = new IdTokenSigner({ issuer: context.issuer });
  }

  async issueIdToken(clientId: string, claims: IdTokenInputClaims): Promise<string> {
    const client = await this.#clients.get(clientId);
    const alg = client.jwt_configuration.alg;
    const ring = alg === 'HS256' ? undefined : await this.#keys.signerFor(alg);
    return this.#idTokens.issue(client, claims, ring, this.#seconds());
  }

  /** Signs `claims` as `clientId`'s ID tokens are signed, with header `typ`. */
  async signForClient(
    clientId: string,
    typ: string,
    claims: Record<string, unknown>,
  ): Promise<string> {
    const client = await this.#clients.get(clientId);
    const alg = client.jwt_configuration.alg;
    const ring = alg === 'HS256' ? undefined : await this.#keys.signerFor(alg);
    return this.#idTokens.signAs(client, typ, claims, ring);
  }

  async verifyIdToken(token: string, clientId: string, acceptExpired = false): Promise<JWTPayload> {
    if (typeof token !== 'string')
      throw new InvalidArgumentError('/token', 'token must be a string');
    const client = await this.#clients.get(clientId);
    const hmac = client.jwt_configuration.alg === 'HS256';
    const options = { now: acceptExpired ? beforeExpiry(token, this.#seconds()) : this.#seconds() };
    try {
      return await this.#idTokens.verify(
        token,
        client,
        hmac ? undefined : await this.#keys.ring(),
        options,
      );
    } catch (error) {
      // Another process may have rotated the keys since this one last read them.
      if (hmac || !(error instanceof InvalidTokenError) || error.message !== UNKNOWN_KID)
        throw error;
      return this.#idTokens.verify(token, client, await this.#keys.freshRing(), options);
    }
  }

  async issueAccessToken(
    clientId: string,
    request: AccessTokenRequest,
    options: WriteOptions = {},
  ): Promise<AccessTokenResponse | DpopAccessTokenResponse> {
    let client: Client | undefined;
    let asked: { audience?: string; scope?: string } = {};
    try {
      const { audience, scope, dpop } = checkAccessTokenRequest(request);
      asked = { audience, ...(scope === undefined ? {} : { scope }) };
      client = await this.#clients.get(clientId);
      if (
        client.token_endpoint_auth_method === 'none' ||
        !client.grant_types.includes('client_credentials')
      ) {
        throw new UnauthorizedClientError(
          `client ${clientId} may not use the client_credentials grant (it needs a confidential client with client_credentials in grant_types)`,
        );
      }
      const granted = await this.#grants(clientId, audience);
      if (!granted) {
        throw new UnauthorizedClientError(
          `client ${clientId} has no client grant for the API ${JSON.stringify(audience)}`,
        );
      }
      const scopes = resolveScopes(scope, granted.scope);
      const binding = bindingFor({
        audience: apiPolicyOf(granted.proofOfPossession),
        clientRequires: client.require_proof_of_possession === true,
        proof: dpop !== undefined,
      });
      if (binding.outcome === 'refuse') {
        throw new InvalidRequestError(BINDING_REFUSALS[binding.reason], binding.reason);
      }
      const claims = {
        issuer: this.#context.issuer,
        clientId,
        audience: granted.identifier,
        scopes,
        lifetimeSeconds: granted.tokenLifetime,
        now: this.#seconds(),
        profile: granted.profile,
        jkt: binding.outcome === 'bind' ? dpop?.jkt : undefined,
      };
      const response =
        granted.signingAlg === 'HS256'
          ? await issueAccessTokenResponseWith(claims, this.#apiSigner(granted))
          : await issueAccessTokenResponse(
              claims,
              await this.#keys.signerFor(granted.signingAlg),
              granted.signingAlg,
            );
      this.#record(
        'seccft',
        'Issue access token (client credentials)',
        client,
        {
          operation: 'issue_access_token',
          audience,
          scope: response.scope,
          token_type: response.token_type,
        },
        { request: options.request, audience, scope: response.scope },
      );
      return response;
    } catch (error) {
      this.#record(
        'feccft',
        'Failed to issue access token (client credentials)',
        client ?? { client_id: clientIdOf(clientId) },
        {
          operation: 'issue_access_token',
          error: error instanceof ClienteleError ? error.code : 'internal_error',
          ...(error instanceof InvalidRequestError && error.reason !== undefined
            ? { reason: error.reason }
            : error instanceof ClienteleError
              ? { reason: error.message }
              : {}),
        },
        { request: options.request, ...asked },
      );
      throw error;
    }
  }

  async authenticateClient(request: ClientAuthenticationRequest): Promise<Client> {
    if (typeof request !== 'object' || (request as unknown) === null) {
      throw new InvalidArgumentError(
        '/request',
        'request must be an object with authorization and/or body',
      );
    }
    const grantType =
      typeof request.body?.grant_type === 'string' ? request.body.grant_type : undefined;
    const caller = { request: requestOf(request) };
    try {
      const { client, method, credentialId } = await authenticateClientRequest(
        request,
        (id) => this.#lookup(id),
        {
          assertions: (found) => this.#assertionContext(found),
          previousSecret: (found) => this.#clients.keys.previousSecret(found.client_id),
        },
      );
      this.#record(
        grantAuditType(grantType, 'success') ?? 'seccft',
        'Client authenticated at the token endpoint',
        client,
        {
          operation: 'client_authentication',
          method,
          ...(credentialId === undefined ? {} : { credential_id: credentialId }),
          grant_type: grantType,
        },
        caller,
      );
      return client;
    } catch (error) {
      const failure = clientAuthFailure(error);
      if (failure) {
        this.#record(
          grantAuditType(grantType, 'failure') ?? 'feccft',
          'Client authentication failed at the token endpoint',
          { client_id: failure.clientId },
          {
            operation: 'client_authentication',
            reason: failure.reason,
            mechanism: failure.mechanism,
            grant_type: grantType,
          },
          caller,
        );
      }
      throw error;
    }
  }

  /** The HMAC signer for an HS256 API's secret, imported once per secret. */
  #apiSigner(api: GrantedApi): HmacSigner {
    const secret = api.signingSecret;
    if (secret === undefined) {
      throw new UnauthorizedClientError(
        `the API ${JSON.stringify(api.identifier)} signs HS256 but has no signing_secret`,
      );
    }
    let signer = this.#apiSigners.get(secret);
    if (!signer) {
      if (this.#apiSigners.size >= MAX_API_SIGNERS) this.#apiSigners.clear();
      signer = createHmacSigner(Buffer.from(secret, 'utf8'));
      this.#apiSigners.set(secret, signer);
    }
    return signer;
  }

  /** What a client's assertion is checked against. */
  #assertionContext(client: Client): AssertionContext {
    return {
      audiences: this.#assertionAudiences,
      now: this.#seconds(),
      publicKeys: () => this.#clients.keys.usable(client),
      previousSecret: () => this.#clients.keys.previousSecret(client.client_id),
      consumeJti: (jti, until) => this.#jtis.consume(client.client_id, jti, until),
    };
  }

  /** Drops cached per-client keys (after delete or secret rotation, for tidiness). */
  forget(clientId: string): void {
    this.#idTokens.forget(clientId);
  }

  async #lookup(clientId: string): Promise<Client | undefined> {
    try {
      return looksLikeClientIdUrl(clientId)
        ? await this.#urlClients(clientId)
        : await this.#clients.find(clientId);
    } catch (error) {
      // A malformed id, or a client id URL whose document cannot be used (the CIMD service
      // audited why), is just an unknown client: same outward failure as any other.
      if (error instanceof InvalidArgumentError || error instanceof ClientMetadataDocumentError) {
        return undefined;
      }
      throw error;
    }
  }

  #record(
    type: Parameters<TenantContext['audit']['record']>[0]['type'],
    description: string,
    client: { client_id?: string | undefined; name?: string | undefined },
    details: Record<string, unknown>,
    fields: Pick<AuditRecordInput, 'request' | 'audience' | 'scope'> = {},
  ): void {
    this.#context.audit.record({
      type,
      description,
      client_id: client.client_id,
      client_name: client.name,
      ...fields,
      details,
    });
  }

  #seconds(): number {
    return Math.floor(this.#context.now() / 1000);
  }
}

function checkAccessTokenRequest(request: unknown): AccessTokenRequest {
  if (typeof request !== 'object' || request === null) {
    throw new InvalidArgumentError('/request', 'request must be an object with an audience');
  }
  const { audience, scope, dpop } = request as Partial<AccessTokenRequest>;
  if (
    typeof audience !== 'string' ||
    audience.length === 0 ||
    audience.length > MAX_AUDIENCE_LENGTH
  ) {
    throw new InvalidArgumentError(
      '/request/audience',
      `audience must be a non-empty string of at most ${MAX_AUDIENCE_LENGTH} characters (the API identifier)`,
    );
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw new InvalidArgumentError('/request/scope', 'scope must be a space-separated string');
  }
  if (
    dpop !== undefined &&
    (typeof dpop !== 'object' || dpop === null || typeof dpop.jkt !== 'string' || dpop.jkt === '')
  ) {
    throw new InvalidArgumentError(
      '/request/dpop/jkt',
      'dpop.jkt must be the thumbprint of a verified DPoP proof key',
    );
  }
  return { audience, scope, dpop };
}

function clientIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

/**
 * The verification time of a token that may have expired: now, or a second before its
 * `exp` when that has passed (the signature, issuer and audience still decide).
 */
function beforeExpiry(token: string, now: number): number {
  let exp: unknown;
  try {
    exp = decodeJwt(token).exp;
  } catch {
    return now;
  }
  return typeof exp === 'number' && Number.isFinite(exp) && exp <= now ? Math.floor(exp) - 1 : now;
}

/** The caller details of a token request, without its credentials. */
function requestOf(request: ClientAuthenticationRequest): RequestContext {
  const { ip, userAgent, method, path, auth } = request;
  return { ip, userAgent, method, path, auth };
}
