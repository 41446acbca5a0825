/**
 * Reads tldts's compiled Public Suffix List trie (an internal of tldts, read only by tests)
 * to list the domains that have public-suffix rules directly beneath them and are not
 * public suffixes themselves, at every depth (`amazonaws.com`, and also
 * `eu-central-1.amazonaws.com`, which is not registrable): the source of
 * src/urls/suffix-parents.ts. Also lists every rule, for the property test over them.
 */
import { getDomain } from 'tldts';

interface Trie {
  nodeFlags: Uint8Array;
  edgeStart: Uint32Array;
  edgeLength: Uint8Array;
  edgeChild: Uint32Array;
  labelText: string;
  rulesRoot: number;
}

const TRIE_MODULE = 'tldts/dist/cjs/src/data/trie.js';

/** A rule of the PSL as the trie holds it: `s3.amazonaws.com`, `*.compute.amazonaws.com.cn`. */
export type PslRule = string;

/** `{ parent: a child label that is a rule (or "*") }`, sorted by parent, ASCII parents only. */
export async function suffixParentsFromTldts(): Promise<Record<string, string>> {
  const { parents } = await walkTrie();
  const listed = Object.keys(parents)
    .filter((name) => /^[\x21-\x7e]+$/.test(name))
    // A parent that is a public suffix itself is refused as one; the others are what
    // the table is for, registrable (amazonaws.com) or not (eu-central-1.amazonaws.com).
    .filter((name) => getDomain(name, { allowPrivateDomains: true }) !== null)
    .sort();
  return Object.fromEntries(listed.map((name) => [name, parents[name] ?? '']));
}

/** Every rule of the installed PSL (ICANN and private, wildcards as `*.…`), ASCII only. */
export async function pslRulesFromTldts(): Promise<PslRule[]> {
  const { rules } = await walkTrie();
  return rules.filter((rule) => /^[\x21-\x7e]+$/.test(rule)).sort();
}

async function walkTrie(): Promise<{ parents: Record<string, string>; rules: PslRule[] }> {
  const trie = (await import(TRIE_MODULE)) as Trie;
  const { nodeFlags, edgeStart, edgeLength, edgeChild, labelText, rulesRoot } = trie;
  const offsets: number[] = [];
  for (let node = 0, offset = 0; node < nodeFlags.length; node++) {
    for (let edge = edgeStart[node] ?? 0; edge < (edgeStart[node + 1] ?? 0); edge++) {
      offsets[edge] = offset;
      offset += edgeLength[edge] ?? 0;
    }
  }
  const label = (edge: number) =>
    labelText.slice(offsets[edge], (offsets[edge] ?? 0) + (edgeLength[edge] ?? 0));
  const parents: Record<string, string> = {};
  const rules: PslRule[] = [];
  const walk = (node: number, name: string, depth: number): void => {
    if (depth > 12) return; // the PSL has no rule that deep; bounds the walk
    for (let edge = edgeStart[node] ?? 0; edge < (edgeStart[node + 1] ?? 0); edge++) {
      const child = edgeChild[edge] ?? 0;
      const childLabel = label(edge);
      const full = name === '' ? childLabel : `${childLabel}.${name}`;
      const isRule = (nodeFlags[child] ?? 0) !== 0 || childLabel === '*';
      if (isRule) rules.push(full);
      if (name !== '' && isRule && parents[name] === undefined) parents[name] = childLabel;
      walk(child, full, depth + 1);
    }
  };
  walk(rulesRoot, '', 0);
  return { parents, rules };
}

/** The text of src/urls/suffix-parents.ts for `parents`. */
export function suffixParentsModule(parents: Record<string, string>): string {
  const lines = Object.entries(parents).map(([parent, child]) =>
    /^[a-z_$][a-z0-9_$]*$/i.test(parent)
      ? `  ${parent}: '${child}',`
      : `  '${parent}': '${child}',`,
  );
  return `${HEADER}${lines.join('\n')}\n};\n`;
}

const HEADER = `/**
 * Domains that have Public Suffix List rules directly beneath them and are not public
 * suffixes themselves, at every depth, each with one such rule's label (\`*\` for a
 * wildcard rule): \`amazonaws.com\` is registrable, yet \`s3.amazonaws.com\` is a public
 * suffix, so \`https://*.amazonaws.com\` would cover hosts that anyone can publish under;
 * so would \`https://*.eu-central-1.amazonaws.com\` (\`s3.eu-central-1.amazonaws.com\`),
 * although \`eu-central-1.amazonaws.com\` is not registrable.
 *
 * Generated from the PSL that tldts carries; test/urls/suffix-parents.test.ts regenerates
 * it and fails, printing the new text, when the installed tldts disagrees.
 */
export const SUFFIX_PARENTS: Readonly<Record<string, string>> = {
`;
