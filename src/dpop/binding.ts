/**
 * Whether an access token is bound to the DPoP key of its request, refused, or issued as a
 * bearer token: Auth0's sender-constraining table, read as data. It weighs the client's
 * `require_proof_of_possession`, the API's `proof_of_possession` (`{ mechanism, required }`:
 * none, allowed, required) and whether a proof came with the request. A token only for
 * `/userinfo` follows the proof and the client alone.
 *
 * Two rows surprise readers of RFC 9449 alone, and are Auth0's: a proof for an API without
 * a sender-constraining method yields a bearer token (RFC 9449 §5 lets the server decide,
 * and `token_type` says which it did), and a client that requires proof of possession gets
 * no token at all for such an API, proof or not.
 *
 * @see https://auth0.com/docs/secure/sender-constraining/configure-sender-constraining
 */

/** The API's sender-constraining policy, for DPoP. */
export type ApiPolicy = 'none' | 'allowed' | 'required' | 'mtls_required';

/** What the token request gets. */
export type Binding =
  | { readonly outcome: 'bind' }
  | { readonly outcome: 'bearer' }
  | { readonly outcome: 'refuse'; readonly reason: BindingRefusal };

/** Why no token is issued. */
export type BindingRefusal =
  | 'proof_required_by_client'
  | 'proof_required_by_api'
  | 'api_not_sender_constrained'
  | 'mtls_not_served';

/** The sentence each refusal carries. */
export const BINDING_REFUSALS: Readonly<Record<BindingRefusal, string>> = {
  proof_required_by_client:
    'the client requires proof of possession (require_proof_of_possession): send a DPoP proof',
  proof_required_by_api:
    'the API requires sender-constrained tokens (proof_of_possession.required): send a DPoP proof',
  api_not_sender_constrained:
    'the client requires proof of possession but the API has no sender-constraining method (proof_of_possession.mechanism)',
  mtls_not_served:
    'the API requires mTLS-bound tokens (proof_of_possession.mechanism mtls), which this server does not issue',
};

const BIND: Binding = Object.freeze({ outcome: 'bind' });
const BEARER: Binding = Object.freeze({ outcome: 'bearer' });
const refuse = (reason: BindingRefusal): Binding => Object.freeze({ outcome: 'refuse', reason });

/**
 * The table, by audience kind, API policy, client requirement and proof. `userinfo` is a
 * token for `/userinfo` alone; Auth0 has no API policy for it.
 */
const TABLE: Readonly<
  Record<'userinfo' | ApiPolicy, readonly [[Binding, Binding], [Binding, Binding]]>
> = {
  //            client does not require: [no proof, proof]   client requires: [no proof, proof]
  userinfo: [
    [BEARER, BIND],
    [refuse('proof_required_by_client'), BIND],
  ],
  none: [
    [BEARER, BEARER],
    [refuse('api_not_sender_constrained'), refuse('api_not_sender_constrained')],
  ],
  allowed: [
    [BEARER, BIND],
    [refuse('proof_required_by_client'), BIND],
  ],
  required: [
    [refuse('proof_required_by_api'), BIND],
    [refuse('proof_required_by_client'), BIND],
  ],
  mtls_required: [
    [refuse('mtls_not_served'), refuse('mtls_not_served')],
    [refuse('mtls_not_served'), refuse('mtls_not_served')],
  ],
};

/**
 * The API's policy from its Auth0 `proof_of_possession` (`{ mechanism, required }`, or
 * absent/null). Only the `dpop` mechanism binds DPoP proofs; an API that requires `mtls`
 * cannot be served.
 */
export function apiPolicyOf(proofOfPossession: unknown): ApiPolicy {
  if (typeof proofOfPossession !== 'object' || proofOfPossession === null) return 'none';
  const { mechanism, required } = proofOfPossession as { mechanism?: unknown; required?: unknown };
  if (mechanism === 'dpop') return required === true ? 'required' : 'allowed';
  if (mechanism === 'mtls' && required === true) return 'mtls_required';
  return 'none';
}

/** Decides the binding of one access token. */
export function bindingFor(input: {
  /** `userinfo` for a token only for `/userinfo`, otherwise the API's policy. */
  readonly audience: 'userinfo' | ApiPolicy;
  /** The client's `require_proof_of_possession`. */
  readonly clientRequires: boolean;
  /** Whether a valid DPoP proof came with the request. */
  readonly proof: boolean;
}): Binding {
  return TABLE[input.audience][input.clientRequires ? 1 : 0][input.proof ? 1 : 0];
}
