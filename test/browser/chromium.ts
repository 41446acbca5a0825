/**
 * Debian's Chromium for the browser tests, driven by playwright-core (no browser download).
 * Where /usr/bin/chromium is missing the browser tests skip with one line, except when
 * `CLIENTELE_REQUIRE_BROWSER=1` (CI), where they fail.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian installs Chromium (`apt-get install -y chromium`). */
export const CHROMIUM = process.env.CLIENTELE_CHROMIUM ?? '/usr/bin/chromium';

/** True when Chromium is missing and its absence may be skipped over. */
export const skipBrowser: boolean = (() => {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CLIENTELE_REQUIRE_BROWSER === '1') {
    throw new Error(`CLIENTELE_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  }
  console.warn(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  return true;
})();

/**
 * Starts headless Chromium with a fresh profile and the flags this machine needs: no
 * sandbox (tests run as root), no GPU, and no background networking (the machine has no
 * network beyond the loopback).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
