/**
 * Strict base64 and base64url decoders. Node's decoders are lenient: they skip
 * whitespace and invalid characters, accept both alphabets, missing or extra padding and
 * non-zero trailing bits, so many strings decode to the same bytes. Credentials and key
 * material must have exactly one spelling, so these accept only canonical RFC 4648 text
 * and then let node do the decoding.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 * @module
 */

/** 6-bit value of each ASCII character per alphabet; -1 when not in it. */
const STANDARD = alphabet('+/');
const URL_SAFE = alphabet('-_');

function alphabet(last2: string): Int8Array {
  const chars = `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789${last2}`;
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = i;
  return table;
}

/**
 * Checks that `text[0, end)` uses only `table`'s characters and that the unused low bits
 * of the last character are zero (RFC 4648 §3.5: canonical encoding).
 */
function canonical(text: string, end: number, table: Int8Array): boolean {
  let last = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    last = code < 128 ? (table[code] ?? -1) : -1;
    if (last < 0) return false;
  }
  // 2 leftover characters carry 1 byte (4 spare bits), 3 carry 2 bytes (2 spare bits).
  const spare = end % 4 === 2 ? 0b1111 : end % 4 === 3 ? 0b11 : 0;
  return (last & spare) === 0;
}

/**
 * Decodes padded base64 (RFC 4648 §4) or returns `undefined` unless `text` is its one
 * canonical spelling: standard alphabet, length a multiple of 4, `=` only as the final
 * one or two padding characters, zero trailing bits, no whitespace.
 *
 * @internal
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (text.length % 4 !== 0) return undefined;
  let end = text.length;
  if (text.endsWith('==')) end -= 2;
  else if (text.endsWith('=')) end -= 1;
  if (!canonical(text, end, STANDARD)) return undefined;
  return Buffer.from(text, 'base64');
}

/**
 * Decodes unpadded base64url (RFC 4648 §5, as JOSE uses it: RFC 7515 §2) or returns
 * `undefined` unless `text` is its canonical spelling: URL-safe alphabet, no padding, no
 * impossible length, zero trailing bits.
 *
 * @internal
 */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  if (text.length % 4 === 1) return undefined;
  if (!canonical(text, text.length, URL_SAFE)) return undefined;
  return Buffer.from(text, 'base64url');
}
