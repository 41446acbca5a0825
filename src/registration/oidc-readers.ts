/**
 * Readers for the OpenID Connect registration metadata the tenant honours
 * (`id_token_signed_response_alg`, `token_endpoint_auth_signing_alg`, `default_max_age`,
 * `require_auth_time`, `subject_type`), and the check that refuses what it cannot honour
 * ({@link REFUSED_METADATA}) instead of dropping it.
 *
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import { oneOf, quote } from '../client/messages.js';
import type { JwtAlgorithm } from '../client/settings.js';
import { REFUSED_METADATA, REGISTRATION_AUTH_METHOD_TABLE } from './metadata.js';
import type { ProblemLog } from './problems.js';
import { readOwn } from './untrusted-body.js';

/** Longest `default_max_age`: one year, in seconds. */
export const MAX_DEFAULT_MAX_AGE = 31_536_000;

/** Every algorithm some registration auth method allows for its assertions. */
export function authSigningAlgorithms(): string[] {
  return [
    ...new Set(
      Object.values(REGISTRATION_AUTH_METHOD_TABLE).flatMap((row) => [...(row?.signingAlgs ?? [])]),
    ),
  ];
}

/** `id_token_signed_response_alg`: one of `allowed` (never `none`). */
export function readIdTokenAlg(
  field: string,
  value: unknown,
  allowed: readonly JwtAlgorithm[],
  log: ProblemLog,
): JwtAlgorithm | undefined {
  if (typeof value !== 'string') return log.wrongType(field, value, 'a string');
  const known = allowed.find((alg) => alg === value);
  if (known) return known;
  const why = value === 'none' ? 'unsigned ID tokens are not issued' : 'this tenant cannot sign it';
  return log.fail(
    field,
    `${field}: ${quote(value)} is not supported (${why}); use ${oneOf(allowed)}`,
  );
}

/** `token_endpoint_auth_signing_alg`: an algorithm of some JWT method (checked against the method later). */
export function readAuthSigningAlg(
  field: string,
  value: unknown,
  log: ProblemLog,
): string | undefined {
  if (typeof value !== 'string') return log.wrongType(field, value, 'a string');
  if (value === 'none') {
    return log.fail(field, `${field}: "none" must not be used (OIDC DCR section 2)`);
  }
  return value;
}

/** `default_max_age`: a whole number of seconds, 0 to one year. */
export function readMaxAge(field: string, value: unknown, log: ProblemLog): number | undefined {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 0 ||
    value > MAX_DEFAULT_MAX_AGE
  ) {
    return log.fail(
      field,
      `${field} must be a whole number of seconds from 0 to ${MAX_DEFAULT_MAX_AGE}`,
    );
  }
  return value;
}

/** A boolean field (`require_auth_time`). */
export function readBoolean(field: string, value: unknown, log: ProblemLog): boolean | undefined {
  if (typeof value !== 'boolean') return log.wrongType(field, value, 'true or false');
  return value;
}

/** `subject_type`: only `public`; `pairwise` cannot be honoured. */
export function readSubjectType(
  field: string,
  value: unknown,
  log: ProblemLog,
): 'public' | undefined {
  if (value === 'public') return 'public';
  if (typeof value !== 'string') return log.wrongType(field, value, 'a string');
  return log.fail(
    field,
    `${field}: ${quote(value)} is not supported; only public subject identifiers are issued`,
  );
}

/** Refuses every {@link REFUSED_METADATA} field the body carries with a non-null value. */
export function refuseUnsupported(body: object, log: ProblemLog): void {
  for (const [field, reason] of Object.entries(REFUSED_METADATA)) {
    const read = readOwn(body, field);
    if ('value' in read && read.value === undefined) continue;
    log.add(
      field,
      'invalid_client_metadata',
      `${field} cannot be honoured: ${reason}; leave it out`,
    );
  }
}
