/**
 * Turning what the `pg` driver throws into the library's typed errors.
 *
 * @internal
 * @module
 */
import {
  ClienteleError,
  ConflictError,
  NotFoundError,
  StoreUnavailableError,
} from '../../errors.js';
import { describe, type CheckedWrite } from '../batch.js';

/** SQLSTATE raised by `clientele_commit` for a conflict. */
export const CONFLICT_STATE = 'CL409';
/** SQLSTATE raised by `clientele_commit` for a missing record. */
export const NOT_FOUND_STATE = 'CL404';
/** Longest part of a driver message repeated in ours. */
const MAX_REASON = 200;

interface DriverError {
  code?: unknown;
  message?: unknown;
}

/**
 * The typed error for a failed commit of `writes`: the refusal `clientele_commit` raised,
 * with the same messages as the other stores, or {@link StoreUnavailableError}.
 */
export function commitError(error: unknown, writes: readonly CheckedWrite[]): ClienteleError {
  const { code, message } = (error ?? {}) as DriverError;
  if ((code === CONFLICT_STATE || code === NOT_FOUND_STATE) && typeof message === 'string') {
    const [index, found] = JSON.parse(message) as [number, number];
    const write = writes[index];
    if (write) {
      const name = describe(write.collection, write.id);
      if (code === NOT_FOUND_STATE)
        return new NotFoundError(`${write.where}${name} does not exist`);
      if (write.op === 'insert') return new ConflictError(`${write.where}${name} already exists`);
      return new ConflictError(
        `${write.where}${name} is at version ${found}, not ${write.expectedVersion}: ` +
          'it changed since it was read; read it again and retry',
      );
    }
  }
  return unavailable(error, 'write', lostInFlight(error));
}

/**
 * {@link StoreUnavailableError} for a failed read or write. `unknownOutcome` says the
 * connection dropped while a write was in flight, so it may have been applied.
 */
export function unavailable(
  error: unknown,
  action: 'read' | 'write' | 'prepare',
  unknownOutcome = false,
): ClienteleError {
  if (error instanceof ClienteleError) return error;
  const outcome =
    action === 'read'
      ? 'nothing was read'
      : action === 'prepare'
        ? 'nothing was written'
        : unknownOutcome
          ? 'the connection was lost while the write was in flight, so it may or may not have been applied; read the record again before retrying'
          : 'nothing was written';
  return new StoreUnavailableError(
    `PostgresStore: the database is unavailable or refused the ${action} (${reason(error)}); ` +
      `${outcome}. The store reconnects by itself; retry later.`,
    { cause: error },
  );
}

/** A short, credential-free description of a driver error. */
export function reason(error: unknown): string {
  const { code, message } = (error ?? {}) as DriverError;
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  const short = text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
  return typeof code === 'string' ? `${code}: ${short}` : short;
}

/** True when the error says the connection broke after the query was sent. */
function lostInFlight(error: unknown): boolean {
  const { code, message } = (error ?? {}) as DriverError;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '57P03') return false;
  if (typeof message === 'string' && /timeout exceeded when trying to connect/i.test(message)) {
    return false;
  }
  return (
    code === '57P01' ||
    code === '57P02' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    (typeof message === 'string' && /Connection terminated/i.test(message))
  );
}
