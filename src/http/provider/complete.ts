/**
 * The end of a login: the code (and in the implicit and hybrid flows the tokens) is issued
 * for the pending request and the browser goes back to the client's redirect_uri with
 * them, `state` and `iss` (RFC 9207), in the request's response mode.
 */
import type { Client } from '../../client/client.js';
import { InvalidArgumentError } from '../../errors.js';
import { audit, findClient, userNameOf, type ProviderContext } from './context.js';
import type { ProviderUser } from './options.js';
import { takePending, type PendingRequest } from './pending.js';
import { textPage } from './responses.js';
import { authorizationResponse } from './authorization-response.js';
import { responseTypeOf, type ResponseType } from './served.js';
import type { SessionUse } from './sign-in.js';
import { sessionCookie } from '../../sessions/cookie.js';

/**
 * Issues what the pending request's response type returns (a code, tokens, or both) for
 * `user`, and sends it back in the request's response mode.
 */
export async function issueAndRedirect(
  context: ProviderContext,
  request: Request | undefined,
  client: Client,
  pending: PendingRequest,
  user: ProviderUser,
  session?: SessionUse,
): Promise<Response> {
  const type = responseTypeOf(pending.response_type ?? 'code') ?? CODE;
  const authTime = session?.authTime;
  const code = type.code
    ? await context.tenant.authorization.issueCode({
        clientId: client.client_id,
        redirectUri: pending.redirect_uri,
        codeChallenge: pending.code_challenge ?? undefined,
        nonce: pending.nonce ?? undefined,
        scope: pending.scope,
        audience: pending.audience ?? undefined,
        sub: user.sub,
        claims: user.claims,
        authTime,
        sessionId: session?.id,
        lifetimeSeconds: context.config.codeLifetimeSeconds,
        dpopJkt: pending.dpop_jkt,
      })
    : undefined;
  const tokens =
    type.idToken || type.token
      ? await context.tenant.authorization.issueFrontChannel(client, {
          sub: user.sub,
          claims: user.claims,
          scope: pending.scope,
          audience: pending.audience ?? undefined,
          nonce: pending.nonce ?? undefined,
          authTime,
          sessionId: session?.id,
          code,
          accessToken: type.token,
          idToken: type.idToken,
        })
      : {};
  const details = {
    user_id: user.sub,
    scope: pending.scope.join(' '),
    response_type: type.name,
    ...(session ? { session_id: session.id } : {}),
  };
  if (request) audit(context, request, 's', 'Successful login', { client, user, details });
  else {
    // The login ends outside any provider request: the caller is the one of /authorize.
    context.tenant.audit.record({
      type: 's',
      description: 'Successful login',
      client_id: client.client_id,
      client_name: client.name,
      user_id: user.sub,
      user_name: userNameOf(user.claims),
      ip: pending.ip ?? undefined,
      user_agent: pending.user_agent ?? undefined,
      details,
    });
  }
  return authorizationResponse(pending.response_mode ?? type.defaultMode, pending.redirect_uri, {
    code,
    ...tokens,
    expires_in: tokens.expires_in === undefined ? undefined : String(tokens.expires_in),
    state: pending.state ?? undefined,
    iss: context.tenant.issuer,
  });
}

/**
 * `provider.completeAuthorization(pendingId, user)`: the login page's user is signed in.
 * A login session starts (or the browser's session of the same user is renewed with a new
 * secret), the code is issued in it, and the redirect carries the session cookie.
 */
export async function completeAuthorization(
  context: ProviderContext,
  pendingId: string,
  user: ProviderUser,
): Promise<Response> {
  if (
    typeof user !== 'object' ||
    (user as unknown) === null ||
    typeof user.sub !== 'string' ||
    user.sub === ''
  ) {
    throw new InvalidArgumentError('/user/sub', '/user/sub must be the signed-in user id');
  }
  const pending = await takePending(context, pendingId);
  const client = pending && (await findClient(context.tenant, pending.client_id));
  if (!pending || !client) {
    return textPage(400, 'Bad request: this sign-in request expired or was already completed.');
  }
  const started = await context.tenant.sessions.start({
    sub: user.sub,
    claims: user.claims,
    amr: user.amr,
    clientId: client.client_id,
    previousId: pending.session_id ?? undefined,
    ip: pending.ip ?? undefined,
    userAgent: pending.user_agent ?? undefined,
  });
  const issuer = context.tenant.issuer;
  const response = await issueAndRedirect(context, undefined, client, pending, user, {
    id: started.id,
    authTime: started.authTime,
  });
  response.headers.append(
    'Set-Cookie',
    sessionCookie(issuer, started.cookie, started.expiresAt - started.authTime),
  );
  return response;
}

/** What a pending request stored before response types were kept asked for. */
const CODE = responseTypeOf('code') as ResponseType;
