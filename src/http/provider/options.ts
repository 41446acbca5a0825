/**
 * `createProvider` options: the embedding app's login, an optional session lookup, and
 * limits. Checked once, with typed errors naming the option.
 */
import { InvalidArgumentError } from '../../errors.js';
import { oauthErrorDescription } from '../../lib/oauth-error-description.js';
import { DEFAULT_BODY_LIMIT } from '../body.js';
import { remoteAddressOf } from '../node-listener.js';
import type { LoginReason } from '../../sessions/login-decision.js';

/** An authorization request that passed every check and waits for a login. */
export interface PendingAuthorization {
  /** Pass to `provider.completeAuthorization(id, user)` once the user has logged in. */
  readonly id: string;
  /** The client asking. */
  readonly clientId: string;
  /** Its display name, for the login page. */
  readonly clientName: string;
  /**
   * For a client whose `client_id` is a metadata document's URL (CIMD): that URL's host,
   * which a login page should show next to the name, since anyone can put any name in a
   * document but only the host's owner can serve it.
   */
  readonly clientIdMetadataDocumentHost?: string;
  /** The scopes that will be granted. */
  readonly scope: readonly string[];
  /** The API the access token will be for, when one was asked for. */
  readonly audience: string | undefined;
  /** The `prompt` values of the request (`login`, `consent`, ...). */
  readonly prompt: readonly string[];
  /** The `login_hint` parameter, when given. */
  readonly loginHint: string | undefined;
  /** When the pending request expires (NumericDate). */
  readonly expiresAt: number;
  /**
   * Why the login page is needed: `no_session`, `prompt_login`, `max_age` (the last
   * authentication is too old), `another_user` (`id_token_hint` names someone else),
   * `sso_disabled`, `consent` (asked for, or a third-party client), `select_account`.
   */
  readonly reason: LoginReason;
}

/** A signed-in user, as the embedding app knows them. */
export interface ProviderUser {
  /** The user's id: the `sub` of every token. */
  readonly sub: string;
  /** Claims (`name`, `email`, ...) released by scope in ID tokens and userinfo. */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
  /** How the user authenticated (`amr` values: `pwd`, `mfa`, ...), kept in the session. */
  readonly amr?: readonly string[] | undefined;
}

/** Options of `createProvider`. */
export interface ProviderOptions {
  /**
   * Shows the app's own login: called for a valid authorization request when no session
   * applies. The app later calls `provider.completeAuthorization(pending.id, user)` and
   * sends the browser to the Response it returns. Without it, `/authorize` answers
   * `login_required` to the client.
   */
  login?: (request: Request, pending: PendingAuthorization) => Promise<Response>;
  /**
   * For an app that keeps sessions of its own: the user already signed in for this
   * request, or undefined. Asked only when the provider's own login session (its cookie)
   * does not apply; such a user has no known `auth_time`, so `max_age` always shows the
   * login page.
   */
  session?: (request: Request) => Promise<ProviderUser | undefined>;
  /** Seconds an authorization code lives: 1..600, default 60. */
  codeLifetimeSeconds?: number;
  /** Seconds a pending authorization request waits for its login: default 600. */
  loginTimeoutSeconds?: number;
  /** Largest request body accepted, in bytes. Default 64 KiB. */
  bodyLimit?: number;
  /**
   * The caller's IP address for the audit trail. Default: the socket's peer address under
   * `toNodeListener` (`remoteAddressOf`); behind a proxy, read the proxy's header instead.
   */
  clientIp?: (request: Request) => string | undefined;
  /**
   * Turns a library message into an OAuth `error_description` (RFC 6749 §5.2's
   * character set). Default: the library's `oauthErrorDescription`.
   */
  describeError?: (message: string) => string;
  /** Called with unexpected failures (answered `500 server_error`). Default: a process warning. */
  onUnexpectedError?: (error: unknown, request: Request) => void;
}

/** Checked options. @internal */
export interface ProviderConfig {
  readonly login: ProviderOptions['login'];
  readonly session: ProviderOptions['session'];
  readonly codeLifetimeSeconds: number | undefined;
  readonly loginTimeoutSeconds: number;
  readonly bodyLimit: number;
  readonly clientIp: (request: Request) => string | undefined;
  readonly describeError: (message: string) => string;
  readonly onUnexpectedError: ProviderOptions['onUnexpectedError'];
}

/** Checks `options`. @internal */
export function readProviderOptions(options: ProviderOptions = {}): ProviderConfig {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new InvalidArgumentError('/options', 'options must be an object');
  }
  for (const name of [
    'login',
    'session',
    'clientIp',
    'describeError',
    'onUnexpectedError',
  ] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new InvalidArgumentError(`/options/${name}`, `/options/${name} must be a function`);
    }
  }
  const seconds = (value: unknown, name: string, max: number, fallback: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      throw new InvalidArgumentError(
        `/options/${name}`,
        `/options/${name} must be a whole number from 1 to ${max}`,
      );
    }
    return value;
  };
  return {
    login: options.login,
    session: options.session,
    codeLifetimeSeconds:
      options.codeLifetimeSeconds === undefined
        ? undefined
        : seconds(options.codeLifetimeSeconds, 'codeLifetimeSeconds', 600, 60),
    loginTimeoutSeconds: seconds(options.loginTimeoutSeconds, 'loginTimeoutSeconds', 86_400, 600),
    bodyLimit: seconds(options.bodyLimit, 'bodyLimit', 16 * 1024 * 1024, DEFAULT_BODY_LIMIT),
    clientIp: options.clientIp ?? remoteAddressOf,
    describeError: options.describeError ?? oauthErrorDescription,
    onUnexpectedError: options.onUnexpectedError,
  };
}
