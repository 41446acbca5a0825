/**
 * Issues and verifies a client's ID tokens with its configured algorithm, keeping each
 * client's HS256 key imported once per secret.
 *
 * @module
 */
import { hash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { InvalidArgumentError } from '../errors.js';
import { isSigningAlgorithm, type SigningAlgorithm } from './algorithms.js';
import { buildIdTokenClaims, deriveHs256Key, type IdTokenInputClaims } from './id-token.js';
import { createHmacSigner, signJwt, type HmacSigner, JWT_TYP } from './jwt.js';
import { signingKeyFor, type KeyRing } from './key-ring.js';
import type { SigningKey } from './signing-keys.js';
import { verifyJwt } from './verify.js';

/** Algorithms an ID token can use: a tenant key's, or HS256 with the client secret. */
export type IdTokenAlgorithm = 'HS256' | SigningAlgorithm;

/** The parts of a client that decide how its ID tokens are signed (Auth0 field names). */
export interface IdTokenClient {
  /** The client id: the token's `aud`. */
  readonly client_id: string;
  /** Needed for HS256 only. */
  readonly client_secret?: string | undefined;
  /** Algorithm, lifetime and secret encoding; Auth0's defaults when absent. */
  readonly jwt_configuration?:
    | {
        /** Default `RS256`. */
        readonly alg?: string | undefined;
        /** Default 36000. */
        readonly lifetime_in_seconds?: number | undefined;
        /** The secret is base64url and the HS256 key is what it encodes. Default false. */
        readonly secret_encoded?: boolean | undefined;
      }
    | undefined;
}

/** Options of {@link IdTokenSigner}. */
export interface IdTokenSignerOptions {
  /** The tenant issuer (`iss`), for example `https://example.auth0.com/`. */
  readonly issuer: string;
  /** Most clients whose HS256 key is kept imported; the oldest is dropped first. Default 10000. */
  readonly maxCachedSecrets?: number;
}

/** Options of {@link IdTokenSigner.verify}. */
export interface IdTokenVerifyOptions {
  /** Current time, NumericDate; default now. */
  readonly now?: number;
  /** Seconds of clock skew accepted on `exp`, `nbf` and `iat`; default 0. */
  readonly clockToleranceSeconds?: number;
}

/** One client's HS256 key, with a hash of the secret it came from. */
interface CachedKey {
  readonly fingerprint: string;
  readonly signer: HmacSigner;
}

/**
 * Signs and verifies ID tokens for the clients of one tenant. Holds a cache of HS256
 * keys keyed by client id and a hash of the secret and its encoding: a key is imported
 * once per secret, and a rotated secret (a different hash) replaces the entry, so the old
 * secret is never used again. Tenant keys come from the `KeyRing` passed to each call, so
 * a rotated ring takes effect at once.
 *
 * @example
 * ```ts
 * const idTokens = new IdTokenSigner({ issuer: 'https://example.auth0.com/' });
 * const token = await idTokens.issue(client, { sub: 'auth0|42', nonce }, ring);
 * const claims = await idTokens.verify(token, client, ring);
 * ```
 * @internal
 */
export class IdTokenSigner {
  readonly #issuer: string;
  readonly #maxCachedSecrets: number;
  readonly #keys = new Map<string, CachedKey>();

  /** @param options - the tenant issuer and cache size */
  constructor(options: IdTokenSignerOptions) {
    if (typeof options.issuer !== 'string' || options.issuer === '') {
      throw new InvalidArgumentError('/issuer', '/issuer must be a non-empty string');
    }
    const max = options.maxCachedSecrets ?? 10_000;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new InvalidArgumentError(
        '/maxCachedSecrets',
        '/maxCachedSecrets must be a positive integer',
      );
    }
    this.#issuer = options.issuer;
    this.#maxCachedSecrets = max;
  }

  /**
   * Issues an ID token for `client` (see `buildIdTokenClaims` for the claims). The
   * algorithm is `jwt_configuration.alg` (default RS256): HS256 signs with the client
   * secret, any other with the ring's first key of that algorithm (header `kid`).
   *
   * @param client - the client the token is for
   * @param claims - `sub`, optional `nonce`, other non-reserved claims
   * @param keyRing - the tenant keys; required unless the client uses HS256
   * @param now - issue time, NumericDate; default now
   * @throws {@link InvalidArgumentError} for reserved or ill-typed claims, an unsupported
   *   algorithm, a missing or too short HS256 secret, or no ring key for the algorithm.
   */
  issue(
    client: IdTokenClient,
    claims: IdTokenInputClaims,
    keyRing: KeyRing | undefined,
    now?: number,
  ): Promise<string> {
    try {
      const payload = buildIdTokenClaims({
        issuer: this.#issuer,
        clientId: client.client_id,
        lifetimeSeconds: client.jwt_configuration?.lifetime_in_seconds,
        now,
        claims,
      });
      return signJwt(JWT_TYP, payload, this.#signerFor(client, keyRing));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * Signs other claims the way `client`'s ID tokens are signed (same algorithm and key),
   * with header `typ`: OIDC Back-Channel Logout tokens.
   */
  signAs(
    client: IdTokenClient,
    typ: string,
    claims: Record<string, unknown>,
    keyRing: KeyRing | undefined,
  ): Promise<string> {
    try {
      return signJwt({ typ }, claims, this.#signerFor(client, keyRing));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * Verifies an ID token of `client`: signature with the client's configured algorithm
   * only, `iss` = the tenant issuer, `aud` = the client id, `exp` (and `nbf`, `iat`).
   *
   * @throws {@link InvalidTokenError} saying which check failed.
   * @throws {@link InvalidArgumentError} when the client's configuration cannot verify
   *   anything (as for {@link IdTokenSigner.issue}).
   */
  async verify(
    token: string,
    client: IdTokenClient,
    keyRing: KeyRing | undefined,
    options: IdTokenVerifyOptions = {},
  ): Promise<JWTPayload> {
    const signer = this.#signerFor(client, keyRing);
    const common = {
      issuer: this.#issuer,
      audience: client.client_id,
      now: options.now,
      clockToleranceSeconds: options.clockToleranceSeconds,
    };
    return signer.alg === 'HS256'
      ? verifyJwt(token, { ...common, hmacKey: signer.key })
      : verifyJwt(token, { ...common, keyRing, algorithms: [signer.alg] });
  }

  /** Drops the cached HS256 key of a client (call when it is deleted). */
  forget(clientId: string): void {
    this.#keys.delete(clientId);
  }

  #signerFor(client: IdTokenClient, keyRing: KeyRing | undefined): HmacSigner | SigningKey {
    const alg = client.jwt_configuration?.alg ?? 'RS256';
    if (alg === 'HS256') return this.#hmacSigner(client);
    if (!isSigningAlgorithm(alg)) {
      throw new InvalidArgumentError(
        '/jwt_configuration/alg',
        '/jwt_configuration/alg must be HS256, RS256, RS512, PS256 or ES256',
      );
    }
    return signingKeyFor(keyRing, alg, "this client's ID tokens");
  }

  #hmacSigner(client: IdTokenClient): HmacSigner {
    const secret = client.client_secret;
    const encoded = client.jwt_configuration?.secret_encoded === true;
    // The fingerprint keys the cache without keeping the secret itself in it.
    const fingerprint =
      typeof secret === 'string'
        ? hash('sha256', `${encoded ? 'b64u' : 'utf8'}:${secret}`, 'base64url')
        : '';
    const cached = this.#keys.get(client.client_id);
    if (cached !== undefined && cached.fingerprint === fingerprint) return cached.signer;
    const signer = createHmacSigner(deriveHs256Key(secret, encoded));
    if (cached === undefined && this.#keys.size >= this.#maxCachedSecrets) {
      const oldest = this.#keys.keys().next().value;
      if (oldest !== undefined) this.#keys.delete(oldest);
    }
    this.#keys.set(client.client_id, { fingerprint, signer });
    return signer;
  }
}
