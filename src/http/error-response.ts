/**
 * The one place that turns a thrown error into an error response: the Management API's
 * `{ statusCode, error, message, errorCode }`, or OAuth's `{ error, error_description }`.
 * A {@link ClienteleError} keeps its meaning (its code decides the status; a store outage is
 * `503` with `Retry-After`); anything else is a `500` whose body says nothing about the
 * cause (the caller reports it).
 */
import { STATUS_CODES } from 'node:http';
import {
  RegistrationError,
  StoreUnavailableError,
  ValidationError,
  isClienteleError,
  type ClienteleError,
} from '../errors.js';
import { toOAuthErrorDescription } from '../lib/error-description-charset.js';
import { HttpError } from './errors.js';
import { jsonResponse } from './responses.js';

/** HTTP status of each library error code that is not an {@link HttpError}. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  invalid_client_metadata: 400,
  invalid_body: 400,
  invalid_argument: 400,
  invalid_request: 400,
  invalid_url_pattern: 400,
  invalid_redirect_uri: 400,
  invalid_scope: 400,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_target: 400,
  // A Client ID Metadata Document that cannot be used (Management API preview/register).
  cimd_invalid_url: 400,
  cimd_forbidden_address: 400,
  cimd_dns_failed: 400,
  cimd_network: 400,
  cimd_timeout: 400,
  cimd_redirect: 400,
  cimd_http_status: 400,
  cimd_content_type: 400,
  cimd_too_large: 400,
  cimd_invalid_json: 400,
  cimd_invalid_document: 400,
  invalid_client: 401,
  invalid_token: 401,
  access_denied: 403,
  not_found: 404,
  conflict: 409,
};

/**
 * Seconds a client is asked to wait (`Retry-After`) when the store cannot be reached: long
 * enough that retries do not pile onto a database coming back, short enough for a restart
 * or a failover (the store reconnects by itself).
 */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * How a store outage is answered, by every endpoint: `503` with `Retry-After`, and
 * `temporarily_unavailable` (RFC 6749 §4.1.2.1's name for it; the Management API's
 * `errorCode`). The message never repeats the driver's (hosts, ports, SQL states).
 */
const STORE_OUTAGE: Readonly<DescribedError> = Object.freeze({
  status: 503,
  code: 'temporarily_unavailable',
  message: 'The service is temporarily unavailable: its store cannot be reached. Retry later',
  headers: Object.freeze({ 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) }),
});

/** Issue codes that make a validation error a `409 Conflict` (the thing already exists). */
const CONFLICT_ISSUES = new Set(['already_exists', 'already_granted']);

/** The Management API v2 error body. */
export interface ManagementErrorBody {
  /** The HTTP status. */
  statusCode: number;
  /** Its reason phrase (`Bad Request`). */
  error: string;
  /** What was wrong: for a validation error, every issue. */
  message: string;
  /** Stable machine code (`invalid_body`, `inexistent_client`, `insufficient_scope`). */
  errorCode: string;
}

/** How a thrown value is answered. */
export interface DescribedError {
  /** HTTP status. */
  status: number;
  /** Stable machine code. */
  code: string;
  /** What was wrong (every issue of a validation error). */
  message: string;
  /** Extra response headers. */
  headers: Record<string, string>;
}

/**
 * The status, machine code and message a thrown value answers with; `undefined` for
 * something that is not a library error (a bug, reported by the caller as a 500).
 */
export function describeError(error: unknown): DescribedError | undefined {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      headers: { ...error.headers },
    };
  }
  if (error instanceof RegistrationError) {
    return { status: error.status, code: error.code, message: error.message, headers: {} };
  }
  if (!isClienteleError(error)) return undefined;
  if (error instanceof StoreUnavailableError) {
    return { ...STORE_OUTAGE, headers: { ...STORE_OUTAGE.headers } };
  }
  if (error instanceof ValidationError) {
    const taken = error.issues.length > 0 && error.issues.every((i) => CONFLICT_ISSUES.has(i.code));
    return {
      status: taken ? 409 : 400,
      code: taken ? 'conflict' : 'invalid_body',
      message: `Payload validation error: ${error.issues
        .map((issue) => `${issue.message} (at ${issue.path === '' ? '/' : issue.path})`)
        .join('; ')}`,
      headers: {},
    };
  }
  const status = STATUS_BY_CODE[(error as ClienteleError).code] ?? 500;
  if (status === 500) return undefined;
  return { status, code: (error as ClienteleError).code, message: error.message, headers: {} };
}

/**
 * The Management API response for a thrown value: `{ statusCode, error, message,
 * errorCode }` with the status its code implies and the error's headers. Anything that is
 * not a library error becomes a `500` saying only that the request failed.
 *
 * @example
 * ```ts
 * try {
 *   return await route(request);
 * } catch (error) {
 *   return managementErrorResponse(error);
 * }
 * ```
 */
export function managementErrorResponse(error: unknown): Response {
  const described = describeError(error) ?? {
    status: 500,
    code: 'internal_error',
    message: 'The request could not be handled',
    headers: {},
  };
  const body: ManagementErrorBody = {
    statusCode: described.status,
    error: STATUS_CODES[described.status] ?? 'Error',
    message: described.message,
    errorCode: described.code,
  };
  return jsonResponse(described.status, body, { headers: described.headers });
}

/** Options of {@link oauthErrorResponse}. */
export interface OAuthErrorResponseOptions {
  /**
   * Turns a library message into an `error_description`. Default: the library's one
   * `error_description` function (`oauthErrorDescription`), which keeps to the characters
   * RFC 6749 §5.2 allows (printable ASCII without `"` and `\`).
   */
  describe?: (message: string) => string;
}

/**
 * The OAuth error response for a thrown value: `{ error, error_description }` with the
 * status its code implies (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2) and the
 * error's headers. Anything that is not a library error becomes `500 server_error`.
 *
 * @example
 * ```ts
 * return oauthErrorResponse(new HttpError({ status: 400, code: 'invalid_request',
 *   oauthError: 'invalid_request', message: 'grant_type is missing' }));
 * ```
 */
export function oauthErrorResponse(
  error: unknown,
  options: OAuthErrorResponseOptions = {},
): Response {
  const described = describeError(error);
  const describe = options.describe ?? toOAuthErrorDescription;
  if (!described) {
    return jsonResponse(500, {
      error: 'server_error',
      error_description: 'the server could not handle the request',
    });
  }
  const name =
    error instanceof HttpError && error.oauthError !== undefined
      ? error.oauthError
      : described.code;
  return jsonResponse(
    described.status,
    { error: name, error_description: describe(described.message) },
    { headers: described.headers },
  );
}
