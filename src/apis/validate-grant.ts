/**
 * `validateGrantInput`: checks what `tenant.apis.grant` and `updateGrant` accept, and
 * `grantScopeIssues`: whether requested scopes are defined on the API. Pure and
 * synchronous; nothing throws.
 */
import { validateSafely } from '../lib/never-throws.js';
import { quote } from '../client/messages.js';
import type { ValidationResult } from '../lib/validation-result.js';
import type { Issue } from '../errors.js';
import { API_LIMITS, type ApiScope } from './api.js';
import type { ClientGrantInput, ClientGrantPatch } from './grant.js';
import {
  SCOPE_TOKEN,
  checkProperties,
  checkString,
  checkUniqueStrings,
  hasControlCharacter,
  mergeIssues,
  readInput,
} from './input-checks.js';

/** Longest client id accepted (as `tenant.clients`). */
const MAX_CLIENT_ID_LENGTH = 256;
/** Most scopes named in one message. */
const MAX_NAMED = 5;

const FIELDS = ['client_id', 'audience', 'scope'] as const;
const READ_ONLY_ON_CREATE: Readonly<Record<string, string>> = {
  id: 'id is assigned by the tenant and cannot be given',
};
const READ_ONLY_ON_UPDATE: Readonly<Record<string, string>> = {
  ...READ_ONLY_ON_CREATE,
  client_id: 'client_id of a grant cannot be changed; revoke it and grant the other client',
  audience: 'audience of a grant cannot be changed; revoke it and grant the other API',
};

/** Options of {@link validateGrantInput}. */
export interface ValidateGrantOptions {
  /**
   * Validate an `updateGrant` patch: only `scope` may be given, and it is optional;
   * `client_id` and `audience` are refused because a grant cannot move.
   */
  partial?: boolean;
}

const SCOPE_RULE = {
  min: 1,
  max: API_LIMITS.scopeValueLength,
  refine: (text: string) =>
    SCOPE_TOKEN.test(text)
      ? undefined
      : "may only contain printable ASCII other than space, '\"' and '\\' (RFC 6749 §3.3 scope-token)",
};

/**
 * Validates a client grant input: `client_id` and `audience` non-empty strings, `scope`
 * an array (possibly empty) of unique scope tokens. Whether the client and the API exist
 * and whether the API defines the scopes is checked by `tenant.apis.grant`, which reads
 * the store (see {@link grantScopeIssues}). Never throws.
 *
 * @param input - anything; typically the argument of `tenant.apis.grant`
 * @param options - `{ partial: true }` for `updateGrant` patches: only `scope`, optional
 * @example
 * ```ts
 * validateGrantInput({ client_id: 'abc', audience: 'https://api.example.com', scope: ['read', 'read'] });
 * // { ok: false, issues: [{ path: '/scope/1', code: 'duplicate', ... }] }
 * ```
 * @see https://auth0.com/docs/api/management/v2/client-grants/post-client-grants
 */
export function validateGrantInput(
  input: unknown,
  options: ValidateGrantOptions & { partial: true },
): ValidationResult<ClientGrantPatch>;
export function validateGrantInput(
  input: unknown,
  options?: ValidateGrantOptions & { partial?: false },
): ValidationResult<ClientGrantInput>;
export function validateGrantInput(
  input: unknown,
  options?: ValidateGrantOptions,
): ValidationResult<ClientGrantInput> | ValidationResult<ClientGrantPatch>;
export function validateGrantInput(
  input: unknown,
  options?: ValidateGrantOptions,
): ValidationResult<ClientGrantInput> | ValidationResult<ClientGrantPatch> {
  return validateSafely('client grant', input, options, validate);
}

function validate(
  input: unknown,
  partial: boolean,
): ValidationResult<ClientGrantInput> | ValidationResult<ClientGrantPatch> {
  const read = readInput(input, 'client grant');
  const grant = read.value;
  if (!grant) return { ok: false, issues: read.issues };
  const issues: Issue[] = [];
  checkProperties(grant, FIELDS, partial ? READ_ONLY_ON_UPDATE : READ_ONLY_ON_CREATE, issues);
  if (!partial) {
    for (const field of FIELDS) {
      if (!(field in grant)) {
        issues.push({ path: `/${field}`, code: 'required', message: `${field} is required` });
      }
    }
  }
  const clientId =
    !partial && 'client_id' in grant
      ? checkString(grant['client_id'], '/client_id', { min: 1, max: MAX_CLIENT_ID_LENGTH }, issues)
      : undefined;
  const audience =
    !partial && 'audience' in grant
      ? checkString(
          grant['audience'],
          '/audience',
          {
            min: 1,
            max: API_LIMITS.identifierLength,
            refine: (text) =>
              hasControlCharacter(text) ? 'must not contain control characters' : undefined,
          },
          issues,
        )
      : undefined;
  const scope =
    'scope' in grant
      ? checkUniqueStrings(grant['scope'], '/scope', API_LIMITS.scopes, SCOPE_RULE, issues)
      : undefined;

  const all = mergeIssues(read.issues, issues);
  if (all.length > 0) return { ok: false, issues: all };
  if (partial) return { ok: true, value: scope === undefined ? {} : { scope } };
  return {
    ok: true,
    value: { client_id: clientId ?? '', audience: audience ?? '', scope: scope ?? [] },
  };
}

/**
 * Issues for requested scopes the API does not define, each at `/scope/<index>`, naming
 * the API's scopes so the caller can fix the request.
 *
 * @param scope - validated requested scopes
 * @param apiScopes - the scopes the API defines
 * @param audience - the API identifier, for messages
 * @example
 * ```ts
 * grantScopeIssues(['read', 'admin'], [{ value: 'read' }], 'https://api.example.com');
 * // [{ path: '/scope/1', code: 'unknown_scope', message: 'scope[1] "admin" is not defined by …' }]
 * ```
 */
export function grantScopeIssues(
  scope: readonly string[],
  apiScopes: readonly Readonly<ApiScope>[],
  audience: string,
): Issue[] {
  const defined = new Set(apiScopes.map((entry) => entry.value));
  const named = apiScopes.slice(0, MAX_NAMED).map((entry) => quote(entry.value));
  const more = apiScopes.length > MAX_NAMED ? `, … (${apiScopes.length} in all)` : '';
  const available =
    apiScopes.length === 0 ? 'it defines no scopes' : `it defines ${named.join(', ')}${more}`;
  const issues: Issue[] = [];
  scope.forEach((value, index) => {
    if (defined.has(value)) return;
    issues.push({
      path: `/scope/${index}`,
      code: 'unknown_scope',
      message: `scope[${index}] ${quote(value)} is not defined by the API ${quote(audience)}: ${available}`,
    });
  });
  return issues;
}
