/**
 * The error an HTTP handler throws when it wants a particular status: it carries the
 * status, a stable machine code, extra headers (`WWW-Authenticate`, `Allow`) and, for
 * OAuth endpoints, the OAuth `error` name. One function per response shape (Management
 * API, OAuth) turns it, or any other {@link ClienteleError}, into a `Response`.
 */
import { ClienteleError } from '../errors.js';

/** What an {@link HttpError} is made of. */
export interface HttpErrorInit {
  /** HTTP status, 400 to 599. */
  status: number;
  /** Stable machine code (`errorCode` of a Management API error, `code` of the error). */
  code: string;
  /** What was wrong, for a developer. Never holds a secret. */
  message: string;
  /** Extra response headers (`WWW-Authenticate`, `Allow`, `Retry-After`). */
  headers?: Readonly<Record<string, string>>;
  /** The OAuth error name (RFC 6749 §5.2) when the response is an OAuth error. */
  oauthError?: string;
}

/**
 * An error with an HTTP status, thrown by handlers and turned into a response by
 * {@link managementErrorResponse} or {@link oauthErrorResponse}.
 *
 * @example
 * ```ts
 * throw new HttpError({ status: 404, code: 'inexistent_client', message: 'The client does not exist' });
 * ```
 */
export class HttpError extends ClienteleError {
  /** HTTP status. */
  readonly status: number;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The OAuth error name, when there is one. */
  readonly oauthError: string | undefined;

  /** @param init - status, code, message, headers and the OAuth error name */
  constructor(init: HttpErrorInit) {
    super(init.code, init.message);
    this.status = init.status;
    this.headers = { ...init.headers };
    this.oauthError = init.oauthError;
  }
}

/** The body was larger than the reader's limit (status 413, code `payload_too_large`). */
export class PayloadTooLargeError extends HttpError {
  /** The limit in bytes. */
  readonly limit: number;

  /** @param limit - the limit in bytes that was exceeded */
  constructor(limit: number) {
    super({
      status: 413,
      code: 'payload_too_large',
      message: `the request body exceeds ${limit} bytes`,
      oauthError: 'invalid_request',
    });
    this.limit = limit;
  }
}
