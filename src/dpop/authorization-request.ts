/**
 * What DPoP asks of an authorization request (RFC 9449 §10): a `dpop_jkt` that is a key
 * thumbprint, to which the code will be bound; and no access token from the front channel
 * (`response_type` with `token`) where the client or the API requires a bound one, since a
 * token handed to the browser cannot be bound to any key.
 */
import { bindingFor, BINDING_REFUSALS, type ApiPolicy } from './binding.js';
import { isJwkThumbprint } from './public-jwk.js';

/** A refusal reported on the client's redirect_uri. */
export interface DpopAuthorizationRefusal {
  readonly error: string;
  readonly description: string;
}

/** Checks the `dpop_jkt` parameter: absent, or a SHA-256 JWK thumbprint. */
export function checkDpopJkt(value: string | undefined): DpopAuthorizationRefusal | undefined {
  return value === undefined || isJwkThumbprint(value)
    ? undefined
    : {
        error: 'invalid_request',
        description: 'dpop_jkt must be the SHA-256 JWK thumbprint of a DPoP key (RFC 7638)',
      };
}

/**
 * The refusal of a response type that returns an access token from `/authorize` when no
 * bearer token may be issued for it (the client's `require_proof_of_possession`, the API's
 * `proof_of_possession.required`).
 */
export function frontChannelTokenRefusal(input: {
  readonly audience: 'userinfo' | ApiPolicy;
  readonly clientRequires: boolean;
}): DpopAuthorizationRefusal | undefined {
  const binding = bindingFor({ ...input, proof: false });
  return binding.outcome === 'refuse'
    ? {
        error: 'invalid_request',
        description: `${BINDING_REFUSALS[binding.reason]}; an access token from /authorize cannot be bound, use the code flow`,
      }
    : undefined;
}
