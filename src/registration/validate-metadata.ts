/**
 * Registration request body → normalised {@link RegistrationMetadata}, or every problem
 * found as a {@link RegistrationError}. Pure and synchronous, and it never throws, whatever
 * the body is: `null`, arrays, strings, proxies, getters that throw, cycles, huge arrays.
 *
 * Only recognised fields are read (each exactly once, then copied as plain JSON), so
 * unknown metadata is ignored without ever being touched (RFC 7591 §2). A `null` value is
 * the same as an absent field (RFC 7592 §2.2 lets a server treat them alike).
 *
 * This file is the entry point and turns the problems found into the result; the reading
 * itself is `read-body.ts`, with `field-readers.ts` and `consistency.ts`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 */
import type { JwtAlgorithm } from '../client/settings.js';
import { RegistrationError } from '../errors.js';
import { METADATA_FIELDS, type MetadataField, type RegistrationMetadata } from './metadata.js';
import { ProblemLog, type MetadataProblem } from './problems.js';
import { readBody } from './read-body.js';

/** Options of {@link validateRegistrationMetadata}. */
export interface ValidateMetadataOptions {
  /**
   * Validate an RFC 7592 update request: `client_id` is required and returned, a
   * `client_secret` is returned for the caller to compare, and the server-issued fields
   * (`registration_access_token`, `registration_client_uri`, `client_secret_expires_at`,
   * `client_id_issued_at`) are refused.
   */
  readonly update?: boolean;
  /**
   * The `id_token_signed_response_alg` values to accept: those the tenant can sign.
   * Default: every `jwt_configuration.alg` value (RS256, PS256, RS512, HS256).
   */
  readonly idTokenAlgorithms?: readonly JwtAlgorithm[];
}

/** The result of {@link validateRegistrationMetadata}. */
export type MetadataValidation =
  | {
      /** The body is valid. */
      readonly ok: true;
      /** The normalised metadata, defaults filled in. */
      readonly metadata: RegistrationMetadata;
      /** Update mode: the `client_id` the body names. */
      readonly clientId: string | undefined;
      /** Update mode: the `client_secret` the body carries, if any. */
      readonly clientSecret: string | undefined;
    }
  | {
      /** The body is invalid. */
      readonly ok: false;
      /** The error to throw: the first problem's OAuth error, every problem described. */
      readonly error: RegistrationError;
      /** Every problem, in table order. */
      readonly problems: readonly MetadataProblem[];
    };

/** How many problems the error description spells out. */
const DESCRIBED_PROBLEMS = 5;

/**
 * Validates a registration (or, with `{ update: true }`, an RFC 7592 update) request body
 * and normalises it. Never throws.
 *
 * @param body - the parsed JSON request body; anything
 * @param options - `{ update: true }` for an update request
 * @example
 * ```ts
 * const result = validateRegistrationMetadata({ redirect_uris: ['https://app.example.com/cb'] });
 * if (result.ok) result.metadata.token_endpoint_auth_method; // 'client_secret_basic'
 * else throw result.error; // RegistrationError: error, error_description, status 400
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2.1 (grant and response types)
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.2 (update requests)
 */
export function validateRegistrationMetadata(
  body: unknown,
  options: ValidateMetadataOptions = {},
): MetadataValidation {
  let problems: MetadataProblem[];
  try {
    const log = new ProblemLog();
    const result = readBody(body, options.update === true, log, options.idTokenAlgorithms);
    if (result) return { ok: true, ...result };
    problems = log.problems;
  } catch {
    // Defence in depth: every reader catches what the body can throw, so this is not reached.
    problems = [
      {
        field: '',
        error: 'invalid_client_metadata',
        message: 'the request body could not be read',
      },
    ];
  }
  const sorted = sortProblems(problems);
  return { ok: false, error: registrationErrorOf(sorted), problems: sorted };
}

/**
 * One {@link RegistrationError} for a list of problems: the first problem's error name,
 * status 400, and a description that lists the first few problems.
 *
 * @param problems - at least one problem
 * @example
 * ```ts
 * registrationErrorOf([{ field: 'scope', error: 'invalid_client_metadata', message: 'scope must ...' }]);
 * ```
 */
export function registrationErrorOf(problems: readonly MetadataProblem[]): RegistrationError {
  const first = problems[0];
  if (!first) return new RegistrationError('invalid_client_metadata', 'the request is invalid');
  const shown = problems.slice(0, DESCRIBED_PROBLEMS).map((problem) => problem.message);
  const more =
    problems.length > DESCRIBED_PROBLEMS
      ? ` (and ${problems.length - DESCRIBED_PROBLEMS} more)`
      : '';
  return new RegistrationError(first.error, `${shown.join('; ')}${more}`, 400);
}

/** Problems in table order (update-only fields first), stable within a field. */
function sortProblems(problems: readonly MetadataProblem[]): MetadataProblem[] {
  const rank = (problem: MetadataProblem) => {
    const root = problem.field.split('/')[0] ?? '';
    const index = METADATA_FIELDS.indexOf(root as MetadataField);
    return index === -1 ? -1 : index;
  };
  return problems
    .map((problem, order) => ({ problem, order, rank: rank(problem) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ problem }) => problem);
}
