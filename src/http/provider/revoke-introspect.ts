/**
 * `POST /oauth/revoke` (RFC 7009) and `POST /oauth/introspect` (RFC 7662). The caller
 * authenticates as a client, as at the token endpoint; the tenant decides what it may
 * revoke or see.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
import type { Client } from '../../client/client.js';
import { emptyResponse, jsonResponse } from '../responses.js';
import { callerOf, type ProviderContext } from './context.js';
import { forClient } from './cors.js';
import { formParams, invalidRequest, tokenRequestParams } from './params.js';
import { authenticate, failure } from './token.js';

/** `POST /oauth/revoke`: 200 whether or not the token was known (RFC 7009 §2.2). */
export async function revoke(context: ProviderContext, request: Request): Promise<Response> {
  let client: Client | undefined;
  try {
    const params = await tokenRequestParams(request, context.config.bodyLimit);
    const token = params['token'];
    if (token === undefined) throw invalidRequest('token is missing');
    client = await authenticate(context, request, params);
    await context.tenant.authorization.revoke(client, token, callerOf(request, context.config));
    return forClient(request, emptyResponse(200), client);
  } catch (error) {
    return forClient(request, failure(context, request, error), client);
  }
}

/** `POST /oauth/introspect`: `{ active: false }` for anything the caller may not see. */
export async function introspect(context: ProviderContext, request: Request): Promise<Response> {
  let client: Client | undefined;
  try {
    const params = await formParams(request, context.config.bodyLimit);
    const token = params['token'];
    if (token === undefined) throw invalidRequest('token is missing');
    client = await authenticate(context, request, params);
    return forClient(
      request,
      jsonResponse(200, await context.tenant.authorization.introspect(client, token)),
      client,
    );
  } catch (error) {
    return forClient(request, failure(context, request, error), client);
  }
}
