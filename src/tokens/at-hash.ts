/**
 * `at_hash` (OIDC Core §3.1.3.6): the left half of the access token's hash, with the
 * hash of the ID token's algorithm, base64url.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * The `at_hash` of `accessToken` for an ID token signed with `alg`.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 * @internal
 */
export function accessTokenHash(accessToken: string, alg: string): string {
  const digest = createHash(
    alg.endsWith('512') ? 'sha512' : alg.endsWith('384') ? 'sha384' : 'sha256',
  )
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
