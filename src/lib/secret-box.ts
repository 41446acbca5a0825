/**
 * Authenticated encryption of small secrets kept at rest: AES-256-GCM with a random 96-bit
 * IV per value, and additional authenticated data (AAD) chosen by the caller, so a
 * ciphertext only opens in the place it was sealed for. The result is a self-describing
 * string, `enc:v1:<key id>:<iv>:<ciphertext and tag>` (base64url), that fits in any JSON
 * field and names the key that opens it, so keys can rotate: the first key of a box seals,
 * every key opens.
 *
 * Generic: nothing here knows what is being protected.
 *
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/** How every sealed value begins. A value with this prefix is read as an envelope. */
export const ENVELOPE_PREFIX = 'enc:';

/** Bytes of an AES-256 key. */
export const SECRET_KEY_BYTES = 32;

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids are base64url-like so they can sit between the envelope's colons. */
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ENVELOPE = /^enc:v1:([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;

/** One key of a {@link SecretBox}: its id (stored with every value it seals) and its bytes. */
export interface SecretBoxKey {
  /** 1 to 64 characters of `A-Z a-z 0-9 _ -`. */
  readonly id: string;
  /** Exactly 32 bytes. */
  readonly key: Uint8Array;
}

/** Why {@link SecretBox.open} could not open an envelope. */
export type OpenFailure =
  /** The envelope does not follow the `enc:v1:…` grammar (truncated or edited). */
  | 'malformed'
  /** The box holds no key with the envelope's key id. */
  | 'unknown_key'
  /** The key is there but the tag does not verify: the ciphertext, or its place, changed. */
  | 'tampered';

/** The outcome of {@link SecretBox.open}. */
export type OpenResult =
  | { readonly ok: true; readonly plaintext: string }
  | { readonly ok: false; readonly reason: OpenFailure; readonly keyId: string | undefined };

/** True when `id` can be a key id. */
export function isKeyId(id: unknown): id is string {
  return typeof id === 'string' && KEY_ID.test(id);
}

/**
 * The key id used for a key given without one: 11 base64url characters of a SHA-256 of
 * the key under a fixed label. Stable, so the same bytes always get the same id, and it
 * tells nothing usable about the key.
 */
export function derivedKeyId(key: Uint8Array): string {
  return createHash('sha256')
    .update('clientele secrets key id\0')
    .update(key)
    .digest('base64url')
    .slice(0, 11);
}

/** True when `value` is a string of the envelope grammar (it may still fail to open). */
export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && ENVELOPE.test(value);
}

/** Seals with the first key, opens with any. Keys are copied when the box is made. */
export class SecretBox {
  readonly #sealing: { readonly id: string; readonly key: KeyObject };
  readonly #keys: ReadonlyMap<string, KeyObject>;

  /**
   * @param keys - at least one key, the sealing key first; ids unique, keys 32 bytes
   *   (checked by the caller, which knows how to report its own input)
   */
  constructor(keys: readonly SecretBoxKey[]) {
    const imported = new Map<string, KeyObject>();
    for (const { id, key } of keys) imported.set(id, createSecretKey(Buffer.from(key)));
    const [first] = keys;
    if (first === undefined) throw new RangeError('a SecretBox needs at least one key');
    this.#keys = imported;
    this.#sealing = { id: first.id, key: imported.get(first.id) as KeyObject };
  }

  /** The id of the key that seals. */
  get sealingKeyId(): string {
    return this.#sealing.id;
  }

  /** The envelope of `plaintext`, bound to `aad`. */
  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#sealing.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${ENVELOPE_PREFIX}${VERSION}:${this.#sealing.id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
  }

  /** The plaintext of an envelope sealed for `aad` by a key of this box. Never throws. */
  open(envelope: string, aad: string): OpenResult {
    const match = ENVELOPE.exec(envelope);
    if (!match) return { ok: false, reason: 'malformed', keyId: undefined };
    const [, keyId, ivText, bodyText] = match as unknown as [string, string, string, string];
    const key = this.#keys.get(keyId);
    if (!key) return { ok: false, reason: 'unknown_key', keyId };
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    // Non-canonical base64url (stray bits in the last character) decodes to the same bytes
    // as the canonical text; refuse it so one ciphertext has exactly one spelling.
    if (
      iv.length !== IV_BYTES ||
      body.length < TAG_BYTES ||
      iv.toString('base64url') !== ivText ||
      body.toString('base64url') !== bodyText
    ) {
      return { ok: false, reason: 'malformed', keyId };
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return { ok: true, plaintext: plain.toString('utf8') };
    } catch {
      return { ok: false, reason: 'tampered', keyId };
    }
  }
}
