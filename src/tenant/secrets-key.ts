/**
 * The `secretsKey` option of `Tenant.create`: the key (or keys, during a rotation) with
 * which the tenant encrypts secrets before they reach its store. Checked here, turned into
 * a {@link SecretBox}; the key bytes never appear in an error.
 */
import { InvalidArgumentError } from '../errors.js';
import {
  derivedKeyId,
  isKeyId,
  SECRET_KEY_BYTES,
  SecretBox,
  type SecretBoxKey,
} from '../lib/secret-box.js';

/** One key with the id stored next to every value it encrypts. */
export interface SecretsKeyEntry {
  /** 1 to 64 characters of `A-Z a-z 0-9 _ -`, such as `2026-12`. */
  id: string;
  /** Exactly 32 random bytes (a `Buffer` or `Uint8Array`). */
  key: Uint8Array;
}

/**
 * The tenant's secrets key: 32 bytes (its id is then derived from the key), an entry with
 * an explicit id, or a list of them for a rotation: the first encrypts, every one
 * decrypts.
 *
 * @example
 * ```ts
 * // One key, from an environment variable holding 32 bytes in base64:
 * const secretsKey = Buffer.from(process.env.CLIENTELE_SECRETS_KEY ?? '', 'base64');
 * // During a rotation: the new key first, the old one still decrypting.
 * const rotating = [{ id: '2027-01', key: newKey }, { id: '2026-12', key: oldKey }];
 * ```
 */
export type SecretsKey = Uint8Array | SecretsKeyEntry | readonly (Uint8Array | SecretsKeyEntry)[];

const MAX_KEYS = 16;

/** Checks a `secretsKey` option; `undefined` when it is absent. @internal */
export function readSecretsKey(value: unknown): SecretBox | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const pointer = (index: number) =>
    Array.isArray(value) ? `/secretsKey/${index}` : '/secretsKey';
  if (list.length === 0 || list.length > MAX_KEYS) {
    throw new InvalidArgumentError(
      '/secretsKey',
      `secretsKey must hold 1 to ${MAX_KEYS} keys (the first encrypts, every one decrypts)`,
    );
  }
  const keys: SecretBoxKey[] = [];
  const ids = new Set<string>();
  list.forEach((item, index) => {
    const key = readEntry(item, pointer(index));
    if (ids.has(key.id)) {
      throw new InvalidArgumentError(
        pointer(index),
        `secretsKey holds two keys with the id ${JSON.stringify(key.id)}; give each key its own id`,
      );
    }
    ids.add(key.id);
    keys.push(key);
  });
  return new SecretBox(keys);
}

function readEntry(item: unknown, pointer: string): SecretBoxKey {
  if (item instanceof Uint8Array) {
    checkBytes(item, pointer);
    return { id: derivedKeyId(item), key: item };
  }
  if (typeof item === 'string') {
    throw new InvalidArgumentError(
      pointer,
      `${pointer.slice(1)} must be 32 bytes, not a string: decode it first (Buffer.from(text, 'base64'))`,
    );
  }
  if (typeof item !== 'object' || item === null) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer.slice(1)} must be 32 bytes (a Buffer or Uint8Array) or { id, key }`,
    );
  }
  const { id, key } = item as Partial<SecretsKeyEntry>;
  if (!isKeyId(id)) {
    throw new InvalidArgumentError(
      `${pointer}/id`,
      `${pointer.slice(1)}/id must be 1 to 64 characters of A-Z a-z 0-9 _ -`,
    );
  }
  if (!(key instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      `${pointer}/key`,
      `${pointer.slice(1)}/key must be 32 bytes (a Buffer or Uint8Array)`,
    );
  }
  checkBytes(key, `${pointer}/key`);
  return { id, key };
}

function checkBytes(key: Uint8Array, pointer: string): void {
  if (key.byteLength !== SECRET_KEY_BYTES) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer.slice(1)} must be exactly ${SECRET_KEY_BYTES} bytes (got ${key.byteLength}); generate one with crypto.randomBytes(32)`,
    );
  }
}
