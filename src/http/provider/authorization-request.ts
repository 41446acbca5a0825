/**
 * Every check of an authorization request, in one function that `/authorize` and the
 * pushed authorization request endpoint (`/oauth/par`, RFC 9126 §2.1: "the same as for
 * an authorization request") both call: the redirect URI against the client's callbacks,
 * the response type and mode, PKCE, the OIDC parameters, `dpop_jkt`, the client's and the
 * tenant's requirements for pushed and signed requests, and the scope and audience that
 * would be granted.
 *
 * Order matters. Until the redirect URI is known to be one of the client's, a problem
 * can only be shown to the person (`invalid`): redirecting to an unchecked URI would make
 * the server an open redirector (RFC 6749 §4.1.2.1, RFC 9700 §4.11). After that, problems
 * are `refused` and can travel back on the redirect URI.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
import type { Client } from '../../client/client.js';
import { complianceRules } from '../../client/compliance-levels.js';
import { checkDpopJkt, frontChannelTokenRefusal } from '../../dpop/authorization-request.js';
import { apiPolicyOf } from '../../dpop/binding.js';
import { StoreUnavailableError, isClienteleError } from '../../errors.js';
import { isS256Challenge } from '../../tokens/pkce.js';
import { requestedAudience } from './client-resolution.js';
import type { ProviderContext } from './context.js';
import type { Params } from './params.js';
import type { PendingRequest } from './pending.js';
import {
  RESPONSE_MODES_SERVED,
  RESPONSE_TYPES_SERVED,
  responseTypeOf,
  type ResponseMode,
  type ResponseType,
} from './served.js';

/** A refusal reported on the client's redirect_uri (or, at `/oauth/par`, in the answer). */
export interface Refusal {
  readonly error: string;
  readonly description: string;
}

/** How the request reached the check. */
export interface RequestOrigin {
  /** Its parameters were pushed (`/oauth/par`, or `/authorize` with their `request_uri`). */
  readonly pushed: boolean;
  /** Its parameters came in a verified request object (JAR). */
  readonly signed: boolean;
}

/** What the pending request is made of, before anyone logs in. */
export type CheckedRequest = Omit<
  PendingRequest,
  'expires_at' | 'ip' | 'user_agent' | 'session_id'
>;

/** The outcome of the checks. */
export type AuthorizationCheck =
  /** Nothing can be redirected: a missing or unknown redirect URI. */
  | { readonly kind: 'invalid'; readonly message: string; readonly redirectUri: string | undefined }
  /** Refused, to be reported on the (checked) redirect URI in `mode`. */
  | {
      readonly kind: 'refused';
      readonly refusal: Refusal;
      readonly redirectUri: string;
      readonly mode: ResponseMode;
    }
  /** Valid: what to keep while the user logs in. */
  | { readonly kind: 'valid'; readonly request: CheckedRequest };

const MAX_LENGTH: Readonly<Record<string, number>> = {
  state: 2048,
  nonce: 512,
  login_hint: 512,
  id_token_hint: 16_384,
  max_age: 10,
};
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

/**
 * Checks the authorization request `params` of `client`, as `/authorize` and `/oauth/par`
 * do. Reads the store (the API named by `audience` or `resource`); writes nothing.
 */
export async function checkAuthorizationRequest(
  context: ProviderContext,
  client: Client,
  params: Params,
  origin: RequestOrigin,
): Promise<AuthorizationCheck> {
  const redirectUri = params['redirect_uri'];
  const organization = organizationOf(client, params);
  if (
    redirectUri === undefined ||
    !client.allowsCallback(
      redirectUri,
      organization === undefined ? undefined : { organizationName: organization },
    )
  ) {
    return {
      kind: 'invalid',
      redirectUri,
      message:
        redirectUri === undefined
          ? 'redirect_uri is missing'
          : `redirect_uri is not in the list of allowed callback URLs of ${client.name}`,
    };
  }
  const responseType = responseTypeOf(params['response_type'] ?? '');
  const { mode, refusal: modeRefusal } = responseModeFor(
    client,
    redirectUri,
    responseType,
    params['response_mode'],
  );
  const refused = (refusal: Refusal): AuthorizationCheck => ({
    kind: 'refused',
    refusal,
    redirectUri,
    mode,
  });
  const refusal =
    modeRefusal ??
    (params['organization'] !== undefined && organization === undefined
      ? {
          error: 'invalid_request',
          description:
            'organization was sent but the client does not use organizations (organization_usage)',
        }
      : (checkRequest(client, params, responseType) ??
        checkDpopJkt(params['dpop_jkt']) ??
        requirementRefusal(context, client, origin)));
  if (refusal) return refused(refusal);
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
      return refused({ error: 'temporarily_unavailable', description: 'retry later' });
    }
    return refused({ error: error.code, description: error.message });
  }
  const unbound = served.token
    ? await frontChannelRefusal(context, client, granted.audience)
    : undefined;
  if (unbound) return refused(unbound);
  return {
    kind: 'valid',
    request: {
      client_id: client.client_id,
      redirect_uri: redirectUri,
      state: params['state'] ?? null,
      nonce: params['nonce'] ?? null,
      code_challenge: params['code_challenge'] ?? null,
      scope: granted.scope,
      audience: granted.audience ?? null,
      prompt: params['prompt']?.split(' ') ?? [],
      login_hint: params['login_hint'] ?? null,
      response_type: served.name,
      response_mode: mode,
      ...(params['dpop_jkt'] === undefined ? {} : { dpop_jkt: params['dpop_jkt'] }),
    },
  };
}

/**
 * A request that had to be pushed (PAR) or signed (JAR) and was not: the client's
 * settings, its compliance level and the tenant decide.
 */
function requirementRefusal(
  context: ProviderContext,
  client: Client,
  origin: RequestOrigin,
): Refusal | undefined {
  const push = origin.pushed
    ? undefined
    : context.tenant.pushedAuthorizationRequests.requirementFor(client);
  if (push !== undefined) return { error: 'invalid_request', description: push };
  const sign = origin.signed ? undefined : context.tenant.requestObjects.requirementFor(client);
  return sign === undefined ? undefined : { error: 'invalid_request', description: sign };
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
 * PKCE: required of public clients, of third-party clients in strict mode (Auth0's "PKCE
 * mandatory" for them) and of clients with a FAPI compliance level, S256 only (`plain`
 * would leak the verifier).
 *
 * @see https://auth0.com/docs/get-started/applications/third-party-applications/security-controls
 * @see https://auth0.com/docs/get-started/applications/configure-fapi-compliance
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
    if (complianceRules(client.compliance_level)?.pkceS256) {
      return {
        error: 'invalid_request',
        description:
          'code_challenge is required by the configured compliance level (PKCE with S256)',
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
