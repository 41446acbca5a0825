/**
 * Whether `/authorize` may answer from the login session (single sign-on) or needs the
 * app's login page, and what `prompt=none` answers when it would need one. Pure: the
 * endpoint passes what it found, this decides, by OIDC Core §3.1.2.1 and Auth0's rules.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */

/** The session (or the app's own session hook's user) found for the request. */
export interface FoundSession {
  readonly sub: string;
  /** When the user authenticated; undefined when unknown (an app's own session). */
  readonly authTime: number | undefined;
}

/** What the request asks and who asks. */
export interface LoginQuestion {
  readonly session: FoundSession | undefined;
  /** `prompt` values. */
  readonly prompt: readonly string[];
  /** `max_age` in seconds, when given. */
  readonly maxAge: number | undefined;
  /** The `sub` of a valid `id_token_hint`, when given. */
  readonly hintSub: string | undefined;
  /** Auth0's `sso_disabled`: this client never signs in from the session. */
  readonly ssoDisabled: boolean;
  /** Third-party clients (`is_first_party: false`) need the user's consent, never silently given. */
  readonly thirdParty: boolean;
  readonly now: number;
}

/** Why the login page is needed for an authorization request. */
export type LoginReason =
  | 'no_session'
  | 'prompt_login'
  | 'max_age'
  | 'another_user'
  | 'sso_disabled'
  | 'consent'
  | 'select_account';

/** The answer. */
export type LoginDecision =
  | { readonly kind: 'session' }
  | { readonly kind: 'login'; readonly reason: LoginReason }
  | { readonly kind: 'refuse'; readonly error: string; readonly description: string };

/** What `prompt=none` answers for each reason the login page would be needed. */
const SILENT_REFUSALS: Readonly<Record<LoginReason, { error: string; description: string }>> = {
  no_session: { error: 'login_required', description: 'the user is not signed in' },
  prompt_login: { error: 'login_required', description: 'a fresh login was asked for' },
  max_age: {
    error: 'login_required',
    description: 'the last authentication is older than max_age',
  },
  another_user: {
    error: 'login_required',
    description: 'id_token_hint names another user than the signed-in one',
  },
  sso_disabled: {
    error: 'login_required',
    description: 'single sign-on is disabled for this client (sso_disabled)',
  },
  consent: {
    error: 'consent_required',
    description: 'a third-party client needs the user to consent',
  },
  select_account: {
    error: 'interaction_required',
    description: 'choosing an account needs the user',
  },
};

/** Decides. */
export function decideLogin(question: LoginQuestion): LoginDecision {
  const reason = loginReason(question);
  if (reason === undefined) return { kind: 'session' };
  if (question.prompt.includes('none')) return { kind: 'refuse', ...SILENT_REFUSALS[reason] };
  return { kind: 'login', reason };
}

function loginReason(question: LoginQuestion): LoginReason | undefined {
  const { session, prompt } = question;
  if (prompt.includes('login')) return 'prompt_login';
  if (session === undefined) return 'no_session';
  if (question.hintSub !== undefined && question.hintSub !== session.sub) return 'another_user';
  if (question.maxAge !== undefined && tooOld(session.authTime, question.maxAge, question.now)) {
    return 'max_age';
  }
  if (question.ssoDisabled) return 'sso_disabled';
  if (prompt.includes('select_account')) return 'select_account';
  if (prompt.includes('consent') || question.thirdParty) return 'consent';
  return undefined;
}

/**
 * OIDC Core §3.1.2.1: re-authenticate when more than `max_age` seconds passed since the
 * authentication; `max_age=0` always (it is `prompt=login`), and an unknown time always.
 */
function tooOld(authTime: number | undefined, maxAge: number, now: number): boolean {
  return authTime === undefined || maxAge === 0 || now - authTime > maxAge;
}
