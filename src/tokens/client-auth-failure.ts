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
  unsupported_mechanism: 'client assertions (private_key_jwt, client_secret_jwt) are not supported',
  missing_client_id: 'no client id was presented',
  client_id_mismatch: 'the body client_id differs from the client id in the Basic credentials',
  unknown_client: 'no client has this id',
  method_mismatch: "the mechanism used is not the client's token_endpoint_auth_method",
  missing_registered_secret: 'the client uses a secret method but has no secret',
  wrong_secret: 'the secret does not match',
} as const;

/** A reason code of {@link CLIENT_AUTH_FAILURES}. */
export type ClientAuthFailureReason = keyof typeof CLIENT_AUTH_FAILURES;

/** The mechanism a request used (`client_assertion` is recognised only to be refused). */
export type ClientAuthMechanism =
  'client_secret_basic' | 'client_secret_post' | 'none' | 'client_assertion';

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
          'client authentication must use exactly one mechanism: the Basic Authorization header, client_secret in the body, or neither (none)',
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
