/**
 * `createResourceServer(tenant, { resource, scopes, authorizationServers })`: the side of
 * an API (an MCP server, say) that accepts the tenant's access tokens. `metadata` serves
 * its OAuth 2.0 Protected Resource Metadata (RFC 9728) at both places a client looks;
 * `authenticate(request)` answers the verified claims of the bearer token, or the 401/403
 * `Response` RFC 6750 and RFC 9728 describe, whose `WWW-Authenticate` names the metadata
 * so a client can find the authorization server from it. A DPoP-bound token comes as
 * `Authorization: DPoP` with its proof (RFC 9449 §7), checked by the tenant; its refusals
 * carry a `DPoP` challenge with the algorithms served, and a nonce when the tenant asks.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 * @see https://www.rfc-editor.org/rfc/rfc9728
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import {
  InvalidArgumentError,
  InvalidDpopProofError,
  isClienteleError,
  UseDpopNonceError,
} from '../errors.js';
import { toOAuthErrorDescription } from '../lib/error-description-charset.js';
import { canonicalHttpUrl } from '../urls/canonical-http-url.js';
import type { Tenant, VerifiedAccessToken } from '../tenant.js';
import type { Handler } from './handler.js';
import { jsonResponse } from './responses.js';

/** Options of {@link createResourceServer}. */
export interface ResourceServerOptions {
  /**
   * The resource identifier: the API identifier of the tenant that tokens must be issued
   * for (their `aud`), an absolute `https` (or, for local tests, `http`) URL without a
   * fragment, such as `https://mcp.example.com/mcp`.
   */
  readonly resource: string;
  /**
   * Scopes every request needs (all of them); advertised as `scopes_supported`. A token
   * without one of them gets `403 insufficient_scope`. Default: none required.
   */
  readonly scopes?: readonly string[];
  /** Issuers of the authorization servers clients may use. Default: the tenant's issuer. */
  readonly authorizationServers?: readonly string[];
  /** A human-readable name for the metadata (`resource_name`). */
  readonly resourceName?: string;
}

/** What {@link createResourceServer} returns. */
export interface ResourceServer {
  /**
   * Serves the metadata at `GET /.well-known/oauth-protected-resource` and at the
   * path-suffixed form (`/.well-known/oauth-protected-resource/mcp` for
   * `https://host/mcp`); 404 for any other path.
   */
  readonly metadata: Handler;
  /** Where the metadata is published (the path-suffixed form), as `resource_metadata` says. */
  readonly metadataUrl: string;
  /**
   * The verified claims of the request's bearer token (signature, `iss`, `aud` = the
   * resource, `exp`, revocation, the required scopes), or the error `Response` to send:
   * 401 without a token or with an invalid one, 403 when a scope is missing, each with
   * `WWW-Authenticate: Bearer resource_metadata="…"`.
   */
  authenticate(
    request: Request,
    options?: {
      /** Scopes this request needs besides the server-wide ones. */
      scopes?: readonly string[];
    },
  ): Promise<VerifiedAccessToken | Response>;
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource';
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Protects an API with the tenant's access tokens, as RFC 9728 and RFC 6750 describe.
 *
 * @param tenant - the tenant whose tokens are accepted
 * @param options - the resource identifier, required scopes and authorization servers
 * @throws `InvalidArgumentError` for a bad option, at its pointer.
 * @example
 * ```ts
 * const guard = createResourceServer(tenant, { resource: 'https://mcp.example.com/mcp', scopes: ['notes:read'] });
 * const handler = async (request: Request) => {
 *   if (new URL(request.url).pathname.startsWith('/.well-known/')) return guard.metadata(request);
 *   const claims = await guard.authenticate(request);
 *   if (claims instanceof Response) return claims;
 *   return new Response(`hello ${claims.sub}`);
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function createResourceServer(
  tenant: Tenant,
  options: ResourceServerOptions,
): ResourceServer {
  if (typeof tenant !== 'object' || (tenant as unknown) === null || !('issuer' in tenant)) {
    throw new InvalidArgumentError('/tenant', 'tenant must be a Tenant');
  }
  const resource = checkResource((options as Partial<ResourceServerOptions> | undefined)?.resource);
  const scopes = checkScopes(options.scopes);
  const servers = checkServers(options.authorizationServers, tenant.issuer);
  if (options.resourceName !== undefined && typeof options.resourceName !== 'string') {
    throw new InvalidArgumentError(
      '/options/resourceName',
      '/options/resourceName must be a string',
    );
  }
  const path = resource.pathname === '/' ? '' : resource.pathname;
  const metadataUrl = `${resource.origin}${WELL_KNOWN}${path}`;
  const document = {
    resource: resource.href,
    authorization_servers: servers,
    ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
    bearer_methods_supported: ['header'],
    dpop_signing_alg_values_supported: [...tenant.dpop.algorithms],
    ...(options.resourceName === undefined ? {} : { resource_name: options.resourceName }),
  };
  const served = new Set([WELL_KNOWN, `${WELL_KNOWN}${path}`]);
  const metadata: Handler = (request) => {
    const { pathname } = new URL(request.url);
    if (!served.has(pathname)) return Promise.resolve(jsonResponse(404, { error: 'not_found' }));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return Promise.resolve(
        jsonResponse(405, { error: 'method_not_allowed' }, { headers: { Allow: 'GET, HEAD' } }),
      );
    }
    // Public metadata: any origin may read it (browser-based MCP clients do).
    return Promise.resolve(
      jsonResponse(200, document, {
        maxAge: 300,
        headers: { 'Access-Control-Allow-Origin': '*' },
      }),
    );
  };
  const challenge = (attributes: Record<string, string>) =>
    `Bearer ${Object.entries({ resource_metadata: metadataUrl, ...attributes })
      .map(([name, value]) => `${name}="${value}"`)
      .join(', ')}`;
  const dpopChallenge = (attributes: Record<string, string>) =>
    `DPoP ${Object.entries({ algs: tenant.dpop.algorithms.join(' '), ...attributes })
      .map(([name, value]) => `${name}="${value}"`)
      .join(', ')}`;
  // Both schemes are offered; the error goes in the challenge of the scheme that was used.
  const refuse = (
    status: number,
    attributes: Record<string, string>,
    scheme: 'Bearer' | 'DPoP' = 'Bearer',
    nonce?: string,
  ) => {
    const { scope, ...failure } = attributes;
    const hint = scope === undefined ? {} : { scope };
    return jsonResponse(
      status,
      'error' in attributes
        ? { error: attributes['error'], error_description: attributes['error_description'] }
        : { error: 'unauthorized' },
      {
        headers: {
          'WWW-Authenticate': `${challenge(scheme === 'Bearer' ? attributes : hint)}, ${dpopChallenge(
            scheme === 'DPoP' ? failure : {},
          )}`,
          ...(nonce === undefined ? {} : { 'DPoP-Nonce': nonce }),
        },
      },
    );
  };
  const needed = (extra: readonly string[] | undefined) => [
    ...new Set([...scopes, ...(extra ?? [])]),
  ];
  return {
    metadata,
    metadataUrl,
    async authenticate(request, perRequest) {
      const required = needed(
        perRequest?.scopes === undefined ? undefined : checkScopes(perRequest.scopes),
      );
      const scopeHint: Record<string, string> =
        required.length > 0 ? { scope: required.join(' ') } : {};
      const presented = presentedToken(request.headers.get('authorization'));
      // RFC 6750 §3.1: no error code when the request carried no credentials at all.
      if (presented === undefined) return refuse(401, scopeHint);
      const { token, scheme } = presented;
      let claims: VerifiedAccessToken;
      try {
        claims = await tenant.verifyAccessToken(token, {
          audience: resource.href,
          dpop:
            scheme === 'DPoP'
              ? {
                  proof: request.headers.get('dpop') ?? '',
                  method: request.method,
                  url: request.url,
                }
              : undefined,
        });
      } catch (error) {
        if (!isClienteleError(error)) throw error;
        const name =
          error instanceof UseDpopNonceError
            ? 'use_dpop_nonce'
            : error instanceof InvalidDpopProofError
              ? 'invalid_dpop_proof'
              : 'invalid_token';
        return refuse(
          401,
          {
            error: name,
            error_description: toOAuthErrorDescription(error.message),
            ...scopeHint,
          },
          scheme,
          error instanceof UseDpopNonceError ? error.nonce : undefined,
        );
      }
      const granted = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
      const missing = required.filter((scope) => !granted.has(scope));
      if (missing.length > 0) {
        return refuse(
          403,
          {
            error: 'insufficient_scope',
            error_description: toOAuthErrorDescription(
              `the access token lacks the scope ${missing.join(' ')}`,
            ),
            scope: required.join(' '),
          },
          scheme,
        );
      }
      return claims;
    },
  };
}

/**
 * The token of an `Authorization: Bearer <token>` (RFC 6750 §2.1) or `Authorization: DPoP
 * <token>` (RFC 9449 §7.1) header, if that is what it is.
 */
function presentedToken(
  header: string | null,
): { token: string; scheme: 'Bearer' | 'DPoP' } | undefined {
  const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  return { token: match[2], scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer' };
}

function checkResource(value: unknown): URL {
  const url = canonicalHttpUrl(value);
  if (!url) {
    throw new InvalidArgumentError(
      '/options/resource',
      '/options/resource must be an absolute http(s) URL in canonical form, without query or fragment (https://mcp.example.com/mcp)',
    );
  }
  return url;
}

function checkScopes(value: unknown): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every((scope) => typeof scope === 'string' && SCOPE_TOKEN.test(scope))
  ) {
    throw new InvalidArgumentError(
      '/options/scopes',
      '/options/scopes must be an array of scope tokens (RFC 6749 §3.3)',
    );
  }
  return [...new Set(value as string[])];
}

function checkServers(value: unknown, issuer: string): string[] {
  if (value === undefined) return [issuer];
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((entry) => typeof entry === 'string' && /^https?:\/\/[^\s"\\]+$/.test(entry))
  ) {
    throw new InvalidArgumentError(
      '/options/authorizationServers',
      '/options/authorizationServers must be a non-empty array of issuer URLs',
    );
  }
  return [...(value as string[])];
}
