/**
 * The JSON Schema of client settings, compiled once at module load, and the mapping from
 * ajv's errors to {@link Issue}s whose messages start with the field and say what to do.
 *
 * The schema checks shapes and limits. What it cannot express (per-app-type rules, URL
 * entry grammar, names that are blank after trimming) lives in `rules.ts` and
 * `validate.ts`.
 *
 * @see https://ajv.js.org/options.html
 */
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import type { Issue } from '../errors.js';
import { APP_TYPE_VALUES, GRANT_TYPE_VALUES, UNSUPPORTED_AUTH0_APP_TYPES } from './app-types.js';
import { escapePointer } from './json-snapshot.js';
import { codePointLength, describeValue, labelOf, oneOf, quote } from './messages.js';
import type { AddonName, JwtAlgorithm } from './settings.js';
import { READ_ONLY_FIELDS } from './settings.js';

/** The limits DESIGN.md sets, in one place. */
export const LIMITS = {
  /** `name`, after trimming. */
  nameLength: 255,
  /** `description`. */
  descriptionLength: 140,
  /** Entries of each URL list. */
  urlListEntries: 100,
  /** Keys of `client_metadata`. */
  metadataKeys: 10,
  /** Length of a `client_metadata` key and of a value. */
  metadataLength: 255,
  /** `jwt_configuration.lifetime_in_seconds` bounds (30 days at most). */
  lifetimeMin: 1,
  /** Upper bound of `jwt_configuration.lifetime_in_seconds`. */
  lifetimeMax: 2_592_000,
  /** Default id_token lifetime: 10 hours. */
  lifetimeDefault: 36_000,
} as const;

/** Accepted `jwt_configuration.alg` values. */
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'HS256', 'PS256', 'RS512'];

/** Accepted keys of `addons`. */
export const ADDON_NAMES: readonly AddonName[] = [
  'aws',
  'azure_blob',
  'azure_sb',
  'rms',
  'mscrm',
  'slack',
  'sentry',
  'box',
  'cloudbees',
  'concur',
  'dropbox',
  'echosign',
  'egnyte',
  'firebase',
  'newrelic',
  'office365',
  'salesforce',
  'salesforce_api',
  'salesforce_sandbox_api',
  'samlp',
  'layer',
  'sap_api',
  'sharepoint',
  'springcm',
  'wams',
  'wsfed',
  'zendesk',
  'zoom',
  'sso_integration',
  'oag',
];

const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;
const object = { type: 'object' } as const;
const nullableObject = { type: ['object', 'null'] } as const;
const stringArray = { type: 'array', items: string } as const;
const urlList = { type: 'array', maxItems: LIMITS.urlListEntries, items: string } as const;
/** An object whose listed members are type-checked and whose other members pass through. */
const open = (properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'object',
  properties,
});

/** The settings schema (shapes and limits only; see the module comment). */
export const CLIENT_SETTINGS_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Interpreted settings.
    name: { type: 'string', pattern: '^[^<>]*$' },
    description: { type: 'string', maxLength: LIMITS.descriptionLength },
    app_type: { type: 'string', enum: APP_TYPE_VALUES },
    callbacks: urlList,
    allowed_logout_urls: urlList,
    allowed_origins: urlList,
    web_origins: urlList,
    token_endpoint_auth_method: {
      type: 'string',
      enum: ['none', 'client_secret_post', 'client_secret_basic'],
    },
    grant_types: { type: 'array', items: { type: 'string', enum: GRANT_TYPE_VALUES } },
    jwt_configuration: {
      type: 'object',
      additionalProperties: false,
      properties: {
        lifetime_in_seconds: {
          type: 'integer',
          minimum: LIMITS.lifetimeMin,
          maximum: LIMITS.lifetimeMax,
        },
        alg: { type: 'string', enum: JWT_ALGORITHMS },
        secret_encoded: boolean,
        scopes: object,
      },
    },
    sso: boolean,
    sso_disabled: boolean,
    is_first_party: boolean,
    client_metadata: {
      type: 'object',
      maxProperties: LIMITS.metadataKeys,
      propertyNames: { maxLength: LIMITS.metadataLength },
      additionalProperties: { type: 'string', maxLength: LIMITS.metadataLength },
    },
    addons: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(ADDON_NAMES.map((name) => [name, object])),
    },

    // Pass-through Auth0 fields (DESIGN.md's list).
    oidc_conformant: boolean,
    cross_origin_authentication: boolean,
    cross_origin_auth: boolean,
    cross_origin_loc: string,
    custom_login_page_on: boolean,
    custom_login_page: string,
    custom_login_page_preview: string,
    form_template: string,
    client_aliases: stringArray,
    allowed_clients: stringArray,
    native_social_login: open({
      apple: open({ enabled: boolean }),
      facebook: open({ enabled: boolean }),
      google: open({ enabled: boolean }),
    }),
    refresh_token: {
      type: ['object', 'null'],
      properties: {
        rotation_type: { type: 'string', enum: ['rotating', 'non-rotating'] },
        expiration_type: { type: 'string', enum: ['expiring', 'non-expiring'] },
        leeway: { type: 'integer' },
        token_lifetime: { type: 'integer' },
        infinite_token_lifetime: boolean,
        idle_token_lifetime: { type: 'integer' },
        infinite_idle_token_lifetime: boolean,
        policies: { type: ['array', 'null'] },
      },
    },
    logo_uri: string,
    initiate_login_uri: string,
    organization_usage: { type: 'string', enum: ['deny', 'allow', 'require'] },
    organization_require_behavior: {
      type: 'string',
      enum: ['no_prompt', 'pre_login_prompt', 'post_login_prompt'],
    },
    mobile: open({
      android: open({ app_package_name: string, sha256_cert_fingerprints: stringArray }),
      ios: open({ team_id: string, app_bundle_identifier: string }),
    }),
    is_token_endpoint_ip_header_trusted: boolean,
    skip_non_verifiable_callback_uri_confirmation_prompt: { type: ['boolean', 'null'] },
    compliance_level: { type: ['string', 'null'] },
    require_pushed_authorization_requests: boolean,
    encryption_key: {
      type: ['object', 'null'],
      properties: { pub: string, cert: string, subject: string },
    },

    // Newer Auth0 fields seen in Management API responses, passed through.
    oidc_logout: nullableObject,
    oidc_backchannel_logout: nullableObject,
    session_transfer: nullableObject,
    default_organization: nullableObject,
    organization_discovery_methods: { type: ['array', 'null'], items: string },
    client_authentication_methods: nullableObject,
    require_proof_of_possession: boolean,
    signed_request_object: nullableObject,
    token_exchange: nullableObject,
    par_request_expiry: { type: ['integer', 'null'] },
    token_quota: nullableObject,
    express_configuration: nullableObject,
    async_approval_notification_channels: { type: ['array', 'null'], items: string },

    // Read-only export fields: accepted whatever they hold, dropped from the value.
    ...Object.fromEntries([...READ_ONLY_FIELDS].map((field) => [field, {}])),
  },
};

/** Top-level fields the schema knows (for "did you mean" hints). */
export const KNOWN_FIELDS: readonly string[] = Object.keys(
  CLIENT_SETTINGS_SCHEMA['properties'] as object,
);

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });

/**
 * The compiled schema validator. Exposed for the benchmark's "schema only" baseline.
 *
 * @internal
 */
export const validateSchema = ajv.compile(CLIENT_SETTINGS_SCHEMA);

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

/** Maps ajv errors to issues (at most one per error). */
export function schemaIssues(errors: readonly ErrorObject[]): Issue[] {
  const issues: Issue[] = [];
  for (const error of errors) {
    const issue = schemaIssue(error);
    if (issue) issues.push(issue);
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
      return unknownProperty(path, String(params['additionalProperty']));
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

function unknownProperty(parent: string, property: string): Issue {
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
    const suggestion = closest(property, KNOWN_FIELDS);
    const hint = suggestion ? `; did you mean ${suggestion}?` : '; remove it';
    return { path, code: 'unknown_property', message: `${label} is not a client setting${hint}` };
  }
  return {
    path,
    code: 'unknown_property',
    message: `${label} is not a member of ${labelOf(parent)}; remove it`,
  };
}

function enumIssue(path: string, label: string, data: unknown, allowed: unknown): Issue {
  const got = describeValue(data);
  if (path === '/app_type') {
    const supported = oneOf(APP_TYPE_VALUES);
    if (typeof data === 'string' && UNSUPPORTED_AUTH0_APP_TYPES.has(data)) {
      return {
        path,
        code: 'unsupported_app_type',
        message: `${label} ${got} is an Auth0 app type this library does not support; use ${supported}`,
      };
    }
    return { path, code: 'invalid_value', message: `${label} must be ${supported} (got ${got})` };
  }
  if (path.startsWith('/grant_types/')) {
    return {
      path,
      code: 'invalid_value',
      message: `${label} is not an Auth0 grant type (got ${got}); see https://auth0.com/docs/get-started/applications/application-grant-types`,
    };
  }
  const values = Array.isArray(allowed) ? allowed.map(String) : [];
  return { path, code: 'invalid_value', message: `${label} must be ${oneOf(values)} (got ${got})` };
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

/** The known name within edit distance 2 of `name`, for "did you mean" hints. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    if (READ_ONLY_FIELDS.has(candidate) || candidate === 'cross_origin_auth') continue;
    const distance = editDistance(name.toLowerCase(), candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit, limit);
}
