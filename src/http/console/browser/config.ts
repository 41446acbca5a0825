/** The console's configuration, embedded in the page by the server as JSON. */

/** Mirrors the server's `ConsoleConfig`. */
export interface ConsoleConfig {
  readonly basePath: string;
  readonly domain: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly managementApi: string;
  readonly audience: string;
  readonly scope: string;
  readonly addons: readonly string[];
}

/** Reads the configuration once. */
export function readConfig(): ConsoleConfig {
  const element = document.getElementById('console-config');
  if (!element?.textContent) throw new Error('the console page carries no configuration');
  return JSON.parse(element.textContent) as ConsoleConfig;
}
