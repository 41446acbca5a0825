/**
 * Verifying a DPoP proof (RFC 9449 §4.3) against the request it came with: one compact JWS
 * with `typ: dpop+jwt`, an asymmetric `alg` this server accepts, a public `jwk` that
 * verifies the signature, and the claims `jti`, `htm`, `htu`, `iat` (and `ath` when an
 * access token comes with it) matching the request. Single use of `jti` and the server
 * nonce are the caller's (they need the store and a secret); this module is pure.
 *
 * The checks run in an order that never trusts what is not verified yet: structure, then
 * header, then the signature, and only then the claims.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidDpopProofError, type DpopProofFailureReason } from '../errors.js';
import { decodeCompactJws, type CompactJws } from '../tokens/compact-jws.js';
import { signatureVerifies } from '../tokens/signature.js';
import { MIN_RSA_MODULUS_BITS, proofAlgorithm, type ProofAlgorithm } from './algorithms.js';
import { htuMatches } from './htu.js';
import { checkPublicJwk, jwkThumbprint, type JwkProblem } from './public-jwk.js';

/** Proofs longer than this are refused before decoding (a proof with an RSA-4096 key is ~2 KB). */
export const MAX_PROOF_LENGTH = 8192;

/** Longest `jti` accepted (it is hashed before it is stored). */
export const MAX_PROOF_JTI_LENGTH = 256;

/** Seconds a proof's `iat` may be ahead of the server clock. */
export const IAT_FUTURE_TOLERANCE_SECONDS = 60;

/** What the proof must match. */
export interface ProofExpectations {
  /** The request's HTTP method (`POST`, `GET`), compared exactly with `htm`. */
  readonly method: string;
  /** URIs `htu` may name: the one the request was received at, the endpoint's advertised one. */
  readonly uris: readonly string[];
  /** Server time, seconds since the epoch. */
  readonly now: number;
  /** Seconds a proof stays acceptable after its `iat`. */
  readonly maxAgeSeconds: number;
  /** The `alg` values accepted (a subset of `PROOF_ALGORITHMS`). */
  readonly algorithms: readonly string[];
  /** The access token presented with the proof, whose hash `ath` must be. */
  readonly accessToken?: string | undefined;
}

/** A proof that passed every check of this module. */
export interface VerifiedProof {
  /** The RFC 7638 thumbprint of the proof's key: what `cnf.jkt` binds to. */
  readonly jkt: string;
  /** The proof's id, to be used once. */
  readonly jti: string;
  /** When it was made (NumericDate). */
  readonly iat: number;
  /** The `nonce` claim as sent, for the caller's nonce check. */
  readonly nonce: unknown;
  /** Its algorithm. */
  readonly alg: string;
}

/** Public keys of recent proofs by thumbprint: a client signs many proofs with one key. */
const keys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 1_000;

/**
 * The `ath` of an access token: base64url SHA-256 of its ASCII bytes (RFC 9449 §4.2).
 */
export function accessTokenThumbprint(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/**
 * Verifies `proof` (the `DPoP` header value) for a request.
 *
 * @throws {@link InvalidDpopProofError} naming the first check that failed.
 */
export async function verifyDpopProof(
  proof: string,
  expected: ProofExpectations,
): Promise<VerifiedProof> {
  const parts = decodeCompact(proof);
  const { header, claims } = parts;
  if (header['typ'] !== 'dpop+jwt') fail('typ', 'typ must be dpop+jwt');
  const alg = header['alg'];
  const algorithm = proofAlgorithm(alg);
  if (!algorithm || !expected.algorithms.includes(alg as string)) {
    fail('alg', `alg must be one of ${expected.algorithms.join(', ')} (never none or HS256)`);
  }
  if (header['crit'] !== undefined) fail('proof_malformed', 'crit is not supported');
  const checked = checkPublicJwk(header['jwk'], algorithm);
  if (!checked.ok) fail(checked.problem, JWK_MESSAGES[checked.problem]);
  const jkt = jwkThumbprint(checked.jwk);
  const key = publicKey(jkt, checked.jwk, algorithm);
  if (!(await signatureMatches(parts, key, algorithm))) {
    fail('signature', 'the signature does not verify with the jwk of the proof');
  }
  return { ...checkClaims(claims, expected), jkt, alg: alg as string };
}

/** Checks `jti`, `htm`, `htu`, `iat` and `ath`. */
function checkClaims(
  claims: Readonly<Record<string, unknown>>,
  expected: ProofExpectations,
): Omit<VerifiedProof, 'jkt' | 'alg'> {
  const { jti, htm, htu, iat, ath } = claims;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_PROOF_JTI_LENGTH) {
    fail('jti', `jti must be a string of 1 to ${MAX_PROOF_JTI_LENGTH} characters`);
  }
  if (htm !== expected.method) fail('htm', `htm must be the request method, ${expected.method}`);
  if (!htuMatches(htu, expected.uris)) {
    fail('htu', 'htu must be the URI of the request, without query and fragment');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) fail('iat_missing', 'iat is missing');
  if (iat < expected.now - expected.maxAgeSeconds) {
    fail('iat_stale', `iat is more than ${expected.maxAgeSeconds} seconds old`);
  }
  if (iat > expected.now + IAT_FUTURE_TOLERANCE_SECONDS) {
    fail('iat_future', 'iat is in the future');
  }
  if (expected.accessToken !== undefined) {
    if (typeof ath !== 'string') fail('ath_missing', 'ath is required with an access token');
    if (ath !== accessTokenThumbprint(expected.accessToken)) {
      fail('ath_mismatch', 'ath is not the hash of the access token presented');
    }
  }
  return { jti, iat, nonce: claims['nonce'] };
}

const JWK_MESSAGES: Readonly<Record<JwkProblem, string>> = {
  jwk_missing: 'jwk must be a JSON Web Key object',
  jwk_private: 'jwk must be a public key: it carries private key material',
  jwk_kty: 'jwk is not a key of the kind alg needs (kty, crv)',
  jwk_members: 'jwk lacks a member of its public key',
};

function fail(reason: DpopProofFailureReason, message: string): never {
  throw new InvalidDpopProofError(reason, `DPoP proof: ${message}`);
}

function decodeCompact(proof: string): CompactJws {
  if (proof.length > MAX_PROOF_LENGTH) fail('proof_malformed', 'the proof is too long');
  const parts = decodeCompactJws(proof, MAX_PROOF_LENGTH);
  if (!parts) fail('proof_malformed', 'the proof is not a compact JWS of JSON objects');
  return parts;
}

/** The KeyObject of a checked public JWK, imported once per thumbprint. */
function publicKey(
  jkt: string,
  jwk: Readonly<Record<string, unknown>>,
  algorithm: ProofAlgorithm,
): KeyObject {
  const cached = keys.get(jkt);
  if (cached) return cached;
  let key: KeyObject;
  try {
    const members = Object.fromEntries(
      ['kty', 'crv', 'x', 'y', 'n', 'e'].filter((m) => m in jwk).map((m) => [m, jwk[m]]),
    );
    key = createPublicKey({ key: members as never, format: 'jwk' });
  } catch {
    fail('jwk_invalid', 'jwk is not a valid public key');
  }
  if (
    algorithm.kty === 'RSA' &&
    (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_MODULUS_BITS
  ) {
    fail('jwk_invalid', `an RSA jwk needs a modulus of at least ${MIN_RSA_MODULUS_BITS} bits`);
  }
  if (keys.size >= MAX_CACHED_KEYS) keys.clear();
  keys.set(jkt, key);
  return key;
}

/** Verifies on the libuv threadpool, an ECDSA signature only at its exact length. */
function signatureMatches(
  parts: CompactJws,
  key: KeyObject,
  algorithm: ProofAlgorithm,
): Promise<boolean> {
  if (
    algorithm.signatureLength !== undefined &&
    parts.signature.length !== algorithm.signatureLength
  ) {
    return Promise.resolve(false);
  }
  return signatureVerifies(algorithm, key, parts.signingInput, parts.signature);
}
