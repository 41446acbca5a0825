/**
 * Access tokens for users (the authorization-code and refresh-token grants) and the
 * verification every resource server needs: `tenant.verifyAccessToken`.
 *
 * A user access token is a JWT for the requested API (its `signing_alg`, its
 * `token_lifetime`) whose `aud` also names `{issuer}userinfo` when `openid` was granted;
 * without an API it is for userinfo only, signed with the tenant's active key.
 */
import type { JWTPayload } from 'jose';
import { InvalidArgumentError, InvalidTokenError } from '../errors.js';
import { copyJson } from '../lib/json-copy.js';
import type { Store } from '../storage/store.js';
import { DEFAULT_ACCESS_TOKEN_LIFETIME } from '../tokens/access-token.js';
import { accessTokenHeader, accessTokenProfileOf } from '../tokens/access-token-profile.js';
import { createHmacSigner, signJwt, type HmacSigner } from '../tokens/jwt.js';
import { signingKeyFor, type KeyRing } from '../tokens/key-ring.js';
import { buildUserAccessTokenClaims } from '../tokens/user-access-token.js';
import { verifyJwt } from '../tokens/verify.js';
import type { Api } from '../apis/api.js';
import {
  AUTHORIZATIONS,
  REVOKED_ACCESS_TOKENS,
  type AuthorizationRecord,
} from './authorization-records.js';
import type { TenantKeys } from './keys.js';

/** What a user access token is issued for. */
export interface UserAccessTokenGrant {
  readonly clientId: string;
  readonly sub: string;
  readonly authorizationId: string;
  readonly audience: string | null;
  readonly scopes: readonly string[];
  readonly now: number;
  /** When the user authenticated (NumericDate). */
  readonly authTime?: number | undefined;
  /** The DPoP key to bind the token to (`cnf.jkt`). */
  readonly jkt?: string | undefined;
}

/** Finds an API by identifier. */
export type ApiLookup = (audience: string) => Promise<Api | undefined>;

const MAX_AUDIENCE_LENGTH = 600;
const UNKNOWN_KID = 'token kid names no tenant signing key';
const MAX_HMAC_SIGNERS = 1_000;
/**
 * Access tokens remembered after their signature was verified (introspection and
 * `/userinfo` see the same token again and again), keyed by the token: a hit for the same
 * audience skips the public-key operation while the key ring is the same object, and still
 * checks `exp`/`nbf` and revocation.
 */
const MAX_VERIFIED = 1_000;

/** A token whose signature, issuer and audience were verified against `ring`. */
interface Verified {
  readonly audience: string;
  readonly ring: KeyRing;
  readonly payload: JWTPayload;
}

/** True while `payload`'s `exp` and `nbf` admit `now` (seconds), as jose's check does. */
function inTime(payload: JWTPayload, now: number): boolean {
  if (typeof payload.exp === 'number' && payload.exp <= now) return false;
  return !(typeof payload.nbf === 'number' && payload.nbf > now);
}

/** Signs and verifies user access tokens. @internal */
export class UserTokens {
  readonly #issuer: string;
  readonly #store: Store;
  readonly #keys: TenantKeys;
  readonly #apis: ApiLookup;
  readonly #hmac = new Map<string, HmacSigner>();
  readonly #verified = new Map<string, Verified>();
  readonly #userinfoAudience: string;

  constructor(issuer: string, store: Store, keys: TenantKeys, apis: ApiLookup) {
    this.#issuer = issuer;
    this.#userinfoAudience = `${issuer}userinfo`;
    this.#store = store;
    this.#keys = keys;
    this.#apis = apis;
  }

  /** The tenant issuer. */
  get issuer(): string {
    return this.#issuer;
  }

  /** The audience of tokens that may call `/userinfo`. */
  get userinfoAudience(): string {
    return this.#userinfoAudience;
  }

  /**
   * The audience `token` was last verified for, while it is remembered: introspection
   * verifies for it rather than decoding the token first.
   */
  rememberedAudience(token: string): string | undefined {
    return this.#verified.get(token)?.audience;
  }

  /** Signs an access token; `expires_in` is the API's `token_lifetime` (default 24 h). */
  async issue(grant: UserAccessTokenGrant): Promise<{ access_token: string; expires_in: number }> {
    const api = grant.audience === null ? undefined : await this.#apis(grant.audience);
    if (grant.audience !== null && !api) {
      throw new InvalidTokenError('the API of this authorization no longer exists');
    }
    const audience = api ? [api.identifier] : [];
    if (!api || grant.scopes.includes('openid')) audience.push(this.userinfoAudience);
    const lifetimeSeconds = api?.token_lifetime ?? DEFAULT_ACCESS_TOKEN_LIFETIME;
    const profile = accessTokenProfileOf(api?.token_dialect);
    const claims = buildUserAccessTokenClaims({
      issuer: this.#issuer,
      sub: grant.sub,
      clientId: grant.clientId,
      audience,
      scopes: grant.scopes,
      lifetimeSeconds,
      now: grant.now,
      authorizationId: grant.authorizationId,
      profile,
      authTime: grant.authTime,
      jkt: grant.jkt,
    });
    const signer =
      api?.signing_alg === 'HS256'
        ? this.#hmacSigner(api)
        : await this.#tenantSigner(api?.signing_alg);
    return {
      access_token: await signJwt(accessTokenHeader(profile), claims, signer),
      expires_in: lifetimeSeconds,
    };
  }

  /**
   * Verifies an access token for `audience`: signature (the API's HS256 secret, or a
   * tenant key), `iss`, `aud`, `exp`, then revocation as the store records it: the token
   * itself (`/oauth/revoke`) or its authorization (code reuse, refresh-token reuse,
   * revocation of its refresh token).
   */
  async verify(token: unknown, audience: unknown, now: number): Promise<JWTPayload> {
    if (typeof audience !== 'string' || audience === '' || audience.length > MAX_AUDIENCE_LENGTH) {
      throw new InvalidArgumentError(
        '/options/audience',
        `/options/audience must be a non-empty string of at most ${MAX_AUDIENCE_LENGTH} characters (an API identifier)`,
      );
    }
    if (typeof token !== 'string') throw new InvalidTokenError('token must be a string');
    const api = audience === this.#userinfoAudience ? undefined : await this.#apis(audience);
    const common = { issuer: this.#issuer, audience, now };
    let payload: JWTPayload;
    if (api?.signing_alg === 'HS256') {
      payload = await verifyJwt(token, { ...common, hmacKey: this.#hmacSigner(api).key });
    } else {
      const ring = await this.#keys.ring();
      const memo = this.#verified.get(token);
      if (memo?.ring === ring && memo.audience === audience && inTime(memo.payload, now)) {
        // The same string was verified against this very ring: only the time can differ.
        payload = copyJson(memo.payload);
      } else {
        let verifiedBy = ring;
        try {
          payload = await verifyJwt(token, { ...common, keyRing: ring });
        } catch (error) {
          // Another process may have rotated the keys since this one last read them.
          if (!(error instanceof InvalidTokenError) || error.message !== UNKNOWN_KID) throw error;
          verifiedBy = await this.#keys.freshRing();
          payload = await verifyJwt(token, { ...common, keyRing: verifiedBy });
        }
        if (this.#verified.size >= MAX_VERIFIED) {
          this.#verified.delete(this.#verified.keys().next().value as string);
        }
        this.#verified.set(token, { audience, ring: verifiedBy, payload: copyJson(payload) });
      }
    }
    if (payload.scope !== undefined && typeof payload.scope !== 'string') {
      throw new InvalidTokenError('token scope is not a space-separated string');
    }
    await this.#checkRevocation(payload);
    return payload;
  }

  async #checkRevocation(payload: JWTPayload): Promise<void> {
    const { jti, sid } = payload as { jti?: unknown; sid?: unknown };
    if (typeof jti === 'string' && (await this.#store.get(REVOKED_ACCESS_TOKENS, jti))) {
      throw new InvalidTokenError('token has been revoked');
    }
    if (sid === undefined) return;
    const authorization =
      typeof sid === 'string'
        ? await this.#store.get<AuthorizationRecord>(AUTHORIZATIONS, sid)
        : undefined;
    if (!authorization || authorization.value.revoked_at !== null) {
      throw new InvalidTokenError('token has been revoked');
    }
  }

  async #tenantSigner(alg: Api['signing_alg'] | undefined) {
    if (alg === undefined) return (await this.#keys.ring()).active;
    const signing = alg === 'HS256' ? 'RS256' : alg;
    return signingKeyFor(await this.#keys.signerFor(signing), signing, 'access tokens');
  }

  #hmacSigner(api: Api): HmacSigner {
    const secret = api.signing_secret;
    if (typeof secret !== 'string') {
      throw new InvalidTokenError(
        `the API ${api.identifier} signs HS256 but has no signing_secret`,
      );
    }
    let signer = this.#hmac.get(secret);
    if (!signer) {
      if (this.#hmac.size >= MAX_HMAC_SIGNERS) this.#hmac.clear();
      signer = createHmacSigner(Buffer.from(secret, 'utf8'));
      this.#hmac.set(secret, signer);
    }
    return signer;
  }
}
