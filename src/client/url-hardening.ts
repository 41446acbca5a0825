/**
 * URL entries that Auth0 accepts but this library's allow-list parser refuses on purpose
 * (fail closed): hosts with IDN deviation characters (`ß`, `ẞ`, `ς`, which browsers and
 * parsers map differently), and private-use schemes reserved by an operating system or a
 * browser (`ms-app:`, `ms-appx-web:`, `intent:`, `chrome-extension:`, …). Validation
 * answers "would Auth0 accept it?", so they are not validation issues; `lintClient`
 * reports each as an error (`url-never-matched`) at the entry's pointer, and the allow
 * lists still never match them.
 *
 * What DESIGN.md refuses outright stays a validation issue: the schemes it names
 * (`javascript:`, `data:`, `file:`, …), wildcards over a public suffix (`*.github.io`),
 * control and format characters, and everything else the parser refuses.
 *
 * @internal
 * @module
 */
import type { AllowListKind } from '../urls/kinds.js';
import type { UrlPatternResult } from '../urls/pattern.js';
import { SCHEME_PREFIX } from '../urls/schemes.js';
import { parsePattern } from './pattern-cache.js';

/** The schemes DESIGN.md never allows (its "Precise rules"): Auth0 refuses them too. */
const NEVER_SCHEMES: ReadonlySet<string> = new Set([
  'javascript',
  'data',
  'vbscript',
  'file',
  'blob',
  'about',
  'filesystem',
  'view-source',
  'ftp',
  'ws',
  'wss',
  'mailto',
  'tel',
  'sms',
]);

/** A private-use scheme no list refuses, standing in for a refused one to re-check the rest. */
const STAND_IN_SCHEME = 'x-clientele-probe';

/**
 * True when `entry` is refused (`result`) only for a reason Auth0 does not share: with the
 * deviation characters written as their common mapping, or another private-use scheme,
 * the entry would be valid.
 */
export function isHardeningOnly(
  kind: AllowListKind,
  entry: string,
  result: UrlPatternResult,
): boolean {
  if (result.ok) return false;
  if (result.code === 'idn_deviation') {
    const mapped = entry.replace(/[\u00df\u1e9e]/g, 'ss').replace(/\u03c2/g, '\u03c3');
    return mapped !== entry && parsePattern(kind, mapped).ok;
  }
  if (result.code === 'forbidden_scheme') {
    const scheme = SCHEME_PREFIX.exec(entry)?.[1];
    if (scheme === undefined || NEVER_SCHEMES.has(scheme.toLowerCase())) return false;
    return parsePattern(kind, `${STAND_IN_SCHEME}${entry.slice(scheme.length)}`).ok;
  }
  return false;
}
