/**
 * `tenant.authorization`: the user-facing grants an identity server needs, without HTTP.
 * It checks an authorization request's scope and audience, issues codes after a login,
 * exchanges them (`authorization_code`), refreshes (`refresh_token`), revokes (RFC 7009),
 * introspects (RFC 7662) and answers userinfo. Every exchange is audited with Auth0's
 * codes (`seacft`/`feacft`, `sertft`/`fertft`, `ferrt` for reuse detection, `srrt`).
 */
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../audit/request-context.js';
import { isConfidential, type Client } from '../client/client.js';
import { apiPolicyOf, BINDING_REFUSALS, bindingFor } from '../dpop/binding.js';
import {
  ClienteleError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidTargetError,
  UnauthorizedClientError,
} from '../errors.js';
import { refreshPolicyOf } from '../tokens/refresh-policy.js';
import { accessTokenHash } from '../tokens/at-hash.js';
import { releasedClaims } from '../tokens/oidc-claims.js';
import type { AuditEventType } from '../audit/event.js';
import { AuthorizationCodes } from './authorization-codes.js';
import { AUTHORIZATIONS, type AuthorizationRecord } from './authorization-records.js';
import {
  checkCodeInput,
  narrowScope,
  resolveRequestScope,
  type AuthorizationRequestCheck,
  type CodeInput,
} from './authorization-input.js';
import type { TenantContext } from './context.js';
import type { AcceptedProof, DpopPresentation, DpopService } from './dpop.js';
import { GrantSweeper } from './grant-sweep.js';
import { Introspection, type IntrospectionResponse } from './introspection.js';
import { RefreshTokens } from './refresh-tokens.js';
import type { UserTokens } from './user-tokens.js';

export type { AuthorizationRequestCheck, CodeInput } from './authorization-input.js';
export type { IntrospectionResponse } from './introspection.js';

/** The token endpoint's successful response for a user grant. */
export interface TokenSet {
  /** The access token (a JWT). */
  readonly access_token: string;
  /** `Bearer`, or `DPoP` for a token bound to the request's DPoP key (RFC 9449 §5). */
  readonly token_type: 'Bearer' | 'DPoP';
  /** Seconds until the access token expires. */
  readonly expires_in: number;
  /** Granted scopes, space-separated; absent when none. */
  readonly scope?: string;
  /** With `openid`. */
  readonly id_token?: string;
  /** With `offline_access` on a client with the `refresh_token` grant; on rotation. */
  readonly refresh_token?: string;
}

/** Who made a request, for the audit trail: the {@link RequestContext} of the request. */
export type Caller = RequestContext;

/** The `authorization_code` grant's request. */
export interface CodeExchangeRequest extends Caller {
  /** The `code` parameter. */
  readonly code: string;
  /** The `redirect_uri` parameter: the one of the authorization request. */
  readonly redirectUri?: string | undefined;
  /** The PKCE `code_verifier` parameter. */
  readonly codeVerifier?: string | undefined;
  /**
   * The API the token is asked for (RFC 8707 `resource`, or `audience`): when given, it
   * must be the one the code was issued for, or the exchange is `invalid_target` and the
   * code stays unused.
   */
  readonly resource?: string | undefined;
  /** The request's verified DPoP proof, when it came with one. */
  readonly dpop?: AcceptedProof | undefined;
}

/** The `refresh_token` grant's request. */
export interface RefreshRequest extends Caller {
  /** The `refresh_token` parameter. */
  readonly refreshToken: string;
  /** A narrower scope than granted (space-separated); everything granted when absent. */
  readonly scope?: string | undefined;
  /** The API asked for (RFC 8707 `resource`): when given, the grant's own, or `invalid_target`. */
  readonly resource?: string | undefined;
  /** The request's verified DPoP proof, when it came with one. */
  readonly dpop?: AcceptedProof | undefined;
}

/** What `/authorize` returns tokens for (implicit and hybrid flows). */
export interface FrontChannelInput {
  /** The user. */
  readonly sub: string;
  /** The user's claims, released per scope. */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
  /** The scopes granted (from `checkRequest`). */
  readonly scope: readonly string[];
  /** The API the access token is for (from `checkRequest`). */
  readonly audience?: string | undefined;
  /** The request's `nonce`. */
  readonly nonce?: string | undefined;
  /** When the user authenticated (NumericDate); default now. */
  readonly authTime?: number | undefined;
  /** The login session (`sid`). */
  readonly sessionId?: string | undefined;
  /** The code returned alongside (hybrid flows), for `c_hash`. */
  readonly code?: string | undefined;
  /** Return an access token (`token` in the response type). */
  readonly accessToken: boolean;
  /** Return an ID token (`id_token` in the response type). */
  readonly idToken: boolean;
}

/** The tokens `/authorize` returns in the implicit and hybrid flows. */
export interface FrontChannelTokens {
  /** The access token (`token`). */
  readonly access_token?: string;
  /** `Bearer`, with an access token. */
  readonly token_type?: 'Bearer';
  /** Seconds until the access token expires. */
  readonly expires_in?: number;
  /** Granted scopes, with an access token. */
  readonly scope?: string;
  /** The ID token (`id_token`). */
  readonly id_token?: string;
}

/** What the grants read of an API: its scopes and its Auth0 `proof_of_possession`. */
interface ApiFacts {
  readonly scopes: readonly { value: string }[];
  readonly proof_of_possession?: unknown;
}

/** Signs an ID token for a client (the tenant's `issueIdToken`). */
type IdTokenIssuer = (
  clientId: string,
  claims: { sub: string; [claim: string]: unknown },
) => Promise<string>;

/** The authorization-code and refresh-token grants of a tenant. */
export class AuthorizationService {
  readonly #context: TenantContext;
  readonly #tokens: UserTokens;
  readonly #codes: AuthorizationCodes;
  readonly #refresh: RefreshTokens;
  readonly #idToken: IdTokenIssuer;
  readonly #introspection: Introspection;
  readonly #sweeper: GrantSweeper;
  readonly #dpop: DpopService;
  readonly #findApi: (audience: string) => Promise<ApiFacts | undefined>;

  /** @internal */
  constructor(
    context: TenantContext,
    tokens: UserTokens,
    idToken: IdTokenIssuer,
    apis: {
      find: (audience: string) => Promise<ApiFacts | undefined>;
      hasGrant: (clientId: string, audience: string) => Promise<boolean>;
    },
    dpop: DpopService,
  ) {
    this.#dpop = dpop;
    this.#context = context;
    this.#tokens = tokens;
    this.#codes = new AuthorizationCodes(context.store);
    this.#refresh = new RefreshTokens(context.store);
    this.#idToken = idToken;
    this.#findApi = apis.find;
    this.#introspection = new Introspection(tokens, this.#refresh, apis.hasGrant);
    this.#sweeper = new GrantSweeper(context.store);
  }

  /**
   * Checks an authorization request's `scope` and `audience` for `client` before anyone
   * logs in, and returns what will be granted: the OIDC scopes (`offline_access` only for
   * a client with the `refresh_token` grant) and the API's own scopes; others are left out
   * (RFC 6749 §3.3 lets a server grant less, and the token response says what it granted).
   *
   * @throws {@link InvalidScopeError} for a malformed scope.
   * @throws {@link InvalidRequestError} when `audience` names no API of the tenant.
   */
  checkRequest(
    client: Client,
    request: { scope?: string | undefined; audience?: string | undefined },
  ): Promise<AuthorizationRequestCheck> {
    return resolveRequestScope(client, request, this.#findApi);
  }

  /**
   * Issues an authorization code after a login: single use, for `clientId` and
   * `redirectUri` only, bound to the PKCE challenge and nonce, valid `lifetimeSeconds`
   * (default 60, at most 600). Stored hashed.
   *
   * @throws {@link InvalidArgumentError} naming the bad field.
   */
  async issueCode(input: CodeInput): Promise<string> {
    const now = this.#seconds();
    const record = checkCodeInput(input, now);
    const code = await this.#codes.issue(record);
    await this.#sweeper.maybeSweep(now);
    return code;
  }

  /**
   * The tokens `/authorize` itself returns in the implicit and hybrid flows (`token`,
   * `id_token`): an access token (never a refresh token: `offline_access` is left out) in a
   * grant of its own, so revocation and userinfo treat it like any other; an ID token with
   * `nonce`, `auth_time`, `sid`, and `at_hash` / `c_hash` for the access token and code
   * returned with it (OIDC Core §3.3.2.11).
   *
   * @throws {@link UnauthorizedClientError} when the client lacks the `implicit` grant.
   * @throws {@link InvalidRequestError} for an access token where the client
   *   (`require_proof_of_possession`) or the API (`proof_of_possession.required`) requires a
   *   DPoP-bound one, which the front channel cannot give (RFC 9449 §10).
   * @see https://openid.net/specs/openid-connect-core-1_0.html#HybridIDToken
   */
  async issueFrontChannel(client: Client, input: FrontChannelInput): Promise<FrontChannelTokens> {
    if (!client.grant_types.includes('implicit')) {
      throw new UnauthorizedClientError('the client may not use the implicit grant');
    }
    const now = this.#seconds();
    const alg = client.jwt_configuration.alg ?? 'RS256';
    const scope = input.scope.filter((value) => value !== 'offline_access');
    const authTime = input.authTime ?? now;
    let access: { access_token: string; expires_in: number } | undefined;
    if (input.accessToken) {
      // A token handed to the browser is a bearer token: refused where a bound one is required.
      await this.#accessTokenBinding(client, input.audience ?? null, undefined);
      const authorizationId = `authz_${randomBytes(16).toString('base64url')}`;
      const record: AuthorizationRecord = {
        client_id: client.client_id,
        sub: input.sub,
        claims: input.claims ?? {},
        scope,
        audience: input.audience ?? null,
        auth_time: authTime,
        session_id: input.sessionId ?? null,
        created_at: now,
        expires_at: null,
        revoked_at: null,
        revoked_reason: null,
      };
      await this.#context.store.insert(AUTHORIZATIONS, authorizationId, record);
      access = await this.#tokens.issue({
        clientId: client.client_id,
        sub: input.sub,
        authorizationId,
        audience: record.audience,
        scopes: scope,
        now,
        authTime,
      });
      await this.#sweeper.maybeSweep(now);
    }
    const idToken = input.idToken
      ? await this.#idToken(client.client_id, {
          ...releasedClaims(input.sub, input.claims ?? {}, scope),
          sub: input.sub,
          auth_time: authTime,
          ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
          ...(input.sessionId === undefined ? {} : { sid: input.sessionId }),
          ...(access ? { at_hash: accessTokenHash(access.access_token, alg) } : {}),
          ...(input.code === undefined ? {} : { c_hash: accessTokenHash(input.code, alg) }),
        })
      : undefined;
    return {
      ...(access
        ? {
            access_token: access.access_token,
            token_type: 'Bearer' as const,
            expires_in: access.expires_in,
            ...(scope.length > 0 ? { scope: scope.join(' ') } : {}),
          }
        : {}),
      ...(idToken === undefined ? {} : { id_token: idToken }),
    };
  }

  /**
   * The `authorization_code` grant for an authenticated client: the code must be live,
   * issued to this client for this `redirect_uri`, and match its PKCE challenge. Returns
   * an access token, an ID token with `openid`, and a refresh token with
   * `offline_access` when the client has the `refresh_token` grant.
   *
   * @throws {@link InvalidGrantError} for any problem with the code (a second use also
   *   revokes every token the first one issued).
   * @throws {@link UnauthorizedClientError} when the client lacks the grant type.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
   */
  async exchangeCode(client: Client, request: CodeExchangeRequest): Promise<TokenSet> {
    return this.#audited(
      'seacft',
      'feacft',
      'authorization_code',
      client,
      request,
      async (about) => {
        requireGrant(client, 'authorization_code');
        const now = this.#seconds();
        const policy = refreshPolicyOf(client.refresh_token);
        const offlineFor = (scope: readonly string[]) =>
          scope.includes('offline_access') && client.grant_types.includes('refresh_token');
        const proofJkt = request.dpop?.jkt;
        let boundJkt: string | undefined;
        const redeemed = await this.#codes.redeem(
          client.client_id,
          {
            code: request.code,
            redirectUri: request.redirectUri,
            codeVerifier: request.codeVerifier,
            dpopJkt: proofJkt,
          },
          now,
          async (code): Promise<AuthorizationRecord> => {
            if (request.resource !== undefined && request.resource !== code.audience) {
              throw new InvalidTargetError('resource is not the API the code was issued for');
            }
            // Decided before the code is used: a refusal leaves it for a retry with a proof.
            boundJkt = await this.#accessTokenBinding(client, code.audience, proofJkt);
            return {
              client_id: code.client_id,
              sub: code.sub,
              claims: code.claims,
              scope: code.scope,
              audience: code.audience,
              auth_time: code.auth_time,
              session_id: code.sid ?? null,
              created_at: now,
              expires_at:
                offlineFor(code.scope) && policy.absoluteSeconds !== undefined
                  ? now + policy.absoluteSeconds
                  : null,
              revoked_at: null,
              revoked_reason: null,
              // RFC 9449 §5: a public client's refresh tokens are bound to its DPoP key.
              ...(proofJkt !== undefined && !isConfidential(client) ? { dpop_jkt: proofJkt } : {}),
            };
          },
        );
        const { authorization, authorizationId } = redeemed;
        Object.assign(about, grantOf(authorization, authorization.scope));
        const refreshToken = offlineFor(authorization.scope)
          ? await this.#refresh.issue(authorizationId, client.client_id, policy, now)
          : undefined;
        return this.#tokenSet(client, authorizationId, authorization, authorization.scope, now, {
          nonce: redeemed.code.nonce,
          refreshToken,
          jkt: boundJkt,
        });
      },
    );
  }

  /**
   * The `refresh_token` grant, by the client's `refresh_token` settings (rotation with
   * leeway and reuse detection, absolute and idle lifetimes). `scope` may only narrow.
   *
   * @throws {@link InvalidGrantError} for an unknown, expired, revoked or reused token, or
   *   one of another client (which then stays valid for its owner).
   * @throws {@link InvalidScopeError} when `scope` asks for more than was granted.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
   */
  async refresh(client: Client, request: RefreshRequest): Promise<TokenSet> {
    return this.#audited('sertft', 'fertft', 'refresh_token', client, request, async (about) => {
      requireGrant(client, 'refresh_token');
      if (request.resource !== undefined) await this.#requireTarget(client, request);
      const nowMs = this.#context.now();
      const now = Math.floor(nowMs / 1000);
      const proofJkt = request.dpop?.jkt;
      let boundJkt: string | undefined;
      const used = await this.#refresh.use(
        client.client_id,
        request.refreshToken,
        refreshPolicyOf(client.refresh_token),
        nowMs,
        async (authorization) => {
          // Checked before anything changes: without the key, a bound token does nothing.
          if (typeof authorization.dpop_jkt === 'string' && proofJkt !== authorization.dpop_jkt) {
            throw new InvalidGrantError(
              proofJkt === undefined
                ? 'the refresh token is bound to a DPoP key: send a DPoP proof of that key'
                : 'the DPoP proof is not of the key the refresh token is bound to',
            );
          }
          boundJkt = await this.#accessTokenBinding(client, authorization.audience, proofJkt);
        },
      );
      if (used.kind === 'reuse') {
        this.#record('ferrt', client, request, {
          operation: 'refresh_token',
          reason: 'refresh_token_reuse',
          authorization_id: used.authorizationId,
        });
        throw new InvalidGrantError(
          'the refresh token was rotated and used again: every token of its grant is revoked',
        );
      }
      const scope = narrowScope(request.scope, used.authorization.scope);
      Object.assign(about, grantOf(used.authorization, scope));
      return this.#tokenSet(client, used.authorizationId, used.authorization, scope, now, {
        nonce: null,
        refreshToken: used.next,
        jkt: boundJkt,
      });
    });
  }

  /**
   * Revokes a refresh token (and its whole grant: every refresh and access token of that
   * login) or one access token (RFC 7009). An unknown, expired or already revoked token
   * changes nothing and is not an error (§2.2). A live token issued to another client is
   * left valid for its owner and refused (§2.1: the server verifies the token was issued
   * to the client and otherwise refuses the request) when the caller authenticated; a
   * public client proves nothing, so it gets the §2.2 answer instead, and a refusal cannot
   * tell anyone who names a public client whether a token is live (node-oidc-provider's
   * default `allowedPolicy` does the same).
   *
   * @throws {@link InvalidRequestError} for a token of another client, to a confidential client.
   * @throws {@link UnsupportedTokenTypeError} for a client-credentials access token.
   * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
   */
  async revoke(client: Client, token: string, caller: Caller = {}): Promise<void> {
    const now = this.#seconds();
    const revoked = await this.#introspection.revoke(
      client.client_id,
      token,
      this.#context.store,
      now,
    );
    if (revoked === 'foreign' && isConfidential(client)) {
      throw new InvalidRequestError('the client is not authorized to revoke the presented token');
    }
    await this.#sweeper.maybeSweep(now);
    if (revoked === 'refresh_token') {
      this.#record('srrt', client, caller, { operation: 'revoke_refresh_token' });
    }
  }

  /**
   * RFC 7662 introspection for an authenticated client: `{ active: false }` for anything
   * inactive, unknown, or not the caller's to see (tokens issued to it, or access tokens
   * for an API it holds a client grant for).
   *
   * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
   */
  introspect(client: Client, token: string): Promise<IntrospectionResponse> {
    return this.#introspection.introspect(client, token, this.#context.now());
  }

  /**
   * The user's claims for a userinfo access token (OIDC Core §5.3): `sub` and what the
   * granted scopes release.
   *
   * A DPoP-bound token needs `options.dpop`, the proof it came with (RFC 9449 §7); an
   * unbound one must come without.
   *
   * @throws {@link InvalidTokenError} for a token that is invalid, expired, revoked, not
   *   for userinfo, or presented against its binding.
   * @throws {@link InvalidDpopProofError} or {@link UseDpopNonceError} for its proof.
   * @throws {@link InsufficientScopeError} without `openid`.
   */
  async userinfo(
    accessToken: string,
    options: {
      /** The DPoP proof the token came with (`Authorization: DPoP`). */
      dpop?: DpopPresentation | undefined;
      /** Other URIs the proof's `htu` may name (the advertised userinfo endpoint). */
      uris?: readonly string[];
    } = {},
  ): Promise<Record<string, unknown>> {
    const found = await this.#introspection.userinfoGrant(
      accessToken,
      this.#seconds(),
      this.#context.store,
      (token, claims) => this.#dpop.checkPresentation(token, claims, options.dpop, options.uris),
    );
    return releasedClaims(found.sub, found.claims, found.scopes);
  }

  /**
   * RFC 8707 at the refresh grant: a `resource` other than the grant's API is refused before
   * the token is used, so a rotating token is not spent on a refused request. An unknown or
   * foreign token is left to `use`, which refuses it as `invalid_grant`.
   */
  async #requireTarget(client: Client, request: RefreshRequest): Promise<void> {
    const found = await this.#refresh.find(request.refreshToken);
    if (found?.record.client_id !== client.client_id || !found.authorization) return;
    if (found.authorization.audience !== request.resource) {
      throw new InvalidTargetError('resource is not the API this refresh token was issued for');
    }
  }

  async #tokenSet(
    client: Client,
    authorizationId: string,
    authorization: AuthorizationRecord,
    scope: readonly string[],
    now: number,
    extra: { nonce: string | null; refreshToken: string | undefined; jkt: string | undefined },
  ): Promise<TokenSet> {
    await this.#sweeper.maybeSweep(now);
    const access = await this.#tokens.issue({
      clientId: client.client_id,
      sub: authorization.sub,
      authorizationId,
      audience: authorization.audience,
      scopes: scope,
      now,
      authTime: authorization.auth_time,
      jkt: extra.jkt,
    });
    const idToken = scope.includes('openid')
      ? await this.#idToken(client.client_id, {
          ...releasedClaims(authorization.sub, authorization.claims, scope),
          sub: authorization.sub,
          auth_time: authorization.auth_time,
          ...(typeof authorization.session_id === 'string'
            ? { sid: authorization.session_id }
            : {}),
          at_hash: accessTokenHash(access.access_token, client.jwt_configuration.alg ?? 'RS256'),
          ...(extra.nonce === null ? {} : { nonce: extra.nonce }),
        })
      : undefined;
    return {
      access_token: access.access_token,
      token_type: extra.jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: access.expires_in,
      ...(scope.length > 0 ? { scope: scope.join(' ') } : {}),
      ...(idToken === undefined ? {} : { id_token: idToken }),
      ...(extra.refreshToken === undefined ? {} : { refresh_token: extra.refreshToken }),
    };
  }

  /**
   * The key a user access token is bound to, by Auth0's sender-constraining table: the
   * proof's for an API that allows or requires DPoP (and for a token only for
   * `/userinfo`), none for a bearer token.
   *
   * @throws {@link InvalidRequestError} when the client or the API requires a bound token
   *   that cannot be issued.
   */
  async #accessTokenBinding(
    client: Client,
    audience: string | null,
    proofJkt: string | undefined,
  ): Promise<string | undefined> {
    const binding = bindingFor({
      audience:
        audience === null
          ? 'userinfo'
          : apiPolicyOf((await this.#findApi(audience))?.proof_of_possession),
      clientRequires: client.require_proof_of_possession === true,
      proof: proofJkt !== undefined,
    });
    if (binding.outcome === 'refuse') {
      throw new InvalidRequestError(BINDING_REFUSALS[binding.reason], binding.reason);
    }
    return binding.outcome === 'bind' ? proofJkt : undefined;
  }

  async #audited<T>(
    success: AuditEventType,
    failure: AuditEventType,
    operation: string,
    client: Client,
    caller: Caller,
    run: (about: GrantAbout) => Promise<T>,
  ): Promise<T> {
    // Filled by `run` once it knows the grant: the user and what the tokens are for.
    const about: GrantAbout = {};
    try {
      const result = await run(about);
      this.#record(success, client, caller, { operation }, about);
      return result;
    } catch (error) {
      this.#record(
        failure,
        client,
        caller,
        {
          operation,
          error: error instanceof ClienteleError ? error.code : 'internal_error',
          ...(error instanceof InvalidRequestError && error.reason !== undefined
            ? { reason: error.reason }
            : error instanceof ClienteleError
              ? { reason: error.message }
              : {}),
        },
        about,
      );
      throw error;
    }
  }

  #record(
    type: AuditEventType,
    client: Client,
    caller: Caller,
    details: Record<string, unknown>,
    about: GrantAbout = {},
  ) {
    // Only the request's own members: a grant request extends Caller with its parameters.
    const { ip, userAgent, method, path, auth } = caller;
    this.#context.audit.record({
      type,
      description: DESCRIPTIONS[type] ?? type,
      client_id: client.client_id,
      client_name: client.name,
      ...about,
      request: { ip, userAgent, method, path, auth },
      details,
    });
  }

  #seconds(): number {
    return Math.floor(this.#context.now() / 1000);
  }
}

/** What an exchange's audit event says about its grant (Auth0's log fields). */
interface GrantAbout {
  user_id?: string;
  user_name?: string;
  audience?: string;
  scope?: string;
}

/** The user, API and scopes of a grant, for its exchange's audit event. */
function grantOf(authorization: AuthorizationRecord, scope: readonly string[]): GrantAbout {
  const name = authorization.claims['email'] ?? authorization.claims['name'];
  return {
    user_id: authorization.sub,
    ...(typeof name === 'string' ? { user_name: name.slice(0, 200) } : {}),
    ...(authorization.audience === null ? {} : { audience: authorization.audience }),
    ...(scope.length === 0 ? {} : { scope: scope.join(' ') }),
  };
}

const DESCRIPTIONS: Partial<Record<AuditEventType, string>> = {
  seacft: 'Authorization code exchanged for tokens',
  feacft: 'Failed exchange of authorization code for tokens',
  sertft: 'Refresh token exchanged for tokens',
  fertft: 'Failed exchange of refresh token for tokens',
  ferrt: 'Refresh token reuse detected: the grant and all its tokens are revoked',
  srrt: 'Refresh token revoked',
};

function requireGrant(client: Client, grant: 'authorization_code' | 'refresh_token'): void {
  if (!client.grant_types.includes(grant)) {
    throw new UnauthorizedClientError(`the client may not use the ${grant} grant`);
  }
}
