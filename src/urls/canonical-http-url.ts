/**
 * The one check behind the option URLs a deployment configures (the tenant's issuer and
 * token endpoint, a resource server's resource): an absolute http(s) URL written exactly
 * as WHATWG URL serialises it, so the string a caller passes is the string compared in
 * tokens and metadata later.
 *
 * @module
 */

/**
 * `value` as a URL when it is an absolute `http:` or `https:` URL in canonical form
 * (`new URL(value).href === value`) without a fragment or userinfo, and without a query
 * unless `allowQuery`; otherwise `undefined`.
 */
export function canonicalHttpUrl(value: unknown, allowQuery = false): URL | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  const acceptable =
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.href === value &&
    // In a canonical href '#' and '?' only start a fragment and a query, empty ones too.
    !value.includes('#') &&
    (allowQuery || !value.includes('?'));
  return acceptable ? url : undefined;
}
