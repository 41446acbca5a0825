/**
 * Redirect URI rules for dynamically registered clients (OpenID Connect Dynamic Client
 * Registration 1.0 §2, RFC 8252 for native apps). They are stricter than the allow-list
 * grammar every client setting follows: a registered client is a third party, so it gets
 * exact URIs only, and the scheme and host must fit its `application_type`.
 *
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
import { parseUrlPattern, type UrlPattern } from '../urls/pattern.js';
import type { RegistrationApplicationType } from './metadata.js';

/** What decides which redirect URIs a client may register. */
export interface RedirectUriContext {
  /** `web` or `native`. */
  readonly applicationType: RegistrationApplicationType;
  /** Whether `grant_types` includes `implicit` (tokens in the front channel). */
  readonly implicit: boolean;
  /** `callback` for `redirect_uris`, `logout` for `post_logout_redirect_uris`. */
  readonly kind: 'callback' | 'logout';
}

/**
 * Why `uri` cannot be registered, as the second half of a message
 * (`must not contain a fragment ...`), or `undefined` when it can.
 *
 * - Never a wildcard (`*` anywhere), never the `{organization_name}` placeholder (an Auth0
 *   template for first-party clients, like a wildcard), and never a fragment.
 * - It must be a valid allow-list entry of its kind (`parseUrlPattern`).
 * - `web`: `http` or `https` only; with `implicit`, only `https` and never `localhost`
 *   or a loopback address.
 * - `native`: a private-use scheme in reverse-domain form (`com.example.app:/cb`), or
 *   `http` on the loopback IP literals `127.0.0.1` / `[::1]` (any port matches later).
 *   `localhost` is refused (RFC 8252 §8.3: NOT RECOMMENDED) and so is `https`.
 *
 * @example
 * ```ts
 * redirectUriProblem('myapp:/cb', { applicationType: 'native', implicit: false, kind: 'callback' });
 * // 'must use a reverse-domain private-use scheme such as com.example.app: ...'
 * ```
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata (application_type)
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.1 (private-use URI schemes)
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3 (loopback interface redirection)
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.4 (schemes without a period)
 */
export function redirectUriProblem(uri: string, context: RedirectUriContext): string | undefined {
  if (uri.includes('*')) {
    return 'must not contain a wildcard ("*"): dynamically registered clients get exact URIs only';
  }
  if (uri.includes('#')) {
    return 'must not contain a fragment ("#") (RFC 6749 §3.1.2, OIDC DCR §2)';
  }
  const parsed = parseUrlPattern(context.kind, uri);
  if (!parsed.ok) return parsed.reason;
  if (parsed.pattern.organizationPlaceholder) {
    return 'must not contain the {organization_name} placeholder: dynamically registered clients get exact URIs only';
  }
  return context.applicationType === 'native'
    ? nativeProblem(parsed.pattern)
    : webProblem(parsed.pattern, context.implicit);
}

function webProblem(pattern: UrlPattern, implicit: boolean): string | undefined {
  if (pattern.scheme !== 'http' && pattern.scheme !== 'https') {
    return 'must use http or https for a web client (OIDC DCR §2); private-use schemes need application_type native';
  }
  if (!implicit) return undefined;
  if (pattern.scheme !== 'https') {
    return 'must use https for a web client that uses the implicit grant (OIDC DCR §2)';
  }
  if (isLoopbackHost(pattern.host)) {
    return 'must not use localhost or a loopback address for a web client that uses the implicit grant (OIDC DCR §2)';
  }
  return undefined;
}

function nativeProblem(pattern: UrlPattern): string | undefined {
  switch (pattern.scheme) {
    case 'http':
      if (pattern.loopbackIp) return undefined;
      if (pattern.host === 'localhost' || pattern.host.endsWith('.localhost')) {
        return 'must use the loopback IP literal 127.0.0.1 or [::1] instead of localhost for a native client (RFC 8252 §7.3, §8.3)';
      }
      return 'may use http only on the loopback IP literal 127.0.0.1 or [::1] for a native client (RFC 8252 §7.3)';
    case 'https':
      return 'must use a private-use scheme (com.example.app:/callback) or http on a loopback IP (http://127.0.0.1/callback) for a native client (OIDC DCR §2); register claimed https URIs as application_type web';
    default:
      if (!pattern.scheme.includes('.')) {
        return `must use a reverse-domain private-use scheme such as com.example.app: for a native client, not "${pattern.scheme}:" (RFC 8252 §7.1, §8.4)`;
      }
      return undefined;
  }
}

/** `localhost` and its subdomains (RFC 6761 §6.3), and IPv4/IPv6 loopback literals. */
function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]' ||
    host === '[::ffff:7f00:1]'
  );
}
