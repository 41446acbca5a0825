/**
 * The parameters an authorization request stands for (RFC 9126 §4, RFC 9101 §5): those
 * pushed earlier when it names a `request_uri` (taken once), those of its signed request
 * object (`request`), or its own. In the first two cases nothing else from the URL is used
 * but `client_id`, which must name the same client, so parameters added to the browser's
 * URL change nothing.
 */
import type { Client } from '../../client/client.js';
import { InvalidRequestObjectError, InvalidRequestUriError } from '../../errors.js';
import type { ProviderContext } from './context.js';
import type { Params } from './params.js';
import type { RequestOrigin } from './authorization-request.js';

/** The parameters to check, and how they came. */
export interface ResolvedParameters extends RequestOrigin {
  readonly params: Params;
}

/** Why the parameters could not be read: shown to the person, never redirected. */
export interface UnresolvedParameters {
  readonly error: 'invalid_request' | 'invalid_request_uri' | 'invalid_request_object';
  readonly description: string;
  /** The stable reason of a refused request object. */
  readonly reason?: string;
}

/**
 * The parameters of an authorization request of `client` at `where`: `/authorize` takes a
 * pushed request or verifies a request object; `/oauth/par` verifies a request object and
 * refuses a `request_uri`.
 */
export async function resolveParameters(
  context: ProviderContext,
  client: Client,
  params: Params,
  where: 'authorize' | 'par',
): Promise<ResolvedParameters | UnresolvedParameters> {
  const requestUri = params['request_uri'];
  const requestObject = params['request'];
  if (requestUri !== undefined) {
    if (where === 'par') {
      return { error: 'invalid_request', description: 'request_uri cannot be pushed' };
    }
    if (requestObject !== undefined) {
      return { error: 'invalid_request', description: 'send request or request_uri, not both' };
    }
    try {
      const pushed = await context.tenant.pushedAuthorizationRequests.take(
        requestUri,
        client.client_id,
      );
      return { params: pushed.params, pushed: true, signed: pushed.signed };
    } catch (error) {
      if (!(error instanceof InvalidRequestUriError)) throw error;
      return { error: 'invalid_request_uri', description: error.message };
    }
  }
  if (requestObject !== undefined) {
    try {
      const verified = await context.tenant.requestObjects.verify(client, requestObject);
      return { params: verified.params, pushed: where === 'par', signed: true };
    } catch (error) {
      if (!(error instanceof InvalidRequestObjectError)) throw error;
      return {
        error: 'invalid_request_object',
        description: error.message,
        reason: error.reason,
      };
    }
  }
  return { params, pushed: where === 'par', signed: false };
}
