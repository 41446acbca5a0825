/**
 * What the tenant registries (`clients`, `apis`, `connections`, `registration`) share:
 * how they write (queued, retried on a lost race, guarded), how they turn validation
 * issues into a {@link ValidationError}, how they check id arguments, and how they read
 * untrusted input for audit details. Internal: nothing here is exported from the package.
 *
 * Uniqueness rules ("one API per identifier", "connection names are unique") are checked
 * by reading the store, so a registry that has such rules bumps one guard record
 * (`guards/<registry>`) in every write, read *before* its checks: a writer that raced
 * another (another process on the same FileStore, another Tenant on the same store) gets
 * a `ConflictError` from the store and re-runs its checks.
 */
import {
  ConflictError,
  InvalidArgumentError,
  ValidationError,
  type Issue,
  type ValidationKind,
} from '../errors.js';
import type { ValidationResult } from '../lib/validation-result.js';
import type { Store, WriteOperation } from '../storage/store.js';

const GUARDS = 'guards';
const MAX_RETRIES = 5;
/** Most top-level keys of a patch named in audit details. */
const MAX_FIELDS = 50;

/** Longest id accepted as an argument (client, connection, grant ids). */
export const MAX_ID_LENGTH = 256;
/** Longest API id or identifier accepted by lookups (identifiers are at most 600). */
export const MAX_REF_LENGTH = 600;

/**
 * How one registry writes: one write at a time, in call order, so its own writes never
 * race each other; each re-run when it loses a race with another writer.
 */
export class RegistryWrites {
  readonly #store: Store;
  readonly #guard: string;
  readonly #queue = new WriteQueue();

  /**
   * @param store - where the guard record lives
   * @param guard - the id of the registry's guard record (`guards/<guard>`)
   */
  constructor(store: Store, guard: string) {
    this.#store = store;
    this.#guard = guard;
  }

  /** Queued and retried on a lost race. */
  queued<T>(attempt: () => Promise<T>): Promise<T> {
    return this.#queue.run(() => retrying(attempt));
  }

  /**
   * Queued, retried, with the guard operation for the commit (read first, so the checks
   * `attempt` makes are covered by it).
   */
  guarded<T>(attempt: (guard: WriteOperation) => Promise<T>): Promise<T> {
    return this.queued(async () => attempt(await guardOperation(this.#store, this.#guard)));
  }
}

/** Runs tasks one at a time, in call order; a failed task does not stop the next. */
class WriteQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/**
 * The commit entry that bumps a registry's guard record (inserting it on first use),
 * expecting the version read now. Read it before the checks it protects.
 */
async function guardOperation(store: Store, name: string): Promise<WriteOperation> {
  const current = await store.get(GUARDS, name);
  return current
    ? {
        op: 'replace',
        collection: GUARDS,
        id: name,
        value: current.value,
        expectedVersion: current.version,
      }
    : { op: 'insert', collection: GUARDS, id: name, value: { registry: name } };
}

/** Re-runs a read-check-write that lost a race with another writer. */
export async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConflictError) || tries >= MAX_RETRIES) throw error;
    }
  }
}

/**
 * The value of a passing validation with no `extra` issues; otherwise a
 * {@link ValidationError} about a `kind` of object, listing `extra` first.
 */
export function valid<T>(
  result: ValidationResult<T>,
  kind: ValidationKind,
  extra: readonly Issue[] = [],
): T {
  if (result.ok && extra.length === 0) return result.value;
  throw invalid([...extra, ...(result.ok ? [] : result.issues)], kind);
}

/** A {@link ValidationError} about a `kind` of object. */
export function invalid(issues: readonly Issue[], kind: ValidationKind): ValidationError {
  return new ValidationError(issues, kind);
}

/** True when `value` is a non-empty string of at most 256 characters. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

/**
 * Throws {@link InvalidArgumentError} unless `id` is a non-empty string of at most 256
 * characters.
 */
export function checkId(id: unknown, pointer: string): asserts id is string {
  checkLength(id, pointer, MAX_ID_LENGTH);
}

/**
 * Throws {@link InvalidArgumentError} unless `ref` (an API id or identifier) is a
 * non-empty string of at most 600 characters.
 */
export function checkRef(ref: unknown, pointer: string): asserts ref is string {
  checkLength(ref, pointer, MAX_REF_LENGTH);
}

function checkLength(value: unknown, pointer: string, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer.slice(1)} must be a non-empty string of at most ${max} characters`,
    );
  }
}

/**
 * A string field of an untrusted input, cut to `maxLength`, for audit details;
 * `undefined` otherwise.
 */
export function stringField(
  input: unknown,
  key: string,
  maxLength = MAX_REF_LENGTH,
): string | undefined {
  try {
    const value = (input as Record<string, unknown> | null)?.[key];
    return typeof value === 'string' ? value.slice(0, maxLength) : undefined;
  } catch {
    return undefined;
  }
}

/** The top-level keys of an untrusted patch, for audit details. */
export function fieldsOf(patch: unknown): string[] {
  try {
    return typeof patch === 'object' && patch !== null
      ? Object.keys(patch).slice(0, MAX_FIELDS)
      : [];
  } catch {
    return [];
  }
}
