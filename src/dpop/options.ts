/**
 * The tenant's DPoP settings (`Tenant.create({ dpop })`): server nonces, how long a proof
 * stays acceptable, and which algorithms are accepted.
 */
import { InvalidArgumentError } from '../errors.js';
import { PROOF_ALGORITHM_NAMES } from './algorithms.js';

/** Tenant option `dpop`. */
export interface DpopOptions {
  /**
   * Require a server-provided nonce in every proof (RFC 9449 §8, §9): a proof without the
   * current one is answered `use_dpop_nonce` with a `DPoP-Nonce` header, and the client
   * retries. Default false.
   */
  nonce?: boolean;
  /** Seconds a proof is accepted after its `iat`: 5 to 3600, default 300. */
  proofMaxAgeSeconds?: number;
  /**
   * The proof algorithms accepted, a non-empty subset of ES256, ES384, ES512, PS256,
   * PS384, PS512, RS256, RS384, RS512, EdDSA, Ed25519 (the default: all of them).
   */
  algorithms?: readonly string[];
}

/** Checked DPoP settings. */
export interface DpopConfig {
  readonly nonce: boolean;
  readonly proofMaxAgeSeconds: number;
  readonly algorithms: readonly string[];
}

/** Defaults: no nonces, proofs five minutes, every algorithm served. */
export const DEFAULT_DPOP_CONFIG: DpopConfig = Object.freeze({
  nonce: false,
  proofMaxAgeSeconds: 300,
  algorithms: PROOF_ALGORITHM_NAMES,
});

/**
 * Checks the `dpop` option.
 *
 * @throws {@link InvalidArgumentError} naming the member that is wrong.
 */
export function readDpopOptions(value: unknown): DpopConfig {
  if (value === undefined) return DEFAULT_DPOP_CONFIG;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('/dpop', 'dpop must be an object');
  }
  const given = value as DpopOptions;
  if (given.nonce !== undefined && typeof given.nonce !== 'boolean') {
    throw new InvalidArgumentError('/dpop/nonce', 'dpop.nonce must be a boolean');
  }
  const maxAge = given.proofMaxAgeSeconds ?? DEFAULT_DPOP_CONFIG.proofMaxAgeSeconds;
  if (!Number.isInteger(maxAge) || maxAge < 5 || maxAge > 3600) {
    throw new InvalidArgumentError(
      '/dpop/proofMaxAgeSeconds',
      'dpop.proofMaxAgeSeconds must be a whole number of seconds from 5 to 3600',
    );
  }
  const algorithms = given.algorithms ?? DEFAULT_DPOP_CONFIG.algorithms;
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    !algorithms.every((alg) => PROOF_ALGORITHM_NAMES.includes(alg as string))
  ) {
    throw new InvalidArgumentError(
      '/dpop/algorithms',
      `dpop.algorithms must be a non-empty list of ${PROOF_ALGORITHM_NAMES.join(', ')}`,
    );
  }
  return Object.freeze({
    nonce: given.nonce ?? false,
    proofMaxAgeSeconds: maxAge,
    algorithms: Object.freeze([...new Set(algorithms)]),
  });
}
