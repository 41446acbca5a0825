/**
 * The rules a client identifier URL follows (draft-ietf-oauth-client-id-metadata-document
 * §3): `https`, a path beyond `/`, no fragment, no user name or password, no dot segments.
 * The URL must also be written in its canonical form (what WHATWG `URL` serialises it to):
 * the client id is compared as a string, so two spellings of one URL would be two clients,
 * and a spelling the parser repairs (`\`, spaces, `%2e%2e`) would fetch something else.
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-3
 */
import { hasDotSegment } from '../urls/scan.js';

/** The longest client id URL accepted (the allow-list limit). */
export const MAX_CLIENT_ID_URL_LENGTH = 2048;

/** A checked client id URL, or why it is not one. */
export type ClientIdUrlCheck =
  | {
      /** The URL follows the rules. */
      readonly ok: true;
      /** It, parsed. */
      readonly url: URL;
    }
  | {
      /** The URL breaks a rule. */
      readonly ok: false;
      /** Which, as the end of a sentence that starts with "the client id URL". */
      readonly reason: string;
    };

/** Checks in order; the first that fails is the reason. */
const RULES: readonly {
  readonly fails: (url: URL, raw: string) => boolean;
  readonly reason: string;
}[] = [
  { fails: (url) => url.protocol !== 'https:', reason: 'must use the https scheme' },
  {
    fails: (url) => url.username !== '' || url.password !== '',
    reason: 'must not contain a user name or password',
  },
  { fails: (_url, raw) => raw.includes('#'), reason: 'must not contain a fragment' },
  { fails: (url) => url.hostname === '', reason: 'must name a host' },
  { fails: (url) => url.port === '0', reason: 'must not use port 0' },
  {
    fails: (url) => url.pathname === '/' || url.pathname === '',
    reason: 'must have a path (the document is not the site root)',
  },
  {
    fails: (url, raw) => hasDotSegment(url.pathname) || /\/\.{1,2}(?:[/?]|$)/.test(raw),
    reason: 'must not contain . or .. path segments',
  },
  {
    fails: (url, raw) => url.href !== raw,
    reason: 'must be written in canonical form (as a URL parser serialises it)',
  },
];

/**
 * Checks a client id URL. Never throws.
 *
 * @param value - the `client_id` as sent
 * @example
 * ```ts
 * checkClientIdUrl('https://app.example.com/oauth/client.json'); // { ok: true, url }
 * checkClientIdUrl('https://app.example.com/'); // { ok: false, reason: 'must have a path ...' }
 * ```
 */
export function checkClientIdUrl(value: unknown): ClientIdUrlCheck {
  if (typeof value !== 'string' || value === '') {
    return { ok: false, reason: 'must be a non-empty string' };
  }
  if (value.length > MAX_CLIENT_ID_URL_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_CLIENT_ID_URL_LENGTH} characters` };
  }
  if (/[\s\\\p{Cc}\p{Cf}]/u.test(value)) {
    return { ok: false, reason: 'must not contain whitespace, control characters or \\' };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  const broken = RULES.find((rule) => rule.fails(url, value));
  return broken ? { ok: false, reason: broken.reason } : { ok: true, url };
}

/**
 * Whether a `client_id` is meant as a client id URL (it starts with `https://`), so an
 * authorization server knows to look for a metadata document rather than a registered
 * client. Whether it is a *valid* one is {@link checkClientIdUrl}'s question.
 *
 * @example
 * ```ts
 * looksLikeClientIdUrl('https://app.example.com/client.json'); // true
 * looksLikeClientIdUrl('Qx7...'); // false
 * ```
 */
export function looksLikeClientIdUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https:\/\//i.test(value);
}
