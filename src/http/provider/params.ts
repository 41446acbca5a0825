/**
 * OAuth request parameters, strictly: from the query (GET), an
 * `application/x-www-form-urlencoded` body (POST), or at the token and revocation
 * endpoints a JSON object of strings. Any repeated parameter is refused,
 * empty or not (RFC 6749 §3.1 and §3.2: "Request and response parameters MUST NOT be
 * included more than once"), so `grant_type=&grant_type=client_credentials` is
 * `invalid_request`, never a token. A parameter sent empty counts as absent.
 */
import { HttpError } from '../errors.js';
import { mediaType, readForm, readJsonParams } from '../body.js';

/** Single-valued parameters by name (no prototype, so `__proto__` is just a name). */
export type Params = Readonly<Record<string, string>>;

/** Parses `params`, refusing any name given twice. */
export function singleValued(params: URLSearchParams): Params {
  const seen = new Set<string>();
  const result = Object.create(null) as Record<string, string>;
  for (const [name, value] of params) {
    if (seen.has(name)) throw invalidRequest(`${name} must not be repeated`);
    seen.add(name);
    if (value !== '') result[name] = value;
  }
  return result;
}

/** The form body of a POST (the shared form reader). */
export function formParams(request: Request, limit: number): Promise<Params> {
  return readForm(request, { limit });
}

/**
 * The body of a POST to `/oauth/token` or `/oauth/revoke`: a form, or a JSON object of
 * strings (Auth0 accepts both there, and its SDKs send JSON), read by the shared readers
 * with the same rules. Any other media type is refused.
 */
export function tokenRequestParams(request: Request, limit: number): Promise<Params> {
  const type = mediaType(request);
  if (type === 'application/json') return readJsonParams(request, { limit });
  if (type === 'application/x-www-form-urlencoded') return readForm(request, { limit });
  return Promise.reject(
    invalidRequest(
      'the request body must be application/x-www-form-urlencoded or application/json',
    ),
  );
}

/** Query parameters for GET, form parameters for POST. */
export function requestParams(request: Request, url: URL, limit: number): Promise<Params> {
  return request.method === 'POST'
    ? formParams(request, limit)
    : Promise.resolve(singleValued(url.searchParams));
}

/** An `invalid_request` OAuth error (400). */
export function invalidRequest(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid_request',
    message,
    oauthError: 'invalid_request',
  });
}

/** An access token as the `Authorization` header presents it. */
export interface PresentedToken {
  /** `Bearer` (RFC 6750 §2.1) or `DPoP` (RFC 9449 §7.1). */
  readonly scheme: 'Bearer' | 'DPoP';
  readonly token: string;
}

/** The access token of an `Authorization: Bearer` or `Authorization: DPoP` header. */
export function presentedToken(request: Request): PresentedToken | undefined {
  const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(
    request.headers.get('authorization') ?? '',
  );
  if (!match?.[1] || !match[2]) return undefined;
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] };
}

/** The bearer token of the `Authorization` header (RFC 6750 §2.1), or undefined. */
export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(
    request.headers.get('authorization') ?? '',
  );
  return match?.[1];
}
