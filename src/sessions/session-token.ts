/**
 * The value of a session cookie: `<id>.<secret>`. The id is public (it is the `sid` of ID
 * tokens and logout tokens, and the Management API's session id); the secret proves
 * possession and is stored only as a hash bound to the tenant's issuer, so a copy of the
 * store, an ID token, or a cookie of another tenant opens no session. Every login issues
 * a new secret (no session fixation); the id of a user's session stays the same across
 * re-authentication, so relying parties keep matching `sid`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A session cookie's parts. @internal */
export interface SessionToken {
  /** Public session id: 128 random bits, base64url. */
  readonly id: string;
  /** 256 random bits, base64url; never stored. */
  readonly secret: string;
}

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** A new session id. @internal */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new secret for session `id`. @internal */
export function newSessionToken(id: string = newSessionId()): SessionToken {
  return { id, secret: randomBytes(32).toString('base64url') };
}

/** The cookie value of `token`. @internal */
export function sessionTokenValue(token: SessionToken): string {
  return `${token.id}.${token.secret}`;
}

/** The parts of a cookie value, or undefined for anything that is not one. @internal */
export function parseSessionToken(value: string | undefined): SessionToken | undefined {
  const match = value === undefined ? null : TOKEN.exec(value);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

/** What the store keeps of a secret: SHA-256 over the issuer and the secret. @internal */
export function secretHash(issuer: string, secret: string): string {
  return createHash('sha256').update(issuer).update('\0').update(secret).digest('base64url');
}

/** Compares a presented secret with the stored hash in constant time. @internal */
export function secretMatches(issuer: string, secret: string, stored: string): boolean {
  const presented = Buffer.from(secretHash(issuer, secret));
  const expected = Buffer.from(stored);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
