/**
 * The JWK members that hold private or symmetric key material, in one list for every
 * place that refuses, redacts or masks them (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
 *
 * @internal
 * @module
 */

/** JWK members that only private (or symmetric) keys have. */
export const JWK_PRIVATE_MEMBERS: ReadonlySet<string> = new Set([
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'oth',
  'k',
]);

/**
 * The first private member `jwk` has as its own (even one that is empty or `null`), or
 * `undefined` for a public key.
 */
export function privateJwkMember(jwk: object): string | undefined {
  for (const member of JWK_PRIVATE_MEMBERS) if (Object.hasOwn(jwk, member)) return member;
  return undefined;
}
