/**
 * Delivering an authorization response (success or error) in the response mode the
 * request chose: `query` and `fragment` redirects, `form_post` (an auto-submitting form,
 * OAuth 2.0 Form Post Response Mode) and Auth0's `web_message` (a page that posts the
 * response to the window that opened or framed it, used by auth0-spa-js for silent
 * authentication). Both pages run one inline script allowed by its SHA-256 in a strict
 * Content-Security-Policy, and are never cached.
 *
 * @see https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 */
import { createHash } from 'node:crypto';
import { BASE_HEADERS } from '../responses.js';
import { redirect, withParameters } from './responses.js';
import type { ResponseMode } from './served.js';

/** Response parameters; undefined values are left out. */
export type ResponseParameters = Readonly<Record<string, string | undefined>>;

/** Sends `parameters` to `redirectUri` in `mode`. */
export function authorizationResponse(
  mode: ResponseMode,
  redirectUri: string,
  parameters: ResponseParameters,
): Response {
  return DELIVERY[mode](redirectUri, parameters);
}

const DELIVERY: Readonly<
  Record<ResponseMode, (redirectUri: string, parameters: ResponseParameters) => Response>
> = {
  query: (uri, parameters) => redirect(withParameters(uri, parameters)),
  fragment: (uri, parameters) => redirect(`${uri}#${encode(parameters)}`),
  form_post: formPost,
  web_message: webMessage,
};

function encode(parameters: ResponseParameters): string {
  const encoded = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) encoded.append(name, value);
  }
  return encoded.toString();
}

/** The form post's script is always the same, so is its hash. */
const SUBMIT_SCRIPT = 'document.forms[0].submit();';
const SUBMIT_HASH = scriptHash(SUBMIT_SCRIPT);

function formPost(uri: string, parameters: ResponseParameters): Response {
  const inputs = Object.entries(parameters)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${html(name)}" value="${html(value)}">`)
    .join('\n');
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signing in</title></head>
<body>
<form method="post" action="${html(uri)}">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>${SUBMIT_SCRIPT}</script>
</body>
</html>
`;
  return page(
    body,
    `default-src 'none'; script-src '${SUBMIT_HASH}'; form-action ${formTarget(uri)}; base-uri 'none'; frame-ancestors 'none'`,
  );
}

function webMessage(uri: string, parameters: ResponseParameters): Response {
  const origin = new URL(uri).origin;
  const response: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) response[name] = value;
  }
  const script = `(function(){var target=${json(origin)};var message={type:"authorization_response",response:${json(response)}};(window.opener||window.parent).postMessage(message,target);})();`;
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signing in</title></head>
<body>
<script>${script}</script>
</body>
</html>
`;
  return page(
    body,
    `default-src 'none'; script-src '${scriptHash(script)}'; base-uri 'none'; frame-ancestors ${origin}`,
  );
}

function page(body: string, policy: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': policy,
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      'Referrer-Policy': 'no-referrer',
    },
  });
}

/** The CSP source that lets the form post to `uri`: its origin, or a private-use scheme. */
function formTarget(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

function scriptHash(script: string): string {
  return `sha256-${createHash('sha256').update(script).digest('base64')}`;
}

/** Text safe inside an HTML attribute or element. */
function html(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON safe inside a script element: no `</script>`, no line separators. */
function json(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
