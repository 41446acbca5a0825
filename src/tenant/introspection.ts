/**
 * Looking at a token someone presents: introspection (RFC 7662), revocation (RFC 7009)
 * and the userinfo grant behind an access token. A refresh token is found by its hash; an
 * access token is a JWT verified like any resource server would (`UserTokens.verify`).
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { Client } from '../client/client.js';
import {
  ClienteleError,
  InsufficientScopeError,
  InvalidTokenError,
  UnsupportedTokenTypeError,
} from '../errors.js';
import type { Store } from '../storage/store.js';
import { refreshPolicyOf } from '../tokens/refresh-policy.js';
import { MAX_TOKEN_LENGTH } from '../tokens/verify.js';
import {
  AUTHORIZATIONS,
  isLive,
  revokeAccessToken,
  revokeAuthorization,
  type AuthorizationRecord,
} from './authorization-records.js';
import { boundKey } from './dpop.js';
import { RefreshTokens } from './refresh-tokens.js';
import type { UserTokens } from './user-tokens.js';

/** RFC 7662 §2.2's response: `{ active: false }` or the token's facts. */
export interface IntrospectionResponse {
  /** Whether the token is live and the caller may see it. */
  readonly active: boolean;
  readonly [member: string]: unknown;
}

/** The grant behind a userinfo access token. */
export interface UserinfoGrant {
  readonly sub: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly scopes: readonly string[];
}

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

/** @internal */
export class Introspection {
  readonly #tokens: UserTokens;
  readonly #refresh: RefreshTokens;
  readonly #hasGrant: (clientId: string, audience: string) => Promise<boolean>;

  constructor(
    tokens: UserTokens,
    refresh: RefreshTokens,
    hasGrant: (clientId: string, audience: string) => Promise<boolean>,
  ) {
    this.#tokens = tokens;
    this.#refresh = refresh;
    this.#hasGrant = hasGrant;
  }

  /** RFC 7662 introspection of `token` for `client` at `nowMs` (milliseconds). */
  async introspect(client: Client, token: unknown, nowMs: number): Promise<IntrospectionResponse> {
    const now = Math.floor(nowMs / 1000);
    const found = await this.#refresh.find(token);
    if (found) {
      const { record, authorization } = found;
      if (record.client_id !== client.client_id || !authorization) return INACTIVE;
      if (!RefreshTokens.isActive(found, refreshPolicyOf(client.refresh_token), nowMs)) {
        return INACTIVE;
      }
      return {
        active: true,
        token_type: 'refresh_token',
        client_id: record.client_id,
        sub: authorization.sub,
        scope: authorization.scope.join(' '),
        iss: this.#tokens.issuer,
        iat: record.issued_at,
        ...(authorization.expires_at === null ? {} : { exp: authorization.expires_at }),
        ...(typeof authorization.dpop_jkt === 'string'
          ? { cnf: { jkt: authorization.dpop_jkt } }
          : {}),
      };
    }
    const payload = await this.#accessToken(token, now);
    if (!payload || !(await this.#mayView(client.client_id, payload))) return INACTIVE;
    // RFC 9449 §6.2: a bound token is a DPoP token, its cnf tells the resource server the key.
    return { ...payload, active: true, token_type: boundKey(payload) ? 'DPoP' : 'Bearer' };
  }

  /**
   * Revokes what `token` is, if `clientId` may; returns what was revoked, `'foreign'` for
   * a live token issued to another client (left as it is), `undefined` for anything else.
   */
  async revoke(
    clientId: string,
    token: unknown,
    store: Store,
    now: number,
  ): Promise<'refresh_token' | 'access_token' | 'foreign' | undefined> {
    const found = await this.#refresh.find(token);
    if (found) {
      if (found.record.client_id !== clientId) {
        const { record, authorization } = found;
        const idle = record.idle_expires_at !== null && record.idle_expires_at <= now;
        return isLive(authorization, now) && !idle ? 'foreign' : undefined;
      }
      await revokeAuthorization(store, found.record.authorization_id, 'revocation', now);
      return 'refresh_token';
    }
    const payload = await this.#accessToken(token, now);
    if (!payload) return undefined;
    if ((payload['azp'] ?? payload['client_id']) !== clientId) return 'foreign';
    if (typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      throw new UnsupportedTokenTypeError(
        'client-credentials access tokens cannot be revoked: they expire at exp',
      );
    }
    await revokeAccessToken(store, payload.jti, payload.exp);
    return 'access_token';
  }

  /**
   * The grant behind a userinfo access token; `presented` checks its DPoP binding against
   * how it came (a proof, or none) before anything is read.
   */
  async userinfoGrant(
    token: unknown,
    now: number,
    store: Store,
    presented: (token: string, claims: JWTPayload) => Promise<void>,
  ): Promise<UserinfoGrant> {
    const payload = await this.#tokens.verify(token, this.#tokens.userinfoAudience, now);
    await presented(token as string, payload);
    const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
    if (!scopes.includes('openid')) {
      throw new InsufficientScopeError('the access token was not granted openid');
    }
    const sid = payload['sid'];
    const authorization =
      typeof sid === 'string'
        ? await store.get<AuthorizationRecord>(AUTHORIZATIONS, sid)
        : undefined;
    if (!authorization || typeof payload.sub !== 'string') {
      throw new InvalidTokenError('token is not a user access token');
    }
    return { sub: payload.sub, claims: authorization.value.claims, scopes };
  }

  /** The verified payload of an access token of this tenant, or undefined. */
  async #accessToken(token: unknown, now: number): Promise<JWTPayload | undefined> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
    const audience = this.#tokens.rememberedAudience(token) ?? firstAudience(token);
    if (audience === undefined) return undefined;
    try {
      return await this.#tokens.verify(token, audience, now);
    } catch (error) {
      if (error instanceof ClienteleError) return undefined;
      throw error;
    }
  }

  /** Tokens issued to the client, or for an API it holds a client grant for. */
  async #mayView(clientId: string, payload: JWTPayload): Promise<boolean> {
    if ((payload['azp'] ?? payload['client_id']) === clientId) return true;
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    for (const audience of audiences.slice(0, 5)) {
      if (typeof audience === 'string' && (await this.#hasGrant(clientId, audience))) return true;
    }
    return false;
  }
}

/** The first `aud` of a JWT, unverified (what to verify it for), or `undefined`. */
function firstAudience(token: string): string | undefined {
  let audience: unknown;
  try {
    audience = decodeJwt(token).aud;
  } catch {
    return undefined;
  }
  const first = Array.isArray(audience) ? (audience[0] as unknown) : audience;
  return typeof first === 'string' ? first : undefined;
}
