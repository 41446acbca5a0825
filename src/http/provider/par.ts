/**
 * `POST /oauth/par`: Pushed Authorization Requests (RFC 9126). The client authenticates as
 * at the token endpoint, its authorization request (form parameters, or a signed request
 * object in `request`) goes through every check of `/authorize`, and it gets a one-time
 * `request_uri` to send to `/authorize` with its `client_id`. A DPoP proof sent with the
 * push binds the code to its key (RFC 9449 §10.1), as `dpop_jkt` would.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2
 */
import type { Client } from '../../client/client.js';
import { InvalidDpopProofError } from '../../errors.js';
import { HttpError } from '../errors.js';
import { jsonResponse } from '../responses.js';
import { resolveParameters } from './authorization-parameters.js';
import { checkAuthorizationRequest } from './authorization-request.js';
import { audit, type ProviderContext } from './context.js';
import { forClient } from './cors.js';
import { auditProofRefusal, isProofError, proofOf, withDpopNonce } from './dpop.js';
import { formParams, type Params } from './params.js';
import { authenticate, failure } from './token.js';

/** `POST /oauth/par` */
export async function pushAuthorizationRequest(
  context: ProviderContext,
  request: Request,
): Promise<Response> {
  let client: Client | undefined;
  try {
    const sent = await formParams(request, context.config.bodyLimit);
    client = await authenticate(context, request, sent);
    const jkt = await pushProof(context, request, client);
    const parameters = await resolveParameters(context, client, sent, 'par');
    if ('error' in parameters) {
      throw refusal(
        context,
        request,
        client,
        parameters.error,
        parameters.description,
        parameters.reason,
      );
    }
    const params = withProofKey(parameters.params, jkt);
    const checked = await checkAuthorizationRequest(context, client, params, parameters);
    if (checked.kind === 'invalid') {
      throw refusal(context, request, client, 'invalid_request', checked.message, 'redirect_uri');
    }
    if (checked.kind === 'refused') {
      throw refusal(context, request, client, checked.refusal.error, checked.refusal.description);
    }
    const pushed = await context.tenant.pushedAuthorizationRequests.push(client, params, {
      signed: parameters.signed,
    });
    return forClient(request, await withDpopNonce(context, jsonResponse(201, pushed)), client);
  } catch (error) {
    const response = failure(context, request, error);
    return forClient(request, await withDpopNonce(context, response, error), client);
  }
}

/** The key of the push's DPoP proof (`htu` the PAR endpoint), or undefined without one. */
async function pushProof(
  context: ProviderContext,
  request: Request,
  client: Client,
): Promise<string | undefined> {
  try {
    return (await proofOf(context, request, 'oauth/par'))?.jkt;
  } catch (error) {
    if (isProofError(error)) {
      auditProofRefusal(context, request, 'f', error, { client, details: { endpoint: 'par' } });
    }
    throw error;
  }
}

/**
 * The parameters with `dpop_jkt` set to the key of the push's proof; a `dpop_jkt` that
 * names another key is refused (RFC 9449 §10.1).
 */
function withProofKey(params: Params, jkt: string | undefined): Params {
  if (jkt === undefined) return params;
  const named = params['dpop_jkt'];
  if (named !== undefined && named !== jkt) {
    throw new InvalidDpopProofError(
      'key_mismatch',
      'dpop_jkt names another key than the DPoP proof of the push',
    );
  }
  return { ...params, dpop_jkt: jkt };
}

/** A refused push: audited with its reason, answered `400` with the OAuth error. */
function refusal(
  context: ProviderContext,
  request: Request,
  client: Client,
  error: string,
  description: string,
  reason?: string,
): HttpError {
  audit(context, request, 'f', `Pushed authorization request refused: ${error}`, {
    client,
    details: {
      endpoint: 'par',
      error,
      ...(reason === undefined ? {} : { reason }),
      error_description: description,
    },
  });
  return new HttpError({ status: 400, code: error, oauthError: error, message: description });
}
