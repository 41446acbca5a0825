/** The console's configuration, embedded in the page by the server as JSON. */

import type { ConsoleConfig } from './config-type.js';

export type { ConsoleConfig } from './config-type.js';

/** Reads the configuration once. */
export function readConfig(): ConsoleConfig {
  const element = document.getElementById('console-config');
  if (!element?.textContent) throw new Error('the console page carries no configuration');
  return JSON.parse(element.textContent) as ConsoleConfig;
}
