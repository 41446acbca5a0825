/**
 * The provider's response shapes: OAuth errors through the one error-response function
 * (with the §5.2 `error_description` hook), plain-text pages for refusals that must not
 * redirect, and redirects.
 */
import { isClienteleError } from '../../errors.js';
import { oauthErrorResponse } from '../error-response.js';
import { HttpError } from '../errors.js';
import { BASE_HEADERS } from '../responses.js';
import type { ProviderConfig } from './options.js';

/** Library codes the shared table does not place, with their status here. */
const EXTRA_STATUS: Readonly<Record<string, number>> = {
  insufficient_scope: 403,
  unsupported_token_type: 400,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  invalid_request_object: 400,
  invalid_request_uri: 400,
};

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** The OAuth error response for what an endpoint threw. */
export function oauthError(
  config: ProviderConfig,
  error: unknown,
  headers: Readonly<Record<string, string>> = {},
): Response {
  let value = error;
  if (isClienteleError(value) && !(value instanceof HttpError) && value.code in EXTRA_STATUS) {
    value = new HttpError({
      status: EXTRA_STATUS[value.code] as number,
      code: value.code,
      message: value.message,
      oauthError: value.code,
    });
  }
  const response = oauthErrorResponse(value, { describe: config.describeError });
  for (const [name, content] of Object.entries(headers)) response.headers.set(name, content);
  return response;
}

/** A plain-text page: what a person sees when the server refuses to redirect. */
export function textPage(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE },
  });
}

/** A `302 Found` to `location`. */
export function redirect(location: string): Response {
  return new Response(null, {
    status: 302,
    headers: { ...BASE_HEADERS, Location: location, ...NO_STORE },
  });
}

/**
 * `uri` with parameters added to its query (before any fragment). The query it already has
 * is kept as it was written (RFC 6749 §3.1.2), not re-encoded.
 */
export function withParameters(
  uri: string,
  parameters: Record<string, string | undefined>,
): string {
  const added = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) added.append(name, value);
  }
  if (added.size === 0) return uri;
  const hash = uri.indexOf('#');
  const base = hash === -1 ? uri : uri.slice(0, hash);
  const fragment = hash === -1 ? '' : uri.slice(hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') ? '' : '&';
  return `${base}${separator}${added.toString()}${fragment}`;
}

/**
 * A `WWW-Authenticate: Bearer` challenge (RFC 6750 §3): with `error` and
 * `error_description` when a token was presented, bare otherwise (§3.1).
 */
export function bearerChallenge(
  config: ProviderConfig,
  realm: string,
  failure?: { error: string; description: string; scope?: string },
): string {
  const parts = [`realm="${config.describeError(realm)}"`];
  if (failure) {
    parts.push(`error="${failure.error}"`);
    const description = config.describeError(failure.description);
    if (description !== '') parts.push(`error_description="${description}"`);
    if (failure.scope !== undefined) parts.push(`scope="${failure.scope}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}
