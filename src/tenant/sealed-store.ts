/**
 * The store as the Tenant's registries see it: every record read is checked for the shape
 * the Tenant wrote ({@link checkRecordShape}) and has its encrypted secrets opened; every
 * value written has its secrets sealed first when the tenant has a `secretsKey`
 * ({@link secretPaths}). Registries work with plain values and never see ciphertext.
 *
 * Each secret is sealed with AES-256-GCM bound to its collection, record id and field, so
 * a ciphertext copied into another record or field does not open. A stored value that is
 * not an envelope is plain text from before the key was configured: it is served as it is
 * and sealed on the record's next write.
 *
 * Opening costs once per stored record: the built-in stores (and the tenant's cache in
 * front of a remote store) hand out the same frozen record until it changes, and the
 * opened record is remembered for it. Authentication therefore decrypts nothing.
 */
import {
  ConflictError,
  InvalidArgumentError,
  SecretDecryptionError,
  type SecretDecryptionReason,
} from '../errors.js';
import { deepFreeze } from '../lib/deep-freeze.js';
import { ENVELOPE_PREFIX, isEnvelope, type SecretBox } from '../lib/secret-box.js';
import type {
  ChangeListener,
  CollectionName,
  Store,
  StoredRecord,
  WriteOperation,
} from '../storage/store.js';
import { checkRecordShape } from './record-shape.js';
import {
  pointerOf,
  secretCollections,
  secretPaths,
  valueAt,
  withValueAt,
} from './secret-fields.js';

/** A {@link Store} that checks and opens what it reads and seals what it writes. @internal */
export class SealedStore implements Store {
  readonly #inner: Store;
  readonly #box: SecretBox | undefined;
  /** Opened records by the (frozen) stored record they came from. */
  readonly #opened = new WeakMap<object, StoredRecord>();
  /** Present when the inner store has a change feed (tenants behave differently without). */
  readonly watch?: (listener: ChangeListener) => () => void;

  /**
   * @param inner - the store (or the tenant's cache in front of it)
   * @param box - the tenant's keys; without it nothing is sealed, and an encrypted value
   *   read back is a {@link SecretDecryptionError} (`no_key`)
   */
  constructor(inner: Store, box: SecretBox | undefined) {
    this.#inner = inner;
    this.#box = box;
    if (typeof inner.watch === 'function') {
      this.watch = (listener) => (inner.watch as NonNullable<Store['watch']>).call(inner, listener);
    }
  }

  async get<T = unknown>(
    collection: CollectionName,
    id: string,
  ): Promise<StoredRecord<T> | undefined> {
    const record = await this.#inner.get(collection, id);
    return record && (this.#open(collection, record, true) as StoredRecord<T>);
  }

  async list<T = unknown>(collection: CollectionName): Promise<StoredRecord<T>[]> {
    const records = await this.#inner.list(collection);
    return records.map((record) => this.#open(collection, record, true) as StoredRecord<T>);
  }

  async insert<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
  ): Promise<StoredRecord<T>> {
    const written = await this.#inner.insert(collection, id, this.#seal(collection, id, value));
    return this.#open(collection, written, false) as StoredRecord<T>;
  }

  async replace<T = unknown>(
    collection: CollectionName,
    id: string,
    value: T,
    expectedVersion: number,
  ): Promise<StoredRecord<T>> {
    const written = await this.#inner.replace(
      collection,
      id,
      this.#seal(collection, id, value),
      expectedVersion,
    );
    return this.#open(collection, written, false) as StoredRecord<T>;
  }

  delete(collection: CollectionName, id: string, expectedVersion?: number): Promise<void> {
    return this.#inner.delete(collection, id, expectedVersion);
  }

  async commit(operations: readonly WriteOperation[]): Promise<StoredRecord[]> {
    const sealed = Array.isArray(operations)
      ? operations.map((operation) => this.#sealOperation(operation))
      : operations;
    const written = await this.#inner.commit(sealed);
    // Written records come back in the order of the inserts and replaces.
    const writes = sealed.filter((operation) => operation.op !== 'delete');
    return written.map((record, index) =>
      this.#open(writes[index]?.collection ?? '', record, false),
    );
  }

  async close(): Promise<void> {
    await this.#inner.close?.();
  }

  /**
   * Writes again every record holding a secret that is not sealed with the sealing key
   * (plain, or sealed with an older key), so the older keys can be dropped. Each record is
   * one versioned replace; one that changed meanwhile is read again. Returns how many
   * records were written.
   *
   * @throws {@link InvalidArgumentError} without a key; {@link SecretDecryptionError} for
   *   a value no key opens (nothing after it is written).
   */
  async reseal(): Promise<number> {
    const box = this.#box;
    if (box === undefined) {
      throw new InvalidArgumentError('/secretsKey', 'resealing secrets needs a secretsKey');
    }
    const stale = (collection: string, record: StoredRecord): boolean =>
      secretPaths(collection, record.value).some((path) => {
        const value = valueAt(record.value, path);
        return (
          value !== undefined && !(isEnvelope(value) && value.split(':')[2] === box.sealingKeyId)
        );
      });
    let written = 0;
    for (const collection of secretCollections()) {
      for (const listed of await this.#inner.list(collection)) {
        for (let attempt = 1, record = listed; ; attempt++) {
          if (!stale(collection, record)) break;
          const opened = this.#open(collection, record, true);
          try {
            await this.#inner.replace(
              collection,
              record.id,
              this.#seal(collection, record.id, opened.value),
              record.version,
            );
            written++;
            break;
          } catch (error) {
            if (!(error instanceof ConflictError) || attempt >= 5) throw error;
            const again = await this.#inner.get(collection, record.id);
            if (!again) break;
            record = again;
          }
        }
      }
    }
    return written;
  }

  #sealOperation(operation: WriteOperation): WriteOperation {
    if (typeof operation !== 'object' || operation === null || operation.op === 'delete') {
      return operation;
    }
    const value = this.#seal(operation.collection, operation.id, operation.value);
    return value === operation.value ? operation : { ...operation, value };
  }

  /** `value` with its secrets sealed (the same value when there is nothing to seal). */
  #seal(collection: string, id: string, value: unknown): unknown {
    const box = this.#box;
    if (box === undefined || typeof collection !== 'string' || typeof id !== 'string') {
      return value;
    }
    let sealed = value;
    for (const path of secretPaths(collection, value)) {
      const plain = valueAt(value, path);
      if (plain === undefined) continue;
      let json: string | undefined;
      try {
        json = JSON.stringify(plain) as string | undefined;
      } catch {
        json = undefined;
      }
      // Not JSON: left for the store to refuse, with its pointer.
      if (typeof json !== 'string') continue;
      const envelope = box.seal(json, aad(collection, id, pointerOf(path)));
      sealed = withValueAt(sealed, path, envelope);
    }
    return sealed;
  }

  /** The record with its secrets opened (and, for reads, its shape checked). */
  #open(collection: string, record: StoredRecord, check: boolean): StoredRecord {
    const known = this.#opened.get(record);
    if (known) return known;
    let value = record.value;
    for (const path of secretPaths(collection, record.value)) {
      const stored = valueAt(record.value, path);
      if (typeof stored !== 'string' || !stored.startsWith(ENVELOPE_PREFIX)) continue;
      value = withValueAt(
        value,
        path,
        this.#decrypt(collection, record.id, pointerOf(path), stored),
      );
    }
    if (check) checkRecordShape(collection, record.id, value);
    const opened =
      value === record.value
        ? record
        : Object.freeze({ id: record.id, version: record.version, value: deepFreeze(value) });
    // Only a record that cannot change may stand for its opened form.
    if (Object.isFrozen(record)) this.#opened.set(record, opened);
    return opened;
  }

  #decrypt(collection: string, id: string, pointer: string, envelope: string): unknown {
    const where = { collection, id, path: pointer };
    const field = `${pointer} of store record ${JSON.stringify(id)} in collection ${JSON.stringify(collection)}`;
    const box = this.#box;
    if (box === undefined) {
      throw failure('no_key', where, `${field} is encrypted and the tenant has no secretsKey`);
    }
    const result = box.open(envelope, aad(collection, id, pointer));
    if (result.ok) {
      try {
        return JSON.parse(result.plaintext) as unknown;
      } catch {
        // Authenticated, so only a sealer other than this module gets here.
      }
    } else if (result.reason === 'unknown_key') {
      throw failure(
        'unknown_key',
        where,
        `${field} was encrypted with the key ${JSON.stringify(result.keyId)}, which secretsKey does not hold (keep the old key in the list until every record was written again)`,
      );
    }
    throw failure(
      'tampered',
      where,
      `${field} does not decrypt: its ciphertext, or the record or field it sits in, was changed`,
    );
  }
}

/** What a sealed value is bound to: it opens only in the same collection, record and field. */
function aad(collection: string, id: string, pointer: string): string {
  return JSON.stringify(['clientele secret', collection, id, pointer]);
}

function failure(
  reason: SecretDecryptionReason,
  where: { collection: string; id: string; path: string },
  message: string,
): SecretDecryptionError {
  return new SecretDecryptionError(reason, where, message);
}
