/**
 * Decoding a compact JWS without trusting it (RFC 7515 §7.1): three canonical base64url
 * parts, a JSON object header and a JSON object payload in strict UTF-8, and a non-empty
 * signature. Verification is the caller's: this only says what the token claims to be.
 *
 * @module
 */
import { decodeBase64UrlStrict } from './base64.js';

/** The parts of a compact JWS. */
export interface CompactJws {
  /** The protected header. */
  readonly header: Readonly<Record<string, unknown>>;
  /** The payload, a JSON object (JWT claims). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** `header.payload` as sent: the signed bytes. */
  readonly signingInput: Buffer;
  /** The signature bytes. */
  readonly signature: Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The parts of `text`, or undefined unless it is a compact JWS of JSON objects no longer
 * than `maxLength`.
 *
 * @internal
 */
export function decodeCompactJws(text: unknown, maxLength: number): CompactJws | undefined {
  if (typeof text !== 'string' || text.length > maxLength) return undefined;
  const parts = text.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = jsonObject(headerPart);
  const claims = jsonObject(payloadPart);
  const signature = decodeBase64UrlStrict(signaturePart);
  if (!header || !claims || !signature || signature.length === 0) return undefined;
  return {
    header,
    claims,
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'),
    signature,
  };
}

/** A base64url part that decodes to a JSON object, or `undefined`. */
export function jsonObject(part: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64UrlStrict(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
