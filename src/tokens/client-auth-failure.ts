/**
 * Why a client authentication failed, for the audit trail only. The thrown error carries
 * one outward message for every cause (RFC 6749 §5.2 `invalid_client`), so the reason is
 * kept beside it in a `WeakMap`: not in the message, not an own property, invisible to
 * `JSON.stringify` and `util.inspect`, and gone with the error.
 *
 * @module
 */
import { InvalidClientError, InvalidRequestError } from '../errors.js';

/**
 * Every failure reason, with what it means. The tenant puts the code in the audit event's
 * `details.reason`; it is never shown to the caller.
 */
export const CLIENT_AUTH_FAILURES = {
  multiple_mechanisms: 'more than one client authentication mechanism was used',
  repeated_parameter: 'a body parameter had more than one value',
  unsupported_scheme: 'the Authorization header does not use the Basic scheme',
  malformed_basic:
    'the Basic credentials are not canonical base64 of "id:secret" with valid form-urlencoding',
  unsupported_mechanism: 'client assertions are not accepted here (no assertion verifier)',
  missing_client_id: 'no client id was presented',
  client_id_mismatch: 'the body client_id differs from the client id in the Basic credentials',
  unknown_client: 'no client has this id',
  method_mismatch: "the mechanism used is not the client's token_endpoint_auth_method",
  missing_registered_secret: 'the client uses a secret method but has no secret',
  wrong_secret: 'the secret does not match',
  assertion_type:
    'client_assertion_type is missing or not urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  malformed_assertion:
    'client_assertion is not a compact JWS with a JSON header and claims (or uses crit, or a non-numeric date)',
  assertion_iss_sub: 'the assertion iss and sub are not both the client id',
  assertion_alg:
    'the assertion alg is not accepted (none, HS384, HS512 and algorithms no credential uses are never accepted)',
  assertion_audience: 'the assertion aud names neither the issuer nor the token endpoint',
  assertion_exp_missing: 'the assertion has no numeric exp',
  assertion_expired: 'the assertion has expired',
  assertion_exp_too_far: 'the assertion exp is more than 5 minutes after now (or after its iat)',
  assertion_not_yet_valid: 'the assertion iat or nbf is in the future',
  assertion_jti_missing: 'the assertion has no jti (or one longer than 256 characters)',
  assertion_replayed: 'the assertion jti was already used',
  unknown_kid:
    'the assertion kid names no usable credential of the client (unknown, expired, deleted, not enabled or of another alg)',
  no_usable_credential: 'the client has no enabled, unexpired credential for the assertion alg',
  wrong_signature: 'the assertion signature does not verify',
} as const;

/** A reason code of {@link CLIENT_AUTH_FAILURES}. */
export type ClientAuthFailureReason = keyof typeof CLIENT_AUTH_FAILURES;

/**
 * The mechanism a request used; `client_assertion` until the assertion's method
 * (`private_key_jwt` or `client_secret_jwt`) is known.
 */
export type ClientAuthMechanism =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'none'
  | 'client_assertion'
  | 'private_key_jwt'
  | 'client_secret_jwt';

/** What the tenant may record about a failed client authentication. Never holds a secret. */
export interface ClientAuthFailure {
  /** Reason code. */
  readonly reason: ClientAuthFailureReason;
  /** The reason in words. */
  readonly description: string;
  /** The mechanism the request used, once known. */
  readonly mechanism?: ClientAuthMechanism;
  /** The client id, only when it names an existing client. */
  readonly clientId?: string;
}

const failures = new WeakMap<Error, ClientAuthFailure>();

/**
 * The error to throw for a failed authentication, with its reason recorded aside.
 * `multiple_mechanisms` and `repeated_parameter` are malformed requests
 * (`invalid_request`); everything else is `invalid_client` with the one outward message.
 *
 * @internal
 */
export function clientAuthError(
  reason: ClientAuthFailureReason,
  context: { mechanism?: ClientAuthMechanism; clientId?: string } = {},
): InvalidClientError | InvalidRequestError {
  const error =
    reason === 'multiple_mechanisms'
      ? new InvalidRequestError(
          'client authentication must use exactly one mechanism: the Basic Authorization header, client_secret in the body, a client_assertion, or none of them (none)',
        )
      : reason === 'repeated_parameter'
        ? new InvalidRequestError('request parameters must not be repeated (RFC 6749 §3.2)')
        : new InvalidClientError();
  failures.set(error, { reason, description: CLIENT_AUTH_FAILURES[reason], ...context });
  return error;
}

/**
 * The recorded reason of an error thrown by `authenticateClientRequest` or
 * `parseBasicAuthorization`, or `undefined` for any other value. For the audit event's
 * `details`; never put it in a response.
 *
 * @example
 * ```ts
 * try {
 *   await authenticateClientRequest(request, lookup);
 * } catch (error) {
 *   const failure = clientAuthFailure(error); // { reason: 'wrong_secret', ... }
 *   audit.emit({ type: 'feccft', details: { reason: failure?.reason } });
 *   throw error;
 * }
 * ```
 * @internal
 */
export function clientAuthFailure(error: unknown): ClientAuthFailure | undefined {
  return error instanceof Error ? failures.get(error) : undefined;
}
