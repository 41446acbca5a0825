/**
 * The checks of what `tenant.sessions` is given, before anything is read or written: a
 * login (its claims by the rules of authorization codes, which single sign-on issues from
 * them), a client id, an end reason. Each refusal is an {@link InvalidArgumentError} at
 * the member's pointer.
 */
import { InvalidArgumentError } from '../errors.js';
import { SESSION_ENDS, type SessionEnd } from '../sessions/session.js';
import { checkUserClaims } from './authorization-input.js';

/** Who is behind a session operation, for the session's device data and the audit trail. */
export interface SessionCaller {
  /** IP address. */
  readonly ip?: string | undefined;
  /** User agent. */
  readonly userAgent?: string | undefined;
}

/** A login that starts (or renews) a session. */
export interface SessionLogin extends SessionCaller {
  /** The user. */
  readonly sub: string;
  /** The user's claims, kept for the tokens of later single sign-on. */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
  /** Authentication methods (RFC 8176 `amr` values, Auth0's `pwd`, `mfa`, ...). Default none. */
  readonly amr?: readonly string[] | undefined;
  /** The client the login was for. */
  readonly clientId?: string | undefined;
  /**
   * The session the browser had (its id), when it had one: renewed when it is the same
   * user's (same id, new secret), ended when it is another user's.
   */
  readonly previousId?: string | undefined;
}

/** Most `amr` values a session keeps, and the longest. */
const MAX_AMR_VALUES = 32;
const MAX_AMR_LENGTH = 128;

/** Checks a login before anything is stored: its claims are the ones codes will carry. @internal */
export function checkLogin(value: SessionLogin): SessionLogin {
  const login = (typeof value === 'object' && value !== null ? value : {}) as Partial<
    Record<keyof SessionLogin, unknown>
  >;
  const { sub, amr } = login;
  if (typeof sub !== 'string' || sub === '' || sub.length > 255) {
    throw new InvalidArgumentError('/sub', '/sub must be the signed-in user id');
  }
  const claims = checkUserClaims(login.claims);
  if (amr !== undefined) {
    if (!Array.isArray(amr) || amr.length > MAX_AMR_VALUES) {
      throw new InvalidArgumentError(
        '/amr',
        `/amr must be a list of at most ${MAX_AMR_VALUES} authentication method names`,
      );
    }
    amr.forEach((name: unknown, index) => {
      if (typeof name !== 'string' || name === '' || name.length > MAX_AMR_LENGTH) {
        throw new InvalidArgumentError(
          `/amr/${index}`,
          `/amr/${index} must be an authentication method name (pwd, mfa, ...) of at most ${MAX_AMR_LENGTH} characters`,
        );
      }
    });
  }
  const limits = { clientId: 256, previousId: 64, ip: 256, userAgent: 4096 } as const;
  for (const [member, max] of Object.entries(limits)) {
    checkOptionalText(login[member as keyof typeof limits], `/${member}`, max);
  }
  return { ...(value as SessionLogin), claims };
}

/** Checks a member that is absent or a string of at most `max` characters. @internal */
export function checkOptionalText(value: unknown, pointer: string, max: number): void {
  if (value !== undefined && (typeof value !== 'string' || value.length > max)) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} must be a string of at most ${max} characters`,
    );
  }
}

/** Checks an end reason: one of {@link SESSION_ENDS}. @internal */
export function checkReason(reason: unknown): void {
  if (!SESSION_ENDS.includes(reason as SessionEnd)) {
    throw new InvalidArgumentError('/reason', `/reason must be one of ${SESSION_ENDS.join(', ')}`);
  }
}
