/**
 * Checks of what the embedding server passes to `tenant.authorization`: the code to
 * issue after a login, and the scope/audience of an authorization or refresh request.
 */
import type { Client } from '../client/client.js';
import { InvalidArgumentError, InvalidRequestError, InvalidScopeError } from '../errors.js';
import { isJwkThumbprint } from '../dpop/public-jwk.js';
import { isS256Challenge } from '../tokens/pkce.js';
import { OIDC_SCOPES } from '../tokens/oidc-claims.js';
import { parseScope } from '../tokens/scope.js';
import type { CodeRecord } from './authorization-records.js';
import { checkCodeLifetime } from './authorization-codes.js';

/** What `/authorize` decided and who logged in: the input of `issueCode`. */
export interface CodeInput {
  /** The client the code is for. */
  readonly clientId: string;
  /** The request's `redirect_uri`, verbatim: the token request must repeat it. */
  readonly redirectUri: string;
  /** The S256 PKCE challenge, when the request had one. */
  readonly codeChallenge?: string | undefined;
  /** The request's `nonce`, echoed in the ID token. */
  readonly nonce?: string | undefined;
  /** The scopes granted (from `checkRequest`). */
  readonly scope: readonly string[];
  /** The API the access tokens are for (from `checkRequest`). */
  readonly audience?: string | undefined;
  /** The user. */
  readonly sub: string;
  /** The user's claims (`name`, `email`, ...), released per scope in ID token and userinfo. */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
  /** When the user authenticated (NumericDate); default now. */
  readonly authTime?: number | undefined;
  /** The login session the code was issued in: the ID token's `sid`. */
  readonly sessionId?: string | undefined;
  /** Seconds the code stays valid: 1..600, default 60. */
  readonly lifetimeSeconds?: number | undefined;
  /**
   * The thumbprint of the DPoP key the code is bound to (`dpop_jkt` of the authorization
   * request, or the key of the proof sent with its push, RFC 9449 §10): the code exchange
   * needs a proof of that key.
   */
  readonly dpopJkt?: string | undefined;
}

/** What an authorization request will be granted. */
export interface AuthorizationRequestCheck {
  /** The scopes to grant, in request order. */
  readonly scope: string[];
  /** The API identifier, when one was requested. */
  readonly audience: string | undefined;
}

/** Claims the tenant sets itself in ID tokens and access tokens. */
const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'azp',
  'exp',
  'iat',
  'nbf',
  'jti',
  'sid',
  'nonce',
  'auth_time',
  'at_hash',
  'c_hash',
  'scope',
  'client_id',
]);
const MAX_NONCE = 512;
const MAX_SUB = 255;
const MAX_CLAIMS_JSON = 16_384;

/** Checks `issueCode`'s input into the record to store. @internal */
export function checkCodeInput(
  input: CodeInput,
  now: number,
): Omit<CodeRecord, 'used_at' | 'authorization_id'> {
  if (typeof input !== 'object' || (input as unknown) === null) {
    throw new InvalidArgumentError('/input', 'input must be an object');
  }
  const text = (value: unknown, pointer: string, max: number): string => {
    if (typeof value !== 'string' || value === '' || value.length > max) {
      throw new InvalidArgumentError(
        pointer,
        `${pointer} must be a non-empty string of at most ${max} characters`,
      );
    }
    return value;
  };
  const optional = (value: unknown, pointer: string, max: number): string | null =>
    value === undefined ? null : text(value, pointer, max);
  const challenge = optional(input.codeChallenge, '/codeChallenge', 43);
  if (challenge !== null && !isS256Challenge(challenge)) {
    throw new InvalidArgumentError(
      '/codeChallenge',
      '/codeChallenge must be an S256 challenge (43 base64url characters)',
    );
  }
  if (!Array.isArray(input.scope) || !input.scope.every((s) => typeof s === 'string' && s !== '')) {
    throw new InvalidArgumentError(
      '/scope',
      '/scope must be an array of scope tokens (from checkRequest)',
    );
  }
  const dpopJkt = optional(input.dpopJkt, '/dpopJkt', 43);
  if (dpopJkt !== null && !isJwkThumbprint(dpopJkt)) {
    throw new InvalidArgumentError(
      '/dpopJkt',
      '/dpopJkt must be a SHA-256 JWK thumbprint (43 base64url characters)',
    );
  }
  const claims = checkUserClaims(input.claims);
  const authTime = input.authTime ?? now;
  if (!Number.isSafeInteger(authTime) || authTime < 0) {
    throw new InvalidArgumentError('/authTime', '/authTime must be a NumericDate (whole seconds)');
  }
  return {
    client_id: text(input.clientId, '/clientId', 256),
    redirect_uri: text(input.redirectUri, '/redirectUri', 4096),
    code_challenge: challenge,
    nonce: optional(input.nonce, '/nonce', MAX_NONCE),
    scope: [...input.scope],
    audience: optional(input.audience, '/audience', 600),
    sub: text(input.sub, '/sub', MAX_SUB),
    claims,
    auth_time: authTime,
    sid: optional(input.sessionId, '/sessionId', 64),
    ...(dpopJkt === null ? {} : { dpop_jkt: dpopJkt }),
    expires_at: now + checkCodeLifetime(input.lifetimeSeconds, '/lifetimeSeconds'),
  };
}

/**
 * Checks a login's user claims (`/claims`): an object of JSON values, at most 16 KB as
 * JSON, without a claim the tenant sets itself; returns a copy. @internal
 */
export function checkUserClaims(claims: unknown): Record<string, unknown> {
  if (claims === undefined) return {};
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new InvalidArgumentError('/claims', '/claims must be an object of user claims');
  }
  for (const name of Object.keys(claims)) {
    if (RESERVED_CLAIMS.has(name)) {
      throw new InvalidArgumentError(
        `/claims/${name}`,
        `/claims/${name} is set by the tenant, not by the login`,
      );
    }
  }
  let json: string;
  try {
    json = JSON.stringify(claims);
  } catch {
    throw new InvalidArgumentError('/claims', '/claims must be JSON values');
  }
  if (json.length > MAX_CLAIMS_JSON) {
    throw new InvalidArgumentError(
      '/claims',
      `/claims must be at most ${MAX_CLAIMS_JSON} characters as JSON`,
    );
  }
  return JSON.parse(json) as Record<string, unknown>;
}

/** See `AuthorizationService.checkRequest`. @internal */
export async function resolveRequestScope(
  client: Client,
  request: { scope?: string | undefined; audience?: string | undefined },
  findApi: (audience: string) => Promise<{ scopes: readonly { value: string }[] } | undefined>,
): Promise<AuthorizationRequestCheck> {
  const requested = request.scope === undefined ? [] : parseScope(request.scope);
  let apiScopes = new Set<string>();
  const audience = request.audience;
  if (audience !== undefined) {
    if (typeof audience !== 'string' || audience === '' || audience.length > 600) {
      throw new InvalidRequestError('audience must be an API identifier of this tenant');
    }
    const api = await findApi(audience);
    if (!api) throw new InvalidRequestError('audience names no API of this tenant');
    apiScopes = new Set(api.scopes.map((scope) => scope.value));
  }
  const offline = client.grant_types.includes('refresh_token');
  const scope = requested.filter(
    (s) => (OIDC_SCOPES.has(s) && (s !== 'offline_access' || offline)) || apiScopes.has(s),
  );
  return { scope, audience };
}

/** The scope of a refresh: the granted one, or a requested subset of it. @internal */
export function narrowScope(requested: string | undefined, granted: readonly string[]): string[] {
  if (requested === undefined) return [...granted];
  const wanted = parseScope(requested);
  const allowed = new Set(granted);
  const extra = wanted.filter((scope) => !allowed.has(scope));
  if (extra.length > 0) {
    throw new InvalidScopeError(
      `scope may only narrow on refresh: ${extra.slice(0, 5).join(', ')} was not granted`,
    );
  }
  return wanted;
}
