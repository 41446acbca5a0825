/**
 * Public Suffix List questions the allow-lists ask (through `tldts`, private section
 * included): is this host itself a public suffix, and does this domain have public-suffix
 * rules directly beneath it? Under a public suffix anyone can publish (`s3.amazonaws.com`:
 * path-style buckets; `github.io`: pages), so a redirect there may reach anyone.
 *
 * @see https://publicsuffix.org/
 */
import type * as Tldts from 'tldts';
import { lazyModule } from '../lib/lazy-module.js';
import { SUFFIX_PARENTS } from './suffix-parents.js';

/** The Public Suffix List, loaded on first use (see lib/lazy-module.ts). */
const tldts = lazyModule<typeof Tldts>('tldts');

/**
 * tldts options for the hot path: the input is already a WHATWG hostname, so tldts need
 * not extract, validate or detect anything (about 2× faster than the defaults).
 */
const HOSTNAME_ONLY = {
  allowPrivateDomains: true,
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

/** One trailing dot names the same DNS host; the PSL is written without it. */
function withoutTrailingDot(hostname: string): string {
  return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}

/**
 * True when `hostname` (a WHATWG hostname of at least two labels, not an IP address) is a
 * public suffix. For the request-time check of hosts that a wildcard or placeholder
 * produced; one tldts lookup.
 */
export function isPublicSuffixHost(hostname: string): boolean {
  const host = withoutTrailingDot(hostname);
  return tldts().getPublicSuffix(host, HOSTNAME_ONLY) === host;
}

/**
 * The rule that makes `hostname` a listed public suffix (an ICANN or private PSL rule, not
 * the PSL's implicit rule for unknown top-level names, so `localhost` and `intranet` are
 * not), or `undefined`.
 */
export function listedPublicSuffix(hostname: string): string | undefined {
  const host = withoutTrailingDot(hostname);
  const result = tldts().parse(host, { allowPrivateDomains: true });
  if (result.isIp === true || result.publicSuffix !== host) return undefined;
  return result.isIcann === true || result.isPrivate === true ? host : undefined;
}

/**
 * A public suffix directly beneath `domain` (`s3.amazonaws.com` for `amazonaws.com`), or
 * `undefined` when there is none: from the generated table, and for wildcard rules
 * (`*.domain`) also from the installed tldts, probed with a label no rule names.
 */
export function suffixBeneath(domain: string): string | undefined {
  const host = withoutTrailingDot(domain);
  const child = Object.hasOwn(SUFFIX_PARENTS, host) ? SUFFIX_PARENTS[host] : undefined;
  if (child !== undefined) return `${child}.${host}`;
  const probe = `x--clientele-probe.${host}`;
  return tldts().getPublicSuffix(probe, HOSTNAME_ONLY) === probe ? `*.${host}` : undefined;
}
