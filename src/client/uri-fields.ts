/**
 * Single-URL fields and the format each must have: one rule for the Management API's
 * client fields (`validateClientSettings`, so `POST`/`PATCH /api/v2/clients` and
 * `tenant.clients`) and for Dynamic Client Registration, which maps its `logo_uri` and
 * `initiate_login_uri` onto the same fields.
 *
 * Auth0 checks these fields with named formats and answers, for example, "Payload
 * validation error: 'Object didn't pass validation for format absolute-https-uri-or-empty:
 * http://localhost:3000/login' on property initiate_login_uri (Initiate login uri, must be
 * https)". Its `-or-empty` formats take an empty string (the Dashboard's empty field), and
 * `https://localhost:4200/login` is refused for `initiate_login_uri` too. See
 * docs/client-settings.md, "What Auth0 refuses".
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-clients
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2 (logo_uri, initiate_login_uri in OIDC DCR §2)
 */

/** The format of one URL field. */
export interface UriRule {
  /** Schemes allowed (`https:`, `http:`). */
  readonly schemes: readonly string[];
  /** Whether the empty string is accepted (Auth0's `-or-empty` formats). */
  readonly empty: boolean;
  /** Whether `localhost` (and `*.localhost`) hosts are accepted. */
  readonly localhost: boolean;
  /** Auth0's name for the format, quoted in messages. */
  readonly format: string;
}

/** A web page or image shown to people: `http` or `https`. */
export const WEB_URI: UriRule = {
  schemes: ['http:', 'https:'],
  empty: false,
  localhost: true,
  format: 'absolute-uri',
};

/** A URL the server fetches or sends people to over TLS only. */
export const HTTPS_URI: UriRule = {
  schemes: ['https:'],
  empty: false,
  localhost: true,
  format: 'absolute-https-uri',
};

/** The client's single-URL fields and their rules. */
export const CLIENT_URI_FIELDS = {
  /** The logo the login page shows: `http(s)`, or empty for none. */
  logo_uri: { ...WEB_URI, empty: true, format: 'absolute-uri-or-empty' },
  /** Where a third party starts a login (OIDC third-party initiated login): `https` only. */
  initiate_login_uri: {
    ...HTTPS_URI,
    empty: true,
    localhost: false,
    format: 'absolute-https-uri-or-empty',
  },
} as const satisfies Record<string, UriRule>;

/** A field of {@link CLIENT_URI_FIELDS}. */
export type ClientUriField = keyof typeof CLIENT_URI_FIELDS;

/** Whitespace, control and format characters, and `\`: never in a URL as written. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}\\]/u;
/** Quotes and the characters that end an HTML attribute or start markup. */
const QUOTES = /["'`<>]/;

/**
 * Why `value` does not have the format of `rule`, or `undefined` when it does. The reason
 * reads after the field and value (`logo_uri "javascript:x" must use http or https`).
 */
export function uriProblem(value: string, rule: UriRule, maxLength = 2048): string | undefined {
  if (value === '') return rule.empty ? undefined : 'must not be empty';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  if (UNSAFE.test(value)) return 'must not contain whitespace, control characters or "\\"';
  if (QUOTES.test(value)) return 'must not contain quotes, "<", ">" or "`"';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (!rule.schemes.includes(url.protocol)) {
    return rule.schemes.length === 1 ? 'must use https' : 'must use http or https';
  }
  if (!/^https?:\/\/[^/?#]/i.test(value)) return 'must be written as scheme://host/...';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (!rule.localhost && (url.hostname === 'localhost' || url.hostname.endsWith('.localhost'))) {
    return 'must not use localhost: Auth0 refuses it here; use a public https URL or leave it empty';
  }
  return undefined;
}
