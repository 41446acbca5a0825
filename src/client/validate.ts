/**
 * `validateClientSettings`: guard, schema, field checks, URL entries, per-type rules,
 * then normalisation. Every stage reports into one list, so a caller sees every problem
 * at once; nothing throws.
 */
import { validateSafely } from '../lib/never-throws.js';
import type { Issue } from '../errors.js';
import { parsePattern } from './pattern-cache.js';
import { plainSettings } from './client.js';
import { jsonSnapshot } from './json-snapshot.js';
import { codePointLength, labelOf, quote } from './messages.js';
import { normalizeSettings, splitCommaLists } from './normalize.js';
import { restoreNulls, takeNulls } from './nulls.js';
import { LIMITS, validateSchema } from './schema.js';
import { schemaIssues } from './schema-issues.js';
import { URL_LIST_FIELDS, URL_LIST_KINDS, type ClientSettings } from './settings.js';
import { isHardeningOnly } from './url-hardening.js';
import { CLIENT_URI_FIELDS, uriProblem, type ClientUriField } from './uri-fields.js';
import type { ValidationResult } from '../lib/validation-result.js';

/** Options of {@link validateClientSettings}. */
export interface ValidateOptions {
  /**
   * Validate a patch (an update), with Auth0's PATCH semantics: nothing is required, no
   * defaults are filled in, and `null` on an optional field (or on a `client_metadata`
   * key, an addon, a `jwt_configuration` member) means "remove it". The value holds only
   * the fields given, normalised, `null`s included. Validate the merged result in full
   * mode before storing it.
   */
  partial?: boolean;
}

/**
 * The value of a partial validation: only the fields given, normalised; `null` means
 * "remove this field".
 */
export type ClientSettingsPatch = {
  [Field in keyof ClientSettings]?: ClientSettings[Field] | null;
};

/**
 * Validates and normalises client settings (Auth0 field names). Never throws, whatever
 * `input` is: `null`, arrays, strings, circular objects, throwing getters, deep nesting.
 *
 * The question it answers is "would Auth0's Management API accept this object?": every
 * field of Auth0's client model is accepted with its type and enum, every `app_type`
 * (or none), and `null` on an optional field (absent on create, "remove" in a patch).
 * Whether the client works for its type (a spa with a secret method) is a lint error:
 * see {@link lintClient}.
 *
 * On success `value` is the normalised settings: comma-separated URL lists split into
 * arrays, the name trimmed, the app type's defaults filled in
 * (`token_endpoint_auth_method`, `grant_types`, `jwt_configuration.lifetime_in_seconds`
 * 36000 and `alg` RS256, `sso`, `sso_disabled`, `is_first_party`), the deprecated
 * `cross_origin_auth` renamed, and Auth0's read-only export fields (`client_id`,
 * `client_secret`, `tenant`, `global`, `callback_url_template`, `signing_keys`, ...)
 * dropped. On failure `issues` lists every problem, each with a JSON pointer into the
 * input, a stable `code` and a message that starts with the field.
 *
 * @param input - anything; typically a parsed JSON or YAML client object
 * @param options - `{ partial: true }` for patches (see {@link ValidateOptions})
 * @example
 * ```ts
 * const result = validateClientSettings({
 *   name: 'Storefront',
 *   app_type: 'spa',
 *   callbacks: 'https://shop.example.com/callback, https://*.preview.example.com/callback',
 * });
 * if (result.ok) {
 *   result.value.callbacks; // ['https://shop.example.com/callback', 'https://*.preview.example.com/callback']
 *   result.value.token_endpoint_auth_method; // 'none'
 * } else {
 *   for (const issue of result.issues) console.error(`${issue.path}: ${issue.message}`);
 * }
 * ```
 * @see https://auth0.com/docs/api/management/v2/clients/post-clients
 * @see https://auth0.com/docs/get-started/applications/wildcards-for-subdomains
 */
export function validateClientSettings(
  input: unknown,
  options: ValidateOptions & { partial: true },
): ValidationResult<ClientSettingsPatch>;
export function validateClientSettings(
  input: unknown,
  options?: ValidateOptions & { partial?: false },
): ValidationResult<ClientSettings>;
export function validateClientSettings(
  input: unknown,
  options?: ValidateOptions,
): ValidationResult<ClientSettings> | ValidationResult<ClientSettingsPatch>;
export function validateClientSettings(
  input: unknown,
  options?: ValidateOptions,
): ValidationResult<ClientSettings> | ValidationResult<ClientSettingsPatch> {
  return validateSafely('client settings', input, options, validate);
}

function validate(
  input: unknown,
  partial: boolean,
): ValidationResult<ClientSettings> | ValidationResult<ClientSettingsPatch> {
  const snapshot = jsonSnapshot(plainSettings(input));
  const unreadable = snapshot.issues.map((issue) => issue.path);
  const issues = snapshot.issues;
  const settings = isRecord(snapshot.value) ? snapshot.value : undefined;
  const commaLists = settings ? splitCommaLists(settings) : undefined;
  const nulls = settings ? takeNulls(settings) : undefined;

  if (!validateSchema(snapshot.value)) issues.push(...schemaIssues(validateSchema.errors ?? []));
  if (settings) {
    if (!partial) checkRequired(settings, issues);
    checkName(settings['name'], issues);
    checkUrlLists(settings, commaLists, issues);
    checkUriFields(settings, issues);
  }

  if (issues.length > 0) return { ok: false, issues: tidy(issues, unreadable, commaLists) };
  const value = normalizeSettings(settings ?? {}, partial);
  if (partial && nulls) restoreNulls(value, nulls);
  return { ok: true, value: value as unknown as ClientSettings };
}

function checkRequired(settings: Record<string, unknown>, issues: Issue[]): void {
  if (!('name' in settings)) {
    issues.push({ path: '/name', code: 'required', message: 'name is required' });
  }
}

/** What the schema cannot say about names: the limits apply after trimming. */
function checkName(name: unknown, issues: Issue[]): void {
  if (typeof name !== 'string') return;
  const trimmed = name.trim();
  if (trimmed === '') {
    issues.push({
      path: '/name',
      code: 'blank',
      message: 'name must not be empty or only whitespace',
    });
    return;
  }
  const length = codePointLength(trimmed);
  if (length > LIMITS.nameLength) {
    issues.push({
      path: '/name',
      code: 'too_long',
      message: `name must be at most ${LIMITS.nameLength} characters after trimming (got ${length})`,
    });
  }
}

/** Each entry of each URL list, through the allow-list entry parser (once). */
function checkUrlLists(
  settings: Record<string, unknown>,
  commaLists: ReadonlySet<string> | undefined,
  issues: Issue[],
): void {
  for (const field of URL_LIST_FIELDS) {
    const list = settings[field];
    if (!Array.isArray(list)) continue;
    const kind = URL_LIST_KINDS[field];
    const fromString = commaLists?.has(field) === true;
    for (let i = 0; i < list.length; i++) {
      const entry: unknown = list[i];
      if (typeof entry !== 'string') continue; // the schema reported it
      const result = parsePattern(kind, entry);
      // Refused by the allow lists only (Auth0 accepts it): a lint error, not an issue.
      if (result.ok || isHardeningOnly(kind, entry, result)) continue;
      issues.push({
        path: fromString ? `/${field}` : `/${field}/${i}`,
        code: result.code,
        message: `${labelOf(`/${field}/${i}`)} ${quote(entry)} ${result.reason}`,
      });
    }
  }
}

/** `logo_uri` and `initiate_login_uri`: the format Auth0 checks (`uri-fields.ts`). */
function checkUriFields(settings: Record<string, unknown>, issues: Issue[]): void {
  for (const field of Object.keys(CLIENT_URI_FIELDS) as ClientUriField[]) {
    const value = settings[field];
    if (typeof value !== 'string') continue; // absent, null, or the schema reported it
    const rule = CLIENT_URI_FIELDS[field];
    const reason = uriProblem(value, rule);
    if (reason === undefined) continue;
    issues.push({
      path: `/${field}`,
      code: 'invalid_uri',
      message: `${field} ${quote(value)} ${reason} (Auth0: "Object didn't pass validation for format ${rule.format}")`,
    });
  }
}

/**
 * Final touches on the issue list: nothing is reported inside a value the guard already
 * refused, and pointers into a comma-separated list point at the list.
 */
function tidy(
  issues: Issue[],
  unreadable: readonly string[],
  commaLists: ReadonlySet<string> | undefined,
): Issue[] {
  let out = issues;
  if (unreadable.length > 0) {
    // The guard's own issues come first; the rest may not look inside what it refused.
    out = issues.filter(
      (issue, index) =>
        index < unreadable.length ||
        !unreadable.some((path) => issue.path === path || issue.path.startsWith(`${path}/`)),
    );
  }
  if (commaLists && commaLists.size > 0) {
    out = out.map((issue) => {
      const field = issue.path.split('/')[1] ?? '';
      return commaLists.has(field) && issue.path !== `/${field}`
        ? { ...issue, path: `/${field}` }
        : issue;
    });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
