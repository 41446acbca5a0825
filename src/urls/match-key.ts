/**
 * The strings an allow-list compares. Entries and candidates go through the same WHATWG
 * serialisation, so equal keys mean equal URLs for the parts the kind compares.
 */
import type { AllowListKind } from './kinds.js';

/**
 * The part of a parsed URL that `kind` compares:
 * - `callback`: the whole serialisation (scheme, host, port, path and query; a candidate
 *   with a fragment never gets this far);
 * - `logout`: the serialisation without query and fragment;
 * - `origin`: the serialised origin `scheme://host[:port]`.
 */
export function matchKey(url: URL, kind: AllowListKind): string {
  if (kind === 'origin') return url.origin;
  const href = url.href;
  if (kind === 'callback') return href;
  const end = firstOf(href, '?', '#');
  return end === -1 ? href : href.slice(0, end);
}

function firstOf(text: string, a: string, b: string): number {
  const i = text.indexOf(a);
  const j = text.indexOf(b);
  if (i === -1) return j;
  if (j === -1) return i;
  return Math.min(i, j);
}
