/**
 * `validateGrantInput`: checks what `tenant.apis.grant` and `updateGrant` accept, and
 * `grantScopeIssues`: whether requested scopes are defined on the API. Pure and
 * synchronous; nothing throws.
 */
import { closestName } from '../lib/closest-name.js';
import { validateSafely } from '../lib/never-throws.js';
import { describeValue, labelOf, oneOf, quote } from '../client/messages.js';
import type { ValidationResult } from '../lib/validation-result.js';
import type { Issue } from '../errors.js';
import { API_LIMITS, type ApiScope } from './api.js';
import {
  GRANT_DEFAULT_FOR,
  GRANT_ORGANIZATION_USAGES,
  GRANT_SUBJECT_TYPES,
  type ClientGrantAuth0Fields,
  type ClientGrantPatch,
  type ClientGrantSettings,
} from './grant.js';
import {
  SCOPE_TOKEN,
  checkProperties,
  checkString,
  checkUniqueStrings,
  hasControlCharacter,
  mergeIssues,
  readInput,
} from './input-checks.js';
import {
  acceptedFields,
  checkPassThrough,
  readOnlyMessages,
  type PassThroughRule,
  type PassThroughTable,
} from './pass-through.js';

/** Longest client id accepted (as `tenant.clients`). */
const MAX_CLIENT_ID_LENGTH = 256;
/** Most scopes named in one message. */
const MAX_NAMED = 5;

/** The fields checked here one by one; the others are in `GRANT_PASS_THROUGH_FIELDS`. */
const FIELDS = ['client_id', 'audience', 'scope', 'default_for', 'subject_type'] as const;

/**
 * Auth0's other grant fields (the SDK's `CreateClientGrantRequestContent` and
 * `UpdateClientGrantRequestContent`): type-checked and passed through. `null` is accepted
 * where Auth0's PATCH takes it (it removes the field; on create it means absent).
 * `is_system` is read-only (Auth0's own grants carry it): accepted and dropped on create.
 */
const GRANT_PASS_THROUGH_FIELDS: PassThroughTable = Object.freeze({
  organization_usage: {
    types: ['string', 'null'],
    refine: (value) => enumReason(value, GRANT_ORGANIZATION_USAGES),
  },
  allow_any_organization: { types: ['boolean', 'null'] },
  authorization_details_types: {
    types: ['array'],
    maxItems: 100,
    each: { types: ['string'], minLength: 1, maxLength: 255 },
  },
  allow_all_scopes: { types: ['boolean', 'null'] },
  is_system: {
    types: ['boolean'],
    readOnly:
      'is_system is read-only in Auth0 (it marks the grants Auth0 creates) and cannot be given in a patch',
  },
} satisfies Record<string, PassThroughRule>);

const READ_ONLY_ON_CREATE: Readonly<Record<string, string>> = {
  id: 'id is assigned by the tenant and cannot be given',
};
const READ_ONLY_ON_UPDATE: Readonly<Record<string, string>> = {
  ...READ_ONLY_ON_CREATE,
  ...readOnlyMessages(GRANT_PASS_THROUGH_FIELDS),
  client_id: 'client_id of a grant cannot be changed; revoke it and grant the other client',
  audience: 'audience of a grant cannot be changed; revoke it and grant the other API',
  default_for: 'default_for of a grant cannot be changed; create another grant instead',
  subject_type: 'subject_type of a grant cannot be changed; create another grant instead',
};

/**
 * Every field a grant may carry: checked here, passed through, or read-only. The sdk-fields
 * test compares it with the SDK's client-grant types.
 *
 * @internal
 */
export const GRANT_FIELD_NAMES: readonly string[] = Object.freeze([
  ...FIELDS,
  ...acceptedFields(GRANT_PASS_THROUGH_FIELDS),
  ...Object.keys(READ_ONLY_ON_CREATE),
]);

/** Options of {@link validateGrantInput}. */
export interface ValidateGrantOptions {
  /**
   * Validate an update (Auth0's PATCH): nothing is required; `scope` and Auth0's updatable
   * fields may be given, `null` removing them; `client_id`, `audience`, `default_for` and
   * `subject_type` are refused because they cannot change.
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
 * Validates a client grant as Auth0's Management API accepts it: `audience` a non-empty
 * string; `client_id` a non-empty string, or instead `default_for: "third_party_clients"`
 * (the default grant of every third-party client; the two are mutually exclusive);
 * `scope` an array (possibly empty, default empty) of unique scope tokens; and Auth0's
 * other fields with their types and enums (`allow_all_scopes`, `organization_usage`,
 * `allow_any_organization`, `subject_type`, `authorization_details_types`; read-only
 * `is_system` is dropped). Whether the client and the API exist and whether the API
 * defines the scopes is checked by `tenant.apis.grant`, which reads the store (see
 * {@link grantScopeIssues}); the tenant keeps grants per client, so it refuses a
 * `default_for` grant. Never throws.
 *
 * @param input - anything; typically the argument of `tenant.apis.grant`
 * @param options - `{ partial: true }` for updates (`updateGrant`, Auth0's PATCH)
 * @example
 * ```ts
 * validateGrantInput({ client_id: 'abc', audience: 'https://api.example.com', scope: ['read', 'read'] });
 * // { ok: false, issues: [{ path: '/scope/1', code: 'duplicate', ... }] }
 * validateGrantInput({ default_for: 'third_party_clients', audience: 'https://api.example.com', allow_all_scopes: true });
 * // { ok: true, value: { default_for: 'third_party_clients', audience: ..., scope: [], allow_all_scopes: true } }
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
): ValidationResult<ClientGrantSettings>;
export function validateGrantInput(
  input: unknown,
  options?: ValidateGrantOptions,
): ValidationResult<ClientGrantSettings> | ValidationResult<ClientGrantPatch>;
export function validateGrantInput(
  input: unknown,
  options?: ValidateGrantOptions,
): ValidationResult<ClientGrantSettings> | ValidationResult<ClientGrantPatch> {
  return validateSafely('client grant', input, options, validate);
}

function validate(
  input: unknown,
  partial: boolean,
): ValidationResult<ClientGrantSettings> | ValidationResult<ClientGrantPatch> {
  const read = readInput(input, 'client grant');
  const grant = read.value;
  if (!grant) return { ok: false, issues: read.issues };
  const issues: Issue[] = [];
  checkProperties(
    grant,
    FIELDS,
    partial ? READ_ONLY_ON_UPDATE : READ_ONLY_ON_CREATE,
    issues,
    acceptedFields(GRANT_PASS_THROUGH_FIELDS),
  );
  const given = (field: string) => field in grant && grant[field] !== null;
  if (partial) {
    const scope = checkScope(grant, issues);
    const passThrough = checkPassThrough(grant, GRANT_PASS_THROUGH_FIELDS, partial, issues);
    const all = mergeIssues(read.issues, issues);
    if (all.length > 0) return { ok: false, issues: all };
    return { ok: true, value: { ...passThrough, ...(scope === undefined ? {} : { scope }) } };
  }

  const clientId = given('client_id')
    ? checkString(grant['client_id'], '/client_id', { min: 1, max: MAX_CLIENT_ID_LENGTH }, issues)
    : undefined;
  const defaultFor = given('default_for')
    ? checkEnum(grant['default_for'], '/default_for', GRANT_DEFAULT_FOR, issues)
    : undefined;
  if (given('client_id') && defaultFor !== undefined) {
    issues.push({
      path: '/default_for',
      code: 'mutually_exclusive',
      message:
        'default_for cannot be given with client_id: a grant is either for one client or the default of every third-party client; remove one of them',
    });
  } else if (!given('client_id') && !given('default_for')) {
    issues.push({
      path: '/client_id',
      code: 'required',
      message:
        'client_id is required (or default_for: "third_party_clients" for the default grant of every third-party client)',
    });
  }

  if (!given('audience')) {
    issues.push({ path: '/audience', code: 'required', message: 'audience is required' });
  }
  const audience = given('audience')
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
  const scope = checkScope(grant, issues);
  const subjectType = given('subject_type')
    ? checkEnum(grant['subject_type'], '/subject_type', GRANT_SUBJECT_TYPES, issues)
    : undefined;
  const passThrough = checkPassThrough(grant, GRANT_PASS_THROUGH_FIELDS, partial, issues);
  const all = mergeIssues(read.issues, issues);
  if (all.length > 0) return { ok: false, issues: all };
  const extra = withoutNulls({
    ...passThrough,
    ...(subjectType === undefined ? {} : { subject_type: subjectType }),
  }) as ClientGrantAuth0Fields;
  const common = { audience: audience ?? '', scope: scope ?? [] };
  const value: ClientGrantSettings =
    defaultFor === undefined
      ? { client_id: clientId ?? '', ...common, ...extra }
      : { default_for: defaultFor, ...common, ...extra };
  return { ok: true, value };
}

/** The scopes when valid; `null` (remove, or absent on create) means none. */
function checkScope(
  grant: Readonly<Record<string, unknown>>,
  issues: Issue[],
): string[] | undefined {
  if (!('scope' in grant)) return undefined;
  if (grant['scope'] === null) return [];
  return checkUniqueStrings(grant['scope'], '/scope', API_LIMITS.scopes, SCOPE_RULE, issues);
}

/** On create, `null` on an optional field means absent. */
function withoutNulls(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}

/** The value when it is one of `values`, else an issue with a "did you mean". */
function checkEnum<T extends string>(
  value: unknown,
  pointer: string,
  values: readonly T[],
  issues: Issue[],
): T | undefined {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  if (typeof value !== 'string') {
    issues.push({
      path: pointer,
      code: 'invalid_type',
      message: `${labelOf(pointer)} must be a string (got ${describeValue(value)})`,
    });
    return undefined;
  }
  issues.push({
    path: pointer,
    code: 'invalid_value',
    message: `${labelOf(pointer)} ${enumReason(value, values) ?? ''}`,
  });
  return undefined;
}

/** Why `value` is not one of `values` ("must be …; did you mean …?"), or undefined. */
function enumReason(value: unknown, values: readonly string[]): string | undefined {
  if (typeof value !== 'string' || values.includes(value)) return undefined;
  const hint = closestName(value, values);
  return `must be ${oneOf(values)} (got ${quote(value)})${hint ? `; did you mean ${hint}?` : ''}`;
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
