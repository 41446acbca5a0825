/**
 * `validateApiInput`: checks and normalises what `tenant.apis.create` and `update` accept.
 * Pure and synchronous; every problem is reported at once, nothing throws.
 */
import { validateSafely } from '../lib/never-throws.js';
import { escapePointer } from '../client/json-snapshot.js';
import { describeValue, labelOf, oneOf, quote } from '../client/messages.js';
import type { Issue } from '../errors.js';
import type { ValidationResult } from '../lib/validation-result.js';
import {
  API_DEFAULTS,
  API_LIMITS,
  API_PASS_THROUGH_FIELDS,
  API_SIGNING_ALGORITHMS,
  HS256_MIN_SECRET_BYTES,
  type ApiPatch,
  type ApiScope,
  type ApiSettings,
  type ApiSigningAlgorithm,
} from './api.js';
import {
  SCOPE_TOKEN,
  checkProperties,
  checkString,
  hasControlCharacter,
  mergeIssues,
  readInput,
} from './input-checks.js';
import { acceptedFields, checkPassThrough, readOnlyMessages } from './pass-through.js';

/** Options of {@link validateApiInput}. */
export interface ValidateApiOptions {
  /**
   * Validate a patch (an update): nothing is required, no defaults are filled in, and
   * `identifier` is refused because it cannot change.
   */
  partial?: boolean;
}

/** The fields an API input may have, in the order messages list them. */
const FIELDS = ['identifier', 'name', 'scopes', 'token_lifetime', 'signing_alg'] as const;
const SCOPE_FIELDS = ['value', 'description'] as const;

/** Auth0 fields accepted besides {@link FIELDS}: passed through, or read-only and dropped. */
const PASS_THROUGH = acceptedFields(API_PASS_THROUGH_FIELDS);

/** The shape of the ids the tenant assigns; an identifier may not look like one. */
const API_ID = /^api_[A-Za-z0-9]{32}$/;

const READ_ONLY_ON_CREATE: Readonly<Record<string, string>> = {
  id: 'id is assigned by the tenant and cannot be given',
};
const READ_ONLY_ON_UPDATE: Readonly<Record<string, string>> = {
  ...READ_ONLY_ON_CREATE,
  ...readOnlyMessages(API_PASS_THROUGH_FIELDS),
  identifier:
    'identifier cannot be changed after the API is created (tokens and grants use it); create a new API instead',
};

/**
 * Validates an API (resource server) input. Never throws, whatever `input` is.
 *
 * On success `value` holds the settings with `name` trimmed and, unless `partial`,
 * the defaults filled in (`name` the identifier when absent, as Auth0 accepts an API
 * without a name; `scopes` `[]`, `token_lifetime` 86400, `signing_alg` `RS256`).
 * Auth0's other resource-server fields (`allow_offline_access`, `token_dialect`,
 * `signing_secret`, … see {@link ApiSettings}) are type-checked and kept unchanged;
 * Auth0's read-only `is_system` (`false`) and `client_id` are accepted and dropped on
 * create and `read_only` in a patch, like `id` and, in a patch, `identifier`. Any other
 * property is `unknown_property`. On failure `issues` lists every problem at its JSON
 * pointer (`/scopes/2/value`, `/token_dialect`), each message starting with the field.
 *
 * @param input - anything; typically the argument of `tenant.apis.create`
 * @param options - `{ partial: true }` for patches
 * @example
 * ```ts
 * const result = validateApiInput({
 *   identifier: 'https://api.example.com/orders',
 *   name: 'Orders',
 *   scopes: [{ value: 'read:orders' }, { value: 'read orders' }],
 * });
 * // result.ok === false; result.issues[0].path === '/scopes/1/value'
 * ```
 * @see https://auth0.com/docs/api/management/v2/resource-servers/post-resource-servers
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function validateApiInput(
  input: unknown,
  options: ValidateApiOptions & { partial: true },
): ValidationResult<ApiPatch>;
export function validateApiInput(
  input: unknown,
  options?: ValidateApiOptions & { partial?: false },
): ValidationResult<ApiSettings>;
export function validateApiInput(
  input: unknown,
  options?: ValidateApiOptions,
): ValidationResult<ApiSettings> | ValidationResult<ApiPatch>;
export function validateApiInput(
  input: unknown,
  options?: ValidateApiOptions,
): ValidationResult<ApiSettings> | ValidationResult<ApiPatch> {
  return validateSafely('API', input, options, validate);
}

function validate(
  input: unknown,
  partial: boolean,
): ValidationResult<ApiSettings> | ValidationResult<ApiPatch> {
  const read = readInput(input, 'API');
  const api = read.value;
  if (!api) return { ok: false, issues: read.issues };
  const issues: Issue[] = [];
  checkProperties(
    api,
    FIELDS,
    partial ? READ_ONLY_ON_UPDATE : READ_ONLY_ON_CREATE,
    issues,
    PASS_THROUGH,
  );
  // Auth0 accepts an API without a name (the identifier stands in), so only the
  // identifier is required.
  if (!partial && !('identifier' in api)) {
    issues.push({ path: '/identifier', code: 'required', message: 'identifier is required' });
  }

  const out: Partial<ApiSettings> = {};
  if (!partial && 'identifier' in api) {
    const identifier = checkIdentifier(api['identifier'], issues);
    if (identifier !== undefined) out.identifier = identifier;
  }
  if ('name' in api) {
    const name = checkName(api['name'], issues);
    if (name !== undefined) out.name = name;
  }
  if ('scopes' in api) {
    const scopes = checkScopes(api['scopes'], issues);
    if (scopes !== undefined) out.scopes = scopes;
  }
  if ('token_lifetime' in api) {
    const lifetime = checkLifetime(api['token_lifetime'], issues);
    if (lifetime !== undefined) out.token_lifetime = lifetime;
  }
  if ('signing_alg' in api) {
    const alg = checkAlgorithm(api['signing_alg'], issues);
    if (alg !== undefined) out.signing_alg = alg;
  }
  const passThrough = checkPassThrough(
    api,
    API_PASS_THROUGH_FIELDS,
    partial,
    issues,
  ) as Partial<ApiSettings>;

  if (!partial) {
    const secretIssue = hs256SecretIssue({ ...passThrough, signing_alg: out.signing_alg });
    if (secretIssue) issues.push(secretIssue);
  }
  const all = mergeIssues(read.issues, issues);
  if (all.length > 0) return { ok: false, issues: all };
  if (partial) return { ok: true, value: { ...out, ...passThrough } };
  return {
    ok: true,
    value: {
      identifier: out.identifier ?? '',
      name: out.name ?? out.identifier ?? '',
      scopes: out.scopes ?? [],
      token_lifetime: out.token_lifetime ?? API_DEFAULTS.token_lifetime,
      signing_alg: out.signing_alg ?? API_DEFAULTS.signing_alg,
      ...passThrough,
    },
  };
}

/**
 * The issue with an API that signs `HS256` without a usable `signing_secret` (none, or
 * shorter than {@link HS256_MIN_SECRET_BYTES} bytes), or `undefined`. Patches are checked
 * with it after they are merged with the stored API.
 *
 * @internal
 */
export function hs256SecretIssue(settings: {
  readonly signing_alg?: ApiSettings['signing_alg'] | undefined;
  readonly signing_secret?: string | undefined;
}): Issue | undefined {
  if (settings.signing_alg !== 'HS256') return undefined;
  const secret = settings.signing_secret;
  if (typeof secret === 'string' && Buffer.byteLength(secret, 'utf8') >= HS256_MIN_SECRET_BYTES) {
    return undefined;
  }
  return {
    path: '/signing_secret',
    code: secret === undefined ? 'required' : 'too_short',
    message: `signing_secret is required with signing_alg HS256 and must be at least ${HS256_MIN_SECRET_BYTES} bytes (RFC 7518 §3.2): the API verifies its tokens with it`,
  };
}

function checkIdentifier(value: unknown, issues: Issue[]): string | undefined {
  return checkString(
    value,
    '/identifier',
    {
      min: 1,
      max: API_LIMITS.identifierLength,
      refine: (text) => {
        if (hasControlCharacter(text)) return 'must not contain control characters';
        if (text.trim() !== text) return 'must not start or end with whitespace';
        if (API_ID.test(text)) {
          return `must not have the form of an API id (${quote(text)}); lookups take either`;
        }
        return undefined;
      },
    },
    issues,
  );
}

function checkName(value: unknown, issues: Issue[]): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : value;
  return checkString(
    trimmed,
    '/name',
    {
      min: 1,
      max: API_LIMITS.nameLength,
      refine: (text) => {
        if (/[<>]/.test(text)) return 'must not contain < or >';
        if (hasControlCharacter(text)) return 'must not contain control characters';
        return undefined;
      },
    },
    issues,
  );
}

function checkScopes(value: unknown, issues: Issue[]): ApiScope[] | undefined {
  if (!Array.isArray(value)) {
    issues.push({
      path: '/scopes',
      code: 'invalid_type',
      message: `scopes must be an array of { value, description? } objects (got ${describeValue(value)})`,
    });
    return undefined;
  }
  if (value.length > API_LIMITS.scopes) {
    issues.push({
      path: '/scopes',
      code: 'too_many_items',
      message: `scopes must have at most ${API_LIMITS.scopes} entries (got ${value.length})`,
    });
    return undefined;
  }
  const before = issues.length;
  const seen = new Map<string, number>();
  const scopes: ApiScope[] = [];
  value.forEach((entry: unknown, index) => {
    const scope = checkScope(entry, `/scopes/${index}`, issues);
    if (scope === undefined) return;
    const first = seen.get(scope.value);
    if (first !== undefined) {
      issues.push({
        path: `/scopes/${index}/value`,
        code: 'duplicate',
        message: `scopes[${index}].value ${quote(scope.value)} repeats scopes[${first}].value`,
      });
      return;
    }
    seen.set(scope.value, index);
    scopes.push(scope);
  });
  return issues.length === before ? scopes : undefined;
}

function checkScope(entry: unknown, pointer: string, issues: Issue[]): ApiScope | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    issues.push({
      path: pointer,
      code: 'invalid_type',
      message: `${labelOf(pointer)} must be an object { value, description? } (got ${describeValue(entry)})`,
    });
    return undefined;
  }
  const scope = entry as Record<string, unknown>;
  const before = issues.length;
  for (const key of Object.keys(scope)) {
    if (!(SCOPE_FIELDS as readonly string[]).includes(key)) {
      const at = `${pointer}/${escapePointer(key)}`;
      issues.push({
        path: at,
        code: 'unknown_property',
        message: `${labelOf(at)} is not a known property: use value or description`,
      });
    }
  }
  if (!('value' in scope)) {
    issues.push({
      path: `${pointer}/value`,
      code: 'required',
      message: `${labelOf(`${pointer}/value`)} is required`,
    });
  }
  const value =
    'value' in scope
      ? checkString(
          scope['value'],
          `${pointer}/value`,
          {
            min: 1,
            max: API_LIMITS.scopeValueLength,
            refine: (text) =>
              SCOPE_TOKEN.test(text)
                ? undefined
                : "may only contain printable ASCII other than space, '\"' and '\\' (RFC 6749 §3.3 scope-token)",
          },
          issues,
        )
      : undefined;
  const description =
    'description' in scope
      ? checkString(
          scope['description'],
          `${pointer}/description`,
          { min: 0, max: API_LIMITS.scopeDescriptionLength },
          issues,
        )
      : undefined;
  if (issues.length > before || value === undefined) return undefined;
  return description === undefined ? { value } : { value, description };
}

function checkLifetime(value: unknown, issues: Issue[]): number | undefined {
  const { minTokenLifetime: min, maxTokenLifetime: max } = API_LIMITS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.push({
      path: '/token_lifetime',
      code: typeof value === 'number' ? 'out_of_range' : 'invalid_type',
      message: `token_lifetime must be an integer number of seconds from ${min} to ${max} (got ${describeValue(value)})`,
    });
    return undefined;
  }
  return value;
}

function checkAlgorithm(value: unknown, issues: Issue[]): ApiSigningAlgorithm | undefined {
  if ((API_SIGNING_ALGORITHMS as readonly unknown[]).includes(value)) {
    return value as ApiSigningAlgorithm;
  }
  issues.push({
    path: '/signing_alg',
    code: typeof value === 'string' ? 'invalid_value' : 'invalid_type',
    message: `signing_alg must be ${oneOf(API_SIGNING_ALGORITHMS)} (got ${describeValue(value)})`,
  });
  return undefined;
}
