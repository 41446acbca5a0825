/**
 * `tenant.dpop`: DPoP proofs (RFC 9449) checked against the tenant's settings and its
 * store. The checks of one proof are `src/dpop/`'s; this wires in what needs state: the
 * single use of each `jti` across every instance sharing the store, and server nonces made
 * with a secret kept in the store (collection `dpop_nonce_secrets`, encrypted with
 * `secretsKey`), so any instance accepts the nonce another one handed out.
 */
import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  InvalidArgumentError,
  InvalidDpopProofError,
  InvalidTokenError,
  UseDpopNonceError,
} from '../errors.js';
import { DpopNonces } from '../dpop/nonce.js';
import type { DpopConfig } from '../dpop/options.js';
import { verifyDpopProof, type VerifiedProof } from '../dpop/proof.js';
import type { TenantContext } from './context.js';
import { JtiCache } from './jti-cache.js';

/** The store collection of the nonce secret. */
const NONCE_SECRETS = 'dpop_nonce_secrets';
const NONCE_SECRET_ID = 'current';

/** A DPoP proof as a request presents it. */
export interface DpopPresentation {
  /**
   * The `DPoP` header as received: one proof. Several `DPoP` headers (which a Fetch
   * `Headers` object joins with `, `) are refused.
   */
  readonly proof: string;
  /** The request's HTTP method. */
  readonly method: string;
  /**
   * The URI the request was received at (query and fragment are ignored). The proof's
   * `htu` must name it, or one of `uris`.
   */
  readonly url: string;
}

/** A proof that passed every check, its `jti` now used. */
export interface AcceptedProof {
  /** The thumbprint of the proof's key: what `cnf.jkt` binds to. */
  readonly jkt: string;
}

/** DPoP proofs of one tenant. */
export class DpopService {
  readonly #context: TenantContext;
  readonly #config: DpopConfig;
  readonly #jtis: JtiCache;
  #nonces: Promise<DpopNonces> | undefined;

  /** @internal */
  constructor(context: TenantContext, config: DpopConfig) {
    this.#context = context;
    this.#config = config;
    this.#jtis = new JtiCache(context.store, context.now, {
      collection: 'dpop_proof_jtis',
      owner: 'jkt',
    });
  }

  /** The proof algorithms accepted (discovery's `dpop_signing_alg_values_supported`). */
  get algorithms(): readonly string[] {
    return this.#config.algorithms;
  }

  /** Whether proofs must carry a server nonce (`Tenant.create({ dpop: { nonce: true } })`). */
  get noncesRequired(): boolean {
    return this.#config.nonce;
  }

  /** The nonce to hand out now in `DPoP-Nonce`, or undefined when nonces are not used. */
  async nonce(): Promise<string | undefined> {
    if (!this.#config.nonce) return undefined;
    return (await this.#nonceMaker()).current(this.#seconds());
  }

  /**
   * Checks a proof for a request: every RFC 9449 §4.3 check, `ath` when `accessToken`
   * is given, the server nonce when the tenant requires nonces, and last the single use
   * of its `jti` (kept until the proof is too old anyway).
   *
   * @param options.uris - other URIs `htu` may name (the endpoint's advertised URL)
   * @param options.accessToken - the access token presented with the proof
   * @throws {@link InvalidDpopProofError} naming the check that failed (`reason`).
   * @throws {@link UseDpopNonceError} with the nonce to use, when nonces are required.
   * @throws {@link InvalidArgumentError} without a method or URL.
   * @example
   * ```ts
   * const { jkt } = await tenant.dpop.verifyProof(
   *   { proof: request.headers.get('dpop') ?? '', method: 'GET', url: request.url },
   *   { accessToken },
   * );
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
   */
  async verifyProof(
    presentation: DpopPresentation,
    options: { uris?: readonly string[]; accessToken?: string | undefined } = {},
  ): Promise<AcceptedProof> {
    const { proof, method, url } = checkPresentation(presentation);
    const now = this.#seconds();
    const verified = await verifyDpopProof(proof, {
      method,
      uris: [url, ...(options.uris ?? [])],
      now,
      maxAgeSeconds: this.#config.proofMaxAgeSeconds,
      algorithms: this.#config.algorithms,
      accessToken: options.accessToken,
    });
    if (this.#config.nonce) await this.#checkNonce(verified, now);
    const keepUntil = Math.ceil(verified.iat) + this.#config.proofMaxAgeSeconds + 1;
    if (!(await this.#jtis.consume(verified.jkt, verified.jti, keepUntil))) {
      throw new InvalidDpopProofError('replayed', 'DPoP proof: this jti was already used');
    }
    return { jkt: verified.jkt };
  }

  /**
   * Checks how an access token is presented against its binding (RFC 9449 §7.1): a token
   * whose `cnf.jkt` names a key needs a proof of that key made for this token (`ath`); a
   * token without a binding must come without a proof, as a bearer token.
   *
   * @throws {@link InvalidTokenError} when the token and the presentation disagree.
   * @throws {@link InvalidDpopProofError} or {@link UseDpopNonceError} for the proof.
   */
  async checkPresentation(
    accessToken: string,
    claims: Readonly<Record<string, unknown>>,
    presentation: DpopPresentation | undefined,
    uris: readonly string[] = [],
  ): Promise<void> {
    const bound = boundKey(claims);
    if (presentation === undefined) {
      if (bound !== undefined) {
        throw new InvalidTokenError(
          'the access token is DPoP-bound: present it with Authorization: DPoP and a DPoP proof',
        );
      }
      return;
    }
    if (bound === undefined) {
      throw new InvalidTokenError(
        'the access token is not DPoP-bound: present it as a Bearer token, without a DPoP proof',
      );
    }
    const { jkt } = await this.verifyProof(presentation, { uris, accessToken });
    if (jkt !== bound) {
      throw new InvalidTokenError('the DPoP proof is not of the key the access token is bound to');
    }
  }

  async #checkNonce(verified: VerifiedProof, now: number): Promise<void> {
    const nonces = await this.#nonceMaker();
    if (!nonces.accepts(verified.nonce, now)) {
      throw new UseDpopNonceError(
        nonces.current(now),
        verified.nonce === undefined
          ? 'the DPoP proof must carry the nonce of the DPoP-Nonce header'
          : 'the nonce of the DPoP proof is not current: use the one of the DPoP-Nonce header',
      );
    }
  }

  /** The nonce maker, its secret read from the store or made there on first use. */
  #nonceMaker(): Promise<DpopNonces> {
    this.#nonces ??= this.#loadSecret().then(
      (secret) => new DpopNonces(Buffer.from(secret, 'base64url')),
      (error: unknown) => {
        this.#nonces = undefined;
        throw error;
      },
    );
    return this.#nonces;
  }

  async #loadSecret(): Promise<string> {
    const { store } = this.#context;
    const existing = await store.get<{ secret: string }>(NONCE_SECRETS, NONCE_SECRET_ID);
    if (existing) return existing.value.secret;
    const secret = randomBytes(32).toString('base64url');
    try {
      await store.insert(NONCE_SECRETS, NONCE_SECRET_ID, { secret });
      return secret;
    } catch (error) {
      // Another instance made it first: use theirs.
      if (!(error instanceof ConflictError)) throw error;
      const made = await store.get<{ secret: string }>(NONCE_SECRETS, NONCE_SECRET_ID);
      if (!made) throw error;
      return made.value.secret;
    }
  }

  #seconds(): number {
    return Math.floor(this.#context.now() / 1000);
  }
}

/** The `cnf.jkt` of token claims, or undefined for an unbound token. */
export function boundKey(claims: Readonly<Record<string, unknown>>): string | undefined {
  const cnf = claims['cnf'];
  const jkt =
    typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  return typeof jkt === 'string' ? jkt : undefined;
}

function checkPresentation(value: unknown): DpopPresentation {
  const given = (typeof value === 'object' && value !== null ? value : {}) as Partial<
    Record<keyof DpopPresentation, unknown>
  >;
  const { proof, method, url } = given;
  if (typeof proof !== 'string' || proof === '') {
    throw new InvalidDpopProofError('proof_missing', 'a DPoP proof is required');
  }
  // Fetch joins repeated headers with ", "; a compact JWS has no comma (RFC 9449 §4.3 item 1).
  if (proof.includes(',')) {
    throw new InvalidDpopProofError('proof_repeated', 'send exactly one DPoP header');
  }
  if (typeof method !== 'string' || method === '') {
    throw new InvalidArgumentError('/presentation/method', 'method must be the HTTP method');
  }
  if (typeof url !== 'string' || url === '') {
    throw new InvalidArgumentError('/presentation/url', 'url must be the URL of the request');
  }
  return { proof: proof.trim(), method, url };
}
