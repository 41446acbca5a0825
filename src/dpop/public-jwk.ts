/**
 * The `jwk` header of a DPoP proof: a public key and nothing more, and its RFC 7638
 * thumbprint (`jkt`), which is what a bound token carries in `cnf.jkt`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3 (item 7: no private key)
 * @see https://www.rfc-editor.org/rfc/rfc7638#section-3.2
 */
import { createHash } from 'node:crypto';
import { privateJwkMember } from '../lib/jwk-private-members.js';
import type { ProofAlgorithm } from './algorithms.js';

/** The members a thumbprint hashes, per key type, in lexicographic order (RFC 7638 §3.2). */
const THUMBPRINT_MEMBERS: Readonly<Record<ProofAlgorithm['kty'], readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/** A public JWK whose required members are strings, as read from a proof header. */
export type PublicJwk = Readonly<Record<string, unknown>> & { readonly kty: string };

/** Why a `jwk` header is not usable. */
export type JwkProblem = 'jwk_missing' | 'jwk_private' | 'jwk_kty' | 'jwk_members';

/**
 * Checks that `value` is a public JWK of the key type and curve `algorithm` needs, with
 * every member its thumbprint hashes present as a string. A private or symmetric member,
 * even one that is empty or `null`, makes it unusable.
 */
export function checkPublicJwk(
  value: unknown,
  algorithm: ProofAlgorithm,
): { ok: true; jwk: PublicJwk } | { ok: false; problem: JwkProblem } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'jwk_missing' };
  }
  const jwk = value as Record<string, unknown>;
  if (privateJwkMember(jwk) !== undefined) {
    return { ok: false, problem: 'jwk_private' };
  }
  if (jwk['kty'] !== algorithm.kty) return { ok: false, problem: 'jwk_kty' };
  if (algorithm.crv !== undefined && jwk['crv'] !== algorithm.crv) {
    return { ok: false, problem: 'jwk_kty' };
  }
  const required = THUMBPRINT_MEMBERS[algorithm.kty];
  if (!required.every((member) => typeof jwk[member] === 'string' && jwk[member] !== '')) {
    return { ok: false, problem: 'jwk_members' };
  }
  return { ok: true, jwk: jwk as PublicJwk };
}

/** True for what {@link jwkThumbprint} makes: 43 base64url characters (a `dpop_jkt`, a `cnf.jkt`). */
export function isJwkThumbprint(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * The RFC 7638 SHA-256 thumbprint of a checked public JWK, base64url: the `jkt` of
 * RFC 9449. Only the required members count, so `kid`, `use` or `alg` never change it.
 */
export function jwkThumbprint(jwk: PublicJwk): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty as ProofAlgorithm['kty']];
  const canonical = `{${members.map((name) => `${JSON.stringify(name)}:${JSON.stringify(jwk[name])}`).join(',')}}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
