/**
 * Strict parsing of a URL presented at request time (`redirect_uri`, `returnTo`, an
 * `Origin` header). Any doubt means "not allowed": this returns `undefined`, never throws.
 */
import type { AllowListKind } from './kinds.js';
import { scanUrl } from './scan.js';

/**
 * Parses `candidate` for an allow-list of `kind`, or returns `undefined` when it must
 * not be allowed whatever the list holds.
 */
export function parseCandidate(kind: AllowListKind, candidate: string): URL | undefined {
  const raw = scanUrl(candidate);
  if (!raw.ok) return undefined;
  switch (kind) {
    case 'callback':
      // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
      if (raw.fragment !== undefined) return undefined;
      break;
    case 'origin':
      // An Origin header is exactly scheme://host[:port] (RFC 6454 §7).
      if (!raw.web || raw.path !== '' || raw.query !== undefined || raw.fragment !== undefined) {
        return undefined;
      }
      break;
    case 'logout':
      break;
  }
  try {
    return new URL(candidate);
  } catch {
    return undefined;
  }
}
