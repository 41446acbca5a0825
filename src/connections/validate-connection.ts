/**
 * `validateConnectionInput`: checks and normalises what `tenant.connections.create` and
 * `update` accept. Pure and synchronous; every problem is reported at once, nothing throws.
 */
import { closestName } from '../lib/closest-name.js';
import { validateSafely } from '../lib/never-throws.js';
import { describeValue, quote } from '../client/messages.js';
import type { JsonObject } from '../client/settings.js';
import type { ValidationResult } from '../lib/validation-result.js';
import type { Issue } from '../errors.js';
import {
  checkProperties,
  checkString,
  checkUniqueStrings,
  mergeIssues,
  readInput,
} from '../apis/input-checks.js';
import { acceptedFields, checkPassThrough, readOnlyMessages } from '../apis/pass-through.js';
import {
  CONNECTION_PASS_THROUGH_FIELDS,
  type ConnectionPatch,
  type ConnectionSettings,
} from './connection.js';
import { strategyIssues } from './strategy-rules.js';
import {
  CONNECTION_STRATEGIES,
  EXAMPLE_STRATEGIES,
  isConnectionStrategy,
  type ConnectionStrategy,
} from './strategies.js';

/** Options of {@link validateConnectionInput}. */
export interface ValidateConnectionOptions {
  /**
   * Validate a patch (an update): nothing is required, no defaults are filled in, and
   * `strategy` is refused because it cannot change.
   */
  partial?: boolean;
}

/** Limits of connection fields: Auth0's for `name`, the library's own for the rest. */
export const CONNECTION_LIMITS = Object.freeze({
  /** Longest `name`. */
  nameLength: 128,
  /** Most entries in `enabled_clients`. */
  enabledClients: 1000,
  /** Longest client id in `enabled_clients` (as `tenant.clients`). */
  clientIdLength: 256,
  /** Largest `options`, in characters of its JSON. */
  optionsJsonLength: 100_000,
});

/** Auth0: starts and ends with a letter or digit; letters, digits and `-` between. */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

const FIELDS = ['name', 'strategy', 'enabled_clients', 'options'] as const;
/** Auth0 fields accepted besides `FIELDS`: passed through, or read-only and dropped. */
const PASS_THROUGH = acceptedFields(CONNECTION_PASS_THROUGH_FIELDS);
const READ_ONLY_ON_CREATE: Readonly<Record<string, string>> = {
  id: 'id is assigned by the tenant and cannot be given',
  category: 'category follows from the strategy and cannot be given',
};
const READ_ONLY_ON_UPDATE: Readonly<Record<string, string>> = {
  ...READ_ONLY_ON_CREATE,
  ...readOnlyMessages(CONNECTION_PASS_THROUGH_FIELDS),
  strategy:
    'strategy cannot be changed after the connection is created; create a new connection instead',
};

/**
 * Every field a connection may carry: interpreted, passed through, or read-only. The
 * sdk-fields test compares it with the SDK's connection types.
 *
 * @internal
 */
export const CONNECTION_FIELD_NAMES: readonly string[] = Object.freeze([
  ...FIELDS,
  ...PASS_THROUGH,
  ...Object.keys(READ_ONLY_ON_CREATE),
]);

/**
 * Validates a connection input. Never throws, whatever `input` is.
 *
 * Rules: `name` 1–128 characters of `A-Z a-z 0-9 -`, starting and ending with a letter or
 * digit (Auth0's); `strategy` one of {@link CONNECTION_STRATEGIES} (case-sensitive);
 * `enabled_clients` an array of at most 1000 unique non-empty strings; `options` a plain
 * JSON object of at most 100,000 characters of JSON, without a top-level `toJSON` key;
 * `id` and `category` are read-only. Auth0's other connection fields (`display_name`,
 * `realms`, `metadata`, `is_domain_connection`, `show_as_button`, … see
 * {@link ConnectionSettings}) are type-checked and kept unchanged; Auth0's read-only
 * `provisioning_ticket_url` is accepted and dropped. Any other property is
 * `unknown_property`. In `partial` mode nothing is required, and `strategy` and
 * `provisioning_ticket_url` are `read_only`.
 *
 * On success `value` is a JSON copy of the input with, unless `partial`, the defaults
 * `enabled_clients: []` and `options: {}` filled in. Whether the enabled clients exist and
 * whether the name is free is checked by `tenant.connections`, which reads the store.
 *
 * @param input - anything; typically the argument of `tenant.connections.create`
 * @param options - `{ partial: true }` for patches
 * @example
 * ```ts
 * const result = validateConnectionInput({ name: 'My Google', strategy: 'google' });
 * // result.ok === false: issues at /name (space) and /strategy (unknown, lists valid ones)
 * ```
 * @see https://auth0.com/docs/api/management/v2/connections/post-connections
 */
export function validateConnectionInput(
  input: unknown,
  options: ValidateConnectionOptions & { partial: true },
): ValidationResult<ConnectionPatch>;
export function validateConnectionInput(
  input: unknown,
  options?: ValidateConnectionOptions & { partial?: false },
): ValidationResult<ConnectionSettings>;
export function validateConnectionInput(
  input: unknown,
  options?: ValidateConnectionOptions,
): ValidationResult<ConnectionSettings> | ValidationResult<ConnectionPatch>;
export function validateConnectionInput(
  input: unknown,
  options?: ValidateConnectionOptions,
): ValidationResult<ConnectionSettings> | ValidationResult<ConnectionPatch> {
  return validateSafely('connection', input, options, validate);
}

function validate(
  input: unknown,
  partial: boolean,
): ValidationResult<ConnectionSettings> | ValidationResult<ConnectionPatch> {
  const read = readInput(input, 'connection');
  const connection = read.value;
  if (!connection) return { ok: false, issues: read.issues };
  const issues: Issue[] = [];
  checkProperties(
    connection,
    FIELDS,
    partial ? READ_ONLY_ON_UPDATE : READ_ONLY_ON_CREATE,
    issues,
    PASS_THROUGH,
  );
  if (!partial) {
    for (const field of ['name', 'strategy'] as const) {
      if (!(field in connection)) {
        issues.push({ path: `/${field}`, code: 'required', message: requiredMessage(field) });
      }
    }
  }

  const out: Partial<ConnectionSettings> = {};
  if ('name' in connection) {
    const name = checkName(connection['name'], issues);
    if (name !== undefined) out.name = name;
  }
  if (!partial && 'strategy' in connection) {
    const strategy = checkStrategy(connection['strategy'], issues);
    if (strategy !== undefined) out.strategy = strategy;
  }
  if ('enabled_clients' in connection) {
    const enabled = checkUniqueStrings(
      connection['enabled_clients'],
      '/enabled_clients',
      CONNECTION_LIMITS.enabledClients,
      { min: 1, max: CONNECTION_LIMITS.clientIdLength },
      issues,
    );
    if (enabled !== undefined) out.enabled_clients = enabled;
  }
  if ('options' in connection) {
    const options = checkOptions(connection['options'], issues);
    if (options !== undefined) out.options = options;
  }
  const passThrough = checkPassThrough(
    connection,
    CONNECTION_PASS_THROUGH_FIELDS,
    partial,
    issues,
  ) as Partial<ConnectionSettings>;

  // The strategy's own rules (required options, options' shape, flexible identifiers);
  // a patch is checked against the stored strategy by tenant.connections.update.
  if (!partial && out.strategy !== undefined) {
    issues.push(...strategyIssues(out.strategy, connection));
  }

  const all = mergeIssues(read.issues, issues);
  if (all.length > 0) return { ok: false, issues: all };
  if (partial) return { ok: true, value: { ...out, ...passThrough } };
  return {
    ok: true,
    value: {
      name: out.name ?? '',
      strategy: out.strategy ?? 'auth0',
      enabled_clients: out.enabled_clients ?? [],
      options: out.options ?? {},
      ...passThrough,
    },
  };
}

function requiredMessage(field: 'name' | 'strategy'): string {
  return field === 'name'
    ? 'name is required'
    : `strategy is required: for example ${EXAMPLE_STRATEGIES.join(', ')}`;
}

function checkName(value: unknown, issues: Issue[]): string | undefined {
  return checkString(
    value,
    '/name',
    {
      min: 1,
      max: CONNECTION_LIMITS.nameLength,
      refine: (text) =>
        NAME.test(text)
          ? undefined
          : `${quote(text)} may only contain ASCII letters, digits and "-", and must start and end with a letter or digit`,
    },
    issues,
  );
}

function checkStrategy(value: unknown, issues: Issue[]): ConnectionStrategy | undefined {
  if (isConnectionStrategy(value)) return value;
  if (typeof value !== 'string') {
    issues.push({
      path: '/strategy',
      code: 'invalid_type',
      message: `strategy must be a string (got ${describeValue(value)})`,
    });
    return undefined;
  }
  // Case mistakes first (GitHub), then typos within two edits (gooogle-oauth2).
  const lower = value.toLowerCase();
  const near = isConnectionStrategy(lower)
    ? lower
    : closestName(value, Object.keys(CONNECTION_STRATEGIES));
  const hint = near === undefined ? '' : ` (did you mean ${quote(near)}?)`;
  issues.push({
    path: '/strategy',
    code: 'unknown_strategy',
    message: `strategy ${quote(value)} is not an Auth0 connection strategy${hint}: use one of ${EXAMPLE_STRATEGIES.join(', ')} or another of the ${Object.keys(CONNECTION_STRATEGIES).length} in CONNECTION_STRATEGIES`,
  });
  return undefined;
}

function checkOptions(value: unknown, issues: Issue[]): JsonObject | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({
      path: '/options',
      code: 'invalid_type',
      message: `options must be a plain object (got ${describeValue(value)})`,
    });
    return undefined;
  }
  const options = value as JsonObject;
  if (Object.hasOwn(options, 'toJSON')) {
    issues.push({
      path: '/options/toJSON',
      code: 'reserved',
      message: 'options.toJSON is reserved: a returned connection uses it to redact secrets',
    });
    return undefined;
  }
  const length = JSON.stringify(options).length;
  if (length > CONNECTION_LIMITS.optionsJsonLength) {
    issues.push({
      path: '/options',
      code: 'too_large',
      message: `options must be at most ${CONNECTION_LIMITS.optionsJsonLength} characters as JSON (got ${length})`,
    });
    return undefined;
  }
  return options;
}
