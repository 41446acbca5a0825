/**
 * The one HTML page of the admin console. Every console route answers with it; the
 * browser code reads its configuration from a JSON script element (no inline script, so a
 * strict Content-Security-Policy applies) and draws the screen for the route.
 *
 * @module
 * @internal
 */

import type { ConsoleConfig } from './browser/config-type.js';

export type { ConsoleConfig } from './browser/config-type.js';

/** The Content-Security-Policy of every console page: own scripts and styles only. */
export function contentSecurityPolicy(config: ConsoleConfig): string {
  const apiOrigin = new URL(config.managementApi).origin;
  const issuerOrigin = new URL(config.issuer).origin;
  const connect = [...new Set(["'self'", apiOrigin, issuerOrigin])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    `form-action 'self' ${issuerOrigin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Escapes JSON for a `<script type="application/json">` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026');
}

/** The page shell: a header, a main region the browser code fills, and the config. */
export function renderPage(config: ConsoleConfig): string {
  const base = config.basePath;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>clientele console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}/assets/console.css">
<script type="application/json" id="console-config">${scriptJson(config)}</script>
<script type="module" src="${base}/assets/main.js"></script>
</head>
<body>
<header class="top">
<a class="brand" href="${base}/">clientele</a>
<nav aria-label="Main">
<a href="${base}/clients">Clients</a>
<a href="${base}/logs">Logs</a>
</nav>
</header>
<main id="main" tabindex="-1"><p role="status">Loading…</p></main>
</body>
</html>
`;
}
