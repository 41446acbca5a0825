/**
 * A candidate host that is itself a public suffix is never allowed through a wildcard or an
 * `{organization_name}` placeholder, at any depth of the Public Suffix List: for every rule
 * of the installed PSL (`s3.eu-central-1.amazonaws.com`, `*.compute.amazonaws.com.cn`, ...),
 * an entry that would produce that host either is refused when the list is created or does
 * not allow it. Before, only domains with registrable parents were known:
 * `https://*.eu-central-1.amazonaws.com/callback` allowed
 * `https://s3.eu-central-1.amazonaws.com/callback` (S3's shared regional host, where anyone
 * can own a path), and 885 such rules under 285 parents were missed.
 */
import fc from 'fast-check';
import { getPublicSuffix } from 'tldts';
import { describe, expect, it } from 'vitest';
import { createAllowList, type AllowListKind } from '../../src/index.js';
import { pslRulesFromTldts } from './psl-trie.js';

const LDH = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const KINDS: readonly AllowListKind[] = ['callback', 'logout', 'origin'];

interface Beneath {
  /** A host the rule makes a public suffix: the rule, or a label in place of its `*`. */
  readonly host: string;
  /** Its first label. */
  readonly label: string;
  /** The domain under it, which a wildcard or placeholder entry would name. */
  readonly parent: string;
}

/** One public-suffix host per rule of two labels or more whose first label is an LDH label. */
const HOSTS: readonly Beneath[] = (await pslRulesFromTldts()).flatMap((rule) => {
  const dot = rule.indexOf('.');
  if (dot === -1) return [];
  const first = rule.slice(0, dot);
  const label = first === '*' ? 'x' : first;
  const parent = rule.slice(dot + 1);
  if (!LDH.test(label) || parent.includes('*')) return [];
  const host = `${label}.${parent}`;
  // An exception rule (!www.ck) makes some wildcard children registrable: not a suffix.
  if (getPublicSuffix(host, { allowPrivateDomains: true }) !== host) return [];
  return [{ host, label, parent }];
});

/** The candidate of `kind` on `host` with `path`. */
function candidate(kind: AllowListKind, scheme: string, host: string, path: string): string {
  return kind === 'origin' ? `${scheme}://${host}` : `${scheme}://${host}${path}`;
}

/** True when `entry` is refused or does not allow `url` (with `organization` as context). */
function neverAllows(
  kind: AllowListKind,
  entry: string,
  url: string,
  organization: string,
): boolean {
  let list;
  try {
    list = createAllowList(kind, [entry]);
  } catch {
    return true; // refused when created
  }
  return !list.allows(url, { organizationName: organization });
}

describe('wildcards and placeholders over the Public Suffix List', () => {
  it('finds the rules (sanity)', () => {
    expect(HOSTS.length).toBeGreaterThan(5_000);
    expect(HOSTS).toContainEqual({
      host: 's3.eu-central-1.amazonaws.com',
      label: 's3',
      parent: 'eu-central-1.amazonaws.com',
    });
  });

  it('never allow a public-suffix host, for every rule', () => {
    const allowed: string[] = [];
    // One kind per rule, in turn (the property below mixes them all).
    HOSTS.forEach(({ host, label, parent }, index) => {
      const organization = label.length <= 50 ? label : 'x';
      for (const kind of [KINDS[index % KINDS.length] ?? 'callback']) {
        const url = candidate(kind, 'https', host, '/callback');
        const entries = [
          `https://*.${parent}/callback`,
          `https://${label.slice(0, 1)}*.${parent}/callback`,
          `https://{organization_name}.${parent}/callback`,
        ];
        for (const entry of entries) {
          if (!neverAllows(kind, entry, url, organization)) allowed.push(`${kind} ${entry} ${url}`);
        }
      }
    });
    expect(allowed).toEqual([]);
  });

  it('never allow one whatever the entry around the wildcard or placeholder (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HOSTS),
        fc.constantFrom(...KINDS),
        fc.constantFrom('https', 'http'),
        fc.constantFrom('', ':8443'),
        fc.constantFrom('/callback', '/', '/a/b?c=d'),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        ({ host, label, parent }, kind, scheme, port, path, cut, end, placeholder) => {
          // A prefix and a suffix of the label around the `*`, leaving it at least one character.
          const prefixLength = cut % label.length;
          const suffixLength = end % (label.length - prefixLength);
          const prefix = label.slice(0, prefixLength);
          const suffix = label.slice(label.length - suffixLength);
          const wildcardLabel = placeholder ? '{organization_name}' : `${prefix}*${suffix}`;
          const entry = `${scheme}://${wildcardLabel}.${parent}${port}${path === '/a/b?c=d' && kind !== 'callback' ? '/a/b' : path}`;
          const url = candidate(kind, scheme, `${host}${port}`, path);
          return neverAllows(kind, entry, url, label.length <= 50 ? label : 'x');
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
