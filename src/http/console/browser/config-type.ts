/**
 * The console's configuration type, the one definition shared by the server (which embeds
 * it in the page as JSON) and the browser code (which reads it). Types only, no DOM and no
 * Node: both `tsconfig.json` and `tsconfig.console.json` compile it.
 *
 * @module
 * @internal
 */

/** What the browser code needs to know, embedded in the page as JSON. */
export interface ConsoleConfig {
  /** Path under which the console is mounted, without a trailing slash (`/console`). */
  readonly basePath: string;
  /** The tenant's domain, shown in Settings and Quick Start. */
  readonly domain: string;
  /** The tenant's issuer; `/authorize` and `/oauth/token` live under it. */
  readonly issuer: string;
  /** The console's own first-party client. */
  readonly clientId: string;
  /** Base URL of the Management API (`{issuer}api/v2/`). */
  readonly managementApi: string;
  /** The audience of Management API tokens. */
  readonly audience: string;
  /** The scopes the console asks for. */
  readonly scope: string;
  /** Addon names the library knows, one switch each. */
  readonly addons: readonly string[];
}
