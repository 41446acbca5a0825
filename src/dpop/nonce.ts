/**
 * Server-provided DPoP nonces (RFC 9449 §8 and §9) that need no storage: a nonce is the
 * number of the time window it was made in and an HMAC of that number under a secret every
 * instance shares, so any instance accepts what another one handed out. A nonce is
 * accepted in its own window and the next, so it lives between one and two windows.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64UrlStrict } from '../tokens/base64.js';

/** Seconds in one nonce window: a nonce is accepted for 150 to 300 seconds. */
export const NONCE_WINDOW_SECONDS = 150;

/** Bytes of the window number (48 bits) and of the truncated HMAC-SHA256. */
const COUNTER_BYTES = 6;
const MAC_BYTES = 16;

/** Mints and checks the nonces of one secret. */
export class DpopNonces {
  readonly #secret: Buffer;
  #cached: { window: number; nonce: string } | undefined;

  /** @param secret - at least 32 random bytes shared by every instance of the tenant */
  constructor(secret: Uint8Array) {
    if (secret.length < 32) throw new RangeError('a DPoP nonce secret needs 32 bytes or more');
    this.#secret = Buffer.from(secret);
  }

  /** The nonce to hand out at `now` (seconds since the epoch). */
  current(now: number): string {
    const window = windowOf(now);
    if (this.#cached?.window !== window) {
      const counter = counterBytes(window);
      this.#cached = {
        window,
        nonce: Buffer.concat([counter, this.#mac(counter)]).toString('base64url'),
      };
    }
    return this.#cached.nonce;
  }

  /** True when `nonce` was made with this secret in the current or the previous window. */
  accepts(nonce: unknown, now: number): boolean {
    if (typeof nonce !== 'string' || nonce.length > 64) return false;
    const bytes = decodeBase64UrlStrict(nonce);
    if (bytes?.length !== COUNTER_BYTES + MAC_BYTES) return false;
    const counter = bytes.subarray(0, COUNTER_BYTES);
    const age = windowOf(now) - counter.readUIntBE(0, COUNTER_BYTES);
    if (age !== 0 && age !== 1) return false;
    return timingSafeEqual(bytes.subarray(COUNTER_BYTES), this.#mac(counter));
  }

  #mac(counter: Buffer): Buffer {
    return createHmac('sha256', this.#secret)
      .update('dpop-nonce\u0000')
      .update(counter)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

function windowOf(now: number): number {
  return Math.floor(now / NONCE_WINDOW_SECONDS);
}

function counterBytes(window: number): Buffer {
  const counter = Buffer.alloc(COUNTER_BYTES);
  counter.writeUIntBE(window, 0, COUNTER_BYTES);
  return counter;
}
