/**
 * Who is signed in for an authorization request, and whether that is enough: the
 * provider's login session (its cookie), or else the app's own session hook
 * (`options.session`), weighed against `prompt`, `max_age`, `id_token_hint` and the
 * client (`sso_disabled`, third party) by the rules of `src/sessions/login-decision.ts`.
 * `prompt=none` that cannot be answered from the session is refused here, audited `fsa`.
 */
import type { Client } from '../../client/client.js';
import { isClienteleError } from '../../errors.js';
import { readSessionCookie } from '../../sessions/cookie.js';
import { decideLogin, type LoginReason } from '../../sessions/login-decision.js';
import { audit, type ProviderContext } from './context.js';
import type { ProviderUser } from './options.js';
import type { Params } from './params.js';
import type { PendingRequest } from './pending.js';

/** The login session a code is issued in. */
export interface SessionUse {
  readonly id: string;
  readonly authTime: number;
}

/** What the request gets. */
export type SignIn =
  | { readonly kind: 'session'; readonly user: ProviderUser; readonly session?: SessionUse }
  | { readonly kind: 'login'; readonly reason: LoginReason; readonly sessionId?: string }
  | { readonly error: string; readonly description: string };

/** Decides how the request is signed in. */
export async function signInFor(
  context: ProviderContext,
  request: Request,
  client: Client,
  params: Params,
  pending: PendingRequest,
): Promise<SignIn> {
  const { tenant } = context;
  const session = await tenant.sessions.find(
    readSessionCookie(tenant.issuer, request.headers.get('cookie')),
  );
  const appUser = session ? undefined : await context.config.session?.(request);
  const hint = await hintSubject(context, client, params['id_token_hint']);
  if (hint === 'invalid') {
    return {
      error: 'invalid_request',
      description: 'id_token_hint is not a valid ID token of this client',
    };
  }
  const found = session
    ? { sub: session.sub, authTime: session.authTime }
    : appUser && { sub: appUser.sub, authTime: undefined };
  const decision = decideLogin({
    session: found,
    prompt: pending.prompt,
    maxAge: params['max_age'] === undefined ? undefined : Number(params['max_age']),
    hintSub: hint,
    ssoDisabled: client.sso_disabled === true,
    thirdParty: client.is_first_party === false,
    now: session?.checkedAt ?? 0,
  });
  const silent = pending.prompt.includes('none');
  if (decision.kind === 'refuse') {
    audit(context, request, 'fsa', `Failed silent authentication: ${decision.error}`, {
      client,
      details: { error: decision.error, error_description: decision.description },
    });
    return { error: decision.error, description: decision.description };
  }
  if (decision.kind === 'login') {
    return session
      ? { kind: 'login', reason: decision.reason, sessionId: session.id }
      : { kind: 'login', reason: decision.reason };
  }
  if (session) {
    const caller = { ip: pending.ip ?? undefined, userAgent: pending.user_agent ?? undefined };
    if (!(await tenant.sessions.use(session.id, client.client_id, caller))) {
      // Ended by another request in the meantime: as if there had been none.
      return silent
        ? { error: 'login_required', description: 'the user is not signed in' }
        : { kind: 'login', reason: 'no_session' };
    }
    if (silent) {
      audit(context, request, 'ssa', 'Successful silent authentication', {
        client,
        user: { sub: session.sub, claims: session.claims },
        details: { user_id: session.sub, session_id: session.id },
      });
    }
    return {
      kind: 'session',
      user: { sub: session.sub, claims: session.claims },
      session: { id: session.id, authTime: session.authTime },
    };
  }
  return { kind: 'session', user: appUser as ProviderUser };
}

/**
 * The `sub` of a valid `id_token_hint` for `client`; `'invalid'` for a hint that is not
 * one of its ID tokens. An expired hint is accepted (OIDC Core §3.1.2.1: the hint may
 * have expired; it only names the user).
 */
async function hintSubject(
  context: ProviderContext,
  client: Client,
  hint: string | undefined,
): Promise<string | undefined | 'invalid'> {
  if (hint === undefined) return undefined;
  try {
    const claims = await context.tenant.verifyIdToken(hint, client.client_id, {
      acceptExpired: true,
    });
    return typeof claims.sub === 'string' ? claims.sub : 'invalid';
  } catch (error) {
    if (isClienteleError(error)) return 'invalid';
    throw error;
  }
}
