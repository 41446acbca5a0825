/**
 * Who may call the Management API: a Bearer access token the tenant issued by client
 * credentials (`gty` `client-credentials`), or a user's token the app accepts
 * (`acceptUserToken`), for the audience `{issuer}api/v2/`, signed with one of the tenant's keys, not expired, whose client still exists; and, per endpoint, the
 * Auth0 scope it needs. A missing or bad token is `401` with `WWW-Authenticate: Bearer`
 * (RFC 6750 §3); a token without the scope is `403` `insufficient_scope`.
 */
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Tenant } from '../../tenant.js';
import { HttpError } from '../errors.js';
import { managementAudience, type ManagementScope } from './scopes.js';

/** Who called, and with which scopes. */
export interface Caller {
  /** The client the token was issued to. */
  readonly clientId: string;
  /** The scopes of the token. */
  readonly scopes: ReadonlySet<string>;
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'RS512'];
/** Longest token considered (a tenant token is well under 2 KiB). */
const MAX_TOKEN_LENGTH = 8 * 1024;

/** Verifies Management API tokens for one tenant. */
export class ManagementAuth {
  readonly #tenant: Tenant;
  readonly #audience: string;
  readonly #now: () => number;
  readonly #acceptUser: ((claims: JWTPayload) => boolean | Promise<boolean>) | undefined;

  /**
   * @param tenant - the tenant whose tokens are accepted
   * @param now - clock in milliseconds
   * @param acceptUser - decides which users' access tokens may call the API (none when absent)
   */
  constructor(
    tenant: Tenant,
    now: () => number,
    acceptUser?: (claims: JWTPayload) => boolean | Promise<boolean>,
  ) {
    this.#tenant = tenant;
    this.#acceptUser = acceptUser;
    this.#audience = managementAudience(tenant);
    this.#now = now;
  }

  /**
   * The caller of `request`, who must hold at least one of `anyOf`.
   *
   * @throws {@link HttpError} 401 without a valid token, 403 without any of the scopes.
   */
  async authorise(request: Request, anyOf: readonly ManagementScope[]): Promise<Caller> {
    const header = request.headers.get('authorization');
    if (header === null) throw this.#unauthorized('Missing authentication', false);
    const token = BEARER.exec(header)?.[1];
    if (token === undefined || token.length > MAX_TOKEN_LENGTH) {
      throw this.#unauthorized('Bad HTTP authentication header format', true);
    }
    const payload = await this.#verify(token);
    const clientId = typeof payload.azp === 'string' ? payload.azp : '';
    const byClient = payload.gty === 'client-credentials' && payload.sub === `${clientId}@clients`;
    if (!byClient && !(await this.#userAccepted(token, payload))) {
      throw this.#unauthorized('the token was not issued by client credentials', true);
    }
    if (!(await this.#tenant.clients.find(clientId))) {
      throw this.#unauthorized('the client of the token no longer exists', true);
    }
    const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
    if (!anyOf.some((scope) => scopes.has(scope))) throw this.#insufficient(anyOf);
    return { clientId, scopes };
  }

  /**
   * Checks that `caller` holds `scope`, which `field` of the request body needs.
   *
   * @throws {@link HttpError} 403 `insufficient_scope` naming the scope and the field.
   */
  requireScope(caller: Caller, scope: ManagementScope, field: string): void {
    if (!caller.scopes.has(scope)) throw this.#insufficient([scope], field);
  }

  #insufficient(anyOf: readonly ManagementScope[], field?: string): HttpError {
    return new HttpError({
      status: 403,
      code: 'insufficient_scope',
      message: `Insufficient scope, expected any of: ${anyOf.join(',')}${field === undefined ? '' : ` (the body has ${field})`}`,
      headers: {
        'WWW-Authenticate': `Bearer realm="${this.#audience}", error="insufficient_scope", scope="${anyOf.join(' ')}"`,
      },
    });
  }

  /**
   * A user's access token (authorization code or refresh grant) counts only when the app
   * said whose, and the tenant has not revoked it.
   */
  async #userAccepted(token: string, payload: JWTPayload): Promise<boolean> {
    if (!this.#acceptUser || payload.gty !== undefined) return false;
    try {
      await this.#tenant.verifyAccessToken(token, { audience: this.#audience });
    } catch {
      return false;
    }
    return (await this.#acceptUser(payload)) === true;
  }

  async #verify(token: string): Promise<JWTPayload> {
    try {
      const keys = createLocalJWKSet(await this.#tenant.jwks());
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.#tenant.issuer,
        audience: this.#audience,
        algorithms: ALGORITHMS,
        currentDate: new Date(this.#now()),
        requiredClaims: ['exp', 'sub', 'azp'],
      });
      return payload;
    } catch (error) {
      throw this.#unauthorized(reason(error), true);
    }
  }

  #unauthorized(message: string, presented: boolean): HttpError {
    const challenge = presented
      ? `Bearer realm="${this.#audience}", error="invalid_token", error_description="${message.replace(/["\\]/g, '')}"`
      : `Bearer realm="${this.#audience}"`;
    return new HttpError({
      status: 401,
      code: 'invalid_token',
      message,
      headers: { 'WWW-Authenticate': challenge },
    });
  }
}

/** The outward reason a token was refused (never the token itself). */
function reason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired)
    return 'Expired token received for JSON Web Token validation';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'Bad audience: the token is not for the Management API';
    if (error.claim === 'iss') return 'Bad issuer: the token was not issued by this tenant';
    return `Invalid token: ${error.claim} claim check failed`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Invalid signature';
  return 'Invalid token';
}
