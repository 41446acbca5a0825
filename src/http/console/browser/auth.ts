/**
 * Sign-in: the tenant's own authorization code flow with PKCE (RFC 7636, S256), as the
 * console's public client. The access token lives in sessionStorage for this tab only.
 */
import type { ConsoleConfig } from './config.js';

const PENDING = 'clientele.console.pending';
const SESSION = 'clientele.console.session';

interface Session {
  readonly accessToken: string;
  readonly expiresAt: number;
}

interface Pending {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: string;
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function callbackUrl(config: ConsoleConfig): string {
  return `${location.origin}${config.basePath}/callback`;
}

/** The current access token, or undefined when signed out or expired. */
export function currentToken(): string | undefined {
  const raw = sessionStorage.getItem(SESSION);
  if (!raw) return undefined;
  const session = JSON.parse(raw) as Session;
  if (session.expiresAt <= Date.now() + 10_000) {
    sessionStorage.removeItem(SESSION);
    return undefined;
  }
  return session.accessToken;
}

/** Forgets the token (after a 401, or on sign-out). */
export function forgetToken(): void {
  sessionStorage.removeItem(SESSION);
}

/** Starts the authorization code flow; the browser leaves the page. */
export async function signIn(config: ConsoleConfig): Promise<void> {
  const verifier = randomString();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const pending: Pending = {
    state: randomString(),
    verifier,
    returnTo: location.pathname + location.search,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL('authorize', config.issuer);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: callbackUrl(config),
    scope: config.scope,
    audience: config.audience,
    state: pending.state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

/**
 * Finishes sign-in on `/callback`: checks `state`, exchanges the code with the PKCE
 * verifier and returns where the user was going.
 *
 * @throws Error with the authorization server's message when sign-in failed.
 */
export async function finishSignIn(config: ConsoleConfig): Promise<string> {
  const params = new URLSearchParams(location.search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  const error = params.get('error');
  if (error) throw new Error(`Sign-in failed: ${params.get('error_description') ?? error}`);
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) {
    throw new Error('Sign-in failed: the answer does not belong to this browser tab.');
  }
  const response = await fetch(new URL('oauth/token', config.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callbackUrl(config),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = (await response.json()) as {
    access_token?: string;
    expires_in?: number;
    error_description?: string;
    error?: string;
  };
  if (!response.ok || !body.access_token) {
    throw new Error(`Sign-in failed: ${body.error_description ?? body.error ?? response.status}`);
  }
  const session: Session = {
    accessToken: body.access_token,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000,
  };
  sessionStorage.setItem(SESSION, JSON.stringify(session));
  return pending.returnTo.startsWith(config.basePath) ? pending.returnTo : `${config.basePath}/`;
}
