/**
 * Every error the library throws is a {@link ClienteleError} with a stable `code`, so
 * callers switch on `error.code` instead of parsing messages. Messages name the field
 * (as a JSON pointer where there is one) and say what to change; they never contain a
 * secret.
 *
 * @module
 */

import { toOAuthErrorDescription } from './lib/error-description-charset.js';

/** One problem found in an input, located by a JSON pointer. */
export interface Issue {
  /** JSON pointer (RFC 6901) into the input; `''` is the input itself. */
  path: string;
  /** Stable, machine-readable code such as `too_long` or `unknown_property`. */
  code: string;
  /** A sentence a person can act on, starting with the field it is about. */
  message: string;
}

/**
 * Base class of every error thrown by clientele.
 *
 * @example
 * ```ts
 * try {
 *   await tenant.clients.get('nope');
 * } catch (error) {
 *   if (isClienteleError(error) && error.code === 'not_found') console.log('no such client');
 * }
 * ```
 */
export class ClienteleError extends Error {
  /** Stable machine-readable code; never changes between releases. */
  readonly code: string;

  /**
   * @param code - stable machine-readable code
   * @param message - human-readable explanation, free of secrets
   * @param options - standard `ErrorOptions` (`cause`)
   */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The kinds of object whose validation can fail: a client's settings, an API (resource
 * server), a client grant, a connection, a client credential (public key).
 */
export type ValidationKind =
  'client' | 'api' | 'grant' | 'connection' | 'credential' | 'log_stream';

/**
 * Input failed validation (or, for a client, lint found errors a `Tenant` refuses).
 * `issues` lists every problem at once; `kind` says what kind of object was refused.
 *
 * Code: always `invalid_client_metadata` (the OAuth error name RFC 7591 uses, which
 * DESIGN.md's contract fixes for clients), whatever the kind, so callers test one code
 * and read `kind` when they care. See docs/client-settings.md.
 *
 * @example
 * ```ts
 * try {
 *   await tenant.apis.create({ identifier: 'not a url' });
 * } catch (error) {
 *   if (error instanceof ValidationError) console.log(error.code, error.kind); // invalid_client_metadata api
 * }
 * ```
 */
export class ValidationError extends ClienteleError {
  /** Every problem found, each with its JSON pointer. */
  readonly issues: readonly Issue[];
  /** What kind of object failed validation. */
  readonly kind: ValidationKind;

  /**
   * @param issues - the problems found (at least one)
   * @param kind - what kind of object failed; defaults to `client`
   */
  constructor(issues: readonly Issue[], kind: ValidationKind = 'client') {
    super('invalid_client_metadata', summarise(issues));
    this.issues = issues;
    this.kind = kind;
  }
}

/**
 * A function was called with an argument of the wrong shape (code `invalid_argument`).
 * `path` names the offending argument or field as a JSON pointer.
 */
export class InvalidArgumentError extends ClienteleError {
  /** JSON pointer to the offending value (`/clientId`, `/patch/name`). */
  readonly path: string;

  /**
   * @param path - JSON pointer to the offending value
   * @param message - what was wrong, starting with the field name
   */
  constructor(path: string, message: string) {
    super('invalid_argument', message);
    this.path = path;
  }
}

/** An allow-list entry is not a valid URL pattern (code `invalid_url_pattern`). */
export class InvalidUrlPatternError extends ClienteleError {
  /** The entry as given. */
  readonly entry: string;
  /** Why it is invalid, phrased so a person can fix it. */
  readonly reason: string;
  /** Index of the entry in the list passed to `createAllowList`. */
  readonly index: number;

  /**
   * @param entry - the rejected entry
   * @param reason - why it is invalid
   * @param index - its position in the list
   */
  constructor(entry: string, reason: string, index: number) {
    super('invalid_url_pattern', `entries/${index}: ${JSON.stringify(entry)} — ${reason}`);
    this.entry = entry;
    this.reason = reason;
    this.index = index;
  }
}

/**
 * A log search query (Auth0's `q` syntax) is malformed, or asks for what log search does not
 * support (code `invalid_log_query`). The message names the part of the query and the
 * position (0-based) where it failed.
 *
 * @example
 * ```ts
 * try {
 *   parseLogQuery('type:(s OR');
 * } catch (error) {
 *   if (error instanceof LogQueryError) console.log(error.position); // 10
 * }
 * ```
 */
export class LogQueryError extends ClienteleError {
  /** Offset in the query (UTF-16 code units) where it went wrong. */
  readonly position: number;

  /**
   * @param message - what was wrong, quoting the query part
   * @param position - offset in the query
   */
  constructor(message: string, position: number) {
    super('invalid_log_query', message);
    this.position = position;
  }
}

/** A named record does not exist (code `not_found`). */
export class NotFoundError extends ClienteleError {
  /** @param message - names the kind of record and its id */
  constructor(message: string) {
    super('not_found', message);
  }
}

/**
 * A write lost a race (code `conflict`): the record changed since it was read, or an id
 * that must be unique is taken. Nothing was written; read again and retry.
 */
export class ConflictError extends ClienteleError {
  /** @param message - names the record and what conflicted */
  constructor(message: string) {
    super('conflict', message);
  }
}

/**
 * Client authentication failed (code `invalid_client`, RFC 6749 §5.2). The message is
 * the same for every cause, so it never reveals whether the id or the secret was wrong.
 */
export class InvalidClientError extends ClienteleError {
  /** @param message - defaults to the single outward message */
  constructor(message = 'client authentication failed') {
    super('invalid_client', message);
  }
}

/**
 * A token-endpoint request is malformed (code `invalid_request`, RFC 6749 §5.2), for
 * example when it carries more than one client authentication mechanism.
 */
export class InvalidRequestError extends ClienteleError {
  /** A stable reason code for the audit trail, where one applies (`proof_required_by_api`). */
  readonly reason: string | undefined;

  /**
   * @param message - what is malformed
   * @param reason - a stable reason code for the audit trail
   */
  constructor(message: string, reason?: string) {
    super('invalid_request', message);
    this.reason = reason;
  }
}

/**
 * The client may not use this grant or audience (code `unauthorized_client`, RFC 6749
 * §5.2): for example `client_credentials` for a client without that grant type, or an API
 * the client has no client grant for.
 */
export class UnauthorizedClientError extends ClienteleError {
  /** @param message - what the client is not allowed to do */
  constructor(message: string) {
    super('unauthorized_client', message);
  }
}

/** Requested scopes exceed what was granted (code `invalid_scope`, RFC 6749 §5.2). */
export class InvalidScopeError extends ClienteleError {
  /** @param message - names the scopes that are not granted */
  constructor(message: string) {
    super('invalid_scope', message);
  }
}

/**
 * An authorization code or refresh token is invalid, expired, revoked, already used, or
 * was issued to another client or for another `redirect_uri` (code `invalid_grant`,
 * RFC 6749 §5.2).
 */
export class InvalidGrantError extends ClienteleError {
  /** @param message - why the grant was refused; never the code or token itself */
  constructor(message: string) {
    super('invalid_grant', message);
  }
}

/**
 * A valid access token lacks the scope a resource needs (code `insufficient_scope`,
 * RFC 6750 §3.1): for example `/userinfo` without `openid`.
 */
export class InsufficientScopeError extends ClienteleError {
  /** @param message - which scope is missing */
  constructor(message: string) {
    super('insufficient_scope', message);
  }
}

/**
 * The token cannot be revoked by this server (code `unsupported_token_type`, RFC 7009
 * §2.2.1): client-credentials access tokens carry no id to revoke them by.
 */
export class UnsupportedTokenTypeError extends ClienteleError {
  /** @param message - which kind of token and why */
  constructor(message: string) {
    super('unsupported_token_type', message);
  }
}

/** A token failed verification (code `invalid_token`): signature, issuer, audience or expiry. */
export class InvalidTokenError extends ClienteleError {
  /**
   * @param message - which check failed
   * @param options - standard `ErrorOptions` (`cause`)
   */
  constructor(message: string, options?: ErrorOptions) {
    super('invalid_token', message, options);
  }
}

/**
 * Why a DPoP proof (RFC 9449) was refused: the `reason` of an {@link InvalidDpopProofError}
 * and of its audit event. Stable, like error codes.
 */
export type DpopProofFailureReason =
  | 'proof_missing'
  | 'proof_repeated'
  | 'proof_malformed'
  | 'typ'
  | 'alg'
  | 'jwk_missing'
  | 'jwk_private'
  | 'jwk_kty'
  | 'jwk_members'
  | 'jwk_invalid'
  | 'signature'
  | 'jti'
  | 'htm'
  | 'htu'
  | 'iat_missing'
  | 'iat_stale'
  | 'iat_future'
  | 'ath_missing'
  | 'ath_mismatch'
  | 'replayed'
  | 'key_mismatch';

/**
 * A DPoP proof was refused (code `invalid_dpop_proof`, RFC 9449 §5 and §7.1). `reason`
 * says which check failed; the message says it for people and never repeats the proof.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export class InvalidDpopProofError extends ClienteleError {
  /** Which check failed. */
  readonly reason: DpopProofFailureReason;

  /**
   * @param reason - which check failed
   * @param message - the explanation, without the proof
   */
  constructor(reason: DpopProofFailureReason, message: string) {
    super('invalid_dpop_proof', message);
    this.reason = reason;
  }
}

/**
 * The DPoP proof lacks the nonce the server requires, or carries an old one (code
 * `use_dpop_nonce`, RFC 9449 §8 and §9): the client retries with a new proof whose
 * `nonce` claim is {@link UseDpopNonceError.nonce}, sent back as the `DPoP-Nonce` header.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */
export class UseDpopNonceError extends ClienteleError {
  /** The nonce to put in the next proof. */
  readonly nonce: string;

  /**
   * @param nonce - the nonce to hand out
   * @param message - the explanation
   */
  constructor(
    nonce: string,
    message = 'the DPoP proof must carry the nonce of the DPoP-Nonce header',
  ) {
    super('use_dpop_nonce', message);
    this.nonce = nonce;
  }
}

/**
 * Why a request object (RFC 9101) was refused: the `reason` of an
 * {@link InvalidRequestObjectError} and of its audit event.
 */
export type RequestObjectFailureReason =
  | 'malformed'
  | 'typ'
  | 'alg'
  | 'unknown_key'
  | 'signature'
  | 'iss'
  | 'aud'
  | 'client_id'
  | 'exp'
  | 'nbf'
  | 'iat'
  | 'lifetime'
  | 'jti'
  | 'replayed'
  | 'nested'
  | 'required';

/**
 * A JWT-secured authorization request (`request`, RFC 9101) was refused (code
 * `invalid_request_object`): a bad signature, a key the client has not registered for
 * signed requests, a wrong `iss`, `aud` or `client_id`, a time outside its limits, a
 * reused `jti`. `reason` names the check; the message never repeats the request object.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9101#section-6.3
 */
export class InvalidRequestObjectError extends ClienteleError {
  /** Which check failed. */
  readonly reason: RequestObjectFailureReason;

  /**
   * @param reason - which check failed
   * @param message - the explanation, without the request object
   */
  constructor(reason: RequestObjectFailureReason, message: string) {
    super('invalid_request_object', message);
    this.reason = reason;
  }
}

/**
 * A `request_uri` at `/authorize` names no pushed authorization request this client may
 * use (code `invalid_request_uri`, RFC 9126 §4): unknown, expired, already used, or pushed
 * by another client.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-4
 */
export class InvalidRequestUriError extends ClienteleError {
  /** @param message - why, without the pushed parameters */
  constructor(message: string) {
    super('invalid_request_uri', message);
  }
}

/** A store's data could not be read (code `store_corrupt`); the data was left untouched. */
export class StoreCorruptError extends ClienteleError {
  /**
   * @param message - which file or collection, and why
   * @param options - standard `ErrorOptions` (`cause`)
   */
  constructor(message: string, options?: ErrorOptions) {
    super('store_corrupt', message, options);
  }
}

/** Why a stored secret could not be decrypted (see {@link SecretDecryptionError}). */
export type SecretDecryptionReason =
  /** The value is encrypted and the tenant was given no `secretsKey`. */
  | 'no_key'
  /** It was encrypted with a key whose id `secretsKey` does not hold. */
  | 'unknown_key'
  /** The key is there but the value, or the record it sits in, was changed or moved. */
  | 'tampered';

/**
 * A secret the Tenant encrypted at rest (`Tenant.create({ secretsKey })`) could not be
 * decrypted (code `secret_decryption_failed`): no key, a key id the tenant does not hold,
 * or a ciphertext that was changed or moved to another record or field. The record is
 * never served and nothing is written. The message names the collection, the record id,
 * the field and the key id; never the secret or the key.
 *
 * @example
 * ```ts
 * try {
 *   await tenant.clients.get(clientId);
 * } catch (error) {
 *   if (error instanceof SecretDecryptionError) console.log(error.reason, error.collection, error.id);
 * }
 * ```
 */
export class SecretDecryptionError extends ClienteleError {
  /** Why it failed. */
  readonly reason: SecretDecryptionReason;
  /** The store collection of the record. */
  readonly collection: string;
  /** The record id. */
  readonly id: string;
  /** JSON pointer of the encrypted field inside the record (`/client_secret`). */
  readonly path: string;

  /**
   * @param reason - why it failed
   * @param where - the record and field
   * @param message - the explanation, free of secrets
   */
  constructor(
    reason: SecretDecryptionReason,
    where: { collection: string; id: string; path: string },
    message: string,
  ) {
    super('secret_decryption_failed', message);
    this.reason = reason;
    this.collection = where.collection;
    this.id = where.id;
    this.path = where.path;
  }
}

/**
 * A store could not be reached (code `store_unavailable`): the database is down, the
 * connection was lost or refused. Nothing was written unless the message says the outcome
 * is unknown (the connection dropped while a commit was in flight). Retrying later is safe:
 * the store reconnects by itself.
 */
export class StoreUnavailableError extends ClienteleError {
  /**
   * @param message - which store, what failed and why (never credentials)
   * @param options - standard `ErrorOptions` (`cause`)
   */
  constructor(message: string, options?: ErrorOptions) {
    super('store_unavailable', message, options);
  }
}

/**
 * A tenant could not be read for `diffTenants` (code `tenant_unreadable`): a path that is
 * missing, unparsable or not a tenant export, or a Management API that refused or failed
 * (`status` is then its HTTP status). The message names the source and the reason, never
 * a token or a secret.
 *
 * @example
 * ```ts
 * try {
 *   await diffTenants('tenant.yaml', 'missing.yaml');
 * } catch (error) {
 *   if (error instanceof TenantReadError) console.error(error.source, error.message);
 * }
 * ```
 */
export class TenantReadError extends ClienteleError {
  /** The path, or the Management API URL, that could not be read. */
  readonly source: string;
  /** The HTTP status of a Management API that answered with an error. */
  readonly status: number | undefined;

  /**
   * @param source - the path or URL
   * @param message - what failed and why
   * @param options - `status` of an HTTP answer, and the standard `cause`
   */
  constructor(source: string, message: string, options: ErrorOptions & { status?: number } = {}) {
    super('tenant_unreadable', message, options);
    this.source = source;
    this.status = options.status;
  }
}

/** The OAuth error names a Dynamic Client Registration failure can carry. */
export type RegistrationErrorName =
  'invalid_redirect_uri' | 'invalid_client_metadata' | 'access_denied' | 'invalid_token';

/** The RFC 7591 §3.2.2 error response body. */
export interface RegistrationErrorBody {
  /** OAuth error name. */
  error: RegistrationErrorName;
  /** What was wrong, naming the field. */
  error_description: string;
}

/**
 * A Dynamic Client Registration request failed (RFC 7591 §3.2.2, RFC 7592 §2).
 * `error` and `error_description` are the response body; `status` the HTTP status.
 */
export class RegistrationError extends ClienteleError {
  /** OAuth error name for the response body. */
  readonly error: RegistrationErrorName;
  /** Human-readable description for the response body; names the field and the problem. */
  readonly error_description: string;
  /** HTTP status: 400, or 401/403 for access problems. */
  readonly status: number;

  /**
   * @param error - OAuth error name
   * @param description - names the field and the problem
   * @param status - HTTP status (default 400)
   */
  constructor(error: RegistrationErrorName, description: string, status = 400) {
    super(error, description);
    this.error = error;
    this.error_description = description;
    this.status = status;
  }

  /**
   * The RFC 7591 error response body. Its `error_description` is
   * the library's `oauthErrorDescription` of the message (RFC 6749 §5.2 characters only), so it
   * may differ from {@link RegistrationError.error_description}, which is for people.
   */
  toJSON(): RegistrationErrorBody {
    return {
      error: this.error,
      error_description: toOAuthErrorDescription(this.error_description),
    };
  }
}

/**
 * The stable codes of a {@link ClientMetadataDocumentError}: why a Client ID Metadata
 * Document could not be used.
 */
export type ClientMetadataDocumentErrorCode =
  | 'cimd_disabled'
  | 'cimd_invalid_url'
  | 'cimd_forbidden_address'
  | 'cimd_dns_failed'
  | 'cimd_network'
  | 'cimd_timeout'
  | 'cimd_redirect'
  | 'cimd_http_status'
  | 'cimd_content_type'
  | 'cimd_too_large'
  | 'cimd_invalid_json'
  | 'cimd_invalid_document'
  | 'cimd_busy';

/**
 * A Client ID Metadata Document could not be fetched or is not valid: the URL breaks the
 * draft's rules, resolves to a private or special address, redirects, is too large or too
 * slow, is not JSON, or the document fails validation (`issues`, each at its JSON pointer);
 * or, `cimd_busy`, as many documents as allowed are being fetched already (try again soon).
 * `code` says which; `url` is the client id URL (never a secret).
 *
 * @example
 * ```ts
 * try {
 *   await fetchClientMetadataDocument(url, options);
 * } catch (error) {
 *   if (error instanceof ClientMetadataDocumentError) console.log(error.code); // 'cimd_redirect'
 * }
 * ```
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/
 */
export class ClientMetadataDocumentError extends ClienteleError {
  declare readonly code: ClientMetadataDocumentErrorCode;
  /** The client id URL the document was fetched from (cut to 300 characters). */
  readonly url: string;
  /** For `cimd_invalid_document`: every problem, at its JSON pointer into the document. */
  readonly issues: readonly Issue[];
  /** For `cimd_http_status`: the status the document's host answered. */
  readonly status: number | undefined;

  /**
   * @param code - stable code
   * @param url - the client id URL
   * @param message - what was wrong
   * @param options - the problems of an invalid document, the host's HTTP status, and
   *   the standard `cause`
   */
  constructor(
    code: ClientMetadataDocumentErrorCode,
    url: string,
    message: string,
    options: ErrorOptions & { issues?: readonly Issue[]; status?: number } = {},
  ) {
    super(code, message, options);
    this.url = url.slice(0, 300);
    this.issues = options.issues ?? [];
    this.status = options.status;
  }
}

/**
 * The `resource` (RFC 8707) of a request names no API of the tenant, or disagrees with
 * its `audience` or with what was authorized (code `invalid_target`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export class InvalidTargetError extends ClienteleError {
  /** @param message - what is wrong with the resource */
  constructor(message: string) {
    super('invalid_target', message);
  }
}

/**
 * True when `value` is a {@link ClienteleError}, also across realms and duplicate
 * installs (compares the shape, not only the prototype).
 *
 * @example
 * ```ts
 * if (isClienteleError(error)) console.log(error.code);
 * ```
 */
export function isClienteleError(value: unknown): value is ClienteleError {
  if (value instanceof ClienteleError) return true;
  return (
    value instanceof Error &&
    typeof (value as { code?: unknown }).code === 'string' &&
    ERROR_NAMES.has(value.name)
  );
}

const ERROR_NAMES = new Set([
  'ClienteleError',
  'ValidationError',
  'InvalidArgumentError',
  'InvalidUrlPatternError',
  'NotFoundError',
  'ConflictError',
  'InvalidClientError',
  'InvalidRequestError',
  'UnauthorizedClientError',
  'InvalidGrantError',
  'InsufficientScopeError',
  'UnsupportedTokenTypeError',
  'InvalidScopeError',
  'InvalidTokenError',
  'StoreCorruptError',
  'StoreUnavailableError',
  'SecretDecryptionError',
  'RegistrationError',
  'ClientMetadataDocumentError',
  'InvalidTargetError',
  'InvalidDpopProofError',
  'UseDpopNonceError',
  'InvalidRequestObjectError',
  'InvalidRequestUriError',
]);

function summarise(issues: readonly Issue[]): string {
  const first = issues.slice(0, 3).map((issue) => `${issue.path || '(root)'}: ${issue.message}`);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${first.join('; ')}${more}`;
}
