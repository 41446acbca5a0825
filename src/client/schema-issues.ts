/**
 * The mapping from ajv's errors against the client settings schema to {@link Issue}s:
 * a JSON pointer, a stable code, and a message that starts with the field and says what
 * to do (with a "did you mean" hint for a misspelt top-level field).
 *
 * @see https://ajv.js.org/api.html#validation-errors
 */
import { closestName } from '../lib/closest-name.js';
import type { ErrorObject } from 'ajv';
import type { Issue } from '../errors.js';
import { APP_TYPE_VALUES } from './app-types.js';
import { fieldSpec, READ_ONLY_FIELDS } from './fields.js';
import { escapePointer } from './json-snapshot.js';
import { codePointLength, describeValue, labelOf, oneOf, quote } from './messages.js';
import { objectRuleOf } from './object-fields.js';
import { ADDON_NAMES, KNOWN_FIELDS } from './schema.js';

/** Messages for particular fields, where the generic wording would be vague. */
const TYPE_HINTS: Record<string, string> = {
  callbacks: 'an array of URL strings or one comma-separated string',
  allowed_logout_urls: 'an array of URL strings or one comma-separated string',
  allowed_origins: 'an array of URL strings or one comma-separated string',
  web_origins: 'an array of URL strings or one comma-separated string',
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/**
 * Maps ajv errors to issues: one problem, one issue. ajv may report a value twice (a
 * number where an enum's string is expected fails `type` and `enum`); only the first
 * issue at each pointer is kept.
 */
export function schemaIssues(errors: readonly ErrorObject[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const issue = schemaIssue(error);
    if (!issue || seen.has(issue.path)) continue;
    seen.add(issue.path);
    issues.push(issue);
  }
  return issues;
}

function schemaIssue(error: ErrorObject): Issue | undefined {
  const path = error.instancePath;
  const label = labelOf(path);
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const field = path.split('/')[1] ?? '';
      const expected =
        path.split('/').length === 2 && TYPE_HINTS[field]
          ? TYPE_HINTS[field]
          : typeNames(params['type']);
      return {
        path,
        code: 'invalid_type',
        message: `${label} must be ${expected} (got ${describeValue(data)})`,
      };
    }
    case 'additionalProperties':
      return unknownProperty(path, String(params['additionalProperty']), error.parentSchema);
    case 'required':
      return missingMember(path, String(params['missingProperty']), error.parentSchema);
    case 'enum':
      return enumIssue(path, label, data, params['allowedValues']);
    case 'maxLength':
    case 'minLength': {
      const limit = Number(params['limit']);
      const nameOf = 'propertyName' in error ? String(error.propertyName) : undefined;
      const where = nameOf === undefined ? path : `${path}/${escapePointer(nameOf)}`;
      const subject = nameOf === undefined ? label : `${label} key ${quote(nameOf)}`;
      const length = typeof data === 'string' ? codePointLength(data) : NaN;
      return error.keyword === 'maxLength'
        ? {
            path: where,
            code: 'too_long',
            message: `${subject} must be at most ${limit} characters (got ${length})`,
          }
        : {
            path: where,
            code: 'too_short',
            message: `${subject} must be at least ${limit} characters (got ${length})`,
          };
    }
    case 'propertyNames':
      return undefined; // reported through the inner error, at the key's own pointer
    case 'maxItems':
      return {
        path,
        code: 'too_many_items',
        message: `${label} must have at most ${String(params['limit'])} entries (got ${lengthOf(data)})`,
      };
    case 'maxProperties':
      return {
        path,
        code: 'too_many_properties',
        message: `${label} must have at most ${String(params['limit'])} keys (got ${keyCount(data)})`,
      };
    case 'minimum':
      return {
        path,
        code: 'too_small',
        message: `${label} must be at least ${String(params['limit'])} (got ${describeValue(data)})`,
      };
    case 'maximum':
      return {
        path,
        code: 'too_large',
        message: `${label} must be at most ${String(params['limit'])}${unitHint(path)} (got ${describeValue(data)})`,
      };
    case 'pattern':
      // The only pattern is the name's.
      return { path, code: 'invalid_characters', message: `${label} must not contain "<" or ">"` };
    default:
      return {
        path,
        code: 'invalid',
        message: `${label} ${error.message ?? 'is invalid'}`,
      };
  }
}

/**
 * A member Auth0 requires with its object (`refresh_token.expiration_type`), at its own
 * pointer, with Auth0's wording.
 */
function missingMember(parent: string, member: string, schema: unknown): Issue {
  const path = `${parent}/${escapePointer(member)}`;
  const required = objectRuleOf(schema)?.required ?? [member];
  const together =
    required.length > 1 ? `: ${labelOf(parent)} needs ${andList(required)} together` : '';
  return {
    path,
    code: 'required',
    message: `${labelOf(path)} is required${together} (Auth0: "Missing required property: ${member}")`,
  };
}

function andList(names: readonly string[]): string {
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function unknownProperty(parent: string, property: string, schema?: unknown): Issue {
  const path = `${parent}/${escapePointer(property)}`;
  const label = labelOf(path);
  if (parent === '/addons') {
    return {
      path,
      code: 'unknown_addon',
      message: `${label} is not an Auth0 addon (known addons: ${ADDON_NAMES.join(', ')})`,
    };
  }
  if (parent === '') {
    const suggestion = closestName(
      property,
      KNOWN_FIELDS,
      (name) => READ_ONLY_FIELDS.has(name) || fieldSpec(name)?.role === 'alias',
    );
    const hint = suggestion ? `; did you mean ${suggestion}?` : '; remove it';
    return { path, code: 'unknown_property', message: `${label} is not a client setting${hint}` };
  }
  const members = Object.keys(objectRuleOf(schema)?.members ?? {});
  const suggestion = closestName(property, members);
  const hint = suggestion ? `did you mean ${suggestion}?` : 'remove it';
  return {
    path,
    code: 'unknown_property',
    message: `${label} is not a member of ${labelOf(parent)}; ${hint} (Auth0: "Additional properties not allowed: ${property}")`,
  };
}

function enumIssue(path: string, label: string, data: unknown, allowed: unknown): Issue {
  const got = describeValue(data);
  if (path === '/app_type') {
    const hint = typeof data === 'string' ? closestName(data, APP_TYPE_VALUES) : undefined;
    const fix = hint
      ? `did you mean ${hint}?`
      : `use native, spa, regular_web, non_interactive or another Auth0 app type (${APP_TYPE_VALUES.slice(4).join(', ')})`;
    return {
      path,
      code: 'invalid_value',
      message: `${label} is not an Auth0 app type (got ${got}); ${fix}`,
    };
  }
  if (path.startsWith('/grant_types/')) {
    return {
      path,
      code: 'invalid_value',
      message: `${label} is not an Auth0 grant type (got ${got}); see https://auth0.com/docs/get-started/applications/application-grant-types`,
    };
  }
  const values = Array.isArray(allowed) ? allowed.map(String) : [];
  const hint = typeof data === 'string' ? closestName(data, values) : undefined;
  return {
    path,
    code: 'invalid_value',
    message: `${label} must be ${oneOf(values)} (got ${got})${hint ? `; did you mean ${hint}?` : ''}`,
  };
}

function typeNames(type: unknown): string {
  const names = String(type).split(',');
  return oneOf(names.map((name) => TYPE_NAMES[name] ?? name));
}

function unitHint(path: string): string {
  return path === '/jwt_configuration/lifetime_in_seconds' ? ' seconds (30 days)' : '';
}

function lengthOf(data: unknown): string {
  return Array.isArray(data) ? String(data.length) : 'more';
}

function keyCount(data: unknown): string {
  return typeof data === 'object' && data !== null ? String(Object.keys(data).length) : 'more';
}
