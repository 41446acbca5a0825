/**
 * What this provider serves, in one place, so discovery, `/authorize` and the registration
 * endpoint agree: the response types Auth0 serves and the modes that carry them.
 *
 * - `code` for every client with the `authorization_code` grant (PKCE required of public
 *   clients);
 * - `id_token`, `id_token token`, `token` and the hybrid `code id_token`, `code token`,
 *   `code id_token token` only for clients whose `grant_types` include `implicit` (as at
 *   Auth0); RFC 9700 §2.1.2 advises against putting tokens in the browser's URL, so the
 *   client has to ask for it, and tokens never travel in a query.
 *
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.2
 */

/** What a response type returns from `/authorize`. */
export interface ResponseType {
  /** Its canonical spelling (`code id_token token`). */
  readonly name: string;
  readonly code: boolean;
  readonly idToken: boolean;
  readonly token: boolean;
  /** The mode used when the request names none (OAuth Multiple Response Types §2.1, §5). */
  readonly defaultMode: ResponseMode;
  /** Grant types the client needs. */
  readonly grants: readonly string[];
}

/** How the authorization response travels back. */
export type ResponseMode = 'query' | 'fragment' | 'form_post' | 'web_message';

/** The response modes served (discovery's `response_modes_supported`). */
export const RESPONSE_MODES_SERVED: readonly ResponseMode[] = [
  'query',
  'fragment',
  'form_post',
  'web_message',
];

const type = (
  name: string,
  grants: readonly string[],
  defaultMode: ResponseMode = 'fragment',
): ResponseType => {
  const parts = name.split(' ');
  return Object.freeze({
    name,
    code: parts.includes('code'),
    idToken: parts.includes('id_token'),
    token: parts.includes('token'),
    defaultMode,
    grants,
  });
};

/** Every response type served, by canonical name. */
const RESPONSE_TYPES: ReadonlyMap<string, ResponseType> = new Map(
  [
    type('code', ['authorization_code'], 'query'),
    type('id_token', ['implicit']),
    type('id_token token', ['implicit']),
    type('token', ['implicit']),
    type('code id_token', ['authorization_code', 'implicit']),
    type('code token', ['authorization_code', 'implicit']),
    type('code id_token token', ['authorization_code', 'implicit']),
  ].map((entry) => [entry.name, entry]),
);

/** `response_type` values `/authorize` serves (discovery's `response_types_supported`). */
export const RESPONSE_TYPES_SERVED: readonly string[] = [...RESPONSE_TYPES.keys()];

/** The order of components in a canonical name. */
const COMPONENT_ORDER = ['code', 'id_token', 'token'];

/**
 * The response type a `response_type` value names: its components in any order, each
 * once (OAuth Multiple Response Types §2: the order does not matter). Undefined for any
 * other value.
 */
export function responseTypeOf(value: string): ResponseType | undefined {
  const parts = value.split(' ');
  if (new Set(parts).size !== parts.length) return undefined;
  if (!parts.every((part) => COMPONENT_ORDER.includes(part))) return undefined;
  const canonical = COMPONENT_ORDER.filter((part) => parts.includes(part)).join(' ');
  return RESPONSE_TYPES.get(canonical);
}

/** Grant types the token endpoint serves (discovery's `grant_types_supported`). */
export const GRANT_TYPES_SERVED: readonly string[] = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
];
