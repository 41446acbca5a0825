/**
 * The problems a registration request body has, collected while it is read: each one
 * names its field, the OAuth error it produces and a sentence that starts with the field.
 * The log also remembers which fields went wrong, so that checks depending on them are
 * skipped instead of reporting the same mistake twice.
 */
import { describeValue } from '../client/messages.js';
import { REGISTRATION_METADATA, type MetadataField } from './metadata.js';

/** One problem with a registration request. */
export interface MetadataProblem {
  /** Where: a field name, or a field and an index (`redirect_uris/2`); `''` for the body. */
  readonly field: string;
  /** The OAuth error name it produces. */
  readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata';
  /** A sentence that starts with the field and says what is wrong. */
  readonly message: string;
}

/** Collects the problems of one body; readers report here instead of throwing. */
export class ProblemLog {
  /** Every problem, in the order found. */
  readonly problems: MetadataProblem[] = [];
  /** Fields that had a problem: later checks that depend on them are skipped. */
  readonly bad = new Set<string>();

  /** Reports that `field` is not of the `expected` type; returns undefined. */
  wrongType<T>(
    field: string,
    value: unknown,
    expected: string,
    error: MetadataProblem['error'] = errorOf(field),
  ): T | undefined {
    return this.fail(field, `${field} must be ${expected} (got ${describeValue(value)})`, error);
  }

  /** Reports a problem with `field`; returns undefined, for `return log.fail(...)`. */
  fail<T>(
    field: string,
    message: string,
    error: MetadataProblem['error'] = errorOf(field),
  ): T | undefined {
    this.add(field, error, message);
    return undefined;
  }

  /** Reports a problem. */
  add(field: string, error: MetadataProblem['error'], message: string): void {
    this.problems.push({ field, error, message });
  }
}

/** The error a field's problems produce, from the table; `field` may carry an index. */
function errorOf(field: string): MetadataProblem['error'] {
  const root = field.split('/')[0] ?? '';
  return Object.hasOwn(REGISTRATION_METADATA, root)
    ? REGISTRATION_METADATA[root as MetadataField].error
    : 'invalid_client_metadata';
}
