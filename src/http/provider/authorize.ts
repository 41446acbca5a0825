/**
 * `GET|POST /authorize`: the authorization code flow with PKCE, and for clients with the
 * `implicit` grant the implicit and hybrid response types, in the response modes of
 * `served.ts`; with the parameters of a pushed request (`request_uri`, RFC 9126) or of a
 * signed request object (`request`, RFC 9101) when the request names one.
 *
 * Until the client and its `redirect_uri` are known to be valid, every problem is a 400
 * page and nothing is ever redirected; after that, errors go back to the client as `error`
 * parameters on its redirect_uri with `state` and `iss` (RFC 9207). The checks are
 * `checkAuthorizationRequest`'s, shared with `/oauth/par`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
import { HttpError } from '../errors.js';
import { resolveParameters } from './authorization-parameters.js';
import { checkAuthorizationRequest, type Refusal } from './authorization-request.js';
import { authorizationResponse } from './authorization-response.js';
import { resolveClient } from './client-resolution.js';
import { issueAndRedirect } from './complete.js';
import { audit, excerpt, type ProviderContext } from './context.js';
import { requestParams, type Params } from './params.js';
import { createPending, type PendingRequest } from './pending.js';
import { textPage } from './responses.js';
import { signInFor } from './sign-in.js';

/** `GET|POST /authorize` */
export async function authorize(
  context: ProviderContext,
  request: Request,
  url: URL,
): Promise<Response> {
  let sent: Params;
  try {
    sent = await requestParams(request, url, context.config.bodyLimit);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return textPage(error.status, `Bad request: ${error.message}.`);
  }
  const clientId = sent['client_id'];
  const resolved = await resolveClient(context, clientId);
  const client = resolved instanceof Error ? undefined : resolved;
  if (!client) {
    audit(context, request, 'f', 'Unknown client', { clientId });
    return textPage(
      400,
      clientId === undefined
        ? 'Bad request: client_id is missing.'
        : resolved instanceof Error
          ? `Bad request: client_id: ${resolved.message}.`
          : 'Bad request: client_id names no client of this tenant.',
    );
  }
  const parameters = await resolveParameters(context, client, sent, 'authorize');
  if ('error' in parameters) {
    audit(context, request, 'f', `Authorization request refused: ${parameters.error}`, {
      client,
      details: {
        error: parameters.error,
        ...(parameters.reason === undefined ? {} : { reason: parameters.reason }),
        error_description: parameters.description,
      },
    });
    return textPage(400, `Bad request: ${parameters.description}.`);
  }
  const { params } = parameters;
  const checked = await checkAuthorizationRequest(context, client, params, parameters);
  if (checked.kind === 'invalid') {
    audit(context, request, 'f', 'Callback URL mismatch', {
      client,
      details: { redirect_uri: excerpt(checked.redirectUri) },
    });
    return textPage(400, `Bad request: ${checked.message}.`);
  }
  const back = (refusal: Refusal, redirectUri: string, mode: PendingRequest['response_mode']) => {
    audit(context, request, 'f', `Authorization request refused: ${refusal.error}`, {
      client,
      details: { error: refusal.error, error_description: refusal.description },
    });
    return authorizationResponse(mode ?? 'query', redirectUri, {
      error: refusal.error,
      error_description: context.config.describeError(refusal.description),
      state: params['state'],
      iss: context.tenant.issuer,
    });
  };
  if (checked.kind === 'refused') return back(checked.refusal, checked.redirectUri, checked.mode);
  const pending: PendingRequest = {
    ...checked.request,
    expires_at: 0,
    ip: context.config.clientIp(request) ?? null,
    user_agent: excerpt(request.headers.get('user-agent') ?? undefined) ?? null,
    session_id: null,
  };
  const refuse = (refusal: Refusal) => back(refusal, pending.redirect_uri, pending.response_mode);
  const signIn = await signInFor(context, request, client, params, pending);
  if ('error' in signIn) return refuse(signIn);
  if (signIn.kind === 'session') {
    return issueAndRedirect(context, request, client, pending, signIn.user, signIn.session);
  }
  if (!context.config.login) {
    return refuse({ error: 'login_required', description: 'the user is not signed in' });
  }
  const created = await createPending(
    context,
    { ...pending, session_id: signIn.sessionId ?? null },
    client,
    signIn.reason,
  );
  return context.config.login(request, created);
}
