/**
 * Auth0's subdomain wildcard: one `*` inside the leftmost host label, with an optional
 * fixed prefix and suffix in that label (`https://*.example.com`,
 * `https://pr-*-preview.example.com`). It stands for one or more characters of exactly
 * one DNS label, never a dot, and never covers a public suffix.
 *
 * @see https://auth0.com/docs/get-started/applications/wildcards-for-subdomains
 */
import type * as Tldts from 'tldts';
import { lazyModule } from '../lib/lazy-module.js';
import { suffixBeneath } from './public-suffix.js';
import { problem, type UrlProblem } from './scan.js';

/** The Public Suffix List, loaded on first use (see lib/lazy-module.ts). */
const tldts = lazyModule<typeof Tldts>('tldts');

/** The parts of a wildcard host: `{prefix}*{suffix}.{domain}`. */
export interface WildcardHost {
  /** Fixed characters before `*` in the leftmost label (lower case, may be empty). */
  readonly prefix: string;
  /** Fixed characters after `*` in the leftmost label (lower case, may be empty). */
  readonly suffix: string;
  /** The WHATWG-normalised host after the wildcard label (`example.com`, punycode for IDNs). */
  readonly domain: string;
}

const MAX_LABEL = 63;
const LDH_CHARS = /^[a-z0-9-]*$/;
/** A valid LDH label: letters, digits and `-`, not at either end. Length is checked apart. */
export const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/i;

/**
 * Checks the leftmost label of a wildcard host as written (`pr-*-preview` of
 * `pr-*-preview.example.com`) and returns its prefix and suffix, or why it is invalid.
 */
export function splitWildcardLabel(
  host: string,
): { prefix: string; suffix: string; rawDomain: string } | UrlProblem {
  if (host.startsWith('['))
    return problem('wildcard_ip', 'must not use a wildcard in an IP address');
  const dot = host.indexOf('.');
  const star = host.indexOf('*');
  if (dot !== -1 && star > dot) {
    return problem(
      'wildcard_position',
      'may only use "*" in the leftmost label of the host (https://*.example.com)',
    );
  }
  const rawDomain = dot === -1 ? '' : host.slice(dot + 1);
  if (rawDomain === '' || rawDomain === '.') {
    return problem(
      'wildcard_needs_domain',
      'must follow the wildcard label with a domain (https://*.example.com)',
    );
  }
  const label = host.slice(0, dot).toLowerCase();
  const prefix = label.slice(0, star);
  const suffix = label.slice(star + 1);
  if (!LDH_CHARS.test(prefix) || !LDH_CHARS.test(suffix)) {
    return problem(
      'wildcard_label',
      'may only use letters, digits and "-" around "*" in the wildcard label',
    );
  }
  if (prefix.startsWith('-') || suffix.endsWith('-')) {
    return problem('wildcard_label', 'must not start or end the wildcard label with "-"');
  }
  if (prefix.length + suffix.length + 1 > MAX_LABEL) {
    return problem('wildcard_label', `must keep the wildcard label within ${MAX_LABEL} characters`);
  }
  const lastLabel = rawDomain.slice(rawDomain.lastIndexOf('.') + 1);
  if (NUMERIC_LABEL.test(lastLabel)) {
    return problem('wildcard_ip', 'must not use a wildcard in an IP address');
  }
  return { prefix, suffix, rawDomain };
}

/**
 * Refuses a wildcard (or an organization placeholder) whose fixed part is not a
 * registrable domain per the Public Suffix List (private section included): `*.com`,
 * `*.co.uk`, `*.github.io` would let anyone who can register a name there in. So does a
 * domain with public-suffix rules directly beneath it: `*.amazonaws.com` covers
 * `s3.amazonaws.com`.
 */
export function checkWildcardDomain(
  domain: string,
  covering: 'wildcard' | 'placeholder',
): UrlProblem | undefined {
  const code = covering === 'wildcard' ? 'wildcard_public_suffix' : 'placeholder_public_suffix';
  const what = covering === 'wildcard' ? 'a wildcard' : 'the {organization_name} placeholder';
  const example = covering === 'wildcard' ? '*' : '{organization_name}';
  if (tldts().getDomain(domain, { allowPrivateDomains: true }) !== null) {
    const beneath = suffixBeneath(domain);
    if (beneath === undefined) return undefined;
    return problem(
      code,
      `must not use ${what} over ${domain}: names directly beneath it are public suffixes (${beneath}), where anyone can publish`,
    );
  }
  const suffix = tldts().getPublicSuffix(domain, { allowPrivateDomains: true });
  if (suffix === domain) {
    return problem(
      code,
      `must not use ${what} over a public suffix (${domain}); add the registrable domain, as in https://${example}.example.${domain}`,
    );
  }
  return problem(code, `must use ${what} only over a registrable domain, and ${domain} is not one`);
}

/** True when `label` (lower case, from a WHATWG hostname) is one label the wildcard stands for. */
export function wildcardLabelMatches(label: string, wildcard: WildcardHost): boolean {
  const { prefix, suffix } = wildcard;
  return (
    label.length > prefix.length + suffix.length &&
    label.length <= MAX_LABEL &&
    (prefix.length === 0 || label.startsWith(prefix)) &&
    (suffix.length === 0 || label.endsWith(suffix)) &&
    isLdhLabel(label)
  );
}

/** Letters, digits and `-`, not at either end (the hot-path form of {@link LDH_LABEL}). */
function isLdhLabel(label: string): boolean {
  const last = label.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = label.charCodeAt(i);
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!alnum && !(c === 0x2d /* - */ && i !== 0 && i !== last)) return false;
  }
  return last >= 0;
}
