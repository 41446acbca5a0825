/**
 * The AES-256-GCM envelope of src/lib/secret-box.ts: it opens to exactly what was sealed,
 * only with the same additional data and a key of the box, and any change to the
 * envelope's text (key id, IV, ciphertext, tag, even a non-canonical base64url spelling of
 * the same bytes) makes it fail to open.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedKeyId, isEnvelope, SecretBox } from '../../src/lib/secret-box.js';

const one = { id: 'one', key: randomBytes(32) };
const two = { id: 'two', key: randomBytes(32) };
const box = new SecretBox([one, two]);
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('SecretBox', () => {
  it('seals with the first key and opens with any, only for the same additional data', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.string({ maxLength: 50 }),
        fc.string({ maxLength: 50 }),
        (plaintext, aad, otherAad) => {
          const envelope = box.seal(plaintext, aad);
          expect(isEnvelope(envelope)).toBe(true);
          expect(envelope.startsWith('enc:v1:one:')).toBe(true);
          expect(box.open(envelope, aad)).toEqual({ ok: true, plaintext });
          // A box holding only the old key (as after a rotation, the other way round).
          expect(new SecretBox([two, one]).open(envelope, aad)).toEqual({ ok: true, plaintext });
          if (otherAad !== aad) {
            expect(box.open(envelope, otherAad)).toMatchObject({ ok: false, reason: 'tampered' });
          }
          expect(new SecretBox([two]).open(envelope, aad)).toMatchObject({
            ok: false,
            reason: 'unknown_key',
            keyId: 'one',
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never opens an envelope with one character changed', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.nat(),
        fc.constantFrom(...BASE64URL),
        (plaintext, at, replacement) => {
          const envelope = box.seal(plaintext, 'aad');
          // Change a character after "enc:v1:" that is not a separator.
          const positions = [...envelope].flatMap((char, index) =>
            index >= 7 && char !== ':' && char !== replacement ? [index] : [],
          );
          const index = positions[at % positions.length] as number;
          const changed = `${envelope.slice(0, index)}${replacement}${envelope.slice(index + 1)}`;
          expect(box.open(changed, 'aad').ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses what is not an envelope, and a non-canonical spelling of the same bytes', () => {
    const envelope = box.seal('s3cret', 'aad');
    const [, , id, iv, body] = envelope.split(':') as [string, string, string, string, string];
    for (const text of [
      '',
      'enc:',
      'enc:v2:one:' + iv + ':' + body,
      `enc:v1:one:${iv}`,
      `enc:v1:one:${iv.slice(1)}:${body}`,
      `enc:v1:one:${iv}:${body.slice(0, 21)}`,
      `enc:v1::${iv}:${body}`,
    ]) {
      expect(box.open(text, 'aad')).toMatchObject({ ok: false, reason: 'malformed' });
    }
    // 16 tag bytes + 6 = 22 bytes: the last base64url character carries 4 unused bits.
    const sealed = box.seal('abcdef', 'aad');
    const last = sealed.at(-1) as string;
    const sibling = BASE64URL[BASE64URL.indexOf(last) ^ 1] as string;
    const respelled = `${sealed.slice(0, -1)}${sibling}`;
    expect(Buffer.from(respelled.split(':')[4] as string, 'base64url')).toEqual(
      Buffer.from(sealed.split(':')[4] as string, 'base64url'),
    );
    expect(box.open(respelled, 'aad')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(id).toBe('one');
  });

  it('derives a stable 11-character id from a key given without one', () => {
    const key = randomBytes(32);
    expect(derivedKeyId(key)).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(derivedKeyId(Uint8Array.from(key))).toBe(derivedKeyId(key));
    expect(derivedKeyId(randomBytes(32))).not.toBe(derivedKeyId(key));
  });

  it('uses a new IV for every value', () => {
    const ivs = new Set(Array.from({ length: 200 }, () => box.seal('same', 'aad').split(':')[3]));
    expect(ivs.size).toBe(200);
  });
});
