/**
 * `GET|POST /authorize`: the authorization code flow with PKCE, and for clients with the
 * `implicit` grant the implicit and hybrid response types, in the response modes of
 * `served.ts`.
 *
 * Order matters. Until the client and its `redirect_uri` are known to be valid, every
 * problem is a 400 page and nothing is ever redirected: redirecting to an unchecked URI
 * would make the server an open redirector (RFC 6749 §4.1.2.1, RFC 9700 §4.11). After
 * that, every check runs before anyone logs in, and errors go back to the client as
 * `error` parameters on its redirect_uri with `state` and `iss` (RFC 9207).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
import type { Client } from '../../client/client.js';
import { StoreUnavailableError, isClienteleError } from '../../errors.js';
import { isS256Challenge } from '../../tokens/pkce.js';
import { HttpError } from '../errors.js';
import { requestedAudience, resolveClient } from './client-resolution.js';
import { audit, excerpt, type ProviderContext } from './context.js';
import { requestParams, type Params } from './params.js';
import { issueAndRedirect } from './complete.js';
import { createPending, type PendingRequest } from './pending.js';
import { authorizationResponse } from './authorization-response.js';
import { textPage } from './responses.js';
import {
  RESPONSE_MODES_SERVED,
  RESPONSE_TYPES_SERVED,
  responseTypeOf,
  type ResponseMode,
  type ResponseType,
} from './served.js';
import { signInFor } from './sign-in.js';
import { checkDpopJkt, frontChannelTokenRefusal } from '../../dpop/authorization-request.js';
import { apiPolicyOf } from '../../dpop/binding.js';

/** A refusal reported on the client's redirect_uri. */
interface Refusal {
  readonly error: string;
  readonly description: string;
}

const MAX_LENGTH: Readonly<Record<string, number>> = {
  state: 2048,
  nonce: 512,
  login_hint: 512,
  id_token_hint: 16_384,
  max_age: 10,
};
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

/** `GET|POST /authorize` */
export async function authorize(
  context: ProviderContext,
  request: Request,
  url: URL,
): Promise<Response> {
  let params: Params;
  try {
    params = await requestParams(request, url, context.config.bodyLimit);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return textPage(error.status, `Bad request: ${error.message}.`);
  }
  const clientId = params['client_id'];
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
  const redirectUri = params['redirect_uri'];
  const organization = organizationOf(client, params);
  if (
    redirectUri === undefined ||
    !client.allowsCallback(
      redirectUri,
      organization === undefined ? undefined : { organizationName: organization },
    )
  ) {
    audit(context, request, 'f', 'Callback URL mismatch', {
      client,
      details: { redirect_uri: excerpt(redirectUri) },
    });
    return textPage(
      400,
      redirectUri === undefined
        ? 'Bad request: redirect_uri is missing.'
        : `Bad request: redirect_uri is not in the list of allowed callback URLs of ${client.name}.`,
    );
  }
  const responseType = responseTypeOf(params['response_type'] ?? '');
  const { mode, refusal: modeRefusal } = responseModeFor(
    client,
    redirectUri,
    responseType,
    params['response_mode'],
  );
  const back = (refusal: Refusal) => {
    audit(context, request, 'f', `Authorization request refused: ${refusal.error}`, {
      client,
      details: { error: refusal.error, error_description: refusal.description },
    });
    return authorizationResponse(mode, redirectUri, {
      error: refusal.error,
      error_description: context.config.describeError(refusal.description),
      state: params['state'],
      iss: context.tenant.issuer,
    });
  };
  const refusal =
    modeRefusal ??
    (params['organization'] !== undefined && organization === undefined
      ? {
          error: 'invalid_request',
          description:
            'organization was sent but the client does not use organizations (organization_usage)',
        }
      : (checkRequest(client, params, responseType) ?? checkDpopJkt(params['dpop_jkt'])));
  if (refusal) return back(refusal);
  // checkRequest refused every request without a served response type.
  const served = responseType as ResponseType;
  let granted;
  try {
    granted = await context.tenant.authorization.checkRequest(client, {
      scope: params['scope'],
      audience: await requestedAudience(context, params),
    });
  } catch (error) {
    if (!isClienteleError(error)) throw error;
    // RFC 6749 section 4.1.2.1's name for an outage; the driver's words stay here.
    if (error instanceof StoreUnavailableError) {
      return back({ error: 'temporarily_unavailable', description: 'retry later' });
    }
    return back({ error: error.code, description: error.message });
  }
  const unbound = served.token
    ? await frontChannelRefusal(context, client, granted.audience)
    : undefined;
  if (unbound) return back(unbound);
  const pending: PendingRequest = {
    client_id: client.client_id,
    redirect_uri: redirectUri,
    state: params['state'] ?? null,
    nonce: params['nonce'] ?? null,
    code_challenge: params['code_challenge'] ?? null,
    scope: granted.scope,
    audience: granted.audience ?? null,
    prompt: params['prompt']?.split(' ') ?? [],
    login_hint: params['login_hint'] ?? null,
    expires_at: 0,
    ip: context.config.clientIp(request) ?? null,
    user_agent: excerpt(request.headers.get('user-agent') ?? undefined) ?? null,
    session_id: null,
    response_type: served.name,
    response_mode: mode,
    ...(params['dpop_jkt'] === undefined ? {} : { dpop_jkt: params['dpop_jkt'] }),
  };
  const signIn = await signInFor(context, request, client, params, pending);
  if ('error' in signIn) return back(signIn);
  if (signIn.kind === 'session') {
    return issueAndRedirect(context, request, client, pending, signIn.user, signIn.session);
  }
  if (!context.config.login) {
    return back({ error: 'login_required', description: 'the user is not signed in' });
  }
  const created = await createPending(
    context,
    { ...pending, session_id: signIn.sessionId ?? null },
    client,
    signIn.reason,
  );
  return context.config.login(request, created);
}

/** Refuses a front-channel access token where only a DPoP-bound one may be issued. */
async function frontChannelRefusal(
  context: ProviderContext,
  client: Client,
  audience: string | undefined,
): Promise<Refusal | undefined> {
  const api =
    audience === undefined ? undefined : await context.tenant.apis.getByAudience(audience);
  return frontChannelTokenRefusal({
    audience: audience === undefined ? 'userinfo' : apiPolicyOf(api?.proof_of_possession),
    clientRequires: client.require_proof_of_possession === true,
  });
}

/**
 * The `organization` parameter, for a client whose `organization_usage` is `allow` or
 * `require`: Auth0 evaluates `{organization_name}` callbacks only in an organization's
 * context, and only for such clients. Undefined otherwise.
 *
 * @see https://auth0.com/docs/manage-users/organizations/configure-organizations/define-organization-behavior
 */
function organizationOf(client: Client, params: Params): string | undefined {
  const usage = client.organization_usage;
  return usage === 'allow' || usage === 'require' ? params['organization'] : undefined;
}

/**
 * The response mode of a request whose client and redirect_uri are valid: the one asked
 * for when it may be used, otherwise the response type's default (so the refusal itself
 * travels safely). Tokens never go in a query; `web_message` posts to the redirect URI's
 * origin, which must be one of the client's Allowed Web Origins.
 */
function responseModeFor(
  client: Client,
  redirectUri: string,
  responseType: ResponseType | undefined,
  asked: string | undefined,
): { mode: ResponseMode; refusal?: Refusal } {
  const fallback = responseType?.defaultMode ?? 'query';
  if (asked === undefined) return { mode: fallback };
  if (!(RESPONSE_MODES_SERVED as readonly string[]).includes(asked)) {
    return {
      mode: fallback,
      refusal: {
        error: 'invalid_request',
        description: `response_mode must be one of ${RESPONSE_MODES_SERVED.join(', ')}`,
      },
    };
  }
  const mode = asked as ResponseMode;
  if (mode === 'query' && responseType && responseType.name !== 'code') {
    return {
      mode: fallback,
      refusal: {
        error: 'invalid_request',
        description: `response_mode query cannot carry tokens: response_type ${responseType.name} needs fragment, form_post or web_message`,
      },
    };
  }
  if (mode === 'web_message' && !client.allowsWebOrigin(originOf(redirectUri))) {
    return {
      mode: fallback,
      refusal: {
        error: 'invalid_request',
        description:
          'response_mode web_message needs the origin of redirect_uri in the Allowed Web Origins (web_origins) of the client',
      },
    };
  }
  return { mode };
}

function originOf(uri: string): string {
  try {
    return new URL(uri).origin;
  } catch {
    return 'null';
  }
}

/** What is wrong with a request whose client and redirect_uri are valid. */
function checkRequest(
  client: Client,
  params: Params,
  responseType: ResponseType | undefined,
): Refusal | undefined {
  if (params['request'] !== undefined) {
    return { error: 'request_not_supported', description: 'request objects are not supported' };
  }
  if (params['request_uri'] !== undefined) {
    return { error: 'request_uri_not_supported', description: 'request_uri is not supported' };
  }
  if (params['response_type'] === undefined) {
    return { error: 'invalid_request', description: 'response_type is missing' };
  }
  if (!responseType) {
    return {
      error: 'unsupported_response_type',
      description: `response_type must be one of: ${RESPONSE_TYPES_SERVED.join(', ')}`,
    };
  }
  const grants: readonly string[] = client.grant_types;
  const missing = responseType.grants.find((grant) => !grants.includes(grant));
  if (missing !== undefined) {
    return {
      error: 'unauthorized_client',
      description: `the client may not use the ${missing} grant (response_type ${responseType.name})`,
    };
  }
  if (responseType.idToken && params['nonce'] === undefined) {
    return {
      error: 'invalid_request',
      description: `nonce is required when an ID token is returned from /authorize (response_type ${responseType.name})`,
    };
  }
  if (responseType.idToken && !(params['scope'] ?? '').split(' ').includes('openid')) {
    return {
      error: 'invalid_request',
      description: `response_type ${responseType.name} returns an ID token: scope must include openid`,
    };
  }
  for (const [name, max] of Object.entries(MAX_LENGTH)) {
    if ((params[name]?.length ?? 0) > max) {
      return { error: 'invalid_request', description: `${name} is longer than ${max} characters` };
    }
  }
  const prompt = params['prompt']?.split(' ') ?? [];
  if (prompt.some((value) => !PROMPTS.has(value))) {
    return {
      error: 'invalid_request',
      description: 'prompt has a value this server does not know',
    };
  }
  if (prompt.includes('none') && prompt.length > 1) {
    return { error: 'invalid_request', description: 'prompt=none cannot be combined with others' };
  }
  const maxAge = params['max_age'];
  if (maxAge !== undefined && !/^(0|[1-9][0-9]*)$/.test(maxAge)) {
    return {
      error: 'invalid_request',
      description: 'max_age must be a whole number of seconds',
    };
  }
  // PKCE protects the code; a response without one has nothing to bind it to.
  return responseType.code
    ? checkPkce(client, params['code_challenge'], params['code_challenge_method'])
    : undefined;
}

/**
 * PKCE: required of public clients and of third-party clients in strict mode (Auth0's
 * "PKCE mandatory" for them), S256 only (`plain` would leak the verifier).
 *
 * @see https://auth0.com/docs/get-started/applications/third-party-applications/security-controls
 */
function checkPkce(
  client: Client,
  challenge: string | undefined,
  method: string | undefined,
): Refusal | undefined {
  if (challenge === undefined) {
    if (method !== undefined) {
      return {
        error: 'invalid_request',
        description: 'code_challenge_method without code_challenge',
      };
    }
    if (client.token_endpoint_auth_method === 'none') {
      return {
        error: 'invalid_request',
        description: 'code_challenge is required: public clients must use PKCE with S256',
      };
    }
    if (client.is_first_party === false && client.third_party_security_mode === 'strict') {
      return {
        error: 'invalid_request',
        description:
          'code_challenge is required: third-party clients in strict mode must use PKCE with S256',
      };
    }
    return undefined;
  }
  if (method !== 'S256') {
    return { error: 'invalid_request', description: 'code_challenge_method must be S256' };
  }
  if (!isS256Challenge(challenge)) {
    return {
      error: 'invalid_request',
      description: 'code_challenge must be 43 base64url characters (an S256 challenge)',
    };
  }
  return undefined;
}
