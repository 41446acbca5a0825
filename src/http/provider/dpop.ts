/**
 * DPoP (RFC 9449) at the provider's endpoints: reading the `DPoP` header of a request,
 * handing out server nonces (`DPoP-Nonce`), and the `WWW-Authenticate: DPoP` challenge with
 * the algorithms served. The checks themselves are `tenant.dpop`'s.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
import { InvalidDpopProofError, UseDpopNonceError } from '../../errors.js';
import type { AcceptedProof } from '../../tenant/dpop.js';
import type { AuditEventType } from '../../audit/event.js';
import type { Client } from '../../client/client.js';
import { audit, type ProviderContext } from './context.js';

/**
 * The verified proof of a request to `path` (an endpoint path below the issuer), or
 * undefined when the request has no `DPoP` header. The proof's `htu` may name the URL the
 * request arrived at or the endpoint's advertised URL (the one in discovery).
 *
 * @throws {@link InvalidDpopProofError} or {@link UseDpopNonceError}.
 */
export async function proofOf(
  context: ProviderContext,
  request: Request,
  path: string,
  accessToken?: string,
): Promise<AcceptedProof | undefined> {
  const proof = request.headers.get('dpop');
  if (proof === null) return undefined;
  const presentation = { proof, method: request.method, url: request.url };
  return context.tenant.dpop.verifyProof(presentation, {
    uris: [endpointUrl(context, path)],
    accessToken,
  });
}

/** The advertised URL of an endpoint: `path` below the issuer. */
export function endpointUrl(context: ProviderContext, path: string): string {
  return new URL(path, context.tenant.issuer).href;
}

/** True for the errors a proof check throws. */
export function isProofError(error: unknown): error is InvalidDpopProofError | UseDpopNonceError {
  return error instanceof InvalidDpopProofError || error instanceof UseDpopNonceError;
}

/**
 * Records a refused proof under the exchange's failure code, with the reason and never the
 * proof itself.
 */
export function auditProofRefusal(
  context: ProviderContext,
  request: Request,
  type: AuditEventType,
  error: InvalidDpopProofError | UseDpopNonceError,
  about: { client?: Client | undefined; details?: Record<string, unknown> },
): void {
  audit(context, request, type, 'DPoP proof refused', {
    client: about.client,
    details: {
      ...about.details,
      error: error.code,
      reason: error instanceof InvalidDpopProofError ? error.reason : 'nonce',
    },
  });
}

/**
 * Adds `DPoP-Nonce` (the nonce of an error, or the current one when the tenant requires
 * nonces) and lets a browser app read it.
 */
export async function withDpopNonce(
  context: ProviderContext,
  response: Response,
  error?: unknown,
): Promise<Response> {
  const nonce =
    error instanceof UseDpopNonceError ? error.nonce : await context.tenant.dpop.nonce();
  if (nonce !== undefined) {
    response.headers.set('DPoP-Nonce', nonce);
    exposeHeader(response, 'DPoP-Nonce');
  }
  return response;
}

/** Adds `name` to `Access-Control-Expose-Headers`. */
export function exposeHeader(response: Response, name: string): void {
  const exposed = response.headers.get('Access-Control-Expose-Headers');
  response.headers.set(
    'Access-Control-Expose-Headers',
    exposed === null ? name : `${exposed}, ${name}`,
  );
}

/**
 * A `WWW-Authenticate: DPoP` challenge (RFC 9449 §7.1): the algorithms served, and the
 * error when a token or proof was presented.
 */
export function dpopChallenge(
  context: ProviderContext,
  failure?: { error: string; description: string },
): string {
  const parts = [`algs="${context.tenant.dpop.algorithms.join(' ')}"`];
  if (failure) {
    parts.push(`error="${failure.error}"`);
    const description = context.config.describeError(failure.description);
    if (description !== '') parts.push(`error_description="${description}"`);
  }
  return `DPoP ${parts.join(', ')}`;
}
